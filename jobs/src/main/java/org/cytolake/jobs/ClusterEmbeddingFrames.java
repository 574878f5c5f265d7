package org.cytolake.jobs;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.config.PanelConfig;
import org.cytolake.lake.Lake;
import org.cytolake.plot.clusters.EmbeddedEvents;
import org.cytolake.plot.clusters.Embedding;
import org.cytolake.plot.clusters.MarkerScale;
import org.cytolake.plot.clusters.StratifiedSubsample;

/**
 * The cluster pictures' embedding on Spark: the stratified subsample of {@code cluster_events}
 * (no whole-table collect) and its lineage values, embedded on the driver ({@link Embedding}).
 */
final class ClusterEmbeddingFrames {
  private ClusterEmbeddingFrames() {}

  /**
   * The embedding: at most {@code subsample.perSample()} events of each sample of {@code
   * cluster_events}, drawn on Spark ({@link StratifiedSubsample}: its keys, each sample thinned to
   * its {@link StratifiedSubsample#threshold} of the sample's events in {@code cluster_abundance},
   * then the smallest keys by a window per sample), joined to their lineage values in {@code
   * events_<panel>}, then embedded on the driver. Events with a missing lineage value are left out.
   */
  static EmbeddedEvents embedding(
      SparkSession spark,
      Lake lake,
      PanelConfig panel,
      String algorithm,
      List<MarkerScale> lineage,
      StratifiedSubsample subsample,
      List<String> visitOrder,
      Embedding embedding) {
    String p = panel.code();
    Dataset<Row> chosen = subsample(spark, lake, p, algorithm, subsample);
    List<Column> cols =
        new ArrayList<>(
            List.of(
                functions.col("sample_id"),
                functions.col("visit"),
                functions.col("event_index"),
                functions.col("metacluster")));
    lineage.forEach(m -> cols.add(functions.col(m.column()).cast("float")));
    List<Row> rows =
        lake.read(spark, panel.eventsTable())
            .join(chosen, new String[] {"sample_id", "visit", "event_index"}, "inner")
            .select(cols.toArray(Column[]::new))
            .orderBy("sample_id", "event_index")
            .collectAsList();
    List<float[]> values = new ArrayList<>();
    List<Integer> meta = new ArrayList<>();
    List<String> visits = new ArrayList<>();
    java.util.Set<String> samples = new java.util.HashSet<>();
    for (Row r : rows) {
      float[] v = new float[lineage.size()];
      boolean ok = true;
      for (int c = 0; c < v.length; c++) {
        v[c] = r.isNullAt(4 + c) ? Float.NaN : r.getFloat(4 + c);
        ok &= Float.isFinite(v[c]);
      }
      if (ok) {
        values.add(v);
        meta.add(r.getInt(3));
        visits.add(r.getString(1));
        samples.add(r.getString(0));
      }
    }
    return EmbeddedEvents.of(
        values.toArray(float[][]::new),
        meta.stream().mapToInt(Integer::intValue).toArray(),
        visits.toArray(String[]::new),
        visitOrder,
        ClusterPictureFrames.labels(spark, lake, p, algorithm),
        samples.size(),
        subsample,
        embedding);
  }

  /**
   * The events of {@code cluster_events} a subsample keeps (sample_id, visit, event_index,
   * metacluster): its keys, each sample thinned to its {@link StratifiedSubsample#threshold} of the
   * sample's events in {@code cluster_abundance}, then at most {@code perSample} smallest keys per
   * sample by a window; the same events as {@link StratifiedSubsample#choose}.
   */
  static Dataset<Row> subsample(
      SparkSession spark, Lake lake, String p, String algorithm, StratifiedSubsample subsample) {
    List<Row> thresholds = new ArrayList<>();
    for (Row r :
        ClusterPictureFrames.rows(spark, lake, "cluster_abundance", p, algorithm)
            .groupBy("sample_id")
            .agg(functions.sum("count"))
            .collectAsList()) {
      thresholds.add(RowFactory.create(r.getString(0), subsample.threshold(r.getLong(1))));
    }
    Dataset<Row> share =
        spark.createDataFrame(
            thresholds,
            new StructType()
                .add("sample_id", DataTypes.StringType, false)
                .add("threshold", DataTypes.DoubleType, false));
    Column key =
        functions
            .udf((UDF2<String, Long, Long>) subsample::key, DataTypes.LongType)
            .apply(functions.col("sample_id"), functions.col("event_index"));
    return ClusterPictureFrames.rows(spark, lake, "cluster_events", p, algorithm)
        .select("sample_id", "visit", "event_index", "metacluster")
        .join(functions.broadcast(share), "sample_id")
        .withColumn("k", key)
        .where(
            functions
                .shiftrightunsigned(functions.col("k"), 10)
                .cast("double")
                .multiply(0x1.0p-53)
                .lt(functions.col("threshold")))
        .withColumn(
            "rank",
            functions
                .row_number()
                .over(
                    Window.partitionBy("sample_id")
                        .orderBy(functions.col("k"), functions.col("event_index"))))
        .where(functions.col("rank").leq(subsample.perSample()))
        .select("sample_id", "visit", "event_index", "metacluster");
  }
}
