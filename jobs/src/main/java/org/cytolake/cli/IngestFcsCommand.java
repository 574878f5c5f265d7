package org.cytolake.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.cytolake.jobs.IngestFcsJob;
import org.cytolake.jobs.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cytolake ingest-fcs}. */
@Command(
    name = "ingest-fcs",
    mixinStandardHelpOptions = true,
    description = {
      "Ingest FCS files into the lake: samples, channels, events_<panel> (compensated with each "
          + "file's spillover, transformed per conf/panels.yaml, partitioned by visit and sample_id), "
          + "quarantine and the restricted ingest_ledger.",
      "Every file found under --input and every manifest row is either ingested or quarantined "
          + "with a reason; events in = events written + events quarantined.",
      "Exit status 0 when the run completed (even with quarantined input), 1 when it failed."
    })
public final class IngestFcsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin JobOptions job;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "PATH",
      description =
          "Directory of FCS files (any Hadoop path: file:, hdfs:, s3a:), read " + "recursively.")
  String input;

  @Option(
      names = "--manifest",
      paramLabel = "FILE",
      description =
          "Sample manifest CSV (file, patient_id, visit, panel[, acquisition_date, "
              + "batch]); default: <input>/manifest.csv.")
  String manifest;

  @Mixin LakeOption lake;

  @Override
  public Integer call() throws Exception {
    String m = manifest != null ? manifest : input.replaceAll("/+$", "") + "/manifest.csv";
    SparkSession spark = SparkSessions.getOrCreate("cytolake ingest-fcs", job.master);
    IngestFcsJob.Result r =
        IngestFcsJob.run(
            spark,
            new IngestFcsJob.Options(
                input, m, lake.root, job.confDir(), job.schemasDir(), job.runId));
    var out = spec.commandLine().getOut();
    out.printf(
        "ingest-fcs %s: %d file(s): %d sample(s) ingested, %d quarantined; "
            + "%d quarantine record(s) %s%n",
        r.runId(),
        r.filesFound(),
        r.samplesIngested(),
        r.filesQuarantined(),
        r.recordsQuarantined(),
        r.reasons());
    out.printf(
        "events: in %d = written %d + quarantined %d; per panel %s%n",
        r.eventsIn(), r.eventsWritten(), r.eventsQuarantined(), r.eventsPerPanel());
    out.printf("run summary: %s%n", r.summaryPath());
    out.flush();
    return 0;
  }
}
