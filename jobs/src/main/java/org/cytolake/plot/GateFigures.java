package org.cytolake.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.ResolvedThreshold;
import org.cytolake.report.GatingQc;

/**
 * The gating QC figures of one panel from the binned counts of its gates' parents: every count
 * goes to its gate's pooled density and, for a flagged sample, to that sample's too; each gate is
 * then drawn pooled ("all samples") and for every flagged sample flagged in one of its
 * populations; a data-adaptive gate at the fallback on the pooled plot and at the sample's own
 * thresholds on a sample's ({@link GateThresholds}). Not thread-safe: one per panel, filled on the driver.
 */
public final class GateFigures {
  private final List<GateDrawing> drawn;
  private final Map<String, BinAxis> axes;
  private final Map<Integer, DensityGrid.Builder> pooled = new TreeMap<>();
  private final Map<String, DensityGrid.Builder> bySample = new TreeMap<>();

  /**
   * @param drawn the gates drawn, {@link GateDrawing#index} their position in this list
   * @param axes each axis column's bins
   */
  public GateFigures(List<GateDrawing> drawn, Map<String, BinAxis> axes) {
    this.drawn = List.copyOf(drawn);
    this.axes = Map.copyOf(axes);
    for (GateDrawing d : drawn) {
      pooled.put(d.index(), builder(d));
    }
  }

  /**
   * Adds {@code n} events of gate {@code gate}'s parent in bin {@code (bx, by)} ({@code by} 0 for
   * a histogram).
   *
   * @param sample the flagged sample they are of, or null for the other samples
   */
  public void add(int gate, String sample, int bx, int by, long n) {
    pooled.get(gate).add(bx, by, n);
    if (sample != null) {
      bySample.computeIfAbsent(gate + "\t" + sample, k -> builder(drawn.get(gate))).add(bx, by, n);
    }
  }

  /**
   * The figure of every gate: its pooled density, then those of the flagged samples (in the
   * map's order) flagged in one of its populations.
   *
   * @param flagged flagged sample → the population paths it is flagged in
   */
  public List<GatingQc.GateFigure> figures(
      String panel,
      GatingStrategy strategy,
      Map<String, Set<String>> flagged,
      int width,
      int height) {
    return figures(panel, strategy, flagged, Map.of(), width, height);
  }

  /**
   * {@link #figures(String, GatingStrategy, Map, int, int)} with the samples' data-adaptive
   * thresholds: a flagged sample's plot draws its gate at the sample's own ({@link
   * GateThresholds#resolve}) and says them; the pooled plot draws the fallbacks and says the range
   * of the panel's samples' thresholds ({@link GateThresholds}).
   *
   * @param thresholds sample → its thresholds, gates named by id (every sample of the panel)
   */
  public List<GatingQc.GateFigure> figures(
      String panel,
      GatingStrategy strategy,
      Map<String, Set<String>> flagged,
      Map<String, ? extends List<ResolvedThreshold>> thresholds,
      int width,
      int height) {
    List<GatingQc.GateFigure> figures = new ArrayList<>();
    for (GateDrawing d : drawn) {
      String prefix = panel + "-" + d.index();
      List<GatingQc.Plot> plots = new ArrayList<>();
      DensityGrid all = pooled.get(d.index()).build();
      boolean adaptive = GateThresholds.isAdaptive(d.gate());
      plots.add(
          new GatingQc.Plot(
              "all samples",
              d.svg(
                  panel,
                  strategy,
                  all,
                  "all samples",
                  prefix + "-all",
                  width,
                  height,
                  d.gate(),
                  adaptive
                      ? GateThresholds.pooledLines(strategy, List.of(d.gateId()), thresholds)
                      : List.of())));
      int k = 0;
      for (Map.Entry<String, Set<String>> f : flagged.entrySet()) {
        if (d.populations().stream().noneMatch(f.getValue()::contains)) {
          continue;
        }
        DensityGrid.Builder b = bySample.get(d.index() + "\t" + f.getKey());
        DensityGrid grid =
            b == null ? DensityGrid.empty(all.x(), d.y() == null ? null : all.y()) : b.build();
        List<ResolvedThreshold> own = thresholds.get(f.getKey());
        own = own == null ? List.of() : own;
        String svg =
            d.svg(
                panel,
                strategy,
                grid,
                "sample " + f.getKey(),
                prefix + "-s" + k++,
                width,
                height,
                GateThresholds.resolve(d.gate(), own),
                adaptive
                    ? GateThresholds.sampleLines(strategy, List.of(d.gateId()), own)
                    : List.of());
        plots.add(new GatingQc.Plot(f.getKey(), svg));
      }
      figures.add(new GatingQc.GateFigure(d.gateId(), String.join(", ", d.populations()), plots));
    }
    return figures;
  }

  private DensityGrid.Builder builder(GateDrawing d) {
    return DensityGrid.builder(
        axes.get(d.x().column()), d.y() == null ? null : axes.get(d.y().column()));
  }
}
