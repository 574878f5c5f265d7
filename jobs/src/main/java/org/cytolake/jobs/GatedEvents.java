package org.cytolake.jobs;

import java.util.ArrayList;
import java.util.BitSet;
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
import org.cytolake.gating.GatingResult;
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
    Dataset<Row> events = events(spark, lake, panel, cleanOnly);
    StructType out =
        new StructType()
            .add("sample_id", DataTypes.StringType, false)
            .add("event_index", DataTypes.LongType, false)
            .add("gated", DataTypes.StringType, false);
    return bySample(events)
        .mapPartitions(
            new Partition(panel.code(), columns, strategy), ExpressionEncoder.apply(out));
  }

  /**
   * (sample_id, event_index, membership): every event of the panel (only clean ones when {@code
   * cleanOnly}) with the populations it is in, as a {@link BitSet}'s bytes over {@link
   * GatingStrategy#populations()}'s order (helpers included).
   */
  static Dataset<Row> memberships(
      SparkSession spark, Lake lake, PanelConfig panel, String strategy, boolean cleanOnly) {
    StructType out =
        new StructType()
            .add("sample_id", DataTypes.StringType, false)
            .add("event_index", DataTypes.LongType, false)
            .add("membership", DataTypes.BinaryType, false);
    return bySample(events(spark, lake, panel, cleanOnly))
        .mapPartitions(
            new MembershipPartition(panel.code(), panel.columns(), strategy),
            ExpressionEncoder.apply(out));
  }

  private static Dataset<Row> events(
      SparkSession spark, Lake lake, PanelConfig panel, boolean cleanOnly) {
    List<Column> select = new ArrayList<>();
    select.add(functions.col("sample_id"));
    select.add(functions.col("event_index"));
    for (String c : panel.columns()) {
      select.add(functions.col(c).cast(DataTypes.DoubleType));
    }
    return QcEvents.read(spark, lake, panel, cleanOnly).select(select.toArray(new Column[0]));
  }

  private static Dataset<Row> bySample(Dataset<Row> events) {
    int partitions = Math.max(1, events.rdd().getNumPartitions());
    return events
        .repartition(partitions, functions.col("sample_id"))
        .sortWithinPartitions("sample_id", "event_index");
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

  /** Gates whole samples of a partition and emits each event's population memberships. */
  static final class MembershipPartition extends SampleGatingPartition {
    private static final long serialVersionUID = 1L;

    MembershipPartition(String panel, List<String> columns, String strategyText) {
      super(panel, columns, strategyText, true);
    }

    @Override
    List<Row> gateSample(
        GatingStrategy strategy, String sample, double[] values, long[] eventIndex, int n) {
      GatingResult result =
          GateEvaluator.evaluate(strategy, new EventTable(sample, columns, n, values, null));
      List<String> populations = strategy.populations();
      BitSet[] in = new BitSet[populations.size()];
      for (int p = 0; p < in.length; p++) {
        in[p] = result.events(populations.get(p));
      }
      List<Row> rows = new ArrayList<>(n);
      for (int e = 0; e < n; e++) {
        BitSet m = new BitSet(in.length);
        for (int p = 0; p < in.length; p++) {
          if (in[p] != null && in[p].get(e)) {
            m.set(p);
          }
        }
        rows.add(RowFactory.create(sample, eventIndex[e], m.toByteArray()));
      }
      return rows;
    }
  }
}
