package org.cytolake.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.cytolake.config.PanelConfig;
import org.cytolake.gating.PopulationStats;
import org.cytolake.lake.Lake;
import org.cytolake.tables.TableSchema;

/**
 * The frames of the gate job: a panel's events gated one sample at a time ({@link GatePartition},
 * {@link PopulationStats}), and from those rows the long-form medians and the QC flags; an
 * incremental run's fresh rows joined with the rows it keeps.
 */
final class GateFrames {
  private GateFrames() {}

  /**
   * When only some samples were gated: their new rows plus the table's rows of every other sample
   * the lake still has (a sample gone from {@code samples} goes from the gating tables too).
   */
  static Dataset<Row> keepOthers(
      SparkSession spark, Lake lake, TableSchema contract, Dataset<Row> fresh, Set<String> gated) {
    if (gated == null || !lake.exists(spark, contract.table())) {
      return fresh;
    }
    Column[] cols = contract.columnNames().stream().map(functions::col).toArray(Column[]::new);
    Dataset<Row> current = lake.read(spark, "samples").select("sample_id").distinct();
    Dataset<Row> old =
        lake.read(spark, contract.table())
            .where(functions.not(functions.col("sample_id").isin(gated.toArray())))
            .join(current, "sample_id")
            .select(cols);
    return fresh.select(cols).unionByName(old);
  }

  /**
   * One row per sample x population of a panel (schema {@link GatePartition#GATED}), gating the events of
   * {@code only} these samples (null: all).
   */
  static Dataset<Row> gate(
      SparkSession spark,
      Lake lake,
      PanelConfig panel,
      String strategy,
      Set<String> only,
      long minEvents,
      boolean cleanOnly) {
    List<String> columns = panel.columns();
    List<Column> select = new ArrayList<>();
    select.add(functions.col("sample_id"));
    for (String c : columns) {
      select.add(functions.col(c).cast(DataTypes.DoubleType));
    }
    Dataset<Row> events = QcEvents.read(spark, lake, panel, cleanOnly);
    if (only != null) {
      events = events.where(functions.col("sample_id").isin(only.toArray()));
    }
    events = events.select(select.toArray(new Column[0]));
    int partitions = Math.max(1, events.rdd().getNumPartitions());
    Dataset<Row> bySample =
        events
            .repartition(partitions, functions.col("sample_id"))
            .sortWithinPartitions("sample_id");
    List<String> markers = new ArrayList<>(); // nulls allowed
    panel.channels().forEach(c -> markers.add(c.marker()));
    return bySample.mapPartitions(
        new GatePartition(panel.code(), columns, markers, strategy, minEvents),
        ExpressionEncoder.apply(GatePartition.GATED));
  }

  /** Long-form medians: one row per sample x population x column. */
  static Dataset<Row> medianRows(Dataset<Row> gated) {
    return gated
        .select(
            functions.col("sample_id"),
            functions.col("panel"),
            functions.col("population"),
            functions.col("count").as("events"),
            functions.explode(functions.col("medians")).as("m"))
        .select(
            functions.col("sample_id"),
            functions.col("panel"),
            functions.col("population"),
            functions.col("m.column").as("column"),
            functions.col("m.marker").as("marker"),
            functions.col("events"),
            functions.col("m.median").as("median"));
  }

  /**
   * One row per sample x data-adaptive limit ({@code gate_thresholds}): the sample's thresholds,
   * which {@link GatePartition} puts on its first row.
   */
  static Dataset<Row> thresholdRows(Dataset<Row> gated) {
    return gated
        .select(
            functions.col("sample_id"),
            functions.col("panel"),
            functions.explode(functions.col("thresholds")).as("t"))
        .select(
            functions.col("sample_id"),
            functions.col("panel"),
            functions.col("t.gate").as("gate"),
            functions.col("t.dimension").as("dimension"),
            functions.col("t.side").as("side"),
            functions.col("t.threshold").as("threshold"),
            functions.col("t.method").as("method"),
            functions.col("t.fallback_used").as("fallback_used"),
            functions.col("t.detail").as("detail"));
  }

  /** One row per sample x population x QC flag, with the flag and its detail. */
  static Dataset<Row> qcFlags(Dataset<Row> gated) {
    return gated
        .withColumn("q", functions.explode(functions.col("qc")))
        .select(
            functions.col("*"),
            functions.col("q.flag").as("flag"),
            functions.col("q.detail").as("detail"));
  }
}
