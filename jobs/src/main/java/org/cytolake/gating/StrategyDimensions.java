package org.cytolake.gating;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A strategy with its gates moved onto other dimensions, every threshold, vertex and quadrant
 * position kept: how a strategy written on events-table columns becomes one on the FCS file's
 * detectors ({@code export-gating}).
 */
public final class StrategyDimensions {
  private StrategyDimensions() {}

  /**
   * The strategy with each gate dimension replaced by {@code map}'s image and the given
   * transformations and spectrum matrices added to (or replacing, by id) the strategy's own.
   *
   * @throws IllegalArgumentException when the result does not resolve (a dimension naming a
   *     transformation or matrix that is not there)
   */
  public static GatingStrategy remap(
      GatingStrategy s,
      UnaryOperator<Dimension> map,
      List<Transformation> transformations,
      List<SpectrumMatrix> matrices) {
    List<Gate> gates = new ArrayList<>();
    for (Gate g : s.gates().values()) {
      gates.add(remap(g, map));
    }
    Map<String, Transformation> t = new LinkedHashMap<>(s.transformations());
    transformations.forEach(x -> t.put(x.id(), x));
    Map<String, SpectrumMatrix> m = new LinkedHashMap<>(s.spectrumMatrices());
    matrices.forEach(x -> m.put(x.id(), x));
    return GatingStrategy.of(gates, List.copyOf(t.values()), List.copyOf(m.values()));
  }

  /** One gate on the mapped dimensions (a Boolean gate has none and is returned as it is). */
  static Gate remap(Gate g, UnaryOperator<Dimension> map) {
    if (g instanceof RectangleGate r) {
      return new RectangleGate(
          r.id(), r.parentId(), dims(r.dimensions(), map), r.min(), r.max(), r.auto());
    }
    if (g instanceof PolygonGate p) {
      return new PolygonGate(p.id(), p.parentId(), dims(p.dimensions(), map), p.x(), p.y());
    }
    if (g instanceof EllipsoidGate e) {
      return new EllipsoidGate(
          e.id(),
          e.parentId(),
          dims(e.dimensions(), map),
          e.mean(),
          e.covariance(),
          e.distanceSquare());
    }
    if (g instanceof QuadrantGate q) {
      return new QuadrantGate(
          q.id(),
          q.parentId(),
          q.dividers().stream()
              .map(d -> new QuadrantGate.Divider(d.id(), map.apply(d.dimension()), d.values()))
              .toList(),
          q.quadrants());
    }
    return g; // a Boolean gate has no dimensions
  }

  private static List<Dimension> dims(List<Dimension> dims, UnaryOperator<Dimension> map) {
    return dims.stream().map(map).toList();
  }
}
