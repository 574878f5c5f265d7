package org.cytolake.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.cytolake.jobs.GateJob;
import org.cytolake.jobs.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cytolake gate}. */
@Command(
    name = "gate",
    mixinStandardHelpOptions = true,
    description = {
      "Supervised gating of the lake: applies conf/gating/<panel>.yaml to every sample of "
          + "events_<panel> and writes populations (counts, %% of parent, %% of total), "
          + "population_medians (exact median of every column per population), gating_qc "
          + "(EMPTY_GATE, LOW_COUNT, ADAPTIVE_FALLBACK) and gate_thresholds (the data-adaptive "
          + "thresholds found in each sample).",
      "Exit status 0 when the run completed, 1 when it failed."
    })
public final class GateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin JobOptions job;

  @Mixin LakeOption lake;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = SparkSessions.getOrCreate("cytolake gate", job.master);
    GateJob.Result r =
        GateJob.run(
            spark, new GateJob.Options(lake.root, job.confDir(), job.schemasDir(), job.runId));
    var out = spec.commandLine().getOut();
    out.printf(
        "gate %s: panels %s: %d sample(s), %d event(s) gated; %d population row(s), "
            + "%d median row(s); gating_qc %s; %d gate_thresholds row(s)%n",
        r.runId(),
        r.panels(),
        r.samples(),
        r.events(),
        r.populationRows(),
        r.medianRows(),
        r.qcFlags(),
        r.thresholdRows());
    out.printf("run summary: %s%n", r.summaryPath());
    out.flush();
    return 0;
  }
}
