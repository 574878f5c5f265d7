package org.cytolake.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.ResolvedThreshold;
import org.cytolake.lake.Lake;
import org.cytolake.plot.AxisProjection;
import org.cytolake.plot.AxisRange;
import org.cytolake.plot.BinAxis;
import org.cytolake.plot.DensityGrid;
import org.cytolake.plot.DensityPlot;
import org.cytolake.plot.GateOutline;
import org.cytolake.plot.GateThresholds;
import org.cytolake.plot.PanelChannels;
import org.cytolake.plot.PanelStrategy;
import org.cytolake.plot.PlotChecks;
import org.cytolake.plot.PlotRenderer;
import org.cytolake.plot.PlotSelection;
import org.cytolake.plot.PlotText;
import org.cytolake.plot.PopulationFilter;
import org.cytolake.plot.RangeChoice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cytolake plot}: a 2D density or 1D histogram of one panel's {@code events_<panel>} columns (compensated,
 * transformed), restricted to a sample, visit or cohort and to a gated population, with the outlines of the panel's
 * gates on those axes. Reads the lake, writes one image; never collects events to the driver. The rules live in
 * {@code org.cytolake.plot}, the Spark frames in {@link PlotFrames}; this class reads, calls them and writes.
 *
 * <ol>
 *   <li>Resolve panel, columns (by column or marker, {@link PanelChannels}), selection ({@link PlotSelection}) and
 *       population against conf/ and the lake, naming the valid values of anything unknown.
 *   <li>Select the events: clean only unless {@code qc.use-flagged-events} ({@link QcEvents}), the selection's
 *       samples, then the population: a SQL expression ({@link PopulationColumn}) deciding each event as {@code
 *       gate} does, without a shuffle by sample (a strategy with transformed or ratio dimensions: {@link
 *       PopulationFilter}, event by event); {@link PlotFrames.Plotted}.
 *   <li>Ranges ({@link RangeChoice}): given, or quantiles of the selected events on a sample of them
 *       ({@link PlotFrames#sampleForRanges}) widened by {@link BinAxis#PADDING} on each side.
 *   <li>Bin on Spark: each event's bin index per axis as SQL ({@link PlotFrames#binIndex}, the arithmetic of {@link
 *       BinAxis#index}), group by bin and count; only the bins (at most {@code (bins + 3)^2} rows) reach the driver.
 *   <li>Draw ({@link PlotRenderer}): title, axis labels (marker, column, transform), selection, population and
 *       counts ({@link PlotText}), the gate outlines. A gate's data-adaptive limits ({@link GateThresholds}): on a
 *       plot of one sample, that sample's thresholds from {@code gate_thresholds}, each said in a subtitle; on a
 *       plot of several samples, the fixed fallbacks, the subtitle giving the range of the samples' thresholds.
 * </ol>
 */
public final class PlotJob {
  private static final Logger LOG = LoggerFactory.getLogger(PlotJob.class);
  private static final int STEPS = 5;

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
   * @param raw of a panel normalised between batches, draw {@code events_<panel>} instead of
   *     {@code events_norm_<panel>} (the subtitle says which)
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
      int height,
      boolean raw) {}

  /**
   * @param events events plotted (selected and in the population)
   * @param outside of those, events outside the ranges
   * @param missing of those, events with a null or NaN value
   * @param gatesDrawn the ids of the gates outlined
   * @param grid the counts drawn
   * @param dataArea where the data area lies in the image, pixels
   * @param thresholdLines what the subtitles say of the drawn gates' data-adaptive limits, one line
   *     per gate ({@link GateThresholds})
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
      List<String> thresholdLines,
      double seconds) {}

  /** Draws the plot of {@code o}. */
  public static Result run(SparkSession spark, Options o) throws IOException {
    long start = System.nanoTime();
    step(spark, 1, "resolve panel, columns, selection and population");
    PlotSelection selection = new PlotSelection(o.sample(), o.visit(), o.cohort());
    PlotChecks.check(o.bins(), o.out());
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
    PanelStrategy gating =
        o.population() != null || o.gates()
            ? PanelStrategy.read(o.conf(), panel.code(), o.population())
            : null;
    GatingStrategy strategy = gating == null ? null : gating.strategy();
    String populationId =
        o.population() == null ? null : PopulationFilter.resolve(strategy, o.population());
    String population = populationId == null ? null : strategy.path(populationId);

    step(spark, 2, "select events of " + panel.eventsTable());
    boolean cleanOnly = QcEvents.cleanOnly(config.settings());
    // a panel normalised between batches is drawn on its normalised values unless --raw
    boolean normalised = !o.raw() && lake.exists(spark, panel.normalisedEventsTable());
    Dataset<Row> selected =
        normalised
            ? QcEvents.read(spark, lake, panel, cleanOnly)
            : QcEvents.readRaw(spark, lake, panel, cleanOnly);
    List<String> samples = PlotFrames.selectSamples(spark, lake, panel, selection);
    if (samples != null) {
      selected = selected.where(functions.col("sample_id").isin(samples.toArray()));
    }
    String selectionText = selection.describe(samples == null ? 0 : samples.size());
    PlotFrames.Plotted plotted =
        PlotFrames.Plotted.of(
            cx, cy, strategy, gating == null ? null : gating.text(), panel.code(), populationId);

    step(spark, 3, "ranges");
    RangeChoice ranges = new RangeChoice(o.xRange(), o.yRange(), cy == null);
    double[][] q =
        ranges.auto().isEmpty()
            ? new double[0][]
            : PlotFrames.quantiles(
                plotted.select(PlotFrames.sampleForRanges(spark, lake, panel, samples, selected)),
                ranges.auto());
    RangeChoice.Axes axes =
        ranges.axes(
            q,
            o.bins(),
            PlotText.values(
                cx.column(), cy == null ? null : cy.column(), selectionText, population));

    step(spark, 4, "bin " + o.bins() + (cy == null ? "" : " x " + o.bins()) + " and count");
    DensityGrid grid = PlotFrames.bin(plotted.select(selected), axes.x(), axes.y());

    step(spark, 5, "draw " + o.out());
    AxisProjection projection = AxisProjection.byName(cx.column(), cy == null ? null : cy.column());
    List<GateOutline> outlines =
        o.gates() ? GateOutline.of(strategy, projection, axes.x(), axes.y()) : List.of();
    List<String> thresholdLines = List.of();
    List<String> adaptive = GateThresholds.adaptiveDrawn(strategy, outlines);
    if (!adaptive.isEmpty()) {
      // a sample's own thresholds from gate_thresholds; several samples: the fallbacks, and the
      // range
      Map<String, List<ResolvedThreshold>> bySample = new TreeMap<>();
      for (GateThresholdRows.Entry e : GateThresholdRows.read(spark, lake, panel.code(), samples)) {
        bySample.computeIfAbsent(e.sampleId(), k -> new ArrayList<>()).add(e.threshold());
      }
      bySample.replaceAll((k, v) -> GateThresholds.byGateId(strategy, v));
      if (selection.sample() != null) {
        List<ResolvedThreshold> own = bySample.getOrDefault(selection.sample(), List.of());
        outlines = GateThresholds.outlines(strategy, own, projection, axes.x(), axes.y());
        thresholdLines = GateThresholds.sampleLines(strategy, adaptive, own);
      } else {
        thresholdLines = GateThresholds.pooledLines(strategy, adaptive, bySample);
      }
    }
    List<String> subtitles = new ArrayList<>();
    subtitles.add(
        PlotText.selectionLine(selectionText, population, grid.total(), cleanOnly)
            + (normalised ? " · batch-normalised (" + panel.normalisedEventsTable() + ")" : ""));
    subtitles.add(
        PlotText.binningLine(
            o.bins(),
            cy == null,
            ranges.describe(),
            grid.outside(),
            grid.missing(),
            o.gates() ? panel.code() : null));
    subtitles.addAll(thresholdLines);
    DensityPlot plot =
        new DensityPlot(
            grid,
            outlines,
            PlotText.title(panel, cx, cy),
            subtitles,
            PanelChannels.label(cx),
            cy == null ? DensityPlot.histogramLabel(axes.x()) : PanelChannels.label(cy),
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
        axes.x(),
        axes.y(),
        outlines.stream().map(GateOutline::gateId).toList(),
        grid,
        rendered.dataArea(),
        thresholdLines,
        seconds);
  }

  private static void step(SparkSession spark, int n, String what) {
    String d = "plot " + n + "/" + STEPS + ": " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info(d);
  }
}
