package org.cytolake.jobs;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.config.PanelConfig;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.GateEvaluator;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.lake.Lake;
import org.cytolake.scoring.DeepestPopulation;

/**
 * {@link EvaluateJob}'s re-gating of a panel's events: every event with the gated population it is scored as
 * ({@link DeepestPopulation}), one sample at a time per task ({@link SampleGatingPartition}).
 */
final class GatedEvents {
  private GatedEvents() {}

  /** (sample_id, event_index, gated): every event of the panel (only clean ones when {@code cleanOnly}, {@link QcEvents}) with its deepest non-helper population path. */
  static Dataset<Row> of(
      SparkSession spark, Lake lake, PanelConfig panel, String strategy, boolean cleanOnly) {
    List<String> columns = panel.columns();
    List<Column> select = new ArrayList<>();
    select.add(functions.col("sample_id"));
    select.add(functions.col("event_index"));
    for (String c : columns) {
      select.add(functions.col(c).cast(DataTypes.DoubleType));
    }
    Dataset<Row> events =
        QcEvents.read(spark, lake, panel, cleanOnly).select(select.toArray(new Column[0]));
    int partitions = Math.max(1, events.rdd().getNumPartitions());
    StructType out =
        new StructType()
            .add("sample_id", DataTypes.StringType, false)
            .add("event_index", DataTypes.LongType, false)
            .add("gated", DataTypes.StringType, false);
    return events
        .repartition(partitions, functions.col("sample_id"))
        .sortWithinPartitions("sample_id", "event_index")
        .mapPartitions(
            new Partition(panel.code(), columns, strategy), ExpressionEncoder.apply(out));
  }

  /** Gates whole samples of a partition (sorted by sample) and emits each event's {@link DeepestPopulation}. */
  static final class Partition extends SampleGatingPartition {
    private static final long serialVersionUID = 1L;

    /** One strategy per partition, so built once per task. */
    private transient DeepestPopulation deepest;

    Partition(String panel, List<String> columns, String strategyText) {
      super(panel, columns, strategyText, true);
    }

    @Override
    List<Row> gateSample(
        GatingStrategy strategy, String sample, double[] values, long[] eventIndex, int n) {
      if (deepest == null) {
        deepest = new DeepestPopulation(strategy);
      }
      String[] gated =
          deepest.of(
              GateEvaluator.evaluate(strategy, new EventTable(sample, columns, n, values, null)),
              n);
      List<Row> rows = new ArrayList<>(n);
      for (int e = 0; e < n; e++) {
        rows.add(RowFactory.create(sample, eventIndex[e], gated[e]));
      }
      return rows;
    }
  }
}
