package org.cytolake.jobs;

import org.apache.spark.sql.SparkSession;
import org.cytolake.lake.LocalLakeFileSystem;

/**
 * The SparkSession every job uses: the master that {@code spark-submit} set, or {@code --master},
 * or embedded {@code local[*]}; Parquet timestamps as INT64 micros (DuckDB and pandas read them as
 * timestamps, not INT96); dynamic partition overwrite so a job replaces only the partitions it
 * writes; {@code file://} through {@link LocalLakeFileSystem} (permissions set in process, not by a
 * {@code chmod} per file) unless {@code spark.hadoop.fs.file.impl} is set already.
 */
public final class SparkSessions {
  private static final String FILE_IMPL = "spark.hadoop.fs.file.impl";

  private SparkSessions() {}

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
    if (System.getProperty(FILE_IMPL) == null) {
      b.config(FILE_IMPL, LocalLakeFileSystem.class.getName());
    }
    if (!submitted && (master == null || master.startsWith("local"))) {
      b.config("spark.ui.showConsoleProgress", "false");
    }
    return b.getOrCreate();
  }
}
