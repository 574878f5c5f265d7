package org.cytolake.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.cytolake.config.ClusteringConfig;
import org.cytolake.jobs.som.SomEstimator;
import org.cytolake.jobs.som.SomSparkModel;
import org.cytolake.som.Metaclustering;
import org.cytolake.som.SomModel;
import org.cytolake.som.SomParams;
import org.cytolake.som.SomTrainer;

/**
 * Steps 2 and 3 of {@link ClusterJob} when it trains: picks a panel's training events ({@link #trainingSet}) and fits
 * one algorithm on them ({@link #fit}); the job maps the events onto the result with the one nearest-node rule of
 * {@link org.cytolake.clustering.ClusterModel} ({@link ClusterModelMapper}).
 * {@code flowsom} is {@link SomEstimator} (SOM + consensus metaclustering, parameters from conf/clustering.yaml:
 * {@link SomParams#from}, {@link Metaclustering#from}); {@code kmeans} and {@code bisecting-kmeans} are the MLlib
 * baselines with k = metaclusters, each centre its own node and metacluster (mapped by nearest centre, the same
 * rule as flowsom's nodes, rather than MLlib's own predict: bisecting k-means predicts down its tree).
 *
 * @param codebook the code vector of every node (SOM node or centre), in lineage order
 * @param nodeToMetacluster the metacluster of every node
 * @param metaclusters the number of metaclusters
 * @param modelRows (node, metacluster, codebook JSON) of every node: the rows of {@code cluster_model}
 * @param params the fit's parameters and provenance ({@code cluster_model.params})
 * @param trainingEvents events trained on
 */
record ClusterFit(
    double[][] codebook,
    int[] nodeToMetacluster,
    int metaclusters,
    List<Row> modelRows,
    ObjectNode params,
    long trainingEvents) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Partitions of the k-means training set. */
  static final int KMEANS_PARTITIONS = 8;

  /**
   * The training events, {@code sample_id} and the lineage columns: every event, or with {@code samplePerFile} > 0 per sample the
   * {@code samplePerFile} events with the smallest {@code xxhash64(seed, sample_id, event_index)} (ties by event
   * index), so a huge sample cannot dominate and the choice is deterministic whatever the partitioning.
   */
  /** flowsom fitted on the driver ({@link SomTrainer#fit}) on training events held there. */
  static ClusterFit somOnDriver(
      ClusteringConfig clustering, List<String> lineage, LocalTraining training)
      throws IOException {
    SomModel model = SomTrainer.fit(clustering.somParams(), lineage.size(), training.blocks());
    return som(
        clustering,
        lineage,
        new SomSparkModel(
            lineage, model, clustering.metaclustering().fit(model), "node", "metacluster"),
        training.events());
  }

  /** A flowsom fit: its parameters and model rows. */
  private static ClusterFit som(
      ClusteringConfig clustering, List<String> lineage, SomSparkModel model, long trainingEvents)
      throws IOException {
    ObjectNode params = baseParams("flowsom", clustering, lineage);
    SomParams som = clustering.somParams();
    Metaclustering meta = clustering.metaclustering();
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
    List<Row> modelRows = new ArrayList<>();
    for (int j = 0; j < codes.length; j++) {
      modelRows.add(RowFactory.create(j, map[j], codebookJson(lineage, codes[j])));
    }
    return new ClusterFit(codes, map, model.metaclusters().k(), modelRows, params, trainingEvents);
  }

  /** The parameters every algorithm records. */
  private static ObjectNode baseParams(
      String algorithm, ClusteringConfig clustering, List<String> lineage) {
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    params.put("algorithm", algorithm);
    params.put("metaclusters", clustering.metaclusters());
    params.put("seed", clustering.seed());
    params.put("sample_per_file", clustering.samplePerFile());
    params.putPOJO("columns", lineage);
    return params;
  }

  static Dataset<Row> trainingSet(
      Dataset<Row> events, List<String> lineage, int samplePerFile, long seed) {
    Dataset<Row> training = events;
    if (samplePerFile > 0) {
      Column key =
          functions.xxhash64(
              functions.lit(seed), functions.col("sample_id"), functions.col("event_index"));
      training =
          events
              .withColumn(
                  "_rank",
                  functions
                      .row_number()
                      .over(
                          Window.partitionBy("sample_id")
                              .orderBy(key, functions.col("event_index"))))
              .where(functions.col("_rank").leq(samplePerFile))
              .drop("_rank");
    }
    List<Column> columns = new ArrayList<>(List.of(functions.col("sample_id")));
    lineage.forEach(c -> columns.add(functions.col(c)));
    return training.select(columns.toArray(Column[]::new));
  }

  /**
   * Fits {@code algorithm} on {@code training} (its lineage columns).
   *
   * @param clustering conf/clustering.yaml with the command line's values in place
   */
  static ClusterFit fit(
      String algorithm, ClusteringConfig clustering, List<String> lineage, Dataset<Row> training)
      throws IOException {
    long seed = clustering.seed();
    int k = clustering.metaclusters();
    List<Row> modelRows = new ArrayList<>();
    ObjectNode params = baseParams(algorithm, clustering, lineage);
    if (algorithm.equals("flowsom")) {
      SomEstimator est =
          new SomEstimator(
              lineage, clustering.somParams(), clustering.metaclustering(), "node", "metacluster");
      long trainingEvents = training.count();
      return som(clustering, lineage, est.fit(training, trainingEvents), trainingEvents);
    }
    VectorAssembler va =
        new VectorAssembler()
            .setInputCols(lineage.toArray(new String[0]))
            .setOutputCol("_features");
    // MLlib's results depend on the partitioning (k-means|| draws per partition): a fixed number of
    // partitions over the lake's deterministic file order keeps a seed's result stable.
    Dataset<Row> trainVec =
        va.transform(training.coalesce(KMEANS_PARTITIONS))
            .select("_features")
            .persist(StorageLevel.MEMORY_AND_DISK());
    long trainingEvents = trainVec.count();
    Vector[] centers;
    if (algorithm.equals("kmeans")) {
      KMeansModel m =
          new KMeans()
              .setK(k)
              .setSeed(seed)
              .setFeaturesCol("_features")
              .setPredictionCol("metacluster")
              .fit(trainVec);
      centers = m.clusterCenters();
      params.put("max_iter", m.getMaxIter());
      params.put("init_mode", m.getInitMode());
    } else {
      BisectingKMeansModel m =
          new BisectingKMeans()
              .setK(k)
              .setSeed(seed)
              .setFeaturesCol("_features")
              .setPredictionCol("metacluster")
              .fit(trainVec);
      centers = m.clusterCenters();
      params.put("max_iter", m.getMaxIter());
    }
    trainVec.unpersist(false);
    double[][] codes = new double[centers.length][];
    int[] identity = new int[centers.length];
    for (int j = 0; j < centers.length; j++) {
      codes[j] = centers[j].toArray();
      identity[j] = j;
      modelRows.add(RowFactory.create(j, j, codebookJson(lineage, codes[j])));
    }
    return new ClusterFit(codes, identity, centers.length, modelRows, params, trainingEvents);
  }

  /** The rows of {@code cluster_model}: every node with the fit's parameters, seed and run. */
  Dataset<Row> modelTable(
      SparkSession spark, String panel, String algorithm, long seed, String runId)
      throws IOException {
    StructType modelSchema =
        new StructType()
            .add("node", DataTypes.IntegerType)
            .add("metacluster", DataTypes.IntegerType)
            .add("codebook", DataTypes.StringType);
    return spark
        .createDataFrame(modelRows, modelSchema)
        .withColumn("panel", functions.lit(panel))
        .withColumn("algorithm", functions.lit(algorithm))
        .withColumn("params", functions.lit(JSON.writeValueAsString(params)))
        .withColumn("seed", functions.lit(seed))
        .withColumn("run_id", functions.lit(runId));
  }

  /** A node's code vector as JSON, {column: value}, in column order. */
  static String codebookJson(List<String> cols, double[] values) throws IOException {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (int d = 0; d < cols.size(); d++) {
      o.put(cols.get(d), values[d]);
    }
    return JSON.writeValueAsString(o);
  }
}
