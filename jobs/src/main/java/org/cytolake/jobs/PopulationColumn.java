package org.cytolake.jobs;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.cytolake.gating.BooleanGate;
import org.cytolake.gating.Dimension;
import org.cytolake.gating.EllipsoidGate;
import org.cytolake.gating.Gate;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.PolygonGate;
import org.cytolake.gating.QuadrantGate;
import org.cytolake.gating.RectangleGate;

/**
 * A population's membership as one Spark SQL boolean expression over the events columns, so that {@link PlotJob}
 * filters with generated code instead of deserializing every row for {@link org.cytolake.plot.PopulationFilter}. It
 * decides every event as {@code PopulationFilter} (and so {@link org.cytolake.gating.GateEvaluator}) does: the same
 * comparisons in the same double arithmetic, constants computed in Java as the gates compute them, and Spark's own
 * NaN rules (NaN = NaN, NaN above every number) kept out by testing each value for NaN and null first, which are
 * outside every gate as in Java. Only for strategies on plain columns ({@link #supports}): a dimension with a
 * transformation or a ratio is left to {@code PopulationFilter}.
 */
final class PopulationColumn {
  private final GatingStrategy strategy;
  private final Map<String, String> columns;
  private final Map<String, Column> known;

  private PopulationColumn(
      GatingStrategy strategy, Map<String, String> columns, Map<String, Column> known) {
    this.strategy = strategy;
    this.columns = columns;
    this.known = known;
  }

  /** Whether every gate the population depends on is on plain columns (no transformation, no ratio). */
  static boolean supports(GatingStrategy strategy, String population) {
    Gate g = strategy.gateOf(population);
    for (Dimension d : g.dimensions()) {
      if (d.isDerived() || d.transformationRef() != null) {
        return false;
      }
    }
    if (g instanceof BooleanGate b) {
      for (BooleanGate.Reference r : b.references()) {
        if (!supports(strategy, r.ref())) {
          return false;
        }
      }
    }
    return g.parentId() == null || supports(strategy, g.parentId());
  }

  /**
   * The membership of {@code population} (an id), parents applied, true or false for every row (never null).
   *
   * @param columns gate dimension name → the name of the double column holding it
   */
  static Column of(GatingStrategy strategy, String population, Map<String, String> columns) {
    return of(strategy, population, columns, Map.of());
  }

  /**
   * As {@link #of(GatingStrategy, String, Map)}, with the populations of {@code known} (an id → a
   * boolean column already holding its membership) read from those columns, not written again: a
   * query over many populations then computes each ancestor once, and its generated code grows
   * with the number of gates, not with the sum of their depths.
   */
  static Column of(
      GatingStrategy strategy,
      String population,
      Map<String, String> columns,
      Map<String, Column> known) {
    return new PopulationColumn(strategy, columns, known).population(population);
  }

  private Column population(String id) {
    Column k = known.get(id);
    if (k != null) {
      return k;
    }
    Gate gate = strategy.gateOf(id);
    Column in = gate(gate, id);
    return gate.parentId() == null ? in : population(gate.parentId()).and(in);
  }

  private Column gate(Gate gate, String id) {
    if (gate instanceof RectangleGate r) {
      double[] min = r.min();
      double[] max = r.max();
      Column in = functions.lit(true);
      for (int d = 0; d < min.length; d++) {
        Column v = value(r.dimensions().get(d));
        in = in.and(number(v)).and(v.geq(min[d])).and(v.lt(max[d]));
      }
      return in;
    }
    if (gate instanceof PolygonGate p) {
      return polygon(p);
    }
    if (gate instanceof EllipsoidGate e) {
      return ellipsoid(e);
    }
    if (gate instanceof QuadrantGate q) {
      QuadrantGate.Quadrant quadrant =
          q.quadrants().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
      Column in = functions.lit(true);
      for (QuadrantGate.Divider d : q.dividers()) {
        Double at = quadrant.positions().get(d.id());
        if (at != null) {
          in = in.and(interval(value(d.dimension()), d.values(), d.interval(at)));
        }
      }
      return in;
    }
    BooleanGate b = (BooleanGate) gate;
    boolean not = b.operator() == BooleanGate.Operator.NOT;
    boolean or = b.operator() == BooleanGate.Operator.OR;
    Column acc = null;
    for (BooleanGate.Reference r : b.references()) {
      Column v = population(r.ref());
      if (r.complement() != not) {
        v = functions.not(v);
      }
      acc = acc == null ? v : or ? acc.or(v) : acc.and(v);
    }
    return acc;
  }

  /** {@code QuadrantGate.Divider.interval(v) == k}: how many sorted cut values are ≤ v; NaN and +∞ in none. */
  private static Column interval(Column v, double[] values, int k) {
    if (k < 0) {
      return functions.lit(false);
    }
    Column in = number(v).and(v.notEqual(Double.POSITIVE_INFINITY));
    if (k > 0) {
      in = in.and(v.geq(values[k - 1]));
    }
    if (k < values.length) {
      in = in.and(v.lt(values[k]));
    }
    return in;
  }

  /**
   * {@link PolygonGate#contains}: on an edge (exactly collinear within its box), or inside by the even-odd rule. A
   * horizontal edge never counts a crossing, so it is left out of the count (its division would be by zero).
   */
  private Column polygon(PolygonGate g) {
    Column px = value(g.dimensions().get(0));
    Column py = value(g.dimensions().get(1));
    double[] x = g.x();
    double[] y = g.y();
    int n = x.length;
    Column onEdge = functions.lit(false);
    Column crossings = functions.lit(0);
    for (int i = 0, j = n - 1; i < n; j = i++) {
      double x0 = x[j];
      double y0 = y[j];
      double x1 = x[i];
      double y1 = y[i];
      Column inBox =
          px.geq(Math.min(x0, x1))
              .and(px.leq(Math.max(x0, x1)))
              .and(py.geq(Math.min(y0, y1)))
              .and(py.leq(Math.max(y0, y1)));
      Column collinear =
          functions
              .lit(x1 - x0)
              .multiply(py.minus(y0))
              .equalTo(functions.lit(y1 - y0).multiply(px.minus(x0)));
      onEdge = onEdge.or(inBox.and(collinear));
      if (y[i] != y[j]) {
        // (yi > py) != (yj > py) and px < x[i] + (py - yi) * (x[j] - x[i]) / (yj - yi)
        Column straddles = functions.lit(y[i]).gt(py).notEqual(functions.lit(y[j]).gt(py));
        Column cross =
            functions.lit(x[i]).plus(py.minus(y[i]).multiply(x[j] - x[i]).divide(y[j] - y[i]));
        crossings =
            crossings.plus(
                functions.when(straddles.and(px.lt(cross)), functions.lit(1)).otherwise(0));
      }
    }
    return number(px).and(number(py)).and(onEdge.or(crossings.mod(2).equalTo(1)));
  }

  /** {@link EllipsoidGate#contains}: the quadratic form accumulated in the same order, ≤ distanceSquare. */
  private Column ellipsoid(EllipsoidGate e) {
    double[][] inv = e.inverseCovariance();
    double[] mean = e.mean();
    List<Dimension> dims = e.dimensions();
    int n = mean.length;
    Column[] d = new Column[n];
    Column valid = functions.lit(true);
    for (int i = 0; i < n; i++) {
      Column v = value(dims.get(i));
      valid = valid.and(number(v));
      d[i] = v.minus(mean[i]);
    }
    Column d2 = functions.lit(0.0);
    for (int i = 0; i < n; i++) {
      Column row = functions.lit(0.0);
      for (int j = 0; j < n; j++) {
        row = row.plus(functions.lit(inv[i][j]).multiply(d[j]));
      }
      d2 = d2.plus(d[i].multiply(row));
    }
    return valid.and(d2.leq(e.distanceSquare()));
  }

  private Column value(Dimension d) {
    String c = columns.get(d.name());
    if (c == null) {
      throw new IllegalArgumentException(
          "Cannot filter population: no column for dimension '"
              + d.name()
              + "' (columns: "
              + columns
              + ")");
    }
    return functions.col(c);
  }

  /** Not null and not NaN: a value every gate comparison is defined on. */
  private static Column number(Column v) {
    return v.isNotNull().and(functions.not(functions.isnan(v)));
  }
}
