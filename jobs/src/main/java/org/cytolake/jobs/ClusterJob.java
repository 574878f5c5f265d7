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
import org.apache.spark.ml.clustering.BisectingKMeans;
import org.apache.spark.ml.clustering.BisectingKMeansModel;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.ClusteringConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.jobs.som.SomEstimator;
import org.cytolake.jobs.som.SomSparkModel;
import org.cytolake.som.Metaclustering;
import org.cytolake.som.PhenotypeRules;
import org.cytolake.som.SomParams;
import org.cytolake.tables.TableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cytolake cluster}: unsupervised clustering of every panel's events in the lake, on the panel's lineage
 * markers (conf/panels.yaml {@code lineage: true}; the lake holds them compensated and transformed). Per panel:
 *
 * <ol>
 *   <li>read {@code events_<panel>};
 *   <li>pick the training events: all, or per sample the {@code samplePerFile} events with the smallest seeded
 *       hash of (sample_id, event_index), so a huge sample cannot dominate and the choice is deterministic;
 *   <li>fit: {@code flowsom} ({@link SomEstimator}: SOM + consensus metaclustering), or the MLlib baselines
 *       {@code kmeans} / {@code bisecting-kmeans} with k = metaclusters (each centre is its own node and
 *       metacluster);
 *   <li>apply to all events; count and median every marker per metacluster, label metaclusters by the
 *       phenotype rules of conf/clustering.yaml; count events per sample and metacluster;
 *   <li>write {@code cluster_model}, {@code clusters}, {@code cluster_abundance} and {@code cluster_events} (every
 *       event's node and metacluster); the panel's rows of this algorithm are replaced (the tables are partitioned
 *       by panel and algorithm).
 * </ol>
 *
 * Deterministic for a seed.
 */
public final class ClusterJob {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterJob.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The algorithms. */
  public static final List<String> ALGORITHMS = List.of("flowsom", "kmeans", "bisecting-kmeans");

  /** Partitions of the k-means training set. */
  static final int KMEANS_PARTITIONS = 8;

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
  public record Options(String lake, Path conf, Path schemas, String algorithm, Integer samplePerFile, Long seed,
      Integer metaclusters, String runId) {
    public Options {
      List<String> problems = new ArrayList<>();
      if (!ALGORITHMS.contains(algorithm)) {
        problems.add("algorithm '" + algorithm + "' is not one of " + ALGORITHMS);
      }
      if (samplePerFile != null && samplePerFile < 0) {
        problems.add("sample-per-file must be >= 0 but is " + samplePerFile);
      }
      if (metaclusters != null && metaclusters != 0 && metaclusters < 2) {
        problems.add("metaclusters must be >= 2, or 0 for the elbow rule (flowsom only), but is " + metaclusters);
      }
      if (metaclusters != null && metaclusters == 0 && !"flowsom".equals(algorithm)) {
        problems.add("metaclusters 0 (the elbow rule) needs algorithm flowsom, not " + algorithm);
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("Cannot configure cluster job: " + String.join("; ", problems));
      }
    }
  }

  /** Per-panel outcome. */
  public record PanelResult(String panel, long events, long trainingEvents, int metaclusters,
      Map<String, Long> sizeByLabel, double fitSeconds) {}

  /** The outcome. */
  public record Result(String runId, String algorithm, long seed, List<PanelResult> panels, String summaryPath) {
    public Result {
      panels = List.copyOf(panels);
    }
  }

  public static Result run(SparkSession spark, Options o) throws IOException {
    JobRun run = JobRun.start(o.runId());
    CytolakeConfig config = CytolakeConfig.load(o.conf());
    ClusteringConfig clustering = ClusteringConfig.load(config)
        .withOverrides(o.samplePerFile(), o.seed(), o.metaclusters());
    long seed = clustering.seed();
    int k = clustering.metaclusters();
    int samplePerFile = clustering.samplePerFile();
    Lake lake = Lake.of(o.lake(), o.schemas(), config.settings());
    TableSchema modelContract = lake.schema("cluster_model");
    TableSchema clustersContract = lake.schema("clusters");
    TableSchema abundanceContract = lake.schema("cluster_abundance");
    TableSchema eventsContract = lake.schema("cluster_events");
    List<PanelResult> results = new ArrayList<>();
    for (PanelConfig panel : config.panels().values()) {
      if (!lake.exists(spark, panel.eventsTable())) {
        LOG.info("cluster: no table {} in the lake, panel {} skipped", panel.eventsTable(), panel.code());
        continue;
      }
      List<String> lineage = panel.channels().stream().filter(ChannelConfig::lineage).map(ChannelConfig::column)
          .toList();
      List<String> markers = panel.channels().stream().map(ChannelConfig::column).toList();
      PhenotypeRules phenotypes = PhenotypeRules.of(clustering, panel.code());

      step(spark, run, 1, panel, "read " + panel.eventsTable());
      Dataset<Row> events = lake.read(spark, panel.eventsTable())
          .persist(StorageLevel.MEMORY_AND_DISK());
      long n = events.count();

      step(spark, run, 2, panel, samplePerFile > 0 ? "sample " + samplePerFile + " events per sample"
          : "take all events for training");
      Dataset<Row> training = events;
      if (samplePerFile > 0) {
        Column key = functions.xxhash64(functions.lit(seed), functions.col("sample_id"), functions.col("event_index"));
        training = events.withColumn("_rank", functions.row_number().over(
                Window.partitionBy("sample_id").orderBy(key, functions.col("event_index"))))
            .where(functions.col("_rank").leq(samplePerFile)).drop("_rank");
      }
      training = training.select(lineage.stream().map(functions::col).toArray(Column[]::new));

      step(spark, run, 3, panel, "fit " + o.algorithm());
      long t0 = System.nanoTime();
      Dataset<Row> assigned;
      List<Row> modelRows = new ArrayList<>();
      ObjectNode params = JsonNodeFactory.instance.objectNode();
      params.put("algorithm", o.algorithm());
      params.put("metaclusters", k);
      params.put("seed", seed);
      params.put("sample_per_file", samplePerFile);
      params.putPOJO("columns", lineage);
      long trainingEvents;
      if (o.algorithm().equals("flowsom")) {
        SomParams som = SomParams.from(clustering);
        Metaclustering meta = Metaclustering.from(clustering);
        SomEstimator est = new SomEstimator(lineage, som, meta, "node", "metacluster");
        trainingEvents = training.count();
        SomSparkModel model = est.fit(training);
        params.put("xdim", som.xdim());
        params.put("ydim", som.ydim());
        params.put("rlen", som.rlen());
        params.put("alpha_start", som.alphaStart());
        params.put("alpha_end", som.alphaEnd());
        params.put("radius_start", som.effectiveRadiusStart());
        params.put("radius_end", som.radiusEnd());
        params.put("metacluster_reps", meta.reps());
        params.put("metacluster_p_item", meta.pItem());
        int[] map = model.metaclusters().nodeToMetacluster();
        params.put("metaclusters_chosen", model.metaclusters().k());
        double[][] codes = model.som().codes();
        for (int j = 0; j < codes.length; j++) {
          modelRows.add(RowFactory.create(j, map[j], codebookJson(lineage, codes[j])));
        }
        assigned = model.transform(events);
      } else {
        VectorAssembler va = new VectorAssembler().setInputCols(lineage.toArray(new String[0]))
            .setOutputCol("_features");
        // MLlib's results depend on the partitioning (k-means|| draws per partition): a fixed number of
        // partitions over the lake's deterministic file order keeps a seed's result stable.
        Dataset<Row> trainVec = va.transform(training.coalesce(KMEANS_PARTITIONS)).select("_features")
            .persist(StorageLevel.MEMORY_AND_DISK());
        trainingEvents = trainVec.count();
        Vector[] centers;
        Dataset<Row> predicted;
        if (o.algorithm().equals("kmeans")) {
          KMeansModel m = new KMeans().setK(k).setSeed(seed).setFeaturesCol("_features")
              .setPredictionCol("metacluster").fit(trainVec);
          centers = m.clusterCenters();
          predicted = m.transform(va.transform(events));
          params.put("max_iter", m.getMaxIter());
          params.put("init_mode", m.getInitMode());
        } else {
          BisectingKMeansModel m = new BisectingKMeans().setK(k).setSeed(seed).setFeaturesCol("_features")
              .setPredictionCol("metacluster").fit(trainVec);
          centers = m.clusterCenters();
          predicted = m.transform(va.transform(events));
          params.put("max_iter", m.getMaxIter());
        }
        trainVec.unpersist(false);
        for (int j = 0; j < centers.length; j++) {
          modelRows.add(RowFactory.create(j, j, codebookJson(lineage, centers[j].toArray())));
        }
        assigned = predicted.drop("_features").withColumn("node", functions.col("metacluster"));
      }
      double fitSeconds = (System.nanoTime() - t0) / 1e9;
      String paramsJson = JSON.writeValueAsString(params);
      StructType modelSchema = new StructType().add("node", DataTypes.IntegerType)
          .add("metacluster", DataTypes.IntegerType).add("codebook", DataTypes.StringType);
      Dataset<Row> modelTable = spark.createDataFrame(modelRows, modelSchema)
          .withColumn("panel", functions.lit(panel.code()))
          .withColumn("algorithm", functions.lit(o.algorithm()))
          .withColumn("params", functions.lit(paramsJson))
          .withColumn("seed", functions.lit(seed))
          .withColumn("run_id", functions.lit(run.runId()));

      step(spark, run, 4, panel, "assign all " + n + " events; medians and abundance");
      assigned = assigned.select(functions.col("sample_id"), functions.col("visit"), functions.col("event_index"),
          functions.col("node"), functions.col("metacluster"),
          functions.struct(markers.stream().map(functions::col).toArray(Column[]::new)).as("m"))
          .persist(StorageLevel.MEMORY_AND_DISK());
      List<Column> aggs = new ArrayList<>();
      aggs.add(functions.count(functions.lit(1)).as("size"));
      for (String c : markers) {
        aggs.add(functions.percentile_approx(functions.col("m." + c).cast(DataTypes.DoubleType),
            functions.lit(0.5), functions.lit(10_000)).as(c));
      }
      List<Row> stats = assigned.groupBy("metacluster")
          .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]))
          .orderBy("metacluster").collectAsList();
      List<Row> clusterRows = new ArrayList<>();
      Map<String, Long> sizeByLabel = new LinkedHashMap<>();
      for (Row r : stats) {
        Map<String, Double> medians = new LinkedHashMap<>();
        for (String c : markers) {
          Object v = r.getAs(c);
          medians.put(c, v == null ? Double.NaN : ((Number) v).doubleValue());
        }
        String label = phenotypes.label(medians);
        long size = r.getLong(r.fieldIndex("size"));
        sizeByLabel.merge(label, size, Long::sum);
        ObjectNode mj = JsonNodeFactory.instance.objectNode();
        medians.forEach(mj::put);
        clusterRows.add(RowFactory.create(r.getInt(r.fieldIndex("metacluster")), label, size,
            100.0 * size / n, JSON.writeValueAsString(mj)));
      }
      StructType clusterSchema = new StructType().add("metacluster", DataTypes.IntegerType)
          .add("label", DataTypes.StringType).add("size", DataTypes.LongType)
          .add("pct_of_panel", DataTypes.DoubleType).add("marker_medians", DataTypes.StringType);
      Dataset<Row> clustersTable = spark.createDataFrame(clusterRows, clusterSchema)
          .withColumn("panel", functions.lit(panel.code()))
          .withColumn("algorithm", functions.lit(o.algorithm()))
          .withColumn("run_id", functions.lit(run.runId()));
      Dataset<Row> counts = assigned.groupBy("sample_id", "metacluster").count();
      Dataset<Row> totals = assigned.groupBy("sample_id").agg(functions.count(functions.lit(1)).as("total"));
      Dataset<Row> grid = totals.crossJoin(spark.createDataFrame(clusterRows, clusterSchema).select("metacluster"));
      Dataset<Row> abundance = grid.join(counts, new String[] {"sample_id", "metacluster"}, "left")
          .withColumn("count", functions.coalesce(functions.col("count"), functions.lit(0L)))
          .withColumn("pct_of_sample", functions.col("count").multiply(100.0).divide(functions.col("total")))
          .withColumn("panel", functions.lit(panel.code()))
          .withColumn("algorithm", functions.lit(o.algorithm()))
          .withColumn("run_id", functions.lit(run.runId()));

      step(spark, run, 5, panel, "write cluster_model, clusters, cluster_abundance, cluster_events");
      lake.write(modelTable, modelContract, SaveMode.Overwrite);
      lake.write(clustersTable, clustersContract, SaveMode.Overwrite);
      lake.write(abundance, abundanceContract, SaveMode.Overwrite);
      lake.write(assigned.withColumn("panel", functions.lit(panel.code()))
          .withColumn("algorithm", functions.lit(o.algorithm()))
          .withColumn("run_id", functions.lit(run.runId())), eventsContract, SaveMode.Overwrite);
      assigned.unpersist(false);
      events.unpersist(false);
      results.add(new PanelResult(panel.code(), n, trainingEvents, stats.size(), sizeByLabel, fitSeconds));
      LOG.info("cluster {} {}: {} events, {} metaclusters {} (fit {} s)", panel.code(), o.algorithm(), n,
          stats.size(), sizeByLabel, String.format(Locale.ROOT, "%.1f", fitSeconds));
    }
    spark.sparkContext().setJobDescription(null);
    String summaryPath = writeSummary(spark, lake, run, o, seed, samplePerFile, results);
    return new Result(run.runId(), o.algorithm(), seed, results, summaryPath);
  }

  static String codebookJson(List<String> cols, double[] values) throws IOException {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (int d = 0; d < cols.size(); d++) {
      o.put(cols.get(d), values[d]);
    }
    return JSON.writeValueAsString(o);
  }

  private static String writeSummary(SparkSession spark, Lake lake, JobRun run, Options o, long seed,
      int samplePerFile, List<PanelResult> results) throws IOException {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("job", "cluster");
    s.put("run_id", run.runId());
    s.put("algorithm", o.algorithm());
    s.put("seed", seed);
    s.put("sample_per_file", samplePerFile);
    s.set("panels", JSON.valueToTree(results));
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(lake.root() + "/_runs/" + run.runId()
        + "/cluster-" + o.algorithm() + ".json");
    var fs = file.getFileSystem(Lake.hadoopConf(spark));
    fs.mkdirs(file.getParent());
    try (var out = fs.create(file, true)) {
      out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(s));
    }
    return file.toString();
  }

  private static void step(SparkSession spark, JobRun run, int n, PanelConfig panel, String what) {
    String d = "cluster " + panel.code() + " " + n + "/5: " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info("{} [{}]", d, run.runId());
  }
}
