package org.cytolake.clustering;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.cytolake.som.PhenotypeRules;

/**
 * One metacluster of a panel's clustering as the lake's {@code clusters} table holds it: the phenotype label its
 * marker medians earn ({@link PhenotypeRules}), its size and share of the panel's events, and the medians. Immutable.
 *
 * @param metacluster the metacluster id
 * @param label its phenotype label, {@link PhenotypeRules#UNLABELED} when no rule matches
 * @param size events in it
 * @param pctOfPanel size as a percentage of the panel's events ({@link #percent})
 * @param medians median of every marker, by column, in the panel's column order (NaN: no value)
 */
public record MetaclusterSummary(
    int metacluster, String label, long size, double pctOfPanel, Map<String, Double> medians) {

  public MetaclusterSummary {
    medians = Collections.unmodifiableMap(new LinkedHashMap<>(medians));
  }

  /**
   * Summarises one metacluster.
   *
   * @param medians median of every marker, by column in the panel's order; a null median (a metacluster without a
   *     value there) reads as NaN, which no phenotype token holds for
   * @param panelEvents events of the panel, all metaclusters together
   */
  public static MetaclusterSummary of(
      int metacluster,
      long size,
      Map<String, Double> medians,
      long panelEvents,
      PhenotypeRules rules) {
    Map<String, Double> m = new LinkedHashMap<>();
    medians.forEach((column, v) -> m.put(column, v == null ? Double.NaN : v));
    return new MetaclusterSummary(metacluster, rules.label(m), size, percent(size, panelEvents), m);
  }

  /**
   * Summarises every metacluster with events, in the order of {@code sizes}.
   *
   * @param sizes metacluster → events, ascending
   * @param medians metacluster → column → median; a missing median reads as NaN
   * @param columns the panel's columns, in its order
   * @param panelEvents events of the panel, all metaclusters together
   * @param rules the phenotype rules that label the metaclusters
   */
  public static List<MetaclusterSummary> of(
      SortedMap<Integer, Long> sizes,
      Map<Integer, Map<String, Double>> medians,
      List<String> columns,
      long panelEvents,
      PhenotypeRules rules) {
    List<MetaclusterSummary> out = new ArrayList<>();
    sizes.forEach(
        (metacluster, size) -> {
          Map<String, Double> byColumn = medians.getOrDefault(metacluster, Map.of());
          Map<String, Double> m = new LinkedHashMap<>();
          for (String c : columns) {
            m.put(c, byColumn.get(c));
          }
          out.add(of(metacluster, size, m, panelEvents, rules));
        });
    return out;
  }

  /** {@code summaries} labelled by a model's labels (one per metacluster) instead of by phenotype rules. */
  public static List<MetaclusterSummary> relabelled(
      List<MetaclusterSummary> summaries, List<String> labels) {
    return summaries.stream()
        .map(
            s ->
                new MetaclusterSummary(
                    s.metacluster(),
                    labels.get(s.metacluster()),
                    s.size(),
                    s.pctOfPanel(),
                    s.medians()))
        .toList();
  }

  /** {@code summaries} labelled by {@code rules} from their medians, as {@link #of} labels them. */
  public static List<MetaclusterSummary> labelledBy(
      List<MetaclusterSummary> summaries, PhenotypeRules rules) {
    return summaries.stream()
        .map(
            s ->
                new MetaclusterSummary(
                    s.metacluster(),
                    rules.label(s.medians()),
                    s.size(),
                    s.pctOfPanel(),
                    s.medians()))
        .toList();
  }

  /**
   * The label of every metacluster 0 .. metaclusters − 1 for a model: the summary's, or
   * {@link PhenotypeRules#UNLABELED} for a metacluster without events.
   */
  public static List<String> labels(List<MetaclusterSummary> summaries, int metaclusters) {
    List<String> out = new ArrayList<>(Collections.nCopies(metaclusters, PhenotypeRules.UNLABELED));
    for (MetaclusterSummary s : summaries) {
      out.set(s.metacluster(), s.label());
    }
    return out;
  }

  /** Events per label, the metaclusters of one label summed, labels in the order they first appear. */
  public static Map<String, Long> sizeByLabel(List<MetaclusterSummary> summaries) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (MetaclusterSummary s : summaries) {
      out.merge(s.label(), s.size(), Long::sum);
    }
    return out;
  }

  /** {@code count} as a percentage of {@code total}, 100 · count / total; 0 when total is 0. */
  public static double percent(long count, long total) {
    return total == 0 ? 0.0 : 100.0 * count / total;
  }
}
