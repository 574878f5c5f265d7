package org.cytolake.jobs;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.cytolake.lake.LocalLakeFileSystem;

/**
 * The SparkSession every job uses: the master that {@code spark-submit} set, or {@code --master},
 * or embedded {@code local[*]}; Parquet timestamps as INT64 micros (DuckDB and pandas read them as
 * timestamps, not INT96); dynamic partition overwrite so a job replaces only the partitions it
 * writes. Three defaults that a {@code spark-submit --conf} (a system property) overrides ({@link
 * #defaults}): {@code file://} through {@link LocalLakeFileSystem} (permissions set in process, not
 * by a {@code chmod} per file); partition directories listed on the driver up to {@value
 * #DRIVER_LISTING_PATHS} of them (Spark's default, 32, starts a listing job per read of a table
 * with one directory per sample: ten jobs and 5 s to read a 467-sample events table, measured);
 * and whole-stage code generation given up for a stage whose generated method outgrows {@value
 * #HUGE_METHOD_BYTES} bytes of bytecode, HotSpot's limit for JIT compilation (Spark's default,
 * 65,535, lets such a method run interpreted. In session 13's nights only the report's gating QC
 * densities outgrew it, one stage per panel: on 10^7 events that report step went from 83 s to 69
 * s, BENCHMARKS.md session 13; since session 14 they bin in a map function, and of them only the
 * P3 parent memberships of the generated trial, 8,348 bytes, still do).
 */
public final class SparkSessions {
  /** Directories a table read lists on the driver before Spark lists them in a job. */
  static final int DRIVER_LISTING_PATHS = 4096;

  /** HotSpot's {@code HugeMethodLimit}: a method with more bytecode is never JIT-compiled. */
  static final int HUGE_METHOD_BYTES = 8000;

  private static final Map<String, String> DEFAULTS =
      Map.of(
          "spark.hadoop.fs.file.impl",
          LocalLakeFileSystem.class.getName(),
          "spark.sql.sources.parallelPartitionDiscovery.threshold",
          String.valueOf(DRIVER_LISTING_PATHS),
          "spark.sql.codegen.hugeMethodLimit",
          String.valueOf(HUGE_METHOD_BYTES));

  private SparkSessions() {}

  /** The settings a job's session takes unless {@code spark-submit} (a system property) set them. */
  public static Map<String, String> defaults() {
    return DEFAULTS;
  }

  /**
   * Gets or creates the session.
   *
   * @param appName shown in the Spark UI
   * @param master explicit master URL, or null to take spark-submit's or else {@code local[*]}
   */
  public static SparkSession getOrCreate(String appName, String master) {
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    boolean submitted = System.getProperty("spark.master") != null;
    if (master != null && !master.isBlank()) {
      b.master(master);
    } else if (!submitted) {
      b.master("local[*]");
    }
    b.config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    b.config("spark.sql.sources.partitionOverwriteMode", "dynamic");
    b.config("spark.sql.session.timeZone", "UTC");
    DEFAULTS.forEach(
        (key, value) -> {
          if (System.getProperty(key) == null) {
            b.config(key, value);
          }
        });
    if (!submitted && (master == null || master.startsWith("local"))) {
      b.config("spark.ui.showConsoleProgress", "false");
    }
    return b.getOrCreate();
  }
}
