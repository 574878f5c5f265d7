package org.cytolake.jobs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.config.PanelConfig;
import org.cytolake.lake.Lake;
import org.cytolake.normalise.BatchQuantiles;
import org.cytolake.normalise.LakeNormParams;
import org.cytolake.normalise.ModelRow;
import org.cytolake.normalise.NormalisationModel;
import org.cytolake.normalise.NormalisationPlan;

/**
 * The frames of the normalise job: a panel's samples as the plan sees them, the stored model,
 * the quantiles of batches' reference events (computed by Spark, exact), and the model's rows.
 */
final class NormaliseFrames {
  static final String MODELS = "normalisation_models";
  static final String SAMPLES = "normalisation_samples";

  private NormaliseFrames() {}

  /** The panel's samples (controls too), with the attributes confounders may name. */
  static List<NormalisationPlan.SampleInfo> samples(SparkSession spark, Lake lake, String panel) {
    Dataset<Row> s = lake.read(spark, "samples").where(functions.col("panel").equalTo(panel));
    boolean hasControl = Arrays.asList(s.columns()).contains(PatientSamples.CONTROL);
    Column control =
        hasControl
            ? functions.col(PatientSamples.CONTROL).cast("string")
            : functions.lit(null).cast("string");
    List<NormalisationPlan.SampleInfo> out = new ArrayList<>();
    for (Row r :
        s.select(
                functions.col("sample_id"),
                control,
                functions.col("acquisition_date"),
                functions.col("batch"),
                functions.col("event_count"),
                functions.col("visit"))
            .collectAsList()) {
      out.add(
          new NormalisationPlan.SampleInfo(
              r.getString(0),
              r.isNullAt(1) ? null : r.getString(1),
              r.isNullAt(2) ? null : r.getDate(2).toLocalDate(),
              r.isNullAt(3) ? null : r.getString(3),
              r.isNullAt(4) ? 0 : r.getLong(4),
              Map.of("visit", r.getString(5))));
    }
    return out;
  }

  /** The visit of each of the panel's samples (the events tables' partition key). */
  static Map<String, String> visits(List<NormalisationPlan.SampleInfo> samples) {
    Map<String, String> out = new HashMap<>();
    samples.forEach(s -> out.put(s.sampleId(), s.attributes().get("visit")));
    return out;
  }

  /**
   * The panel's latest stored model version, or null; its columns in {@code columns}' order (the
   * configured one), any others after them.
   */
  static NormalisationModel stored(
      SparkSession spark, Lake lake, String panel, List<String> columns) {
    if (!lake.exists(spark, MODELS)) {
      return null;
    }
    Dataset<Row> rows = lake.read(spark, MODELS).where(functions.col("panel").equalTo(panel));
    Row max = rows.agg(functions.max("model_version")).first();
    if (max.isNullAt(0)) {
      return null;
    }
    List<ModelRow> out = new ArrayList<>();
    for (Row r :
        rows.where(functions.col("model_version").equalTo(max.getInt(0)))
            .select(
                "panel",
                "model_version",
                "parameters",
                "batch",
                "source",
                "column",
                "quantile",
                "probability",
                "value",
                "samples",
                "events")
            .orderBy("batch", "source", "column", "quantile")
            .collectAsList()) {
      out.add(
          new ModelRow(
              r.getString(0),
              r.getInt(1),
              r.getString(2),
              r.getString(3),
              r.getString(4),
              r.getString(5),
              r.getInt(6),
              r.getDouble(7),
              r.isNullAt(8) ? null : r.getDouble(8),
              r.isNullAt(9) ? null : r.getString(9),
              r.isNullAt(10) ? null : r.getLong(10)));
    }
    return ModelRow.model(out, columns);
  }

  /**
   * Per batch the quantiles of its reference events: the clean events of {@code groups}' samples
   * pooled (the first {@code perSample} by event index of each, when given), in Spark's exact
   * {@code percentile} (linear interpolation between order statistics: R's type 7).
   */
  static Map<String, BatchQuantiles> quantiles(
      SparkSession spark,
      Lake lake,
      PanelConfig panel,
      LakeNormParams params,
      Map<String, List<String>> groups,
      BatchQuantiles.Source source,
      Integer perSample,
      boolean cleanOnly) {
    Map<String, BatchQuantiles> out = new TreeMap<>();
    if (groups.isEmpty()) {
      return out;
    }
    List<Row> map = new ArrayList<>();
    groups.forEach((b, ids) -> ids.forEach(id -> map.add(RowFactory.create(id, b))));
    Dataset<Row> batchOf =
        spark.createDataFrame(
            map,
            new org.apache.spark.sql.types.StructType()
                .add("sample_id", "string")
                .add("_batch", "string"));
    Dataset<Row> events = QcEvents.readRaw(spark, lake, panel, cleanOnly);
    if (perSample != null) {
      events = events.where(functions.col("event_index").lt(perSample));
    }
    String probs =
        Arrays.stream(params.probabilities())
            .mapToObj(Double::toString)
            .collect(Collectors.joining(", ", "array(", ")"));
    List<Column> aggs = new ArrayList<>();
    aggs.add(functions.count(functions.lit(1)).as("_events"));
    for (String c : params.columns()) {
      aggs.add(functions.expr("percentile(CAST(`" + c + "` AS DOUBLE), " + probs + ")").as(c));
    }
    Dataset<Row> q =
        events
            .join(functions.broadcast(batchOf), "sample_id")
            .groupBy("_batch")
            .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]));
    Map<String, Row> byBatch = new LinkedHashMap<>();
    q.collectAsList().forEach(r -> byBatch.put(r.getString(0), r));
    for (Map.Entry<String, List<String>> g : groups.entrySet()) {
      Row r = byBatch.get(g.getKey());
      if (r == null) {
        continue; // no clean events at all: the caller treats the batch as without reference
      }
      double[][] qs = new double[params.columns().size()][];
      for (int c = 0; c < qs.length; c++) {
        List<Double> v = r.getList(2 + c);
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        qs[c] = a.length > 0 && a[0] < a[a.length - 1] ? a : null;
      }
      out.put(g.getKey(), new BatchQuantiles(g.getKey(), source, g.getValue(), r.getLong(1), qs));
    }
    return out;
  }

  /** The rows of {@code normalisation_models} for a model, stamped with the run. */
  static List<Row> modelRows(NormalisationModel m, JobRun run) {
    List<Row> out = new ArrayList<>();
    for (ModelRow r : ModelRow.of(m)) {
      out.add(
          RowFactory.create(
              r.panel(),
              r.version(),
              r.parameters(),
              r.batch(),
              r.source(),
              r.column(),
              r.quantile(),
              r.probability(),
              r.value(),
              r.samples(),
              r.events(),
              run.runId(),
              run.timestamp()));
    }
    return out;
  }
}
