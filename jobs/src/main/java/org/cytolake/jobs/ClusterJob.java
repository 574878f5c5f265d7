package org.cytolake.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.cytolake.clustering.MetaclusterSummary;
import org.cytolake.clustering.SampleAbundance;
import org.cytolake.config.ClusteringConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.lake.Lake;
import org.cytolake.som.Metaclustering;
import org.cytolake.som.PhenotypeRules;
import org.cytolake.tables.TableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cytolake cluster}: unsupervised clustering of every panel's events in the lake, on the panel's lineage
 * markers (conf/panels.yaml {@code lineage: true}; the lake holds them compensated and transformed). Per panel:
 *
 * <ol>
 *   <li>read {@code events_<panel>};
 *   <li>pick the training events ({@link ClusterFit#trainingSet}): all, or per sample the {@code samplePerFile}
 *       events with the smallest seeded hash of (sample_id, event_index), so a huge sample cannot dominate and the
 *       choice is deterministic;
 *   <li>fit ({@link ClusterFit}): {@code flowsom} (SOM + consensus metaclustering), or the MLlib baselines
 *       {@code kmeans} / {@code bisecting-kmeans} with k = metaclusters (each centre is its own node and
 *       metacluster);
 *   <li>apply to all events; count and median every marker per metacluster, label metaclusters by the
 *       phenotype rules of conf/clustering.yaml ({@link MetaclusterSummary}); count events per sample and
 *       metacluster, zeros included ({@link SampleAbundance}), and median every marker there; every median is
 *       exact, by the definition of {@code population_medians} ({@link GroupMedians}), so that two runs on the
 *       same input write the same bytes;
 *   <li>write {@code cluster_model}, {@code clusters}, {@code cluster_abundance}, {@code cluster_sample_medians}
 *       and {@code cluster_events} (every event's node and metacluster); the panel's rows of this algorithm are
 *       replaced (the tables are partitioned by panel and algorithm).
 * </ol>
 *
 * Parameters, rules and their defaults are those of conf/clustering.yaml ({@link ClusteringConfig}), with the
 * options' values in place. Deterministic for a seed.
 */
public final class ClusterJob {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterJob.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The algorithms. */
  public static final List<String> ALGORITHMS = List.of("flowsom", "kmeans", "bisecting-kmeans");

  private ClusterJob() {}

  /**
   * Options.
   *
   * @param lake lake root
   * @param conf the conf directory (panels.yaml, clustering.yaml)
   * @param schemas the schemas directory
   * @param algorithm one of {@link #ALGORITHMS}
   * @param samplePerFile training events per sample, 0 for all, or null for conf/clustering.yaml's
   *     {@code sample-per-file}
   * @param seed seed, or null for conf/clustering.yaml's
   * @param metaclusters metaclusters, 0 for the elbow rule of {@link Metaclustering} (flowsom only), or null for
   *     conf/clustering.yaml's
   * @param runId run id, or null
   */
  public record Options(
      String lake,
      Path conf,
      Path schemas,
      String algorithm,
      Integer samplePerFile,
      Long seed,
      Integer metaclusters,
      String runId) {
    public Options {
      List<String> problems = new ArrayList<>();
      if (!ALGORITHMS.contains(algorithm)) {
        problems.add("algorithm '" + algorithm + "' is not one of " + ALGORITHMS);
      }
      if (samplePerFile != null && samplePerFile < 0) {
        problems.add("sample-per-file must be >= 0 but is " + samplePerFile);
      }
      if (metaclusters != null && metaclusters != 0 && metaclusters < 2) {
        problems.add(
            "metaclusters must be >= 2, or 0 for the elbow rule (flowsom only), but is "
                + metaclusters);
      }
      if (metaclusters != null && metaclusters == 0 && !"flowsom".equals(algorithm)) {
        problems.add("metaclusters 0 (the elbow rule) needs algorithm flowsom, not " + algorithm);
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "Cannot configure cluster job: " + String.join("; ", problems));
      }
    }
  }

  /** Per-panel outcome. */
  public record PanelResult(
      String panel,
      long events,
      long trainingEvents,
      int metaclusters,
      Map<String, Long> sizeByLabel,
      double fitSeconds) {}

  /** The outcome. */
  public record Result(
      String runId, String algorithm, long seed, List<PanelResult> panels, String summaryPath) {
    public Result {
      panels = List.copyOf(panels);
    }
  }

  /** Clusters the lake of {@code o}, loading the configuration; tests call this directly. */
  public static Result run(SparkSession spark, Options o) throws IOException {
    return run(RunContext.open(spark, o.lake(), o.conf(), o.schemas(), o.runId()), o);
  }

  /**
   * Clusters within a run, with {@code o}'s algorithm and overrides of conf/clustering.yaml (its
   * lake, configuration and run id are the context's).
   */
  public static Result run(RunContext ctx, Options o) throws IOException {
    SparkSession spark = ctx.spark();
    JobRun run = ctx.run();
    CytolakeConfig config = ctx.config();
    ClusteringConfig clustering =
        ClusteringConfig.load(config).withOverrides(o.samplePerFile(), o.seed(), o.metaclusters());
    long seed = clustering.seed();
    int samplePerFile = clustering.samplePerFile();
    Lake lake = ctx.lake();
    TableSchema modelContract = lake.schema("cluster_model");
    TableSchema clustersContract = lake.schema("clusters");
    TableSchema abundanceContract = lake.schema("cluster_abundance");
    TableSchema sampleMediansContract = lake.schema("cluster_sample_medians");
    TableSchema eventsContract = lake.schema("cluster_events");
    List<PanelResult> results = new ArrayList<>();
    for (PanelConfig panel : config.panels().values()) {
      if (!lake.exists(spark, panel.eventsTable())) {
        LOG.info(
            "cluster: no table {} in the lake, panel {} skipped",
            panel.eventsTable(),
            panel.code());
        continue;
      }
      List<String> lineage = panel.lineageColumns();
      List<String> markers = panel.columns();
      PhenotypeRules phenotypes = clustering.phenotypeRules(panel.code());

      step(spark, run, 1, panel, "read " + panel.eventsTable());
      Dataset<Row> events =
          QcEvents.read(spark, lake, panel, QcEvents.cleanOnly(config.settings()))
              .persist(StorageLevel.MEMORY_AND_DISK());
      long n = events.count();

      step(
          spark,
          run,
          2,
          panel,
          samplePerFile > 0
              ? "sample " + samplePerFile + " events per sample"
              : "take all events for training");
      Dataset<Row> training = ClusterFit.trainingSet(events, lineage, samplePerFile, seed);

      step(spark, run, 3, panel, "fit " + o.algorithm());
      long t0 = System.nanoTime();
      ClusterFit fit = ClusterFit.fit(o.algorithm(), clustering, lineage, training, events);
      double fitSeconds = (System.nanoTime() - t0) / 1e9;
      Dataset<Row> modelTable =
          fit.modelTable(spark, panel.code(), o.algorithm(), seed, run.runId());

      step(spark, run, 4, panel, "assign all " + n + " events; medians and abundance");
      Dataset<Row> assigned =
          fit.assigned()
              .select(
                  functions.col("sample_id"),
                  functions.col("visit"),
                  functions.col("event_index"),
                  functions.col("node"),
                  functions.col("metacluster"),
                  functions
                      .struct(markers.stream().map(functions::col).toArray(Column[]::new))
                      .as("m"))
              .persist(StorageLevel.MEMORY_AND_DISK());
      List<String> markerFields = markers.stream().map(c -> "m." + c).toList();
      Map<Integer, Map<String, Double>> mediansByMetacluster = new TreeMap<>();
      for (Row r :
          GroupMedians.of(assigned, List.of("metacluster"), markerFields).collectAsList()) {
        mediansByMetacluster
            .computeIfAbsent(r.getInt(0), x -> new TreeMap<>())
            .put(r.getString(1), r.getDouble(3));
      }
      List<Row> sizes =
          assigned.groupBy("metacluster").count().orderBy("metacluster").collectAsList();
      List<MetaclusterSummary> summaries = new ArrayList<>();
      List<Row> clusterRows = new ArrayList<>();
      for (Row r : sizes) {
        int metacluster = r.getInt(0);
        Map<String, Double> medians = new LinkedHashMap<>();
        for (String c : markers) {
          medians.put(c, mediansByMetacluster.get(metacluster).get(c));
        }
        MetaclusterSummary m =
            MetaclusterSummary.of(metacluster, r.getLong(1), medians, n, phenotypes);
        summaries.add(m);
        ObjectNode mj = JsonNodeFactory.instance.objectNode();
        m.medians().forEach(mj::put);
        clusterRows.add(
            RowFactory.create(
                m.metacluster(), m.label(), m.size(), m.pctOfPanel(), JSON.writeValueAsString(mj)));
      }
      StructType clusterSchema =
          new StructType()
              .add("metacluster", DataTypes.IntegerType)
              .add("label", DataTypes.StringType)
              .add("size", DataTypes.LongType)
              .add("pct_of_panel", DataTypes.DoubleType)
              .add("marker_medians", DataTypes.StringType);
      Dataset<Row> clustersTable =
          spark
              .createDataFrame(clusterRows, clusterSchema)
              .withColumn("panel", functions.lit(panel.code()))
              .withColumn("algorithm", functions.lit(o.algorithm()))
              .withColumn("run_id", functions.lit(run.runId()));
      Map<String, Map<Integer, Long>> counts = new TreeMap<>();
      for (Row r : assigned.groupBy("sample_id", "metacluster").count().collectAsList()) {
        counts.computeIfAbsent(r.getString(0), x -> new TreeMap<>()).put(r.getInt(1), r.getLong(2));
      }
      List<Row> abundanceRows =
          SampleAbundance.of(
                  counts, summaries.stream().map(MetaclusterSummary::metacluster).toList())
              .stream()
              .map(
                  a -> RowFactory.create(a.sampleId(), a.metacluster(), a.count(), a.pctOfSample()))
              .toList();
      Dataset<Row> abundance =
          spark
              .createDataFrame(
                  abundanceRows,
                  new StructType()
                      .add("sample_id", DataTypes.StringType)
                      .add("metacluster", DataTypes.IntegerType)
                      .add("count", DataTypes.LongType)
                      .add("pct_of_sample", DataTypes.DoubleType))
              .withColumn("panel", functions.lit(panel.code()))
              .withColumn("algorithm", functions.lit(o.algorithm()))
              .withColumn("run_id", functions.lit(run.runId()));
      Dataset<Row> sampleMedians =
          sampleMedians(
              spark,
              abundance,
              GroupMedians.of(assigned, List.of("sample_id", "metacluster"), markerFields),
              panel);
      Map<String, Long> sizeByLabel = MetaclusterSummary.sizeByLabel(summaries);

      step(
          spark,
          run,
          5,
          panel,
          "write cluster_model, clusters, cluster_abundance, cluster_sample_medians,"
              + " cluster_events");
      lake.write(modelTable, modelContract, SaveMode.Overwrite);
      lake.write(clustersTable, clustersContract, SaveMode.Overwrite);
      lake.write(abundance, abundanceContract, SaveMode.Overwrite);
      lake.write(sampleMedians, sampleMediansContract, SaveMode.Overwrite);
      lake.write(
          assigned
              .withColumn("panel", functions.lit(panel.code()))
              .withColumn("algorithm", functions.lit(o.algorithm()))
              .withColumn("run_id", functions.lit(run.runId())),
          eventsContract,
          SaveMode.Overwrite);
      assigned.unpersist(false);
      events.unpersist(false);
      results.add(
          new PanelResult(
              panel.code(), n, fit.trainingEvents(), summaries.size(), sizeByLabel, fitSeconds));
      LOG.info(
          "cluster {} {}: {} events, {} metaclusters {} (fit {} s)",
          panel.code(),
          o.algorithm(),
          n,
          summaries.size(),
          sizeByLabel,
          String.format(Locale.ROOT, "%.1f", fitSeconds));
    }
    spark.sparkContext().setJobDescription(null);
    String summaryPath = writeSummary(ctx, o, seed, samplePerFile, results);
    return new Result(run.runId(), o.algorithm(), seed, results, summaryPath);
  }

  /**
   * The rows of {@code cluster_sample_medians}: every row of {@code abundance} (sample × metacluster, zero counts
   * included) × every column of the panel, with its marker, the events and the exact median of the sample's events
   * in the metacluster ({@code medians}, from {@link GroupMedians}); null where the sample has no event there.
   */
  static Dataset<Row> sampleMedians(
      SparkSession spark, Dataset<Row> abundance, Dataset<Row> medians, PanelConfig panel) {
    List<Row> columns =
        panel.channels().stream().map(c -> RowFactory.create(c.column(), c.marker())).toList();
    Dataset<Row> markerOf =
        spark.createDataFrame(
            columns,
            new StructType()
                .add("column", DataTypes.StringType, false)
                .add("marker", DataTypes.StringType, true));
    return abundance
        .crossJoin(markerOf)
        .join(
            medians.drop("events"),
            scala.jdk.javaapi.CollectionConverters.asScala(
                    List.of("sample_id", "metacluster", "column"))
                .toSeq(),
            "left")
        .withColumn("events", functions.col("count"))
        .withColumn(
            "median", functions.when(functions.col("count").gt(0), functions.col("median")));
  }

  private static String writeSummary(
      RunContext ctx, Options o, long seed, int samplePerFile, List<PanelResult> results)
      throws IOException {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("job", "cluster");
    s.put("run_id", ctx.runId());
    s.put("algorithm", o.algorithm());
    s.put("seed", seed);
    s.put("sample_per_file", samplePerFile);
    s.set("panels", JSON.valueToTree(results));
    return ctx.writeRunSummary("cluster-" + o.algorithm(), s);
  }

  private static void step(SparkSession spark, JobRun run, int n, PanelConfig panel, String what) {
    String d = "cluster " + panel.code() + " " + n + "/5: " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info("{} [{}]", d, run.runId());
  }
}
