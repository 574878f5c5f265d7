package org.cytolake.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cytolake.cytometry.transform.AsinhCofactor;
import org.cytolake.cytometry.transform.Identity;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.gating.Dimension;
import org.cytolake.gating.GatingMlWriter;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.InputChannel;
import org.cytolake.gating.SpectrumMatrix;
import org.cytolake.gating.StrategyDimensions;
import org.cytolake.gating.Transformation;

/**
 * A panel's strategy moved from events-table columns onto the FCS file's detectors, so that any
 * Gating-ML 2.0 reader applying it to the raw file gates as cytolake gates the lake: each column
 * {@code c} becomes its detector ({@code $PnN}) with the panel's transform (transformation {@code
 * t_<c>}) after the panel's compensation (the file's own spillover, {@code FCS}; the matrix of
 * conf/panels.yaml, {@code <panel>_spillover}; or none). Thresholds, vertices and quadrant
 * positions stay as written: the transform maps the raw value onto the column's scale exactly
 * ({@code asinh:cofactor=c} as Gating-ML fasinh with T = c·sinh(1), M = 1/ln 10, A = 0).
 *
 * <p>A workspace strategy ({@link WorkspaceStrategy}, whose axes are {@link
 * GatingStrategy#inputs} read from columns) goes through its channel mapping instead: each axis
 * becomes the detector of the column its channel reads, with the panel's compensation and the
 * gate's own transformation, which is then applied to the raw value as the lake applies it to the
 * column's data value.
 */
public final class PanelGatingExport {
  private PanelGatingExport() {}

  /**
   * The strategy on the panel's detectors.
   *
   * @param strategy a strategy on {@code panel}'s columns (conf/gating/&lt;panel&gt;.yaml)
   * @param fileSpillover for a panel compensated with each file's own spillover, the detectors
   *     of a sample file's matrix; null when no file is at hand (then the detectors with a marker
   *     are taken as compensated, scatter and Time not)
   * @throws IllegalArgumentException naming every dimension that has no Gating-ML form on the
   *     detectors (not a column of the panel, a transform or ratio on top of the column, a
   *     transform Gating-ML lacks)
   */
  public static GatingStrategy toDetectors(
      GatingStrategy strategy, PanelConfig panel, Set<String> fileSpillover) {
    Map<String, ChannelConfig> byColumn = new LinkedHashMap<>();
    panel.channels().forEach(c -> byColumn.put(c.column(), c));
    List<String> problems = new ArrayList<>();
    Map<String, Transformation> transformations = new LinkedHashMap<>();
    List<SpectrumMatrix> matrices = new ArrayList<>();
    String confMatrix = panel.code() + "_spillover";
    if (panel.spillover().fromConf()) {
      List<String> ch = panel.spillover().channels();
      matrices.add(new SpectrumMatrix(confMatrix, ch, ch, panel.spillover().matrix(), false));
    }
    Map<Dimension, Dimension> mapped = new LinkedHashMap<>();
    for (var gate : strategy.gates().values()) {
      for (Dimension d : gate.dimensions()) {
        if (mapped.containsKey(d)) {
          continue;
        }
        InputChannel in = d.isDerived() ? null : strategy.inputs().get(d.name());
        if (in != null) {
          mapped.put(
              d,
              workspaceAxis(strategy, gate.id(), d, in, byColumn, panel, fileSpillover, problems));
          continue;
        }
        ChannelConfig ch = d.isDerived() ? null : byColumn.get(d.name());
        if (ch == null
            || d.transformationRef() != null
            || !Dimension.UNCOMPENSATED.equals(d.compensationRef())) {
          problems.add(why(d, ch, panel));
          mapped.put(d, d);
          continue;
        }
        String t = transformation(ch, problems, transformations);
        mapped.put(d, Dimension.fcs(ch.detector(), t, compensation(ch, panel, fileSpillover)));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot export the strategy of panel "
              + panel.code()
              + " as Gating-ML on its detectors: "
              + String.join("; ", problems));
    }
    return StrategyDimensions.remap(
        strategy, mapped::get, List.copyOf(transformations.values()), matrices);
  }

  /**
   * A workspace gate's axis ({@link WorkspaceStrategy}: a channel read from a column through the
   * inverse of its transform) on the column's detector, with the panel's compensation and the
   * gate's own transformation; a problem naming gate and axis when that transformation, or what the
   * channel adds to the data value (FlowJo 9's display axis), has no Gating-ML form.
   */
  private static Dimension workspaceAxis(
      GatingStrategy strategy,
      String gate,
      Dimension d,
      InputChannel in,
      Map<String, ChannelConfig> byColumn,
      PanelConfig panel,
      Set<String> fileSpillover,
      List<String> problems) {
    String where = "gate '" + gate + "', axis '" + d.name() + "'";
    if (in.displayAxis() != null) {
      problems.add(where + " is on " + in.displayAxis() + ", which has no Gating-ML 2.0 form");
      return d;
    }
    Transformation t =
        d.transformationRef() == null
            ? null
            : strategy.transformations().get(d.transformationRef());
    if (t != null && !GatingMlWriter.writable(t.scale())) {
      problems.add(
          where
              + " has transformation "
              + t.scale().spec()
              + ", which Gating-ML 2.0 cannot express");
      return d;
    }
    ChannelConfig ch = byColumn.get(in.column());
    return Dimension.fcs(
        ch.detector(), d.transformationRef(), compensation(ch, panel, fileSpillover));
  }

  private static String why(Dimension d, ChannelConfig ch, PanelConfig panel) {
    if (d.isDerived()) {
      return "dimension "
          + d.label()
          + " is a ratio of columns, which has no Gating-ML form on the detectors";
    }
    if (ch == null) {
      return "dimension '"
          + d.name()
          + "' is not a column of "
          + panel.eventsTable()
          + " "
          + panel.columns();
    }
    return "dimension '"
        + d.name()
        + "' has its own transformation or compensation on top of the column's (transform "
        + ch.transform().spec()
        + ")";
  }

  private static String transformation(
      ChannelConfig ch, List<String> problems, Map<String, Transformation> out) {
    Transform t = ch.transform();
    if (t instanceof Identity) {
      return null;
    }
    if (t instanceof AsinhCofactor a) {
      t = a.toGatingMl();
    }
    if (!(t instanceof org.cytolake.cytometry.transform.Linear
        || t instanceof org.cytolake.cytometry.transform.Log
        || t instanceof org.cytolake.cytometry.transform.Asinh
        || t instanceof org.cytolake.cytometry.transform.Logicle
        || t instanceof org.cytolake.cytometry.transform.Hyperlog)) {
      problems.add(
          "column '"
              + ch.column()
              + "' has transform "
              + ch.transform().spec()
              + ", which has no Gating-ML 2.0 form");
      return null;
    }
    String id = "t_" + ch.column();
    out.put(
        id, new Transformation(id, t, null, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
    return id;
  }

  private static String compensation(
      ChannelConfig ch, PanelConfig panel, Set<String> fileSpillover) {
    SpilloverSource s = panel.spillover();
    if (s.fromConf()) {
      return s.channels().contains(ch.detector())
          ? panel.code() + "_spillover"
          : Dimension.UNCOMPENSATED;
    }
    if (!s.fromFile()) {
      return Dimension.UNCOMPENSATED;
    }
    boolean compensated =
        fileSpillover != null ? fileSpillover.contains(ch.detector()) : ch.marker() != null;
    return compensated ? Dimension.FCS : Dimension.UNCOMPENSATED;
  }
}
