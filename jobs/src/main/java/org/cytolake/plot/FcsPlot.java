package org.cytolake.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.cytolake.cytometry.BoundCompensation;
import org.cytolake.cytometry.Compensation;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.fcs.FcsDataset;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsParameter;
import org.cytolake.fcs.FcsReader;
import org.cytolake.fcs.Spillover;
import org.cytolake.gating.Dimension;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.GateEvaluator;
import org.cytolake.gating.GatingResult;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.ResolvedThreshold;
import org.cytolake.gating.Transformation;
import org.cytolake.stats.Quantiles;

/**
 * {@code cytolake plot-fcs}: the plot of {@code cytolake plot} for one FCS file, without a lake, as a user checks a
 * file before configuring a study. Stages, in memory:
 *
 * <ol>
 *   <li>read the first data set, linearized as {@code gate-fcs} reads it ({@link EventTable#linearize}: $PnE, $PnG);
 *   <li>compensate with the file's $SPILLOVER/SPILL when asked and present;
 *   <li>transform the x and y channels ({@code --transform});
 *   <li>restrict to a population of a gating file (Gating-ML or compact), evaluated by {@link GateEvaluator} on the
 *       linearized events with the document's own compensation and transforms, as {@code gate-fcs} does;
 *   <li>bin (ranges: given, or the 0.1% and 99.9% quantiles of the plotted values widened by 5% on each side, as
 *       {@code plot}), outline the document's gates on these axes and draw.
 * </ol>
 *
 * A gate's data-adaptive limits are found in the file as {@code gate-fcs} finds them ({@link GateEvaluator}) and
 * drawn there, each said in a subtitle ({@link GateThresholds#sampleLines}: {@code auto (valley) 2.31} or {@code
 * fallback 2.0 (no valley)}); when the strategy cannot be applied to the file (a channel it lacks) they are drawn at
 * their fallbacks and the subtitle says why.
 *
 * A gate is drawn when its dimensions are the plotted channels by {@code $PnN}; its coordinates, in the scale of its
 * own transformation, are mapped back to data ({@link Transform#inverse}) and onto the axis's transform, so a gate
 * defined on logicle values lands where those events are on an asinh axis.
 */
public final class FcsPlot {
  private FcsPlot() {}

  /**
   * @param y the y channel ($PnN or $PnS), or null for a histogram
   * @param xTransform applied to x after compensation
   * @param yTransform applied to y after compensation (ignored for a histogram)
   * @param compensate whether to compensate with the file's spillover (when it has one)
   * @param strategy the gating document, or null
   * @param population a population id or path of the strategy, or null for all events
   * @param gates whether to draw the strategy's gates on the axes
   * @param xRange a fixed x range, or null for the quantile range
   * @param yRange a fixed y range, or null
   */
  public record Options(
      Path fcs,
      String x,
      String y,
      Transform xTransform,
      Transform yTransform,
      boolean compensate,
      GatingStrategy strategy,
      String gatingName,
      String population,
      boolean gates,
      int bins,
      AxisRange xRange,
      AxisRange yRange,
      Path out,
      int width,
      int height) {
    public Options {
      Objects.requireNonNull(fcs, "fcs");
      Objects.requireNonNull(x, "x");
      Objects.requireNonNull(xTransform, "xTransform");
      Objects.requireNonNull(out, "out");
      if ((population != null || gates) && strategy == null) {
        throw new IllegalArgumentException(
            "Cannot plot " + (population != null ? "a population" : "gates") + ": give --gating");
      }
    }
  }

  /**
   * @param events events plotted (in the population)
   * @param compensated whether the file's spillover was applied
   * @param thresholdLines what the subtitles say of the drawn gates' data-adaptive limits, one line
   *     per gate ({@link GateThresholds#sampleLines})
   */
  public record Result(
      Path out,
      String xChannel,
      String yChannel,
      long events,
      long outside,
      long missing,
      BinAxis xAxis,
      BinAxis yAxis,
      boolean compensated,
      List<String> gatesDrawn,
      List<String> thresholdLines) {}

  /**
   * Reads the file and draws the plot.
   *
   * @throws IllegalArgumentException naming the channel and listing the file's channels when one is unknown, or the
   *     population (listing the strategy's) when it is unknown
   * @throws org.cytolake.fcs.FcsFormatException when the file is malformed
   */
  public static Result run(Options o) throws IOException {
    List<FcsParameter> params;
    double[] raw;
    Spillover spillover;
    String fileName;
    try (FcsFile file = FcsReader.open(o.fcs())) {
      FcsDataset ds = file.first();
      params = ds.parameters();
      raw = file.readAll(ds, "plot");
      spillover = ds.spillover().orElse(null);
      fileName = o.fcs().getFileName().toString();
    }
    EventTable.linearize(params, raw);
    List<String> names = params.stream().map(FcsParameter::id).toList();
    int p = names.size();
    int n = raw.length / Math.max(1, p);
    EventTable table = new EventTable(fileName, names, n, raw, spillover);
    int ix = channel(params, o.x(), fileName);
    int iy = o.y() == null ? -1 : channel(params, o.y(), fileName);

    BitSet in = null;
    String populationPath = null;
    List<ResolvedThreshold> thresholds = List.of();
    String thresholdsMissing = null;
    if (o.population() != null) {
      String id = PopulationFilter.resolve(o.strategy(), o.population());
      GatingResult gated = GateEvaluator.evaluate(o.strategy(), table);
      in = gated.events(id);
      thresholds = gated.thresholds();
      populationPath = o.strategy().path(id);
    } else if (o.gates()
        && o.strategy().gates().values().stream().anyMatch(GateThresholds::isAdaptive)) {
      try {
        thresholds = GateEvaluator.evaluate(o.strategy(), table).thresholds();
      } catch (IllegalArgumentException e) {
        thresholdsMissing = e.getMessage();
      }
    }

    double[] values = raw;
    boolean compensated = false;
    if (o.compensate() && spillover != null) {
      BoundCompensation bound =
          Compensation.of(spillover.channels(), spillover.matrix()).bind(names);
      values = raw.clone();
      bound.compensate(values, n, p);
      compensated = true;
    }
    int kept = in == null ? n : in.cardinality();
    double[] xs = new double[kept];
    double[] ys = iy < 0 ? null : new double[kept];
    int k = 0;
    for (int e = 0; e < n; e++) {
      if (in == null || in.get(e)) {
        xs[k] = o.xTransform().apply(values[e * p + ix]);
        if (ys != null) {
          ys[k] = o.yTransform().apply(values[e * p + iy]);
        }
        k++;
      }
    }
    BinAxis xAxis =
        o.xRange() != null ? o.xRange().axis(o.bins()) : quantileAxis(xs, o.bins(), names.get(ix));
    BinAxis yAxis =
        ys == null
            ? null
            : o.yRange() != null
                ? o.yRange().axis(o.bins())
                : quantileAxis(ys, o.bins(), names.get(iy));
    DensityGrid grid = DensityGrid.of(xAxis, yAxis, xs, ys);

    List<GateOutline> outlines =
        o.gates()
            ? GateThresholds.outlines(
                o.strategy(),
                thresholds,
                projection(o, names.get(ix), iy < 0 ? null : names.get(iy)),
                xAxis,
                yAxis)
            : List.of();
    FcsParameter px = params.get(ix);
    FcsParameter py = iy < 0 ? null : params.get(iy);
    String title = fileName + ": " + display(px) + (py == null ? "" : " vs " + display(py));
    List<String> subtitles = new ArrayList<>();
    subtitles.add(
        "population "
            + (populationPath == null ? "all events" : populationPath)
            + String.format(Locale.ROOT, " · %,d of %,d events", grid.total(), n));
    subtitles.add(
        String.format(
            Locale.ROOT,
            "%s; %s bins, range %s; %,d outside, %,d missing%s",
            compensated
                ? "compensated (" + spillover.keyword() + ")"
                : spillover == null ? "no spillover in the file" : "not compensated",
            py == null ? String.valueOf(o.bins()) : o.bins() + " x " + o.bins(),
            o.xRange() == null || (py != null && o.yRange() == null)
                ? "0.1-99.9% quantiles ±5%"
                : "given",
            grid.outside(),
            grid.missing(),
            o.gates() ? "; gates of " + o.gatingName() : ""));
    List<String> thresholdLines = new ArrayList<>();
    if (o.gates()) {
      List<String> drawn = outlines.stream().map(GateOutline::gateId).toList();
      if (thresholdsMissing == null) {
        thresholdLines.addAll(GateThresholds.sampleLines(o.strategy(), drawn, thresholds));
      } else if (drawn.stream()
          .anyMatch(g -> GateThresholds.isAdaptive(o.strategy().gates().get(g)))) {
        thresholdLines.add("auto limits drawn at their fallbacks: " + thresholdsMissing);
      }
    }
    subtitles.addAll(thresholdLines);
    DensityPlot plot =
        new DensityPlot(
            grid,
            outlines,
            title,
            subtitles,
            DensityPlot.axisLabel(px.label(), px.id(), o.xTransform().spec()),
            py == null
                ? DensityPlot.histogramLabel(xAxis)
                : DensityPlot.axisLabel(py.label(), py.id(), o.yTransform().spec()),
            o.width(),
            o.height());
    PlotRenderer.write(plot, o.out());
    return new Result(
        o.out(),
        px.id(),
        py == null ? null : py.id(),
        grid.total(),
        grid.outside(),
        grid.missing(),
        xAxis,
        yAxis,
        compensated,
        outlines.stream().map(GateOutline::gateId).toList(),
        thresholdLines);
  }

  private static String display(FcsParameter par) {
    return par.label() == null || par.label().isBlank() ? par.id() : par.label();
  }

  /**
   * The index of a channel by $PnN, else by $PnS (case-insensitive both).
   *
   * @throws IllegalArgumentException naming the file and listing its channels
   */
  static int channel(List<FcsParameter> params, String name, String file) {
    for (int i = 0; i < params.size(); i++) {
      if (params.get(i).id().equalsIgnoreCase(name)) {
        return i;
      }
    }
    for (int i = 0; i < params.size(); i++) {
      String label = params.get(i).label();
      if (label != null && label.equalsIgnoreCase(name)) {
        return i;
      }
    }
    List<String> all = new ArrayList<>();
    for (FcsParameter par : params) {
      all.add(par.label() == null ? par.id() : par.id() + " (" + par.label() + ")");
    }
    throw new IllegalArgumentException(
        "Cannot plot channel '"
            + name
            + "': FCS file '"
            + file
            + "' has no such $PnN or $PnS; its channels are "
            + String.join(", ", all));
  }

  /**
   * The axis over the 0.1% and 99.9% quantiles (R type 7) of the finite values, widened by {@link BinAxis#PADDING}.
   *
   * @throws IllegalArgumentException when no value is finite
   */
  static BinAxis quantileAxis(double[] values, int bins, String channel) {
    double[] finite = java.util.Arrays.stream(values).filter(Double::isFinite).toArray();
    if (finite.length == 0) {
      throw new IllegalArgumentException(
          "Cannot plot channel '" + channel + "': no event has a finite value");
    }
    double[] q = Quantiles.type7(finite, new double[] {0.001, 0.999});
    return BinAxis.padded(q[0], q[1], bins);
  }

  /**
   * Gate dimensions on the plotted channels by $PnN; a gate coordinate goes back to data through its dimension's
   * transformation and onto the axis through the axis's transform.
   */
  static AxisProjection projection(Options o, String x, String y) {
    GatingStrategy s = o.strategy();
    return new AxisProjection() {
      @Override
      public int axisOf(Dimension d) {
        return AxisProjection.axisByName(d, x, y);
      }

      @Override
      public double toPlot(Dimension d, double v) {
        Transformation t =
            d.transformationRef() == null ? null : s.transformations().get(d.transformationRef());
        double data = t == null ? v : t.scale().inverse(v);
        return (axisOf(d) == 0 ? o.xTransform() : o.yTransform()).apply(data);
      }

      @Override
      public boolean affine(Dimension d) {
        Transformation t =
            d.transformationRef() == null ? null : s.transformations().get(d.transformationRef());
        Transform axis = axisOf(d) == 0 ? o.xTransform() : o.yTransform();
        return (t == null || linear(t.scale())) && linear(axis);
      }
    };
  }

  private static boolean linear(Transform t) {
    return t.id().equals("none") || t.id().equals("linear");
  }
}
