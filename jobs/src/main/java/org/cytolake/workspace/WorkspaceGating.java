package org.cytolake.workspace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.cytolake.cytometry.Compensation;
import org.cytolake.gating.Dimension;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.Gate;
import org.cytolake.gating.GateEvaluator;
import org.cytolake.gating.GatingResult;
import org.cytolake.gating.SpectrumMatrix;

/**
 * Applies a workspace sample's gates to the events of its FCS file. FlowJo writes a {@code /} in a {@code $PnN} as
 * {@code _}; a channel the gates name that the file lacks is matched to the file's channel with {@code /} written
 * {@code _}. A channel that is still missing is an error naming the sample, gate and channel.
 */
public final class WorkspaceGating {
  private WorkspaceGating() {}

  /**
   * Counts per population path, in workspace order; helper gates ({@link
   * org.cytolake.gating.GatingStrategy#isHelper}, e.g. the shape of an outside gate) left out, as
   * the lake leaves them out.
   */
  public static Map<String, Integer> counts(WorkspaceSample sample, EventTable events)
      throws WorkspaceException {
    GatingResult r = apply(sample, events);
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String p : sample.strategy().reportedPopulations()) {
      out.put(p, r.count(p));
    }
    return out;
  }

  /** Per-event membership of every population. */
  public static GatingResult apply(WorkspaceSample sample, EventTable events)
      throws WorkspaceException {
    EventTable table = display(sample, renamed(sample, events));
    try {
      return GateEvaluator.evaluate(sample.strategy(), table);
    } catch (IllegalArgumentException e) {
      throw new WorkspaceException(
          "Cannot apply sample '"
              + sample.name()
              + "' to '"
              + events.source()
              + "': "
              + e.getMessage(),
          e);
    }
  }

  /**
   * For a sample whose gates are on display axes (FlowJo 9): adds the compensated channels under their compensated
   * names and puts every channel with a display scale on it.
   */
  private static EventTable display(WorkspaceSample sample, EventTable t)
      throws WorkspaceException {
    if (sample.compensation() == null && sample.displayScales().isEmpty()) {
      return t;
    }
    int p = t.channels().size();
    List<String> names = new ArrayList<>(t.channels());
    double[] comp = null;
    SpectrumMatrix m = sample.compensation();
    int extra = m == null ? 0 : m.fluorochromes().size();
    if (m != null) {
      comp = t.values().clone();
      try {
        Compensation.of(m.detectors(), m.coefficients())
            .bind(t.channels())
            .compensate(comp, t.events(), p);
      } catch (IllegalArgumentException e) {
        throw new WorkspaceException(
            "Cannot compensate '"
                + t.source()
                + "' with matrix '"
                + m.id()
                + "' of sample '"
                + sample.name()
                + "': "
                + e.getMessage(),
            e);
      }
      names.addAll(m.fluorochromes());
    }
    int q = p + extra;
    double[] out = new double[t.events() * q];
    int[] fromComp = new int[extra];
    for (int f = 0; f < extra; f++) {
      fromComp[f] = t.indexOf(m.detectors().get(f));
    }
    DisplayScale[] scales = new DisplayScale[q];
    for (int c = 0; c < q; c++) {
      scales[c] = sample.displayScales().get(names.get(c));
    }
    double[] raw = t.values();
    for (int e = 0; e < t.events(); e++) {
      for (int c = 0; c < q; c++) {
        double v = c < p ? raw[e * p + c] : comp[e * p + fromComp[c - p]];
        out[e * q + c] = scales[c] == null ? v : scales[c].apply(v);
      }
    }
    return new EventTable(t.source(), names, t.events(), out, t.spillover());
  }

  private static EventTable renamed(WorkspaceSample sample, EventTable events)
      throws WorkspaceException {
    Set<String> wanted = new TreeSet<>();
    Map<String, String> usedBy = new LinkedHashMap<>();
    Set<String> fluor = new TreeSet<>();
    if (sample.compensation() != null) {
      wanted.addAll(sample.compensation().detectors());
      fluor.addAll(sample.compensation().fluorochromes());
    }
    sample
        .strategy()
        .spectrumMatrices()
        .values()
        .forEach(
            m -> {
              wanted.addAll(m.detectors());
              fluor.addAll(m.fluorochromes());
            });
    for (Gate g : sample.strategy().gates().values()) {
      for (Dimension d : g.dimensions()) {
        if (d.name() != null && !fluor.contains(d.name())) {
          wanted.add(d.name());
          usedBy.putIfAbsent(d.name(), g.id());
        }
      }
    }
    List<String> channels = new ArrayList<>(events.channels());
    for (String w : wanted) {
      if (channels.contains(w)) {
        continue;
      }
      int match = -1;
      for (int i = 0; i < channels.size(); i++) {
        if (channels.get(i).replace('/', '_').equals(w)) {
          match = i;
        }
      }
      if (match < 0) {
        throw new WorkspaceException(
            "Cannot apply sample '"
                + sample.name()
                + "' to '"
                + events.source()
                + "': gate '"
                + usedBy.getOrDefault(w, "?")
                + "' uses channel '"
                + w
                + "', which the file lacks (channels: "
                + String.join(", ", events.channels())
                + ")");
      }
      channels.set(match, w);
    }
    return new EventTable(
        events.source(), channels, events.events(), events.values(), events.spillover());
  }
}
