package org.cytolake.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.cytolake.generate.SeparableSamples;
import org.cytolake.jobs.GateJob;
import org.cytolake.jobs.IngestClinicalJob;
import org.cytolake.jobs.IngestClinicalOptions;
import org.cytolake.jobs.IngestFcsJob;

/**
 * Lakes built by the pipeline for job tests: a trial directory as {@code generate} writes it
 * ({@code clinical/}, {@code manifest.csv}, {@code fcs/}) ingested by ingest-clinical and
 * ingest-fcs, then gated with the project's {@code conf/gating}.
 */
public final class Lakes {
  private Lakes() {}

  /** Ingests {@code trial} into {@code lake} (clinical records, then FCS files); returns it. */
  public static Path ingest(SparkSession spark, Path trial, Path lake, String runPrefix)
      throws IOException {
    Path home = SharedData.projectDir();
    IngestClinicalJob.run(
        spark,
        new IngestClinicalOptions(
            trial.resolve("clinical").toString(),
            lake.toString(),
            home.resolve("conf"),
            home.resolve("schemas"),
            null,
            runPrefix + "-clinical"));
    IngestFcsJob.run(
        spark,
        new IngestFcsJob.Options(
            trial.toString(),
            trial.resolve("manifest.csv").toString(),
            lake.toString(),
            home.resolve("conf"),
            home.resolve("schemas"),
            runPrefix + "-fcs"));
    return lake;
  }

  private static Path samplesLake;
  private static GateJob.Result samplesGated;

  /**
   * {@link #ingest} then {@code gate}; returns the gate result. The separable samples ({@code SeparableSamples}) are
   * ingested and gated once per test JVM (with run ids {@code samples-clinical}, {@code
   * samples-fcs}, {@code samples-gate}) and each caller gets a copy of that lake in {@code lake}:
   * the same tables a run of its own would write, but its run ids, at a fraction of the time.
   */
  public static synchronized GateJob.Result ingestAndGate(
      SparkSession spark, Path trial, Path lake, String runPrefix) throws IOException {
    Path samples = SeparableSamples.dir().toAbsolutePath().normalize();
    if (!trial.toAbsolutePath().normalize().equals(samples)) {
      return build(spark, trial, lake, runPrefix);
    }
    if (samplesLake == null) {
      Path dir = Files.createTempDirectory("cytolake-separable-samples-lake");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
      samplesGated = build(spark, trial, dir.resolve("lake"), "samples");
      samplesLake = dir.resolve("lake");
    }
    copy(samplesLake, lake);
    return samplesGated;
  }

  private static GateJob.Result build(SparkSession spark, Path trial, Path lake, String runPrefix)
      throws IOException {
    ingest(spark, trial, lake, runPrefix);
    Path home = SharedData.projectDir();
    return GateJob.run(
        spark,
        new GateJob.Options(
            lake.toString(), home.resolve("conf"), home.resolve("schemas"), runPrefix + "-gate"));
  }

  /** Copies a directory tree. */
  public static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is not worth failing a JVM's exit for
    }
  }
}
