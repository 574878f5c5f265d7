package org.cytolake.gating;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cytolake.cytometry.BoundCompensation;
import org.cytolake.cytometry.Compensation;
import org.cytolake.fcs.Spillover;

/**
 * Applies a {@link GatingStrategy} to the events of one file. Each dimension is computed once, in three named
 * stages: compensated (per the dimension's compensation-ref: none, the file's spillover, or a spectrum matrix of the
 * document; a channel of the strategy's {@link GatingStrategy#inputs} is computed from its column instead of read),
 * transformed (its transformation, bounds applied; a ratio dimension takes its two parameters
 * compensated alike), then gated. A population's membership is its gate's AND-ed with its parent's.
 *
 * <p>Compensation with the file's spillover ("FCS") when the file has none leaves the values as they are, which is
 * how the Gating-ML compliance results treat data1.fcs (gates Rectangle1 and Rectangle2 select the same events).
 *
 * <p>A {@link RectangleGate}'s data-adaptive limits ({@link AdaptiveThresholdSpec}) are found in the file
 * before the gate is applied, from its parent's (or reference population's) events, which are gated
 * first; {@link GatingResult#thresholds} lists them.
 *
 * <p>Not thread-safe; one evaluator per strategy and file. {@link #evaluate} is the one entry point.
 */
public final class GateEvaluator {
  private final GatingStrategy strategy;
  private final EventTable table;
  private final Map<String, Map<String, double[]>> compensated = new HashMap<>();
  private final Map<String, double[]> dimensions = new HashMap<>();
  private final Map<String, BitSet> populations = new HashMap<>();
  private final List<ResolvedThreshold> thresholds = new ArrayList<>();

  private GateEvaluator(GatingStrategy strategy, EventTable table) {
    this.strategy = strategy;
    this.table = table;
  }

  /**
   * Computes the membership of every population of the strategy, parents applied.
   *
   * @throws IllegalArgumentException when a dimension names a channel the file lacks, or a matrix cannot be used
   */
  public static GatingResult evaluate(GatingStrategy strategy, EventTable table) {
    GateEvaluator ev = new GateEvaluator(strategy, table);
    Map<String, BitSet> out = new LinkedHashMap<>();
    for (String p : strategy.populations()) {
      out.put(p, ev.population(p));
    }
    return new GatingResult(table.events(), out, ev.thresholds);
  }

  private BitSet population(String id) {
    BitSet done = populations.get(id);
    if (done != null) {
      return done;
    }
    Gate gate = strategy.gateOf(id);
    BitSet in = gateMembership(gate, id);
    if (gate.parentId() != null) {
      in.and(population(gate.parentId()));
    }
    populations.put(id, in);
    return in;
  }

  /** The events in a gate (for a quadrant gate: in quadrant {@code id}), parents not applied. */
  private BitSet gateMembership(Gate gate, String id) {
    int n = table.events();
    BitSet in = new BitSet(n);
    if (gate instanceof RectangleGate rect) {
      double[][] v = values(rect.dimensions(), rect.id());
      RectangleGate r = rect.isAdaptive() ? resolve(rect, v) : rect;
      double[] point = new double[v.length];
      for (int e = 0; e < n; e++) {
        for (int d = 0; d < v.length; d++) {
          point[d] = v[d][e];
        }
        if (r.contains(point)) {
          in.set(e);
        }
      }
    } else if (gate instanceof PolygonGate p) {
      double[][] v = values(p.dimensions(), p.id());
      for (int e = 0; e < n; e++) {
        if (p.contains(v[0][e], v[1][e])) {
          in.set(e);
        }
      }
    } else if (gate instanceof EllipsoidGate g) {
      double[][] v = values(g.dimensions(), g.id());
      double[][] inv = g.inverseCovariance();
      double[] point = new double[v.length];
      for (int e = 0; e < n; e++) {
        for (int d = 0; d < v.length; d++) {
          point[d] = v[d][e];
        }
        if (g.contains(point, inv)) {
          in.set(e);
        }
      }
    } else if (gate instanceof QuadrantGate q) {
      QuadrantGate.Quadrant quadrant =
          q.quadrants().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
      List<QuadrantGate.Divider> used =
          q.dividers().stream().filter(d -> quadrant.positions().containsKey(d.id())).toList();
      double[][] v = values(used.stream().map(QuadrantGate.Divider::dimension).toList(), q.id());
      int[] wanted = new int[used.size()];
      for (int d = 0; d < wanted.length; d++) {
        wanted[d] = used.get(d).interval(quadrant.positions().get(used.get(d).id()));
      }
      for (int e = 0; e < n; e++) {
        boolean inside = true;
        for (int d = 0; d < wanted.length && inside; d++) {
          inside = used.get(d).interval(v[d][e]) == wanted[d];
        }
        if (inside) {
          in.set(e);
        }
      }
    } else if (gate instanceof BooleanGate b) {
      boolean first = true;
      for (BooleanGate.Reference r : b.references()) {
        BitSet ref = (BitSet) population(r.ref()).clone();
        if (r.complement() != (b.operator() == BooleanGate.Operator.NOT)) {
          ref.flip(0, n);
        }
        if (first) {
          in.or(ref);
          first = false;
        } else if (b.operator() == BooleanGate.Operator.OR) {
          in.or(ref);
        } else {
          in.and(ref);
        }
      }
    }
    return in;
  }

  /**
   * The gate with its data-adaptive limits found in this file: a valley from the parent's events
   * (all events for a top-level gate), a tail from the reference population's. Those populations are
   * gated first, so thresholds are resolved top-down; each is recorded in {@link #thresholds}.
   */
  private RectangleGate resolve(RectangleGate r, double[][] v) {
    double[] min = r.min();
    double[] max = r.max();
    for (RectangleGate.AutoLimit a : r.auto()) {
      AdaptiveThresholdSpec spec = a.spec();
      String from =
          spec.method() == AdaptiveThresholdSpec.Method.TAIL ? spec.reference() : r.parentId();
      double[] values = v[a.dimension()];
      if (from != null) {
        BitSet in = population(from);
        double[] picked = new double[in.cardinality()];
        int k = 0;
        for (int e = in.nextSetBit(0); e >= 0; e = in.nextSetBit(e + 1)) {
          picked[k++] = values[e];
        }
        values = picked;
      }
      AdaptiveThreshold.Resolution t = AdaptiveThreshold.resolve(spec, values);
      (a.upper() ? max : min)[a.dimension()] = t.threshold();
      thresholds.add(
          new ResolvedThreshold(
              r.id(),
              r.dimensions().get(a.dimension()).label(),
              a.side(),
              t.threshold(),
              spec.method().key(),
              t.fallbackUsed(),
              t.detail()));
    }
    return r.withLimits(min, max);
  }

  private double[][] values(List<Dimension> dims, String gateId) {
    double[][] v = new double[dims.size()][];
    for (int d = 0; d < v.length; d++) {
      v[d] = dimension(dims.get(d), gateId);
    }
    return v;
  }

  /** Stage 2: a dimension's values, compensated and transformed. */
  private double[] dimension(Dimension dim, String gateId) {
    String key =
        dim.label()
            + '\u0000'
            + dim.ratioRef()
            + '\u0000'
            + dim.compensationRef()
            + '\u0000'
            + dim.transformationRef();
    double[] done = dimensions.get(key);
    if (done != null) {
      return done;
    }
    Transformation t =
        dim.transformationRef() == null
            ? null
            : strategy.transformations().get(dim.transformationRef());
    double[] out;
    if (dim.isDerived()) {
      Transformation rt = strategy.transformations().get(dim.ratioRef());
      Ratio r = rt.ratio();
      double[] x = channel(dim.compensationRef(), r.numerator(), gateId);
      double[] y = channel(dim.compensationRef(), r.denominator(), gateId);
      out = new double[x.length];
      for (int e = 0; e < out.length; e++) {
        out[e] = rt.bound(r.apply(x[e], y[e]));
      }
    } else {
      out = channel(dim.compensationRef(), dim.name(), gateId).clone();
    }
    if (t != null) {
      for (int e = 0; e < out.length; e++) {
        out[e] = t.bound(t.scale().apply(out[e]));
      }
    }
    dimensions.put(key, out);
    return out;
  }

  /** Stage 1: a channel's values after the compensation named by {@code ref}. */
  private double[] channel(String ref, String name, String gateId) {
    Map<String, double[]> columns = compensated.computeIfAbsent(ref, this::compensate);
    double[] c = columns.get(name);
    if (c == null) {
      InputChannel input = strategy.inputs().get(name);
      int i = table.indexOf(input != null ? input.column() : name);
      if (i < 0) {
        throw new IllegalArgumentException(
            "Cannot apply gate '"
                + gateId
                + "' to '"
                + table.source()
                + "': it has no channel '"
                + (input != null ? input.column() + "' (for '" + name + "')" : name + "'")
                + (ref.equals(Dimension.UNCOMPENSATED) || ref.equals(Dimension.FCS)
                    ? ""
                    : " and spectrum matrix '" + ref + "' has no such fluorochrome")
                + " (channels: "
                + String.join(", ", table.channels())
                + ")");
      }
      c = table.column(i);
      if (input != null) {
        for (int e = 0; e < c.length; e++) {
          c[e] = input.value().applyAsDouble(c[e]);
        }
      }
      columns.put(name, c);
    }
    return c;
  }

  /** Compensated columns for a compensation reference; channels it does not change are filled in lazily. */
  private Map<String, double[]> compensate(String ref) {
    Map<String, double[]> columns = new HashMap<>();
    if (ref.equals(Dimension.UNCOMPENSATED)) {
      return columns;
    }
    if (ref.equals(Dimension.FCS)) {
      Spillover s = table.spillover();
      if (s == null) {
        return columns;
      }
      BoundCompensation bound;
      try {
        bound = Compensation.of(s.channels(), s.matrix()).bind(table.channels());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Cannot compensate '"
                + table.source()
                + "' with its "
                + s.keyword()
                + ": "
                + e.getMessage(),
            e);
      }
      double[] values = table.values().clone();
      int p = table.channels().size();
      bound.compensate(values, table.events(), p);
      for (int i : bound.channelIndices()) {
        double[] col = new double[table.events()];
        for (int e = 0, k = i; e < col.length; e++, k += p) {
          col[e] = values[k];
        }
        columns.put(table.channels().get(i), col);
      }
      return columns;
    }
    SpectrumMatrix m = strategy.spectrumMatrices().get(ref);
    double[][] u = m.unmixing();
    int nd = m.detectors().size();
    int nf = m.fluorochromes().size();
    double[][] observed = new double[nd][];
    for (int d = 0; d < nd; d++) {
      int i = table.indexOf(m.detectors().get(d));
      if (i < 0) {
        throw new IllegalArgumentException(
            "Cannot unmix '"
                + table.source()
                + "' with spectrum matrix '"
                + ref
                + "': it has no channel '"
                + m.detectors().get(d)
                + "' (channels: "
                + String.join(", ", table.channels())
                + ")");
      }
      observed[d] = table.column(i);
    }
    for (int f = 0; f < nf; f++) {
      double[] col = new double[table.events()];
      for (int d = 0; d < nd; d++) {
        double w = u[d][f];
        double[] o = observed[d];
        for (int e = 0; e < col.length; e++) {
          col[e] += o[e] * w;
        }
      }
      columns.put(m.fluorochromes().get(f), col);
    }
    return columns;
  }
}
