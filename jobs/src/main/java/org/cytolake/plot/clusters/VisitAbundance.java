package org.cytolake.plot.clusters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.cytolake.stats.Quantiles;

/**
 * Each metacluster's abundance per visit, as CATALYST's {@code plotAbundances} shows it: every
 * sample's % of its events in the metacluster ({@code cluster_abundance.pct_of_sample}) as a point,
 * and the median of the visit's samples.
 *
 * @param visits the visits drawn, in visit order (conf/visits.yaml)
 * @param metaclusters one per metacluster, by number
 */
public record VisitAbundance(List<String> visits, List<Metacluster> metaclusters) {

  /** One sample's share of its events in one metacluster. */
  public record SampleShare(String sampleId, String visit, int metacluster, double pct) {
    public SampleShare {
      Objects.requireNonNull(sampleId, "sampleId");
      Objects.requireNonNull(visit, "visit");
    }
  }

  /**
   * One metacluster: its label and, per visit of {@link #visits}, its samples' percentages (by
   * sample id) and their median (NaN for a visit without samples).
   */
  public record Metacluster(
      int metacluster, String label, List<double[]> pcts, List<Double> medians) {
    public Metacluster {
      pcts = pcts.stream().map(double[]::clone).toList();
      medians = List.copyOf(medians);
    }
  }

  public VisitAbundance {
    visits = List.copyOf(visits);
    metaclusters = List.copyOf(metaclusters);
  }

  /**
   * The abundance of {@code shares}.
   *
   * @param visitOrder every visit code in order; visits of {@code shares} not in it come after, by
   *     name, and visits without samples are left out
   * @param labels metacluster → label (a metacluster without one is labelled by its number)
   * @throws IllegalArgumentException when a sample has two rows for one metacluster (naming both)
   */
  public static VisitAbundance of(
      List<SampleShare> shares, List<String> visitOrder, Map<Integer, String> labels) {
    Map<String, Map<Integer, Map<String, Double>>> byVisit = new TreeMap<>();
    for (SampleShare s : shares) {
      Double before =
          byVisit
              .computeIfAbsent(s.visit(), v -> new TreeMap<>())
              .computeIfAbsent(s.metacluster(), m -> new TreeMap<>())
              .put(s.sampleId(), s.pct());
      if (before != null) {
        throw new IllegalArgumentException(
            "Cannot draw abundance: sample "
                + s.sampleId()
                + " has two rows for metacluster "
                + s.metacluster()
                + " ("
                + before
                + " and "
                + s.pct()
                + " %)");
      }
    }
    List<String> visits = new ArrayList<>();
    for (String v : visitOrder) {
      if (byVisit.containsKey(v)) {
        visits.add(v);
      }
    }
    for (String v : byVisit.keySet()) {
      if (!visits.contains(v)) {
        visits.add(v);
      }
    }
    Map<Integer, String> names = new TreeMap<>(labels);
    byVisit.values().forEach(m -> m.keySet().forEach(k -> names.putIfAbsent(k, "")));
    List<Metacluster> out = new ArrayList<>();
    for (Map.Entry<Integer, String> m : names.entrySet()) {
      List<double[]> pcts = new ArrayList<>();
      List<Double> medians = new ArrayList<>();
      for (String v : visits) {
        Map<String, Double> bySample =
            byVisit.get(v).getOrDefault(m.getKey(), new LinkedHashMap<>());
        double[] p = bySample.values().stream().mapToDouble(Double::doubleValue).toArray();
        pcts.add(p);
        medians.add(p.length == 0 ? Double.NaN : Quantiles.median(p, Quantiles.NaNs.LEFT_OUT));
      }
      out.add(new Metacluster(m.getKey(), m.getValue(), pcts, medians));
    }
    return new VisitAbundance(visits, out);
  }
}
