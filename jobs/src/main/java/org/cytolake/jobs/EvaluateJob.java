package org.cytolake.jobs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cytolake.config.ClusteringConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.GatingConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.lake.Lake;
import org.cytolake.scoring.ClusterScoring;
import org.cytolake.scoring.ContingencyCounts;
import org.cytolake.scoring.DeepestPopulation;
import org.cytolake.scoring.Evaluation;
import org.cytolake.scoring.LabelLinks;
import org.cytolake.scoring.PopulationAccuracy;
import org.cytolake.scoring.PopulationAccuracy.PanelAccuracy;
import org.cytolake.scoring.ReferencePopulations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cytolake evaluate}: scores the lake's clusterings (every algorithm in {@code cluster_events}) and its gating
 * (the strategies of conf/gating, re-applied per event) against per-event reference labels, as Weber and Robinson
 * 2016 ({@link ClusterScoring}); the rules are in {@code org.cytolake.scoring}. Steps:
 *
 * <ol>
 *   <li>read the labels, CSV {@code file,event_index,label} (the generator's {@code truth/event_labels.csv.gz});
 *       link each label file to its sample through the restricted {@code ingest_ledger} ({@link LabelLinks}: the
 *       ledger path that ends with the label's file path, relative to the ingest input root). Label files the
 *       ledger does not know or did not accept (quarantined) are skipped and counted;
 *   <li>map each label to the panel's reference population (conf/clustering.yaml {@code reference}, longest path
 *       prefix; a label no prefix matches, or "Unlabeled", is left out; a panel without prefixes is scored on the
 *       labels as they are);
 *   <li>per panel and algorithm, count events per (reference population, metacluster) joining {@code cluster_events}
 *       on (sample_id, event_index), and score the table on the driver; also measure how many scored events'
 *       metacluster label ({@code clusters.label}) equals their reference population; and score the same table
 *       with metaclusters merged by label (algorithm {@code <algorithm>-by-label}, {@link #BY_LABEL};
 *       {@link Evaluation#ofClustering});
 *   <li>per panel with a gating strategy, gate every sample again and give each event its deepest population
 *       ({@link DeepestPopulation}; mapped to a reference population by the same prefixes where one matches);
 *       score the gated populations as a clustering (algorithm {@code gating});
 *   <li>per panel with a gating strategy, score each sample's gated % of parent of every population
 *       against the share of the truth parent's events whose label is in the population ({@link
 *       PopulationAccuracy}: |gated % − truth %| per sample, its median, 95th percentile and
 *       maximum over samples, and the events on the wrong side of each gate).
 * </ol>
 *
 * Only counts reach the driver. Writes nothing to the lake but {@code _runs/<run id>/evaluate.json}.
 */
public final class EvaluateJob {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);

  /** The algorithm name under which gated populations are scored. */
  public static final String GATING = "gating";

  /** Suffix of the algorithm name of metaclusters merged by their phenotype label: {@link Evaluation#BY_LABEL}. */
  public static final String BY_LABEL = Evaluation.BY_LABEL;

  private EvaluateJob() {}

  /**
   * Options.
   *
   * @param lake lake root
   * @param labels label CSV (any Hadoop path; {@code .gz} read as gzip)
   * @param panel only this panel, or null for all
   * @param conf conf directory (panels.yaml, clustering.yaml, gating/)
   * @param schemas schemas directory
   * @param runId run id, or null
   */
  public record Options(
      String lake, String labels, String panel, Path conf, Path schemas, String runId) {}

  /**
   * @param labelledFiles label files linked to a sample of the lake
   * @param skippedFiles label files not linked (not in the ledger, or quarantined)
   */
  public record Result(
      String runId,
      long labelledFiles,
      long skippedFiles,
      List<Evaluation> evaluations,
      List<PanelAccuracy> accuracy,
      String summaryPath) {
    public Result {
      evaluations = List.copyOf(evaluations);
      accuracy = List.copyOf(accuracy);
    }
  }

  public static Result run(SparkSession spark, Options o) throws IOException {
    RunContext ctx = RunContext.open(spark, o.lake(), o.conf(), o.schemas(), o.runId());
    JobRun run = ctx.run();
    CytolakeConfig config = ctx.config();
    ClusteringConfig clustering = ctx.steps().clustering();
    Lake lake = ctx.lake();

    step(
        spark,
        run,
        1,
        "read labels " + o.labels() + " and link them to samples through ingest_ledger");
    Dataset<Row> raw = EvaluateFrames.labels(spark, o.labels());
    LabelLinks.Result linked =
        LabelLinks.link(o.labels(), EvaluateFrames.files(raw), EvaluateFrames.ledger(spark, lake));
    List<LabelLinks.Link> links = linked.links();

    step(spark, run, 2, "map labels to reference populations");
    Dataset<Row> labelled = EvaluateFrames.labelled(spark, raw, links);
    Dataset<Row> truth = EvaluateFrames.truth(spark, clustering, labelled);

    List<Evaluation> evaluations = new ArrayList<>();
    step(spark, run, 3, "score clusterings (cluster_events)");
    if (lake.exists(spark, "cluster_events")) {
      evaluations.addAll(
          ContingencyCounts.clusterings(
              EvaluateFrames.clusterCounts(spark, lake, truth, o.panel()),
              EvaluateFrames.clusterLabels(spark, lake)));
    }

    step(spark, run, 4, "gate every event again and score the gated populations");
    GatingConfig gating = ctx.steps().gating();
    for (String panel : gating.ungated()) {
      LOG.warn(
          "evaluate: no strategy {} for panel {}; its gating not scored",
          GatingConfig.file(gating.dir(), panel),
          panel);
    }
    Map<String, String> strategies = gating.texts();
    List<PanelConfig> gated = new ArrayList<>();
    for (PanelConfig panel : config.panels().values()) {
      if ((o.panel() != null && !o.panel().equals(panel.code()))
          || !strategies.containsKey(panel.code())
          || !lake.exists(spark, panel.eventsTable())) {
        continue;
      }
      ReferencePopulations ref = clustering.referencePopulations(panel.code());
      List<ContingencyCounts.GateCount> counts =
          EvaluateFrames.gateCounts(
              spark,
              lake,
              panel,
              strategies.get(panel.code()),
              QcEvents.cleanOnly(config.settings()),
              truth);
      ContingencyCounts.gating(panel.code(), GATING, counts, ref).ifPresent(evaluations::add);
      gated.add(panel);
    }

    step(spark, run, 5, "score each sample's gated % of parent against the truth");
    List<PanelAccuracy> accuracy = new ArrayList<>();
    for (PanelConfig panel : gated) {
      String strategy = strategies.get(panel.code());
      accuracy.add(
          PanelAccuracy.of(
              panel.code(),
              PopulationAccuracy.populations(gating.strategies().get(panel.code())),
              EvaluateFrames.accuracyCells(
                  spark, lake, panel, strategy, QcEvents.cleanOnly(config.settings()), labelled)));
    }
    truth.unpersist(false);
    labelled.unpersist(false);
    spark.sparkContext().setJobDescription(null);

    String summaryPath = writeSummary(ctx, links.size(), linked.skipped(), evaluations, accuracy);
    for (Evaluation e : evaluations) {
      LOG.info(
          "evaluate {} {}: mean F1 {} over {} events; label agreement {}",
          e.panel(),
          e.algorithm(),
          e.meanF1(),
          e.scoredEvents(),
          e.labelAgreement());
    }
    return new Result(
        run.runId(), links.size(), linked.skipped(), evaluations, accuracy, summaryPath);
  }

  /** The result as JSON ({@link ContingencyCounts#toJson}). */
  public static ObjectNode toJson(List<Evaluation> evaluations) {
    return ContingencyCounts.toJson(evaluations);
  }

  /**
   * The result as JSON: {@link #toJson(List)}, with each gated panel's per-sample accuracy
   * summary under {@code <panel>.gating.population_accuracy} and the populations without truth
   * under {@code <panel>.gating.without_truth}.
   */
  public static ObjectNode toJson(List<Evaluation> evaluations, List<PanelAccuracy> accuracy) {
    ObjectNode json = toJson(evaluations);
    for (PanelAccuracy a : accuracy) {
      ObjectNode gating = json.withObject("/" + a.panel()).withObject("/" + GATING);
      gating.set("population_accuracy", a.summaryJson());
      gating.set(
          "without_truth",
          JsonNodeFactory.instance
              .arrayNode()
              .addAll(a.withoutTruth().stream().map(JsonNodeFactory.instance::textNode).toList()));
    }
    return json;
  }

  private static String writeSummary(
      RunContext ctx,
      long linked,
      long skipped,
      List<Evaluation> evaluations,
      List<PanelAccuracy> accuracy)
      throws IOException {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("job", "evaluate");
    s.put("run_id", ctx.runId());
    s.put("labelled_files", linked);
    s.put("skipped_label_files", skipped);
    s.set("panels", toJson(evaluations, accuracy));
    ArrayNode samples = s.putArray("gating_samples");
    accuracy.forEach(a -> samples.addAll(a.rowsJson()));
    return ctx.writeRunSummary("evaluate", s);
  }

  private static void step(SparkSession spark, JobRun run, int n, String what) {
    String d = "evaluate " + n + "/5: " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info("{} [{}]", d, run.runId());
  }
}
