package org.cytolake.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.GatingConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.GatingMlException;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.lake.Lake;
import org.cytolake.plot.AxisProjection;
import org.cytolake.plot.AxisRange;
import org.cytolake.plot.BinAxis;
import org.cytolake.plot.DensityGrid;
import org.cytolake.plot.DensityPlot;
import org.cytolake.plot.GateOutline;
import org.cytolake.plot.PanelChannels;
import org.cytolake.plot.PlotRenderer;
import org.cytolake.plot.PopulationFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cytolake plot}: a 2D density or 1D histogram of one panel's {@code events_<panel>} columns (compensated,
 * transformed), restricted to a sample, visit or cohort and to a gated population, with the outlines of the panel's
 * gates on those axes. Reads the lake, writes one image; never collects events to the driver.
 *
 * <ol>
 *   <li>Resolve panel, columns (by column or marker), selection and population against conf/ and the lake, naming
 *       the valid values of anything unknown.
 *   <li>Select the events: clean only unless {@code qc.use-flagged-events} ({@link QcEvents}), the selection's
 *       samples, then the population: a SQL expression ({@link PopulationColumn}) deciding each event as {@code
 *       gate} does, without a shuffle by sample (a strategy with transformed or ratio dimensions: {@link
 *       PopulationFilter}, event by event).
 *   <li>Ranges: given, or the 0.1% and 99.9% approximate quantiles of the selected events (Spark's {@code
 *       approxQuantile}, relative error {@link #QUANTILE_ERROR}, on a sample of about {@link #RANGE_SAMPLE} of them,
 *       {@link #sampleForRanges}) widened by {@link BinAxis#PADDING} on each side: a
 *       transform has no range of its own in the lake (asinh and linear columns are unbounded), and quantiles keep a
 *       few extreme events from squeezing the populations into a corner.
 *   <li>Bin on Spark: each event's bin index per axis as SQL ({@link #binIndex}, the arithmetic of {@link
 *       BinAxis#index}), group by bin and count; only the bins (at most {@code (bins + 3)^2} rows) reach the driver.
 *   <li>Draw ({@link PlotRenderer}): title, axis labels (marker, column, transform), selection, population and
 *       counts, the gate outlines.
 * </ol>
 */
public final class PlotJob {
  private static final Logger LOG = LoggerFactory.getLogger(PlotJob.class);
  private static final int STEPS = 5;

  /** The lower quantile of the automatic range. */
  public static final double RANGE_LOW_QUANTILE = 0.001;

  /** The upper quantile of the automatic range. */
  public static final double RANGE_HIGH_QUANTILE = 0.999;

  /** Relative error of the range quantiles (Spark's approxQuantile). */
  public static final double QUANTILE_ERROR = 0.0005;

  /** About how many of the selected events the range quantiles are computed on ({@link #sampleForRanges}). */
  public static final long RANGE_SAMPLE = 1_000_000;

  /** The seed of the range sample: the same plot each time. */
  static final long RANGE_SEED = 19;

  /** Bins per axis by default. */
  public static final int BINS_DEFAULT = 256;

  /** Most sample ids an error message lists. */
  private static final int LIST_AT_MOST = 20;

  private PlotJob() {}

  /**
   * @param y the y column or marker, or null for a histogram of x
   * @param sample a sample id, or null
   * @param visit a visit code, or null
   * @param cohort a cohort, or null (at most one of sample, visit and cohort)
   * @param population a population id or path of the panel's strategy, or null for all events
   * @param gates whether to draw the outlines of the strategy's gates on the axes
   * @param xRange a fixed x range, or null for the quantile range
   * @param yRange a fixed y range, or null for the quantile range
   */
  public record Options(
      String lake,
      Path conf,
      Path schemas,
      String panel,
      String x,
      String y,
      String sample,
      String visit,
      String cohort,
      String population,
      boolean gates,
      int bins,
      AxisRange xRange,
      AxisRange yRange,
      Path out,
      int width,
      int height) {}

  /**
   * @param events events plotted (selected and in the population)
   * @param outside of those, events outside the ranges
   * @param missing of those, events with a null or NaN value
   * @param gatesDrawn the ids of the gates outlined
   * @param grid the counts drawn
   * @param dataArea where the data area lies in the image, pixels
   * @param seconds wall time of the job
   */
  public record Result(
      Path out,
      String panel,
      String xColumn,
      String yColumn,
      long events,
      long outside,
      long missing,
      BinAxis xAxis,
      BinAxis yAxis,
      List<String> gatesDrawn,
      DensityGrid grid,
      java.awt.geom.Rectangle2D dataArea,
      double seconds) {}

  /** Draws the plot of {@code o}. */
  public static Result run(SparkSession spark, Options o) throws IOException {
    long start = System.nanoTime();
    step(spark, 1, "resolve panel, columns, selection and population");
    int chosen =
        (o.sample() != null ? 1 : 0) + (o.visit() != null ? 1 : 0) + (o.cohort() != null ? 1 : 0);
    if (chosen > 1) {
      throw new IllegalArgumentException(
          "Cannot plot: give at most one of --sample, --visit and --cohort");
    }
    if (o.bins() < 2 || o.bins() > 4096) {
      throw new IllegalArgumentException("Cannot plot: --bins must be 2-4096, not " + o.bins());
    }
    String name = o.out().getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".png") && !name.endsWith(".svg")) {
      throw new IllegalArgumentException(
          "Cannot plot to '" + o.out() + "': the file name must end in .png or .svg");
    }
    CytolakeConfig config = CytolakeConfig.load(o.conf());
    PanelConfig panel = config.panel(o.panel());
    ChannelConfig cx = PanelChannels.find(panel, o.x());
    ChannelConfig cy = o.y() == null ? null : PanelChannels.find(panel, o.y());
    Lake lake = Lake.of(o.lake(), o.schemas(), config.settings());
    if (!lake.exists(spark, panel.eventsTable())) {
      throw new IllegalArgumentException(
          "Cannot plot panel "
              + panel.code()
              + ": the lake '"
              + lake.root()
              + "' has no table "
              + panel.eventsTable()
              + " (run ingest-fcs first)");
    }
    GatingStrategy strategy = null;
    String strategyText = null;
    if (o.population() != null || o.gates()) {
      Path file = GatingConfig.file(o.conf().resolve(GatingConfig.DIR), panel.code());
      if (!Files.exists(file)) {
        throw new IllegalArgumentException(
            "Cannot plot "
                + (o.population() != null ? "population '" + o.population() + "'" : "gates")
                + " of panel "
                + panel.code()
                + ": it has no gating strategy "
                + file);
      }
      strategyText = Files.readString(file);
      try {
        strategy = CompactGatingReader.read(strategyText, file.toString(), false);
      } catch (GatingMlException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }
    String populationId =
        o.population() == null ? null : PopulationFilter.resolve(strategy, o.population());

    step(spark, 2, "select events of " + panel.eventsTable());
    Dataset<Row> selected =
        QcEvents.read(spark, lake, panel, QcEvents.cleanOnly(config.settings()));
    String selection = "all samples";
    List<String> samples = null;
    if (o.sample() != null || o.visit() != null || o.cohort() != null) {
      samples = selectSamples(spark, lake, panel, o);
      selected = selected.where(functions.col("sample_id").isin(samples.toArray()));
      selection =
          o.sample() != null
              ? "sample " + o.sample()
              : o.visit() != null
                  ? "visit " + o.visit() + " (" + samples.size() + " samples)"
                  : "cohort " + o.cohort() + " (" + samples.size() + " samples)";
    }
    List<Column> cols = new ArrayList<>();
    cols.add(functions.col(cx.column()).cast(DataTypes.DoubleType).as("x"));
    if (cy != null) {
      cols.add(functions.col(cy.column()).cast(DataTypes.DoubleType).as("y"));
    }
    Column inSql = null;
    InPopulation inPopulation = null;
    if (populationId != null) {
      List<String> needed = PopulationFilter.requiredColumns(strategy, populationId);
      for (String c : needed) {
        cols.add(functions.col(c).cast(DataTypes.DoubleType).as("g_" + c));
      }
      PopulationFilter.of(strategy, populationId, needed); // checks the columns on the driver
      if (PopulationColumn.supports(strategy, populationId)) {
        Map<String, String> byDimension = new LinkedHashMap<>();
        needed.forEach(c -> byDimension.put(c, "g_" + c));
        inSql = PopulationColumn.of(strategy, populationId, byDimension);
      } else {
        inPopulation =
            new InPopulation(strategyText, panel.code(), populationId, needed, cy == null ? 1 : 2);
      }
    }
    Dataset<Row> events = plotted(selected, cols, inSql, inPopulation);

    step(spark, 3, "ranges");
    BinAxis xAxis;
    BinAxis yAxis = null;
    List<String> auto = new ArrayList<>();
    if (o.xRange() == null) {
      auto.add("x");
    }
    if (cy != null && o.yRange() == null) {
      auto.add("y");
    }
    double[][] q =
        auto.isEmpty()
            ? new double[0][]
            : plotted(
                    sampleForRanges(spark, lake, panel, samples, selected),
                    cols,
                    inSql,
                    inPopulation)
                .stat()
                .approxQuantile(
                    auto.toArray(new String[0]),
                    new double[] {RANGE_LOW_QUANTILE, RANGE_HIGH_QUANTILE},
                    QUANTILE_ERROR);
    for (double[] qs : q) {
      if (qs.length < 2) {
        throw new IllegalArgumentException(
            "Cannot plot: no events with a value of "
                + cx.column()
                + (cy == null ? "" : " and " + cy.column())
                + " in "
                + selection
                + (populationId == null ? "" : ", population " + strategy.path(populationId)));
      }
    }
    int k = 0;
    xAxis =
        o.xRange() != null
            ? o.xRange().axis(o.bins())
            : BinAxis.padded(q[k][0], q[k++][1], o.bins());
    if (cy != null) {
      yAxis =
          o.yRange() != null
              ? o.yRange().axis(o.bins())
              : BinAxis.padded(q[k][0], q[k][1], o.bins());
    }

    step(spark, 4, "bin " + o.bins() + (cy == null ? "" : " x " + o.bins()) + " and count");
    DensityGrid grid = bin(events, xAxis, yAxis);

    step(spark, 5, "draw " + o.out());
    List<GateOutline> outlines =
        o.gates()
            ? GateOutline.of(
                strategy,
                AxisProjection.byName(cx.column(), cy == null ? null : cy.column()),
                xAxis,
                yAxis)
            : List.of();
    String title =
        panel.code()
            + (panel.name() == null ? "" : " (" + panel.name() + ")")
            + ": "
            + (cy == null ? name(cx) : name(cx) + " vs " + name(cy));
    List<String> subtitles = new ArrayList<>();
    subtitles.add(
        selection
            + " · population "
            + (populationId == null ? "all events" : strategy.path(populationId))
            + " · "
            + String.format(Locale.ROOT, "%,d events", grid.total())
            + (QcEvents.cleanOnly(config.settings()) ? " (qc_flag = 0)" : ""));
    subtitles.add(
        String.format(
            Locale.ROOT,
            "%s bins, range %s; %,d outside, %,d missing%s",
            cy == null ? String.valueOf(o.bins()) : o.bins() + " x " + o.bins(),
            auto.isEmpty()
                ? "given"
                : "0.1-99.9% quantiles ±5%"
                    + (auto.size() == (cy == null ? 1 : 2)
                        ? ""
                        : " (" + String.join(", ", auto) + ")"),
            grid.outside(),
            grid.missing(),
            o.gates() ? "; gates of " + panel.code() + ".yaml" : ""));
    DensityPlot plot =
        new DensityPlot(
            grid,
            outlines,
            title,
            subtitles,
            PanelChannels.label(cx),
            cy == null ? DensityPlot.histogramLabel(xAxis) : PanelChannels.label(cy),
            o.width(),
            o.height());
    PlotRenderer.Rendered rendered = PlotRenderer.write(plot, o.out());
    spark.sparkContext().setJobDescription(null);
    double seconds = (System.nanoTime() - start) / 1e9;
    LOG.info(
        "plot {}: {} events ({} outside, {} missing) in {} s -> {}",
        panel.code(),
        grid.total(),
        grid.outside(),
        grid.missing(),
        String.format(Locale.ROOT, "%.1f", seconds),
        o.out());
    return new Result(
        o.out(),
        panel.code(),
        cx.column(),
        cy == null ? null : cy.column(),
        grid.total(),
        grid.outside(),
        grid.missing(),
        xAxis,
        yAxis,
        outlines.stream().map(GateOutline::gateId).toList(),
        grid,
        rendered.dataArea(),
        seconds);
  }

  /**
   * The plotted columns ({@code x}, {@code y}, then the population's) of events, in the population when given: by a
   * SQL expression ({@link PopulationColumn}) where the strategy allows, else event by event ({@link InPopulation}).
   */
  private static Dataset<Row> plotted(
      Dataset<Row> events, List<Column> cols, Column inSql, InPopulation in) {
    Dataset<Row> d = events.select(cols.toArray(new Column[0]));
    if (inSql != null) {
      return d.where(inSql);
    }
    return in == null ? d : d.filter(in);
  }

  /**
   * The selected events the range quantiles are computed on: a uniform sample of about {@link #RANGE_SAMPLE} of
   * them (fixed seed; the fraction from {@code samples.event_count}), or all of them when there are fewer.
   * Approximate quantiles cost far more per event than binning does; a 10^6-event sample puts about 1,000 events
   * below the 0.1% quantile, plenty for a plot's range.
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
    double fraction = events <= RANGE_SAMPLE ? 1.0 : (double) RANGE_SAMPLE / events;
    return fraction >= 1.0 ? selected : selected.sample(false, fraction, RANGE_SEED);
  }

  private static String name(ChannelConfig c) {
    return c.marker() == null ? c.column() : c.marker();
  }

  /**
   * The sample ids of the panel that the selection names, from {@code samples} (and {@code patients} for a cohort).
   *
   * @throws IllegalArgumentException listing the valid values when the selection names none
   */
  static List<String> selectSamples(SparkSession spark, Lake lake, PanelConfig panel, Options o) {
    Dataset<Row> samples =
        lake.read(spark, "samples").where(functions.col("panel").equalTo(panel.code()));
    if (o.sample() != null) {
      List<String> all =
          samples
              .select("sample_id")
              .distinct()
              .orderBy("sample_id")
              .as(org.apache.spark.sql.Encoders.STRING())
              .collectAsList();
      if (!all.contains(o.sample())) {
        throw new IllegalArgumentException(
            "Cannot plot sample '"
                + o.sample()
                + "': panel "
                + panel.code()
                + " has no such sample; its "
                + all.size()
                + " samples are "
                + firstFew(all));
      }
      return List.of(o.sample());
    }
    if (o.visit() != null) {
      List<String> visits =
          samples
              .select("visit")
              .distinct()
              .orderBy("visit")
              .as(org.apache.spark.sql.Encoders.STRING())
              .collectAsList();
      if (!visits.contains(o.visit())) {
        throw new IllegalArgumentException(
            "Cannot plot visit '"
                + o.visit()
                + "': panel "
                + panel.code()
                + " has samples at visits "
                + visits);
      }
      return samples
          .where(functions.col("visit").equalTo(o.visit()))
          .select("sample_id")
          .distinct()
          .as(org.apache.spark.sql.Encoders.STRING())
          .collectAsList();
    }
    Dataset<Row> withCohort =
        samples.join(lake.read(spark, "patients").select("patient_id", "cohort"), "patient_id");
    List<String> cohorts =
        withCohort
            .select("cohort")
            .distinct()
            .orderBy("cohort")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    if (!cohorts.contains(o.cohort())) {
      throw new IllegalArgumentException(
          "Cannot plot cohort '"
              + o.cohort()
              + "': panel "
              + panel.code()
              + " has samples of cohorts "
              + cohorts);
    }
    return withCohort
        .where(functions.col("cohort").equalTo(o.cohort()))
        .select("sample_id")
        .distinct()
        .as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
  }

  private static String firstFew(List<String> all) {
    return all.size() <= LIST_AT_MOST
        ? all.toString()
        : all.subList(0, LIST_AT_MOST) + " and " + (all.size() - LIST_AT_MOST) + " more";
  }

  /**
   * Counts the events of columns {@code x} (and {@code y} when {@code yAxis} is not null) per bin on Spark and
   * collects only the counts.
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

  private static void step(SparkSession spark, int n, String what) {
    String d = "plot " + n + "/" + STEPS + ": " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info(d);
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
