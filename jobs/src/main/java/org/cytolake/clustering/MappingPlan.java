package org.cytolake.clustering;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which samples a cluster run maps onto the panel's model and which keep the rows the cluster tables hold: when the
 * run keeps the active model, a sample already mapped onto that version keeps its rows (exactly, run id included)
 * unless the run is told it changed ({@code remap}); a training run maps every sample. Immutable.
 *
 * @param kept samples whose rows are kept, sorted
 * @param toMap samples mapped this run, in the run's order
 * @param current whether nothing is to be written: every sample is kept and no other sample was ever mapped (a
 *     sample gone from the panel still needs its rows removed)
 * @param rewritesModelRows whether {@code cluster_model} is written again from the stored model: no sample is kept
 *     although samples were mapped before (they were mapped onto another version, which a pin has replaced)
 */
public record MappingPlan(
    SortedSet<String> kept, List<String> toMap, boolean current, boolean rewritesModelRows) {

  public MappingPlan {
    kept = Collections.unmodifiableSortedSet(new TreeSet<>(kept));
    toMap = List.copyOf(toMap);
  }

  /** A training run's plan: every sample is mapped, nothing kept. */
  public static MappingPlan everySample(List<String> samples) {
    return new MappingPlan(new TreeSet<>(), samples, false, false);
  }

  /**
   * The plan of a run that maps onto a stored version.
   *
   * @param samples the run's samples
   * @param mappedOnVersion samples the tables hold as mapped onto that version
   * @param everMapped samples the tables hold as mapped onto any version
   * @param remap samples whose events changed since they were mapped: mapped again
   */
  public static MappingPlan onStoredModel(
      List<String> samples,
      Collection<String> mappedOnVersion,
      Collection<String> everMapped,
      Collection<String> remap) {
    SortedSet<String> kept = new TreeSet<>();
    for (String s : samples) {
      if (mappedOnVersion.contains(s) && !remap.contains(s)) {
        kept.add(s);
      }
    }
    Set<String> ever = new TreeSet<>(everMapped);
    return new MappingPlan(
        kept,
        samples.stream().filter(s -> !kept.contains(s)).toList(),
        kept.size() == samples.size() && ever.equals(kept),
        kept.isEmpty() && !ever.isEmpty());
  }
}
