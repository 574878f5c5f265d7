package org.cytolake.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.cytolake.config.ClusteringConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.GatingConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.lake.Lake;
import org.cytolake.scoring.ClusterScoring;
import org.cytolake.scoring.DeepestPopulation;
import org.cytolake.scoring.Evaluation;
import org.cytolake.scoring.LabelLinks;
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
 *       score the gated populations as a clustering (algorithm {@code gating}).
 * </ol>
 *
 * Only counts reach the driver. Writes nothing to the lake but {@code _runs/<run id>/evaluate.json}.
 */
public final class EvaluateJob {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);
  private static final ObjectMapper JSON = new ObjectMapper();

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
      String summaryPath) {
    public Result {
      evaluations = List.copyOf(evaluations);
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
    Dataset<Row> raw = spark.read().option("header", "true").csv(o.labels());
    if (!Arrays.asList(raw.columns()).equals(List.of("file", "event_index", "label"))) {
      throw new IllegalArgumentException(
          "Cannot read labels '"
              + o.labels()
              + "': expected the header "
              + "file,event_index,label but got "
              + String.join(",", raw.columns()));
    }
    List<LabelLinks.LedgerEntry> ledger = new ArrayList<>();
    for (Row r :
        lake.read(spark, "ingest_ledger")
            .where("sample_id is not null")
            .select("path", "sample_id", "panel")
            .distinct()
            .collectAsList()) {
      ledger.add(new LabelLinks.LedgerEntry(r.getString(0), r.getString(1), r.getString(2)));
    }
    LabelLinks.Result linked =
        LabelLinks.link(
            o.labels(),
            raw.select("file").distinct().collectAsList().stream()
                .map(r -> r.getString(0))
                .toList(),
            ledger);
    List<Row> links =
        linked.links().stream()
            .map(l -> RowFactory.create(l.file(), l.sampleId(), l.panel()))
            .toList();
    Dataset<Row> link =
        spark.createDataFrame(
            links,
            new StructType()
                .add("file", DataTypes.StringType)
                .add("sample_id", DataTypes.StringType)
                .add("panel", DataTypes.StringType));

    step(spark, run, 2, "map labels to reference populations");
    Dataset<Row> labelled =
        raw.join(functions.broadcast(link), "file")
            .select(
                functions.col("panel"),
                functions.col("sample_id"),
                functions.col("event_index").cast(DataTypes.LongType).as("event_index"),
                functions.col("label"));
    List<Row> vocabulary = new ArrayList<>();
    for (Row r : labelled.select("panel", "label").distinct().collectAsList()) {
      ReferencePopulations ref = clustering.referencePopulations(r.getString(0));
      String population = ref.populationOf(r.getString(1));
      if (population != null) {
        vocabulary.add(RowFactory.create(r.getString(0), r.getString(1), population));
      }
    }
    Dataset<Row> truth =
        labelled
            .join(
                functions.broadcast(
                    spark.createDataFrame(
                        vocabulary,
                        new StructType()
                            .add("panel", DataTypes.StringType)
                            .add("label", DataTypes.StringType)
                            .add("population", DataTypes.StringType))),
                new String[] {"panel", "label"})
            .select("panel", "sample_id", "event_index", "population")
            .persist(StorageLevel.MEMORY_AND_DISK());

    List<Evaluation> evaluations = new ArrayList<>();
    step(spark, run, 3, "score clusterings (cluster_events)");
    if (lake.exists(spark, "cluster_events")) {
      Dataset<Row> events = lake.read(spark, "cluster_events");
      if (o.panel() != null) {
        events = events.where(functions.col("panel").equalTo(o.panel()));
      }
      Map<String, Map<Integer, String>> clusterLabels = new HashMap<>();
      if (lake.exists(spark, "clusters")) {
        for (Row r :
            lake.read(spark, "clusters")
                .select("panel", "algorithm", "metacluster", "label")
                .collectAsList()) {
          clusterLabels
              .computeIfAbsent(r.getString(0) + "\t" + r.getString(1), k -> new HashMap<>())
              .put(r.getInt(2), r.getString(3));
        }
      }
      List<Row> counts =
          events
              .join(truth, new String[] {"panel", "sample_id", "event_index"})
              .groupBy("panel", "algorithm", "population", "metacluster")
              .count()
              .collectAsList();
      Map<String, Map<String, Map<String, Long>>> tables = new TreeMap<>();
      for (Row r : counts) {
        tables
            .computeIfAbsent(r.getString(0) + "\t" + r.getString(1), k -> new TreeMap<>())
            .computeIfAbsent(r.getString(2), k -> new TreeMap<>())
            .put(String.valueOf(r.getInt(3)), r.getLong(4));
      }
      for (Map.Entry<String, Map<String, Map<String, Long>>> t : tables.entrySet()) {
        String[] key = t.getKey().split("\t");
        evaluations.addAll(
            Evaluation.ofClustering(
                key[0], key[1], t.getValue(), clusterLabels.getOrDefault(t.getKey(), Map.of())));
      }
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
    for (PanelConfig panel : config.panels().values()) {
      if ((o.panel() != null && !o.panel().equals(panel.code()))
          || !strategies.containsKey(panel.code())
          || !lake.exists(spark, panel.eventsTable())) {
        continue;
      }
      ReferencePopulations ref = clustering.referencePopulations(panel.code());
      Dataset<Row> gated =
          GatedEvents.of(
              spark,
              lake,
              panel,
              strategies.get(panel.code()),
              QcEvents.cleanOnly(config.settings()));
      List<Row> counts =
          gated
              .join(
                  truth.where(functions.col("panel").equalTo(panel.code())),
                  new String[] {"sample_id", "event_index"})
              .groupBy("population", "gated")
              .count()
              .collectAsList();
      if (counts.isEmpty()) {
        continue;
      }
      Map<String, Map<String, Long>> table = new TreeMap<>();
      for (Row r : counts) {
        table
            .computeIfAbsent(r.getString(0), k -> new TreeMap<>())
            .merge(DeepestPopulation.scoredAs(r.getString(1), ref), r.getLong(2), Long::sum);
      }
      evaluations.add(Evaluation.score(panel.code(), GATING, table, null));
    }
    truth.unpersist(false);
    spark.sparkContext().setJobDescription(null);

    String summaryPath = writeSummary(ctx, links.size(), linked.skipped(), evaluations);
    for (Evaluation e : evaluations) {
      LOG.info(
          "evaluate {} {}: mean F1 {} over {} events; label agreement {}",
          e.panel(),
          e.algorithm(),
          e.meanF1(),
          e.scoredEvents(),
          e.labelAgreement());
    }
    return new Result(run.runId(), links.size(), linked.skipped(), evaluations, summaryPath);
  }

  /** The result as JSON: {panel: {algorithm: {mean_f1, per_population, ...}}}. */
  public static ObjectNode toJson(List<Evaluation> evaluations) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    for (Evaluation e : evaluations) {
      ObjectNode panel =
          root.has(e.panel()) ? (ObjectNode) root.get(e.panel()) : root.putObject(e.panel());
      ObjectNode a = panel.putObject(e.algorithm());
      a.put("mean_f1", e.meanF1());
      ObjectNode per = a.putObject("per_population");
      e.perPopulation().forEach(per::put);
      ObjectNode matched = a.putObject("matched");
      e.matched().forEach(matched::put);
      a.put("scored_events", e.scoredEvents());
      if (!Double.isNaN(e.labelAgreement())) {
        a.put("label_agreement", e.labelAgreement());
      }
      ObjectNode maj = a.putObject("majority");
      e.metaclusterMajority().forEach(maj::put);
    }
    return root;
  }

  private static String writeSummary(
      RunContext ctx, long linked, long skipped, List<Evaluation> evaluations) throws IOException {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("job", "evaluate");
    s.put("run_id", ctx.runId());
    s.put("labelled_files", linked);
    s.put("skipped_label_files", skipped);
    s.set("panels", toJson(evaluations));
    return ctx.writeRunSummary("evaluate", s);
  }

  private static void step(SparkSession spark, JobRun run, int n, String what) {
    String d = "evaluate " + n + "/4: " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info("{} [{}]", d, run.runId());
  }
}
