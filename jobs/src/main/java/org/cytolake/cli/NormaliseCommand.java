package org.cytolake.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.cytolake.jobs.NormaliseJob;
import org.cytolake.jobs.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cytolake normalise}. */
@Command(
    name = "normalise",
    mixinStandardHelpOptions = true,
    description = {
      "Batch normalisation of the lake (CytoNorm) for the panels conf/normalisation.yaml "
          + "names: per batch (acquisition date, setup period or the manifest's batch) the "
          + "quantiles of its control aliquots (manifest column control; optionally of a "
          + "reference population such as live cells only), a monotone spline per batch and "
          + "column (and per SOM cluster with clusters: N) onto the goal (batch-mean, a batch, "
          + "or quantiles:FILE), every sample of the batch "
          + "mapped through it into events_norm_<panel>, which gate, cluster, evaluate and plot "
          + "then read (events_<panel> keeps the raw values). Writes normalisation_models "
          + "(versioned), normalisation_samples and quarantine rows (job normalise) for samples "
          + "without a usable batch control. Incremental: a batch whose controls arrive later "
          + "joins the model; re-running changes nothing.",
      "Exit status 0 when the run completed, 1 when it failed."
    })
public final class NormaliseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin JobOptions job;

  @Mixin LakeOption lake;

  @Option(
      names = "--refit",
      description =
          "Make a new model version (a new goal from every batch's controls) even when "
              + "conf/normalisation.yaml is unchanged; every sample is rewritten.")
  boolean refit;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = SparkSessions.getOrCreate("cytolake normalise", job.master);
    NormaliseJob.Result r =
        NormaliseJob.run(
            spark,
            new NormaliseJob.Options(lake.root, job.confDir(), job.schemasDir(), job.runId, refit));
    var out = spec.commandLine().getOut();
    if (r.panels().isEmpty()) {
      out.printf(
          "normalise %s: no panel is normalised (conf/normalisation.yaml names none)%n", r.runId());
    }
    for (NormaliseJob.PanelResult p : r.panels()) {
      out.printf("normalise %s: %s%n", r.runId(), p.summary());
      p.warnings().forEach(w -> out.printf("WARNING %s%n", w));
    }
    if (r.summaryPath() != null) {
      out.printf("run summary: %s%n", r.summaryPath());
    }
    out.flush();
    return 0;
  }
}
