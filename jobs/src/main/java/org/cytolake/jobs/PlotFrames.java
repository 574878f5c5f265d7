package org.cytolake.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.lake.Lake;
import org.cytolake.plot.BinAxis;
import org.cytolake.plot.DensityGrid;
import org.cytolake.plot.PlotSelection;
import org.cytolake.plot.PopulationFilter;
import org.cytolake.plot.RangeChoice;
import org.cytolake.plot.RangeSamples;
import org.cytolake.stats.Quantiles;

/**
 * The frames of the plot job ({@link PlotJob}): the samples a selection names, the plotted columns of the events in a
 * population, the sample the range quantiles are computed on, and the binning, where only the counts per bin reach
 * the driver. The rules these follow live in {@code org.cytolake.plot} ({@link PlotSelection}, {@link RangeChoice},
 * {@link BinAxis}).
 */
final class PlotFrames {
  private PlotFrames() {}

  /**
   * The sample ids of the panel that the selection names, from {@code samples} (and {@code patients} for a cohort),
   * or null when it names all of them.
   *
   * @throws IllegalArgumentException listing the valid values when the selection names none ({@link
   *     PlotSelection#requireKnown})
   */
  static List<String> selectSamples(
      SparkSession spark, Lake lake, PanelConfig panel, PlotSelection s) {
    if (s.all()) {
      return null;
    }
    Dataset<Row> samples =
        lake.read(spark, "samples").where(functions.col("panel").equalTo(panel.code()));
    if (s.sample() != null) {
      s.requireKnown(panel.code(), distinct(samples, "sample_id"));
      return List.of(s.sample());
    }
    String column = s.visit() != null ? "visit" : "cohort";
    String value = s.visit() != null ? s.visit() : s.cohort();
    Dataset<Row> rows =
        s.visit() != null
            ? samples
            : samples.join(
                lake.read(spark, "patients").select("patient_id", "cohort"), "patient_id");
    s.requireKnown(panel.code(), distinct(rows, column));
    return rows.where(functions.col(column).equalTo(value))
        .select("sample_id")
        .distinct()
        .as(Encoders.STRING())
        .collectAsList();
  }

  /** The distinct values of a string column, sorted. */
  private static List<String> distinct(Dataset<Row> rows, String column) {
    return rows.select(column).distinct().orderBy(column).as(Encoders.STRING()).collectAsList();
  }

  /**
   * The plotted columns ({@code x}, {@code y}, then the population's as {@code g_<column>}, all doubles) of events,
   * in the population when there is one: by a SQL expression ({@link PopulationColumn}) where the strategy allows,
   * else event by event ({@link InPopulation}).
   *
   * @param cols the columns selected
   * @param inSql the population as SQL, or null
   * @param in the population event by event, or null
   */
  record Plotted(List<Column> cols, Column inSql, InPopulation in) {

    /**
     * The plotted columns of channels {@code x} and {@code y} (null for a histogram), in population {@code
     * populationId} of {@code strategy} (null for all events).
     *
     * @param strategyText the strategy's text, for {@link InPopulation}
     * @param source where the strategy was read from, for its error messages
     */
    static Plotted of(
        ChannelConfig x,
        ChannelConfig y,
        GatingStrategy strategy,
        String strategyText,
        String source,
        String populationId) {
      List<Column> cols = new ArrayList<>();
      cols.add(functions.col(x.column()).cast(DataTypes.DoubleType).as("x"));
      if (y != null) {
        cols.add(functions.col(y.column()).cast(DataTypes.DoubleType).as("y"));
      }
      if (populationId == null) {
        return new Plotted(cols, null, null);
      }
      List<String> needed = PopulationFilter.requiredColumns(strategy, populationId);
      for (String c : needed) {
        cols.add(functions.col(c).cast(DataTypes.DoubleType).as("g_" + c));
      }
      PopulationFilter.of(strategy, populationId, needed); // checks the columns on the driver
      if (PopulationColumn.supports(strategy, populationId)) {
        Map<String, String> byDimension = new LinkedHashMap<>();
        needed.forEach(c -> byDimension.put(c, "g_" + c));
        return new Plotted(cols, PopulationColumn.of(strategy, populationId, byDimension), null);
      }
      return new Plotted(
          cols,
          null,
          new InPopulation(strategyText, source, populationId, needed, y == null ? 1 : 2));
    }

    /** The plotted columns of {@code events}, in the population. */
    Dataset<Row> select(Dataset<Row> events) {
      Dataset<Row> d = events.select(cols.toArray(new Column[0]));
      if (inSql != null) {
        return d.where(inSql);
      }
      return in == null ? d : d.filter(in);
    }
  }

  /**
   * The selected events the range quantiles are computed on: a uniform sample of about {@link RangeChoice#SAMPLE} of
   * them (seed {@link RangeChoice#SEED}; the fraction from {@code samples.event_count}, {@link
   * RangeChoice#sampleFraction}), or all of them when there are fewer.
   *
   * @param samples the selected sample ids, or null for all of the panel's
   */
  static Dataset<Row> sampleForRanges(
      SparkSession spark,
      Lake lake,
      PanelConfig panel,
      List<String> samples,
      Dataset<Row> selected) {
    Dataset<Row> s =
        lake.read(spark, "samples").where(functions.col("panel").equalTo(panel.code()));
    if (samples != null) {
      s = s.where(functions.col("sample_id").isin(samples.toArray()));
    }
    Row total = s.agg(functions.sum("event_count")).first();
    long events = total.isNullAt(0) ? 0 : total.getLong(0);
    double fraction = RangeChoice.sampleFraction(events);
    return fraction >= 1.0 ? selected : selected.sample(false, fraction, RangeChoice.SEED);
  }

  /**
   * {@code events} of a panel, or about {@code about} of them when the panel's samples hold more
   * ({@code samples.event_count}): those of a seeded choice of samples ({@link RangeSamples}, at
   * least {@link RangeSamples#MIN_SAMPLES}; only their files are read), a seeded uniform fraction of
   * them when they hold more. What axis ranges and scales are taken on, so that their cost grows
   * with neither the trial nor its number of samples.
   */
  static Dataset<Row> rangeSample(
      SparkSession spark, Lake lake, String panel, Dataset<Row> events, long about) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Row r :
        lake.read(spark, "samples")
            .where(functions.col("panel").equalTo(panel))
            .select("sample_id", "event_count")
            .collectAsList()) {
      counts.merge(r.getString(0), r.isNullAt(1) ? 0L : r.getLong(1), Long::sum);
    }
    RangeSamples choice =
        RangeSamples.choose(counts, about, RangeSamples.MIN_SAMPLES, RangeChoice.SEED);
    Dataset<Row> chosen =
        choice.all()
            ? events
            : events.where(functions.col("sample_id").isin(choice.samples().toArray()));
    return choice.fraction() >= 1.0
        ? chosen
        : chosen.sample(false, choice.fraction(), RangeChoice.SEED);
  }

  /**
   * Per column of {@code auto}, its {@link RangeChoice#quantiles()} in {@code events}: {@link
   * #quantiles(Dataset, List, double[])}.
   */
  static double[][] quantiles(Dataset<Row> events, List<String> auto) {
    return quantiles(events, auto, RangeChoice.quantiles());
  }

  /**
   * Per column, the quantiles {@code probs} of its values in {@code events}, exact (R's type 7,
   * {@link Quantiles#type7}; null and NaN left out); empty for a column without values. The values
   * reach the driver ({@link DoubleColumns}): callers pass a sample ({@link #rangeSample}, {@link
   * #sampleForRanges}).
   *
   * <p>Spark's {@code approxQuantile} did this before session 14: on Spark 4.2 its per-value update
   * asks {@code SQLConf.get}, which on an executor builds a new {@code ReadOnlySQLConf} each time:
   * the top of the report's range passes in JFR, though their time was mostly the scan of every
   * file (BENCHMARKS.md, session 14). Exact quantiles of the sample are also simpler to state.
   */
  static double[][] quantiles(Dataset<Row> events, List<String> columns, double[] probs) {
    if (columns.isEmpty()) {
      return new double[0][];
    }
    double[][] values =
        DoubleColumns.collect(
            events.select(
                columns.stream()
                    .map(c -> functions.col(c).cast(DataTypes.DoubleType).as(c))
                    .toArray(Column[]::new)));
    double[][] out = new double[columns.size()][];
    for (int i = 0; i < out.length; i++) {
      double[] q = Quantiles.type7(values[i], probs);
      out[i] = Double.isNaN(q[0]) ? new double[0] : q;
    }
    return out;
  }

  /**
   * Counts the events of columns {@code x} (and {@code y} when {@code yAxis} is not null) per bin on Spark and
   * collects only the counts (at most {@code (bins + 3)^2} rows).
   */
  static DensityGrid bin(Dataset<Row> events, BinAxis xAxis, BinAxis yAxis) {
    List<Column> keys = new ArrayList<>();
    keys.add(binIndex(functions.col("x"), xAxis).as("bx"));
    if (yAxis != null) {
      keys.add(binIndex(functions.col("y"), yAxis).as("by"));
    }
    DensityGrid.Builder b = DensityGrid.builder(xAxis, yAxis);
    for (Row r : events.groupBy(keys.toArray(new Column[0])).count().collectAsList()) {
      b.add(r.getInt(0), yAxis == null ? 0 : r.getInt(1), r.getLong(r.size() - 1));
    }
    return b.build();
  }

  /**
   * The bin of a double column as SQL, as {@link BinAxis#index} computes it: {@code (v - lo) * scale} clamped to
   * {@code [-1, bins]} and floored; {@link BinAxis#MISSING} for null or NaN.
   */
  static Column binIndex(Column v, BinAxis a) {
    Column t = v.minus(functions.lit(a.lo())).multiply(functions.lit(a.scale()));
    Column clamped =
        functions.least(
            functions.greatest(t, functions.lit((double) BinAxis.BELOW)),
            functions.lit((double) a.bins()));
    return functions
        .when(v.isNull().or(functions.isnan(v)), functions.lit(BinAxis.MISSING))
        .otherwise(functions.floor(clamped).cast(DataTypes.IntegerType));
  }

  /**
   * Keeps the events of a population: rows of the plotted columns, then (from {@code first}) the columns the
   * population's gates read. The strategy travels as its text (a {@link GatingStrategy} is not serializable) and is
   * parsed once per task.
   */
  static final class InPopulation implements FilterFunction<Row> {
    private static final long serialVersionUID = 1L;
    private final String strategyText;
    private final String source;
    private final String population;
    private final ArrayList<String> columns;
    private final int first;
    private transient PopulationFilter filter;
    private transient double[] values;

    InPopulation(
        String strategyText, String source, String population, List<String> columns, int first) {
      this.strategyText = strategyText;
      this.source = source;
      this.population = population;
      this.columns = new ArrayList<>(columns);
      this.first = first;
    }

    @Override
    public boolean call(Row row) throws Exception {
      if (filter == null) {
        filter =
            PopulationFilter.of(
                CompactGatingReader.read(strategyText, source, false), population, columns);
        values = new double[columns.size()];
      }
      for (int i = 0; i < values.length; i++) {
        values[i] = row.isNullAt(first + i) ? Double.NaN : row.getDouble(first + i);
      }
      return filter.test(values);
    }
  }
}
