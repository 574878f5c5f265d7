package org.cytolake.plot;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.gating.Dimension;
import org.cytolake.gating.Gate;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.QuadrantGate;

/**
 * One gate of a panel's strategy drawn on the density of its parent, as the report's gating QC
 * draws it: which gates can be drawn ({@link #plan}), on which channels, for which populations,
 * and the inline SVG of one density with the gate's outline ({@link #svg}). No Spark: the caller
 * bins the parent's events ({@code org.cytolake.jobs.GatingQcPages}).
 *
 * @param index the gate's position among the drawn gates of its panel, from 0
 * @param gateId the gate's id
 * @param gate the gate
 * @param parent the parent population's id, or null for all events
 * @param populations the paths of the populations the gate defines (a quadrant gate's quadrants)
 * @param x the channel of the gate's first dimension
 * @param y the channel of its second, or null for a histogram
 */
public record GateDrawing(
    int index,
    String gateId,
    Gate gate,
    String parent,
    List<String> populations,
    ChannelConfig x,
    ChannelConfig y) {

  public GateDrawing {
    Objects.requireNonNull(gateId, "gateId");
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(x, "x");
    populations = List.copyOf(populations);
  }

  /**
   * The gates to draw and, in strategy order, why each other gate is not.
   *
   * @param drawn the drawable gates, indexed in strategy order
   * @param notes one line per gate that is not drawn
   */
  public record Plan(List<GateDrawing> drawn, List<String> notes) {
    public Plan {
      drawn = List.copyOf(drawn);
      notes = List.copyOf(notes);
    }

    /** The events columns the drawn gates' axes read, each once, in order of first use. */
    public List<String> axisColumns() {
      Set<String> columns = new LinkedHashSet<>();
      for (GateDrawing d : drawn) {
        columns.add(d.x().column());
        if (d.y() != null) {
          columns.add(d.y().column());
        }
      }
      return List.copyOf(columns);
    }
  }

  /**
   * The gates of {@code strategy} (helpers left out) that can be drawn on the panel's events: not a
   * Boolean gate, every dimension a plain column of the events and a channel of the panel, the
   * parent one the caller can select ({@code plainParent}) on columns of the events.
   *
   * @param eventColumns the columns of the panel's events table
   * @param plainParent whether a parent population can be selected (by a SQL expression)
   */
  public static Plan plan(
      PanelConfig panel,
      GatingStrategy strategy,
      Set<String> eventColumns,
      Predicate<String> plainParent) {
    List<GateDrawing> drawn = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (Map.Entry<String, Gate> e : strategy.gates().entrySet()) {
      String id = e.getKey();
      Gate g = e.getValue();
      if (GatingStrategy.isHelper(id)) {
        continue;
      }
      String why = notDrawn(strategy, g, eventColumns, plainParent);
      if (why != null) {
        notes.add("gate " + id + " is not drawn: " + why);
        continue;
      }
      List<Dimension> dims = g.dimensions();
      ChannelConfig x;
      ChannelConfig y;
      try {
        x = PanelChannels.find(panel, dims.get(0).name());
        y = dims.size() > 1 ? PanelChannels.find(panel, dims.get(1).name()) : null;
      } catch (IllegalArgumentException ex) {
        notes.add("gate " + id + " is not drawn: a dimension is not a channel of the panel");
        continue;
      }
      List<String> pops = new ArrayList<>();
      if (g instanceof QuadrantGate) {
        for (String p : strategy.populations()) {
          if (strategy.gateOf(p) == g && !p.equals(id)) {
            pops.add(strategy.path(p));
          }
        }
      } else {
        pops.add(strategy.path(id));
      }
      drawn.add(new GateDrawing(drawn.size(), id, g, g.parentId(), pops, x, y));
    }
    return new Plan(drawn, notes);
  }

  /** Why gate {@code g} cannot be drawn, or null when it can. */
  static String notDrawn(
      GatingStrategy strategy, Gate g, Set<String> eventColumns, Predicate<String> plainParent) {
    List<Dimension> dims = g.dimensions();
    if (dims.isEmpty()) {
      return "a Boolean gate has no axes of its own";
    }
    for (Dimension d : dims) {
      if (d.isDerived() || d.transformationRef() != null) {
        return "dimension " + d.name() + " is a ratio or transformed";
      }
      if (!eventColumns.contains(d.name())) {
        return "dimension " + d.name() + " is not a column of the events";
      }
    }
    if (g.parentId() != null) {
      if (!plainParent.test(g.parentId())) {
        return "its parent " + g.parentId() + " is not a plain expression of the columns";
      }
      for (String c : PopulationFilter.requiredColumns(strategy, g.parentId())) {
        if (!eventColumns.contains(c)) {
          return "its parent reads " + c + ", not a column of the events";
        }
      }
    }
    return null;
  }

  /**
   * The inline SVG of the parent's density {@code grid} with the outline of the gate as {@code
   * drawn} (the gate itself, or with a sample's data-adaptive limits resolved, {@link
   * GateThresholds#resolve}), titled "P1 gate T on CD3 vs CD4" and subtitled with the selection,
   * the parent, the events and bins counted, then {@code moreSubtitles} ({@link
   * GateThresholds#sampleLines}, {@link GateThresholds#pooledLines}).
   *
   * @param selection what the density holds, e.g. "all samples" or "sample S1"
   * @param idPrefix unique on the page; characters other than letters, digits, _ and - become _
   */
  public String svg(
      String panel,
      GatingStrategy strategy,
      DensityGrid grid,
      String selection,
      String idPrefix,
      int width,
      int height,
      Gate drawn,
      List<String> moreSubtitles) {
    String parentPath = parent == null ? "all events" : strategy.path(parent);
    GateOutline outline =
        GateOutline.of(
            drawn,
            AxisProjection.byName(x.column(), y == null ? null : y.column()),
            grid.x(),
            grid.y());
    String title =
        panel + " gate " + gateId + " on " + name(x) + (y == null ? "" : " vs " + name(y));
    List<String> subtitles = new ArrayList<>();
    subtitles.add(selection + " · parent " + parentPath);
    subtitles.add(String.format(Locale.ROOT, "%,d events, %d bins", grid.total(), grid.x().bins()));
    subtitles.addAll(moreSubtitles);
    DensityPlot plot =
        new DensityPlot(
            grid,
            outline == null ? List.of() : List.of(outline),
            title,
            subtitles,
            PanelChannels.label(x),
            y == null ? DensityPlot.histogramLabel(grid.x()) : PanelChannels.label(y),
            width,
            height);
    return PlotRenderer.svgElement(plot, "gq-" + idPrefix.replaceAll("[^A-Za-z0-9_-]", "_") + "-");
  }

  private static String name(ChannelConfig c) {
    return c.marker() == null ? c.column() : c.marker();
  }
}
