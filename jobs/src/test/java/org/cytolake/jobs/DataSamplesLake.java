package org.cytolake.jobs;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;

/**
 * A lake built from {@code data-samples/} for integration tests: ingest-clinical, ingest-fcs and
 * gate, in the shared test SparkSession, with the project's conf/ and schemas/.
 */
final class DataSamplesLake {
  private DataSamplesLake() {}

  /** The lake and the gate job's result. */
  record Gated(Path lake, GateJob.Result gate) {}

  /** Ingests data-samples into {@code dir/lake} and gates it; run ids start with {@code prefix}. */
  static Gated ingestAndGate(Path dir, String prefix) throws Exception {
    Path home = SharedData.projectDir();
    Path samples = home.resolve("data-samples");
    Path lake = dir.resolve("lake");
    SparkSession spark = SparkTestSession.get();
    IngestClinicalJob.run(spark, new IngestClinicalOptions(samples.resolve("clinical").toString(),
        lake.toString(), home.resolve("conf"), home.resolve("schemas"), null,
        prefix + "-clinical"));
    IngestFcsJob.run(spark, new IngestFcsJob.Options(samples.toString(),
        samples.resolve("manifest.csv").toString(), lake.toString(), home.resolve("conf"),
        home.resolve("schemas"), prefix + "-fcs"));
    GateJob.Result gate = GateJob.run(spark, new GateJob.Options(lake.toString(),
        home.resolve("conf"), home.resolve("schemas"), prefix + "-gate"));
    return new Gated(lake, gate);
  }
}
