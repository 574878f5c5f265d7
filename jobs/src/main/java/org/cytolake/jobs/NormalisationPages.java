package org.cytolake.jobs;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.lake.Lake;
import org.cytolake.report.BatchNormalisation;
import org.cytolake.report.BatchNormalisation.ControlMedian;
import org.cytolake.report.BatchNormalisation.ModelRow;
import org.cytolake.report.BatchNormalisation.SampleStatus;

/**
 * What the report reads for its batch normalisation section ({@link BatchNormalisation}), only
 * when the lake has {@code normalisation_samples}: that table whole (one row per sample), of
 * {@code normalisation_models} each version's batches and sources and the goal rows (never the
 * batches' quantiles), and per panel the median of each normalised column in each control aliquot,
 * raw ({@code events_<panel>}) and normalised ({@code events_norm_<panel>}), over the events the
 * analyses read ({@link QcEvents}: clean ones unless {@code qc.use-flagged-events}). The medians
 * are {@code percentile_approx} with accuracy {@value #ACCURACY} on Spark (a rank error of at most
 * 1/{@value #ACCURACY} of an aliquot's events), one job per table and panel; only one row per
 * control aliquot reaches the driver.
 */
final class NormalisationPages {
  /** {@code percentile_approx}'s accuracy for the control medians. */
  static final int ACCURACY = 10_000;

  private NormalisationPages() {}

  /** One section model per panel of {@code normalisation_samples}, or null without the table. */
  static List<BatchNormalisation> of(SparkSession spark, Lake lake, CytolakeConfig config) {
    if (!lake.exists(spark, "normalisation_samples")) {
      return null;
    }
    // 1. normalisation_samples, by panel
    Map<String, List<SampleStatus>> samples = new TreeMap<>();
    for (Row r :
        lake.read(spark, "normalisation_samples")
            .select("sample_id", "panel", "control", "batch", "status", "unnormalised_columns")
            .collectAsList()) {
      SampleStatus s =
          new SampleStatus(
              r.getString(0),
              r.getString(1),
              r.getString(2),
              r.getString(3),
              r.getString(4),
              r.getString(5));
      samples.computeIfAbsent(s.panel(), k -> new ArrayList<>()).add(s);
    }

    // 2. normalisation_models: batches and sources of every version, and the goal rows
    Map<String, List<ModelRow>> models = new HashMap<>();
    if (lake.exists(spark, "normalisation_models")) {
      Dataset<Row> m = lake.read(spark, "normalisation_models");
      Column goal = functions.col("batch").equalTo("*");
      Column none = functions.lit(null);
      for (Row r :
          m.where(functions.not(goal))
              .select(
                  functions.col("panel"),
                  functions.col("model_version"),
                  functions.col("batch"),
                  functions.col("source"),
                  none.cast(DataTypes.StringType).as("column"),
                  none.cast(DataTypes.DoubleType).as("probability"),
                  none.cast(DataTypes.DoubleType).as("value"))
              .distinct()
              .unionByName(
                  // a clustered version's goal has one value per cluster: no single goal median
                  // (NaN); its SOM rows are no goal
                  m.where(
                          goal.and(
                              functions
                                  .col("source")
                                  .notEqual(org.cytolake.normalise.ModelRow.SOM)))
                      .select(
                          functions.col("panel"),
                          functions.col("model_version"),
                          functions.col("batch"),
                          functions.col("source"),
                          functions.col("column"),
                          functions.col("probability"),
                          (java.util.Arrays.asList(m.columns()).contains("cluster")
                                  ? functions.when(
                                      functions.col("cluster").isNull(), functions.col("value"))
                                  : functions.col("value"))
                              .as("value"))
                      .distinct())
              .collectAsList()) {
        models
            .computeIfAbsent(r.getString(0), k -> new ArrayList<>())
            .add(
                new ModelRow(
                    r.getString(0),
                    r.getInt(1),
                    r.getString(2),
                    r.getString(3),
                    r.getString(4),
                    r.isNullAt(5) ? Double.NaN : r.getDouble(5),
                    r.isNullAt(6) ? Double.NaN : r.getDouble(6)));
      }
    }

    // 3. per panel: its control aliquots' medians, raw and normalised
    boolean cleanOnly = QcEvents.cleanOnly(config.settings());
    List<BatchNormalisation> out = new ArrayList<>();
    for (Map.Entry<String, List<SampleStatus>> e : samples.entrySet()) {
      List<ModelRow> rows = models.getOrDefault(e.getKey(), List.of());
      PanelConfig panel = config.panels().get(e.getKey());
      Map<String, String> axes = new LinkedHashMap<>();
      List<ControlMedian> medians = List.of();
      if (panel != null) {
        panel.channels().forEach(c -> axes.put(c.column(), BatchNormalisation.axisLabel(c)));
        medians = medians(spark, lake, panel, e.getValue(), columns(rows, panel), cleanOnly);
      }
      out.add(BatchNormalisation.of(e.getKey(), e.getValue(), rows, medians, axes));
    }
    return out;
  }

  /** The columns of the panel's version in use (its goal rows), in the panel's column order. */
  private static List<String> columns(List<ModelRow> rows, PanelConfig panel) {
    int version = rows.stream().mapToInt(ModelRow::version).max().orElse(0);
    List<String> named =
        rows.stream()
            .filter(r -> r.version() == version && r.goal() && r.column() != null)
            .map(ModelRow::column)
            .distinct()
            .toList();
    return panel.channels().stream().map(ChannelConfig::column).filter(named::contains).toList();
  }

  private static List<ControlMedian> medians(
      SparkSession spark,
      Lake lake,
      PanelConfig panel,
      List<SampleStatus> samples,
      List<String> columns,
      boolean cleanOnly) {
    Map<String, SampleStatus> controls = new TreeMap<>();
    samples.stream().filter(s -> s.control() != null).forEach(s -> controls.put(s.sampleId(), s));
    List<ControlMedian> out = new ArrayList<>();
    if (controls.isEmpty() || columns.isEmpty() || !lake.exists(spark, panel.eventsTable())) {
      return out;
    }
    Object[] ids = controls.keySet().toArray();
    Map<String, LocalDate> dates = new HashMap<>();
    for (Row r :
        lake.read(spark, "samples")
            .where(functions.col("sample_id").isin(ids))
            .select(
                functions.col("sample_id"),
                functions.date_format(functions.col("acquisition_date"), "yyyy-MM-dd"))
            .collectAsList()) {
      dates.put(r.getString(0), r.isNullAt(1) ? null : LocalDate.parse(r.getString(1)));
    }
    Map<String, double[]> raw =
        medianRows(QcEvents.readRaw(spark, lake, panel, cleanOnly), ids, columns);
    Map<String, double[]> normalised =
        lake.exists(spark, panel.normalisedEventsTable())
            ? medianRows(QcEvents.read(spark, lake, panel, cleanOnly), ids, columns)
            : Map.of();
    for (Map.Entry<String, double[]> r : raw.entrySet()) {
      SampleStatus s = controls.get(r.getKey());
      double[] n = normalised.get(r.getKey());
      for (int i = 0; i < columns.size(); i++) {
        out.add(
            new ControlMedian(
                s.sampleId(),
                columns.get(i),
                s.control(),
                dates.get(s.sampleId()),
                s.batch(),
                r.getValue()[i],
                n == null ? Double.NaN : n[i]));
      }
    }
    return out;
  }

  /** Sample id → the median of each column over its events, NaN where it has none. */
  private static Map<String, double[]> medianRows(
      Dataset<Row> events, Object[] ids, List<String> columns) {
    List<Column> aggs = new ArrayList<>();
    for (String c : columns) {
      aggs.add(
          functions
              .percentile_approx(
                  functions.col(c).cast(DataTypes.DoubleType),
                  functions.lit(0.5),
                  functions.lit(ACCURACY))
              .as(c));
    }
    Map<String, double[]> out = new TreeMap<>();
    for (Row r :
        events
            .where(functions.col("sample_id").isin(ids))
            .groupBy("sample_id")
            .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new))
            .collectAsList()) {
      double[] v = new double[columns.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.isNullAt(i + 1) ? Double.NaN : r.getDouble(i + 1);
      }
      out.put(r.getString(0), v);
    }
    return out;
  }
}
