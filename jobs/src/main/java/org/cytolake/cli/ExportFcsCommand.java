package org.cytolake.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.cytolake.jobs.ExportFcsJob;
import org.cytolake.jobs.RunContext;
import org.cytolake.jobs.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cytolake export-fcs}: one sample of the lake as an FCS file with cytolake's results. */
@Command(
    name = "export-fcs",
    mixinStandardHelpOptions = true,
    description = {
      "Write one sample of the lake as an FCS 3.1 file (float32) that FlowJo, FlowKit or any FCS "
          + "reader opens, so analysts can gate on cytolake's results: the panel's channels on the "
          + "data scale (the inverse of the panel's transform), spilled again with the source "
          + "file's matrix and written with its $SPILLOVER when the file ingest read is still "
          + "at its path (else compensated values, no spillover, keyword CYTOLAKE_COMPENSATED), "
          + "plus three channels:",
      "  population_id  the event's deepest population of the panel's strategy, 1-based in "
          + "strategy order (keywords CYTOLAKE_POPULATION_<n> name each), 0 = none or a QC-flagged "
          + "event; an event in overlapping sibling populations carries the first of them;",
      "  metacluster    the active cluster model's metacluster + 1 (CYTOLAKE_METACLUSTER_<n> its "
          + "label), 0 = not clustered;",
      "  qc_flag        the acquisition QC flag of events_<panel> (0 = clean).",
      "Exit status: 0 written; 3 unknown sample or population (named, with what exists); 1 other "
          + "failure."
    })
public final class ExportFcsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin JobOptions job;

  @Mixin LakeOption lake;

  @Option(
      names = "--sample",
      required = true,
      paramLabel = "ID",
      description = "The sample (samples.sample_id).")
  String sample;

  @Option(
      names = "--population",
      paramLabel = "PATH",
      description =
          "Only the events of this population (its path, e.g. cells/singlets/live, or gate id).")
  String population;

  @Option(
      names = "--algorithm",
      paramLabel = "NAME",
      defaultValue = "flowsom",
      description = "Whose metaclusters to write (default: ${DEFAULT-VALUE}).")
  String algorithm;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE.fcs",
      description = "The FCS file to write.")
  Path out;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = SparkSessions.getOrCreate("cytolake export-fcs", job.master);
    RunContext ctx = RunContext.open(spark, lake.root, job.confDir(), job.schemasDir(), job.runId);
    ExportFcsJob.Result r;
    try {
      r = ExportFcsJob.run(ctx, new ExportFcsJob.Options(sample, population, algorithm, out));
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return CliErrors.EXIT_BAD_INPUT;
    }
    spec.commandLine()
        .getOut()
        .printf(
            "export-fcs: wrote %s (%d events of sample %s, panel %s, %s)%n",
            r.file(),
            r.events(),
            sample,
            r.panel(),
            r.spilloverWritten() ? "raw values with $SPILLOVER" : "compensated values");
    return 0;
  }
}
