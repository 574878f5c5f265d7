package org.cytolake.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.cytolake.jobs.ReportJob;
import org.cytolake.jobs.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cytolake report}. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "The HTML report of a run: writes <lake>/_reports/<run id>/index.html, one self-contained "
          + "page (inline SVG and CSS, no script, no network) with a banner when the run summary's "
          + "status is not succeeded, QC (events and warnings per sample, quarantined inputs by "
          + "reason, sources as keyed hashes), acquisition QC (sample_qc: samples checked and "
          + "flagged over qc.warn-share, median %% of events removed, per panel the %% removed by "
          + "acquisition date and the flagged samples with flags and reason), the primary population (report.primary-population "
          + "of cytolake.yaml) as %% of its parent by cohort across visits, gating QC figures with "
          + "each sample's data-adaptive thresholds, batch normalisation (when the lake has it: "
          + "model version, quarantined samples, control aliquots' medians by acquisition date, "
          + "raw and normalised), cluster pictures, metacluster x lineage marker heatmaps and the "
          + "main rows of cohort_summary.",
      "Exit status 0 when the page was written, 1 when it failed."
    })
public final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin JobOptions job;

  @Mixin LakeOption lake;

  @Option(
      names = "--summary",
      paramLabel = "FILE",
      description =
          "A run summary JSON (e.g. <lake>/_runs/<run id>/gate.json, or the nightly "
              + "run's nightly.json with its status, warnings and step timings) to show at the top "
              + "(any Hadoop path).")
  String summary;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = SparkSessions.getOrCreate("cytolake report", job.master);
    ReportJob.Result r =
        ReportJob.run(
            spark,
            new ReportJob.Options(lake.root, job.confDir(), job.schemasDir(), job.runId, summary));
    var out = spec.commandLine().getOut();
    out.printf(
        "report %s: %d sample(s), %d quarantined input(s), %d cohort(s), %d heatmap(s), "
            + "cohort_summary %s%n",
        r.runId(),
        r.samples(),
        r.quarantined(),
        r.cohorts(),
        r.heatmaps(),
        r.cohortSummaryRows() < 0 ? "not computed" : r.cohortSummaryRows() + " row(s)");
    out.printf("report: %s%n", r.path());
    out.flush();
    return 0;
  }
}
