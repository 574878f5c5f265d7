package org.cytolake.jobs;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.GateEvaluator;
import org.cytolake.gating.GatingResult;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.PopulationStats;
import org.cytolake.gating.ResolvedThreshold;

/**
 * {@link GateJob}'s gating of the samples of one partition, which holds whole samples sorted by
 * sample id: buffers one sample's events, computes its {@link PopulationStats}, emits one
 * {@link #GATED} row per population, then goes on with the next sample.
 */
final class GatePartition extends SampleGatingPartition {
  private static final long serialVersionUID = 1L;

  /** The median of one column in one population: an element of {@link #GATED}'s medians. */
  static final StructType MEDIAN =
      new StructType()
          .add("column", DataTypes.StringType, false)
          .add("marker", DataTypes.StringType, true)
          .add("median", DataTypes.DoubleType, true);

  /** A {@code gating_qc} flag: an element of {@link #GATED}'s qc. */
  static final StructType QC =
      new StructType()
          .add("flag", DataTypes.StringType, false)
          .add("detail", DataTypes.StringType, false);

  /** A data-adaptive limit found in the sample: an element of {@link #GATED}'s thresholds. */
  static final StructType THRESHOLD =
      new StructType()
          .add("gate", DataTypes.StringType, false)
          .add("dimension", DataTypes.StringType, false)
          .add("side", DataTypes.StringType, false)
          .add("threshold", DataTypes.DoubleType, false)
          .add("method", DataTypes.StringType, false)
          .add("fallback_used", DataTypes.BooleanType, false)
          .add("detail", DataTypes.StringType, false);

  /**
   * The output: one row per sample x population, with its QC flags (EMPTY_GATE or LOW_COUNT, and
   * one ADAPTIVE_FALLBACK per limit that fell back), its medians, and on the sample's first row
   * only, every data-adaptive limit found in the sample (so that exploding them gives each once).
   */
  static final StructType GATED =
      new StructType()
          .add("sample_id", DataTypes.StringType, false)
          .add("panel", DataTypes.StringType, false)
          .add("population", DataTypes.StringType, false)
          .add("population_name", DataTypes.StringType, false)
          .add("parent", DataTypes.StringType, true)
          .add("count", DataTypes.LongType, false)
          .add("parent_count", DataTypes.LongType, false)
          .add("total_count", DataTypes.LongType, false)
          .add("pct_of_parent", DataTypes.DoubleType, true)
          .add("pct_of_total", DataTypes.DoubleType, true)
          .add("qc", DataTypes.createArrayType(QC, false), false)
          .add("medians", DataTypes.createArrayType(MEDIAN, false), false)
          .add("thresholds", DataTypes.createArrayType(THRESHOLD, false), false);

  private final ArrayList<String> markers;
  private final long minEvents;

  /**
   * @param markers the marker of every column (null where a channel has none)
   * @param minEvents {@code gating.min-events}, for {@link PopulationStats#qcFlag}
   */
  GatePartition(
      String panel,
      List<String> columns,
      List<String> markers,
      String strategyText,
      long minEvents) {
    super(panel, columns, strategyText, false);
    this.markers = new ArrayList<>(markers);
    this.minEvents = minEvents;
  }

  @Override
  List<Row> gateSample(
      GatingStrategy strategy, String sample, double[] values, long[] eventIndex, int n) {
    List<Row> rows = new ArrayList<>();
    EventTable events = new EventTable(sample, columns, n, values, null);
    GatingResult result = GateEvaluator.evaluate(strategy, events);
    List<Row> thresholds = new ArrayList<>();
    for (ResolvedThreshold t : result.thresholds()) {
      thresholds.add(
          RowFactory.create(
              strategy.path(t.gate()),
              t.dimension(),
              t.side(),
              t.threshold(),
              t.method(),
              t.fallbackUsed(),
              t.detail()));
    }
    List<String> ids = strategy.reportedPopulations();
    List<PopulationStats> stats = PopulationStats.of(strategy, events, result);
    for (int i = 0; i < stats.size(); i++) {
      PopulationStats s = stats.get(i);
      List<Row> qc = new ArrayList<>();
      s.qcFlag(minEvents).ifPresent(f -> qc.add(RowFactory.create(f.flag(), f.detail())));
      for (PopulationStats.QcFlag f :
          PopulationStats.fallbackFlags(result.thresholds(), strategy.gateOf(ids.get(i)).id())) {
        qc.add(RowFactory.create(f.flag(), f.detail()));
      }
      List<Row> medians = new ArrayList<>();
      for (int c = 0; c < columns.size(); c++) {
        medians.add(RowFactory.create(columns.get(c), markers.get(c), s.medians().get(c)));
      }
      rows.add(
          RowFactory.create(
              sample,
              panel,
              s.population(),
              s.name(),
              s.parent(),
              s.count(),
              s.parentCount(),
              s.totalCount(),
              s.pctOfParent(),
              s.pctOfTotal(),
              scala.jdk.javaapi.CollectionConverters.asScala(qc).toSeq(),
              scala.jdk.javaapi.CollectionConverters.asScala(medians).toSeq(),
              scala.jdk.javaapi.CollectionConverters.asScala(
                      rows.isEmpty() ? thresholds : List.<Row>of())
                  .toSeq()));
    }
    return rows;
  }
}
