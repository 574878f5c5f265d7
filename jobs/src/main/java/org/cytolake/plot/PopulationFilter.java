package org.cytolake.plot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cytolake.gating.BooleanGate;
import org.cytolake.gating.Dimension;
import org.cytolake.gating.EllipsoidGate;
import org.cytolake.gating.Gate;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.PolygonGate;
import org.cytolake.gating.QuadrantGate;
import org.cytolake.gating.RectangleGate;
import org.cytolake.gating.Transformation;

/**
 * Whether one event is in a population, event by event: what {@code cytolake plot} filters the lake's events with,
 * so that a population needs no shuffle of the events by sample. It decides as {@link
 * org.cytolake.gating.GateEvaluator} does (the same {@code contains} methods of each gate, parents and Boolean
 * references applied, NaN outside), for a strategy whose dimensions are the columns of one row, already compensated
 * (the lake's {@code conf/gating/} strategies): a dimension's transformation (and bounds) is applied, a ratio
 * dimension is computed from its two columns, a compensation reference is ignored.
 *
 * <p>Not thread-safe (it caches per event); one filter per task.
 */
public final class PopulationFilter {
  private final GatingStrategy strategy;
  private final String population;
  private final List<String> columns;
  private final Map<String, Integer> columnIndex = new HashMap<>();
  private final Map<String, double[][]> inverses = new HashMap<>();
  private final Map<String, Boolean> memo = new HashMap<>();
  private double[] row;

  private PopulationFilter(GatingStrategy strategy, String population, List<String> columns) {
    this.strategy = strategy;
    this.population = population;
    this.columns = List.copyOf(columns);
    for (int i = 0; i < columns.size(); i++) {
      columnIndex.put(columns.get(i), i);
    }
  }

  /**
   * A filter for {@code population} (an id, or a path {@code a/b/c} as {@link GatingStrategy#path} gives it) on rows
   * of {@code columns}.
   *
   * @throws IllegalArgumentException naming the population and listing the strategy's paths when it has no such
   *     population, or naming the column a gate needs that {@code columns} lacks
   */
  public static PopulationFilter of(
      GatingStrategy strategy, String population, List<String> columns) {
    String id = resolve(strategy, population);
    PopulationFilter f = new PopulationFilter(strategy, id, columns);
    for (String c : requiredColumns(strategy, id)) {
      if (!f.columnIndex.containsKey(c)) {
        throw new IllegalArgumentException(
            "Cannot filter population '"
                + population
                + "': its gates use column '"
                + c
                + "', not among "
                + columns);
      }
    }
    return f;
  }

  /**
   * The population id of an id or a path.
   *
   * @throws IllegalArgumentException listing every population path when there is no such population
   */
  public static String resolve(GatingStrategy strategy, String population) {
    String last = population.substring(population.lastIndexOf('/') + 1);
    if (strategy.isPopulation(last)
        && (population.indexOf('/') < 0 || strategy.path(last).equals(population))) {
      return last;
    }
    List<String> paths = strategy.reportedPopulations().stream().map(strategy::path).toList();
    throw new IllegalArgumentException(
        "Cannot find population '"
            + population
            + "' in the gating strategy; its populations are "
            + paths);
  }

  /** The columns the membership of a population reads (its gates', its ancestors' and its references'), in order. */
  public static List<String> requiredColumns(GatingStrategy strategy, String population) {
    Set<String> out = new LinkedHashSet<>();
    collect(strategy, population, out, new java.util.HashSet<>());
    return new ArrayList<>(out);
  }

  private static void collect(
      GatingStrategy s, String population, Set<String> out, Set<String> seen) {
    if (!seen.add(population)) {
      return;
    }
    Gate g = s.gateOf(population);
    for (Dimension d : g.dimensions()) {
      if (d.isDerived()) {
        Transformation t = s.transformations().get(d.ratioRef());
        out.add(t.ratio().numerator());
        out.add(t.ratio().denominator());
      } else {
        out.add(d.name());
      }
    }
    if (g instanceof BooleanGate b) {
      b.references().forEach(r -> collect(s, r.ref(), out, seen));
    }
    if (g.parentId() != null) {
      collect(s, g.parentId(), out, seen);
    }
  }

  /** The population id this filter tests. */
  public String population() {
    return population;
  }

  /** The columns of a row, in order. */
  public List<String> columns() {
    return columns;
  }

  /** Whether the event with these values (one per column, NaN for a missing value) is in the population. */
  public boolean test(double[] values) {
    this.row = values;
    memo.clear();
    return in(population);
  }

  private boolean in(String id) {
    Boolean done = memo.get(id);
    if (done != null) {
      return done;
    }
    Gate gate = strategy.gateOf(id);
    boolean in = (gate.parentId() == null || in(gate.parentId())) && inGate(gate, id);
    memo.put(id, in);
    return in;
  }

  private boolean inGate(Gate gate, String id) {
    if (gate instanceof RectangleGate r) {
      return r.contains(point(r.dimensions()));
    }
    if (gate instanceof PolygonGate p) {
      return p.contains(value(p.dimensions().get(0)), value(p.dimensions().get(1)));
    }
    if (gate instanceof EllipsoidGate e) {
      return e.contains(
          point(e.dimensions()), inverses.computeIfAbsent(e.id(), k -> e.inverseCovariance()));
    }
    if (gate instanceof QuadrantGate q) {
      QuadrantGate.Quadrant quadrant =
          q.quadrants().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
      for (QuadrantGate.Divider d : q.dividers()) {
        Double at = quadrant.positions().get(d.id());
        if (at != null && d.interval(value(d.dimension())) != d.interval(at)) {
          return false;
        }
      }
      return true;
    }
    BooleanGate b = (BooleanGate) gate;
    boolean not = b.operator() == BooleanGate.Operator.NOT;
    boolean or = b.operator() == BooleanGate.Operator.OR;
    boolean acc = !or;
    for (BooleanGate.Reference r : b.references()) {
      boolean v = in(r.ref()) != (r.complement() != not);
      acc = or ? acc || v : acc && v;
    }
    return acc;
  }

  private double[] point(List<Dimension> dims) {
    double[] p = new double[dims.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = value(dims.get(i));
    }
    return p;
  }

  private double value(Dimension d) {
    double v;
    if (d.isDerived()) {
      Transformation rt = strategy.transformations().get(d.ratioRef());
      v =
          rt.bound(
              rt.ratio().apply(column(rt.ratio().numerator()), column(rt.ratio().denominator())));
    } else {
      v = column(d.name());
    }
    if (d.transformationRef() != null) {
      Transformation t = strategy.transformations().get(d.transformationRef());
      v = t.bound(t.scale().apply(v));
    }
    return v;
  }

  private double column(String name) {
    return row[columnIndex.get(name)];
  }
}
