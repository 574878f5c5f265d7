package org.cytolake.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
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

  /** {@link #ingest} then {@code gate}; returns the gate result. */
  public static GateJob.Result ingestAndGate(
      SparkSession spark, Path trial, Path lake, String runPrefix) throws IOException {
    ingest(spark, trial, lake, runPrefix);
    Path home = SharedData.projectDir();
    return GateJob.run(
        spark,
        new GateJob.Options(
            lake.toString(), home.resolve("conf"), home.resolve("schemas"), runPrefix + "-gate"));
  }
}
