package org.cytolake.plot;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.cytolake.gating.Gate;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.RectangleGate;
import org.cytolake.gating.ResolvedThreshold;

/**
 * Which value of a data-adaptive limit ({@code auto} in the compact form) a plot draws, and how its
 * subtitle says it. A plot of one sample draws that sample's thresholds ({@code gate_thresholds}
 * in the lake, or {@link org.cytolake.gating.GateEvaluator} on an FCS file) and says each one, e.g.
 * {@code Treg: cd25 min auto (tail) 2.31, cd127 max fallback 2.45 (too few events)}. A plot of
 * several samples draws each gate's fixed fallback and says that the limit is found per sample,
 * with the range the samples' thresholds span. A limit a sample has no threshold for (the lake was
 * gated with another strategy) is drawn at its fallback and said to be so.
 *
 * <p>Thresholds here name their gate by id ({@link ResolvedThreshold#gate}); {@code
 * gate_thresholds} names it by path, {@link #gateIds} maps one to the other.
 */
public final class GateThresholds {
  private GateThresholds() {}

  /** Whether a gate has a limit found per sample. */
  public static boolean isAdaptive(Gate g) {
    return g instanceof RectangleGate r && r.isAdaptive();
  }

  /**
   * The path → id of every gate of {@code s} with a data-adaptive limit, as {@code
   * gate_thresholds.gate} names them.
   */
  public static Map<String, String> gateIds(GatingStrategy s) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Gate> e : s.gates().entrySet()) {
      if (isAdaptive(e.getValue())) {
        out.put(s.path(e.getKey()), e.getKey());
      }
    }
    return out;
  }

  /**
   * Thresholds that name their gate by path ({@code gate_thresholds.gate}) renamed to name it by
   * id; a path that is no adaptive gate of {@code s} (the lake was gated with another strategy) is
   * left out.
   */
  public static List<ResolvedThreshold> byGateId(
      GatingStrategy s, Collection<ResolvedThreshold> byPath) {
    Map<String, String> ids = gateIds(s);
    List<ResolvedThreshold> out = new ArrayList<>();
    for (ResolvedThreshold t : byPath) {
      String id = ids.get(t.gate());
      if (id != null) {
        out.add(
            new ResolvedThreshold(
                id,
                t.dimension(),
                t.side(),
                t.threshold(),
                t.method(),
                t.fallbackUsed(),
                t.detail()));
      }
    }
    return out;
  }

  /** The ids of the gates of {@code outlines} that have a data-adaptive limit, in their order. */
  public static List<String> adaptiveDrawn(GatingStrategy s, Collection<GateOutline> outlines) {
    return outlines.stream()
        .map(GateOutline::gateId)
        .filter(id -> isAdaptive(s.gates().get(id)))
        .toList();
  }

  /**
   * The gate as one sample was gated: each data-adaptive limit replaced by the sample's threshold
   * for it (matched on gate id, dimension label and side); a limit without one keeps its fallback.
   * Any other gate is returned as it is.
   *
   * @param sample the sample's thresholds (any gate's)
   */
  public static Gate resolve(Gate g, Collection<ResolvedThreshold> sample) {
    if (!(g instanceof RectangleGate r) || !r.isAdaptive()) {
      return g;
    }
    double[] min = r.min();
    double[] max = r.max();
    for (RectangleGate.AutoLimit a : r.auto()) {
      ResolvedThreshold t = find(r, a, sample);
      if (t != null) {
        (a.upper() ? max : min)[a.dimension()] = t.threshold();
      }
    }
    return r.withLimits(min, max);
  }

  /**
   * The outlines of one sample's plot: every gate of {@code s} on the axes, each data-adaptive one
   * at the sample's thresholds ({@link #resolve}).
   */
  public static List<GateOutline> outlines(
      GatingStrategy s,
      Collection<ResolvedThreshold> sample,
      AxisProjection p,
      BinAxis xView,
      BinAxis yView) {
    List<GateOutline> out = new ArrayList<>();
    for (Gate g : s.gates().values()) {
      GateOutline o = GateOutline.of(resolve(g, sample), p, xView, yView);
      if (o != null) {
        out.add(o);
      }
    }
    return out;
  }

  /**
   * A threshold as a plot's subtitle says it: {@code auto (valley) 2.31}, or {@code fallback 2.00
   * (no valley)} when none was found in the sample.
   */
  public static String label(ResolvedThreshold t) {
    return t.fallbackUsed()
        ? "fallback " + number(t.threshold()) + " (" + reason(t) + ")"
        : "auto (" + t.method() + ") " + number(t.threshold());
  }

  /**
   * Why a sample fell back, in a few words from the threshold's detail: {@code too few events},
   * {@code values do not vary} or {@code no valley}.
   */
  public static String reason(ResolvedThreshold t) {
    if (t.detail().contains("fewer than minCount")) {
      return "too few events";
    }
    if (t.detail().contains("do not vary")) {
      return "values do not vary";
    }
    return "no valley";
  }

  /**
   * One subtitle line per drawn gate with a data-adaptive limit, for a plot of one sample: {@code
   * Treg: cd25 min auto (tail) 2.31, cd127 max fallback 2.45 (too few events)}; a limit the sample
   * has no threshold for reads {@code fallback 2.45 drawn (no threshold of this sample)}.
   *
   * @param drawn the ids of the gates outlined on the plot
   */
  public static List<String> sampleLines(
      GatingStrategy s, Collection<String> drawn, Collection<ResolvedThreshold> sample) {
    return adaptiveLines(
        s,
        drawn,
        r -> {
          List<String> parts = new ArrayList<>();
          for (RectangleGate.AutoLimit a : r.auto()) {
            ResolvedThreshold t = find(r, a, sample);
            parts.add(
                limit(r, a)
                    + " "
                    + (t == null
                        ? "fallback "
                            + number(a.spec().fallback())
                            + " drawn (no threshold of this sample)"
                        : label(t)));
          }
          return String.join(", ", parts);
        });
  }

  /**
   * One subtitle line per drawn gate with a data-adaptive limit, for a plot of several samples:
   * {@code Treg: found per sample, fallback drawn; cd25 min 1.95-2.61 in 12 samples (1 fallback)};
   * without thresholds of the samples: {@code Treg: found per sample, fallback drawn (cd25 min
   * 2.00)}.
   *
   * @param drawn the ids of the gates outlined on the plot
   * @param bySample each plotted sample's thresholds (empty when unknown)
   */
  public static List<String> pooledLines(
      GatingStrategy s,
      Collection<String> drawn,
      Map<String, ? extends Collection<ResolvedThreshold>> bySample) {
    return adaptiveLines(
        s,
        drawn,
        r -> {
          List<String> parts = new ArrayList<>();
          boolean any = false;
          for (RectangleGate.AutoLimit a : r.auto()) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            int n = 0;
            int fallbacks = 0;
            for (Collection<ResolvedThreshold> sample : bySample.values()) {
              ResolvedThreshold t = find(r, a, sample);
              if (t != null) {
                lo = Math.min(lo, t.threshold());
                hi = Math.max(hi, t.threshold());
                n++;
                fallbacks += t.fallbackUsed() ? 1 : 0;
              }
            }
            if (n == 0) {
              parts.add(limit(r, a) + " " + number(a.spec().fallback()));
              continue;
            }
            any = true;
            parts.add(
                limit(r, a)
                    + " "
                    + (lo == hi ? number(lo) : number(lo) + "-" + number(hi))
                    + String.format(Locale.ROOT, " in %d sample%s", n, n == 1 ? "" : "s")
                    + (fallbacks == 0 ? "" : " (" + fallbacks + " fallback)"));
          }
          return "found per sample, fallback drawn"
              + (any ? "; " + String.join(", ", parts) : " (" + String.join(", ", parts) + ")");
        });
  }

  /**
   * One subtitle line per gate of {@code drawn} with a data-adaptive limit, in the order drawn:
   * {@code id: } then what {@code describe} says of the gate. Any other gate has no line.
   */
  private static List<String> adaptiveLines(
      GatingStrategy s, Collection<String> drawn, Function<RectangleGate, String> describe) {
    List<String> lines = new ArrayList<>();
    for (String id : drawn) {
      if (s.gates().get(id) instanceof RectangleGate r && r.isAdaptive()) {
        lines.add(id + ": " + describe.apply(r));
      }
    }
    return lines;
  }

  /**
   * A threshold as the subtitles write it: three significant digits, at least one decimal below
   * 100 ({@code 2.31}, {@code 2.0}, {@code 0.0123}, {@code 45000}).
   */
  public static String number(double v) {
    if (!Double.isFinite(v)) {
      return String.valueOf(v);
    }
    String s = new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    return Math.abs(v) < 100 && !s.contains(".") ? s + ".0" : s;
  }

  private static String limit(RectangleGate r, RectangleGate.AutoLimit a) {
    return r.dimensions().get(a.dimension()).label() + " " + a.side();
  }

  private static ResolvedThreshold find(
      RectangleGate r, RectangleGate.AutoLimit a, Collection<ResolvedThreshold> sample) {
    String dim = r.dimensions().get(a.dimension()).label();
    for (ResolvedThreshold t : sample) {
      if (t.gate().equals(r.id()) && t.dimension().equals(dim) && t.side().equals(a.side())) {
        return t;
      }
    }
    return null;
  }
}
