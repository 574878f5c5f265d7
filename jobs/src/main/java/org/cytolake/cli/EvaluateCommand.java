package org.cytolake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.cytolake.jobs.EvaluateJob;
import org.cytolake.jobs.SparkSessions;
import org.cytolake.scoring.Evaluation;
import org.cytolake.scoring.PopulationAccuracy;
import org.cytolake.scoring.PopulationAccuracy.PanelAccuracy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Score the lake's clusterings (every algorithm in cluster_events) and its gated populations (conf/gating "
          + "re-applied per event) against per-event reference labels, as Weber & Robinson 2016: unlabeled "
          + "events left out, F1 of every reference population against every cluster, Hungarian matching, "
          + "mean F1.",
      "Labels: CSV file,event_index,label (the generator's truth/event_labels.csv.gz), files relative to the "
          + "ingest input root, linked to samples through ingest_ledger; labels are mapped to reference "
          + "populations by conf/clustering.yaml 'reference'."
    })
public final class EvaluateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin JobOptions job;

  @Mixin LakeOption lake;

  @Option(
      names = "--labels",
      required = true,
      paramLabel = "FILE",
      description = "Reference labels, CSV file,event_index,label (optionally .gz).")
  String labels;

  @Option(names = "--panel", paramLabel = "P", description = "Only this panel (default: all).")
  String panel;

  @Option(
      names = "--json",
      description =
          "Print {panel: {algorithm: {\"mean_f1\": x, \"per_population\": {...}, ...}}} on standard"
              + " output; the gating's per-sample accuracy under {panel: {\"gating\":"
              + " {\"population_accuracy\": ...}}}.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = SparkSessions.getOrCreate("cytolake evaluate", job.master);
    EvaluateJob.Result r =
        EvaluateJob.run(
            spark,
            new EvaluateJob.Options(
                lake.root, labels, panel, job.confDir(), job.schemasDir(), job.runId));
    var out = spec.commandLine().getOut();
    if (json) {
      out.println(
          new ObjectMapper()
              .writerWithDefaultPrettyPrinter()
              .writeValueAsString(EvaluateJob.toJson(r.evaluations(), r.accuracy())));
    } else {
      out.printf(
          "evaluate %s: %d label file(s) linked to samples, %d skipped (not ingested)%n",
          r.runId(), r.labelledFiles(), r.skippedFiles());
      for (Evaluation e : r.evaluations()) {
        out.printf(
            "%s %s: mean F1 %.3f over %d events%s%n",
            e.panel(),
            e.algorithm(),
            e.meanF1(),
            e.scoredEvents(),
            Double.isNaN(e.labelAgreement())
                ? ""
                : String.format(
                    java.util.Locale.ROOT, "; label agreement %.1f%%", 100 * e.labelAgreement()));
        for (Map.Entry<String, Double> p : e.perPopulation().entrySet()) {
          out.printf(
              "  %-24s F1 %.3f (matched %s)%n",
              p.getKey(), p.getValue(), e.matched().get(p.getKey()));
        }
      }
      for (PanelAccuracy a : r.accuracy()) {
        out.printf(
            "%s gating per sample, |gated %% of parent - truth %%| (points): median / 95th"
                + " percentile / max over samples%n",
            a.panel());
        for (Map.Entry<String, PopulationAccuracy.Summary> p :
            PopulationAccuracy.summarise(a.rows()).entrySet()) {
          PopulationAccuracy.Summary s = p.getValue();
          out.printf(
              java.util.Locale.ROOT,
              "  %-48s %6.2f %6.2f %6.2f  (%d samples, %.2f%% of parent events misassigned)%n",
              p.getKey(),
              s.medianAbsError(),
              s.p95AbsError(),
              s.maxAbsError(),
              s.samples(),
              100 * s.misassignedShare());
        }
      }
      out.printf("run summary: %s%n", r.summaryPath());
    }
    out.flush();
    return 0;
  }
}
