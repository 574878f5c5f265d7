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

  /**
   * A reference population as a filter on the raw events.
   *
   * @param filter true for the population's events; reads {@code _ref_<column>}, each of {@code
   *     columns} as a double
   * @param columns the events columns its gates use
   */
  record Reference(Column filter, List<String> columns) {}

  /**
   * The events of {@code params}' reference population, as a filter on the raw events, or null
   * (every clean event) when the panel has none.
   *
   * @throws IllegalStateException naming the conf key, the population and the gate when the panel
   *     has no strategy, the strategy no such population, or one of its gates uses a normalised
   *     column, an adaptive limit, a transformation or a ratio
   */
  static Reference reference(
      org.cytolake.config.GatingConfig gating, PanelConfig panel, LakeNormParams params) {
    String name = params.referencePopulation();
    if (name == null) {
      return null;
    }
    String where =
        "Cannot normalise panel "
            + panel.code()
            + ": conf/normalisation.yaml reference-population '"
            + name
            + "': ";
    org.cytolake.gating.GatingStrategy strategy = gating.strategies().get(panel.code());
    if (strategy == null) {
      throw new IllegalStateException(where + "the panel has no gating strategy in conf/gating");
    }
    String id = name.substring(name.lastIndexOf('/') + 1);
    if (!strategy.isPopulation(id)) {
      throw new IllegalStateException(
          where + "no such population (populations: " + strategy.reportedPopulations() + ")");
    }
    List<String> needed = org.cytolake.plot.PopulationFilter.requiredColumns(strategy, id);
    List<String> normalised = needed.stream().filter(params.columns()::contains).toList();
    if (!normalised.isEmpty()) {
      throw new IllegalStateException(
          where
              + "its gates use normalised column(s) "
              + normalised
              + ": the reference must be gated on columns normalisation leaves as they are (scatter,"
              + " viability)");
    }
    for (String p = id; p != null; p = strategy.parentOf(p).orElse(null)) {
      if (strategy.gateOf(p) instanceof org.cytolake.gating.RectangleGate r && r.isAdaptive()) {
        throw new IllegalStateException(where + "gate '" + p + "' has an adaptive (auto) limit");
      }
    }
    if (!PopulationColumn.supports(strategy, id)) {
      throw new IllegalStateException(
          where + "its gates use a transformation or a ratio, which the filter cannot evaluate");
    }
    Map<String, String> byDimension = new LinkedHashMap<>();
    needed.forEach(c -> byDimension.put(c, "_ref_" + c));
    return new Reference(PopulationColumn.of(strategy, id, byDimension), needed);
  }

  /** {@code events} in the reference population ({@link #reference}), or all of them for null. */
  static Dataset<Row> inReference(Dataset<Row> events, Reference reference) {
    if (reference == null) {
      return events;
    }
    Map<String, Column> asDouble = new LinkedHashMap<>();
    reference.columns().forEach(c -> asDouble.put("_ref_" + c, functions.col(c).cast("double")));
    return events
        .withColumns(asDouble)
        .where(reference.filter())
        .drop(asDouble.keySet().toArray(new String[0]));
  }

  /** The visit of each of the panel's samples (the events tables' partition key). */
  static Map<String, String> visits(List<NormalisationPlan.SampleInfo> samples) {
    Map<String, String> out = new HashMap<>();
    samples.forEach(s -> out.put(s.sampleId(), s.attributes().get("visit")));
    return out;
  }

  /**
   * The panel's latest stored model version, or null; its columns in {@code params}' order (the
   * configured one), any others after them. A version made with other parameters is returned
   * without batches or goal (only its number and parameters matter then: the next version is
   * made), so that a version of another clustering need not be read.
   */
  static NormalisationModel stored(
      SparkSession spark, Lake lake, String panel, LakeNormParams params) {
    if (!lake.exists(spark, MODELS)) {
      return null;
    }
    Dataset<Row> rows = lake.read(spark, MODELS).where(functions.col("panel").equalTo(panel));
    Row max = rows.agg(functions.max("model_version")).first();
    if (max.isNullAt(0)) {
      return null;
    }
    rows = rows.where(functions.col("model_version").equalTo(max.getInt(0)));
    String parameters = rows.select("parameters").first().getString(0);
    if (!parameters.equals(params.describe())) {
      return new NormalisationModel(
          panel,
          max.getInt(0),
          parameters,
          params.columns(),
          params.probabilities(),
          new double[params.columns().size()][],
          null,
          Map.of(),
          null);
    }
    // a lake written before contract v2 has no cluster column: an unclustered version
    Column cluster =
        Arrays.asList(rows.columns()).contains("cluster")
            ? functions.col("cluster")
            : functions.lit(null).cast("int");
    List<ModelRow> out = new ArrayList<>();
    for (Row r :
        rows.select(
                functions.col("panel"),
                functions.col("model_version"),
                functions.col("parameters"),
                functions.col("batch"),
                functions.col("source"),
                cluster,
                functions.col("column"),
                functions.col("quantile"),
                functions.col("probability"),
                functions.col("value"),
                functions.col("samples"),
                functions.col("events"))
            .orderBy("batch", "source", "column", "quantile")
            .collectAsList()) {
      out.add(
          new ModelRow(
              r.getString(0),
              r.getInt(1),
              r.getString(2),
              r.getString(3),
              r.getString(4),
              r.isNullAt(5) ? null : r.getInt(5),
              r.getString(6),
              r.getInt(7),
              r.isNullAt(8) ? null : r.getDouble(8),
              r.isNullAt(9) ? null : r.getDouble(9),
              r.isNullAt(10) ? null : r.getString(10),
              r.isNullAt(11) ? null : r.getLong(11)));
    }
    return ModelRow.model(out, params.columns(), params.clustering());
  }

  /**
   * The events a clustered version's SOM is trained on: of each batch's training controls, the
   * clean events with event index below {@code params.somEventsPerBatch()} (so every batch counts
   * alike), the normalised columns as stored, row-major in batch order.
   */
  static double[] somTrainingEvents(
      SparkSession spark,
      Lake lake,
      PanelConfig panel,
      LakeNormParams params,
      Map<String, List<String>> controls,
      boolean cleanOnly,
      Reference reference) {
    List<String> ids = new ArrayList<>();
    controls.values().forEach(ids::addAll);
    int dims = params.columns().size();
    Column[] cols = new Column[dims];
    for (int c = 0; c < dims; c++) {
      cols[c] = functions.col(params.columns().get(c)).cast("double");
    }
    List<Row> rows =
        inReference(QcEvents.readRaw(spark, lake, panel, cleanOnly), reference)
            .where(
                functions
                    .col("sample_id")
                    .isin(ids.toArray())
                    .and(functions.col("event_index").lt(params.somEventsPerBatch())))
            .orderBy("sample_id", "event_index")
            .select(cols)
            .collectAsList();
    double[] out = new double[rows.size() * dims];
    int i = 0;
    for (Row r : rows) {
      for (int c = 0; c < dims; c++) {
        out[i++] = r.isNullAt(c) ? 0 : r.getDouble(c);
      }
    }
    return out;
  }

  /**
   * Batches whose quantiles are computed together ({@link #quantiles}).
   *
   * @param groups batch → its samples
   * @param source what the batches' quantiles are of
   * @param perSample of each sample, only the events with event index below this; null: all
   */
  record Fit(Map<String, List<String>> groups, BatchQuantiles.Source source, Integer perSample) {}

  /**
   * Per fit and batch the quantiles of its reference events: the clean events of the batch's
   * samples pooled (the first {@code perSample} by event index of each, when given), in Spark's
   * exact {@code percentile} (linear interpolation between order statistics: R's type 7). With
   * {@code clustering}, per batch and cluster (each event in its nearest SOM node's cluster); a
   * cluster where the batch has fewer than the clustering's min events gets no quantiles (left as
   * it is). Every fit's batches are computed in one pass over the events; a sample in several
   * fits counts in each.
   *
   * @return per fit, in order, its batches' quantiles by batch
   */
  static List<Map<String, BatchQuantiles>> quantiles(
      SparkSession spark,
      Lake lake,
      PanelConfig panel,
      LakeNormParams params,
      List<Fit> fits,
      boolean cleanOnly,
      org.cytolake.normalise.LakeClusters clustering,
      Reference reference) {
    List<Map<String, BatchQuantiles>> out = new ArrayList<>();
    List<Row> map = new ArrayList<>();
    for (int f = 0; f < fits.size(); f++) {
      out.add(new TreeMap<>());
      Fit fit = fits.get(f);
      Long limit = fit.perSample() == null ? null : fit.perSample().longValue();
      int index = f;
      fit.groups()
          .forEach((b, ids) -> ids.forEach(id -> map.add(RowFactory.create(id, index, b, limit))));
    }
    if (map.isEmpty()) {
      return out;
    }
    Dataset<Row> batchOf =
        spark.createDataFrame(
            map,
            new org.apache.spark.sql.types.StructType()
                .add("sample_id", "string")
                .add("_fit", "int")
                .add("_batch", "string")
                .add("_limit", "long"));
    String probs =
        Arrays.stream(params.probabilities())
            .mapToObj(Double::toString)
            .collect(Collectors.joining(", ", "array(", ")"));
    List<Column> aggs = new ArrayList<>();
    aggs.add(functions.count(functions.lit(1)).as("_events"));
    for (String c : params.columns()) {
      aggs.add(functions.expr("percentile(CAST(`" + c + "` AS DOUBLE), " + probs + ")").as(c));
    }
    Dataset<Row> events =
        inReference(QcEvents.readRaw(spark, lake, panel, cleanOnly), reference)
            .join(functions.broadcast(batchOf), "sample_id")
            .where(
                functions
                    .col("_limit")
                    .isNull()
                    .or(functions.col("event_index").lt(functions.col("_limit"))));
    Column cluster = functions.lit(0);
    if (clustering != null) {
      var jsc = new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext());
      var som = jsc.broadcast(clustering);
      Column[] cols =
          params.columns().stream()
              .map(c -> functions.col(c).cast("double"))
              .toArray(Column[]::new);
      cluster =
          functions
              .udf(
                  (org.apache.spark.sql.api.java.UDF1<Row, Integer>)
                      r -> som.value().clusterOf(NormalisePartition.values(r), 0),
                  org.apache.spark.sql.types.DataTypes.IntegerType)
              .apply(functions.struct(cols));
    }
    Dataset<Row> q =
        events
            .withColumn("_cluster", cluster)
            .groupBy("_fit", "_batch", "_cluster")
            .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]));
    List<Map<String, Map<Integer, Row>>> byFit = new ArrayList<>();
    fits.forEach(f -> byFit.add(new LinkedHashMap<>()));
    q.collectAsList()
        .forEach(
            r ->
                byFit
                    .get(r.getInt(0))
                    .computeIfAbsent(r.getString(1), x -> new TreeMap<>())
                    .put(r.getInt(2), r));
    int dims = params.columns().size();
    int clusters = clustering == null ? 1 : clustering.clusters();
    int minEvents = clustering == null ? 1 : clustering.params().minEvents();
    for (int f = 0; f < fits.size(); f++) {
      Fit fit = fits.get(f);
      for (Map.Entry<String, List<String>> g : fit.groups().entrySet()) {
        Map<Integer, Row> rows = byFit.get(f).get(g.getKey());
        if (rows == null) {
          continue; // no clean events at all: the caller treats the batch as without reference
        }
        double[][] qs = new double[dims * clusters][];
        long total = 0;
        for (Map.Entry<Integer, Row> e : rows.entrySet()) {
          Row r = e.getValue();
          total += r.getLong(3);
          if (r.getLong(3) < minEvents) {
            continue; // too few of the batch's reference events in the cluster: left as it is
          }
          for (int c = 0; c < dims; c++) {
            List<Double> v = r.getList(4 + c);
            double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
            qs[e.getKey() * dims + c] = a.length > 0 && a[0] < a[a.length - 1] ? a : null;
          }
        }
        out.get(f)
            .put(g.getKey(), new BatchQuantiles(g.getKey(), fit.source(), g.getValue(), total, qs));
      }
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
              r.cluster(),
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
