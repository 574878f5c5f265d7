package org.cytolake.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.cytolake.jobs.IngestClinicalJob;
import org.cytolake.jobs.IngestClinicalOptions;
import org.cytolake.jobs.IngestClinicalResult;
import org.cytolake.jobs.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cytolake ingest-clinical}. */
@Command(
    name = "ingest-clinical",
    mixinStandardHelpOptions = true,
    description = {
      "Ingest SDTM-like clinical records into the lake: dm, sv, ex, qs, lb, ae (.csv with an "
          + "upper-case header, or .jsonl) become patients, visits, dosing, disease_scores, "
          + "labs and adverse_events, pseudonymised (no names or birth dates; ages instead).",
      "Every record is accepted or quarantined (partition job=ingest-clinical) with its file, "
          + "line, field, value and reason; records in = accepted + rejected per domain, "
          + "printed and written to <lake>/_runs/<run id>/ingest-clinical.json.",
      "Exit status 0 when the run completed (even with quarantined records), 1 when it failed "
          + "(the reason is the last line on stderr)."
    })
public final class IngestClinicalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin JobOptions job;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "DIR",
      description = "Directory of the clinical files (any Hadoop path), e.g. <trial>/clinical.")
  String input;

  @Mixin LakeOption lake;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    SparkSession spark = SparkSessions.getOrCreate("cytolake ingest-clinical", job.master);
    IngestClinicalResult r = IngestClinicalJob.run(spark, options());
    r.summaryLines().forEach(out::println);
    out.flush();
    return 0;
  }

  /** The job's options from the command line. */
  IngestClinicalOptions options() {
    return new IngestClinicalOptions(
        input, lake.root, job.confDir(), job.schemasDir(), job.master, job.runId);
  }
}
