package org.cytolake.gating;

import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-event membership of every population of a {@link GatingStrategy} in one file, parents applied.
 *
 * @param events number of events
 * @param membership population id → set of the indices of its events, in {@link GatingStrategy#populations()} order
 *     (copied in; {@link #membership()} returns copies)
 * @param thresholds the data-adaptive limits found in this file, in the order they were resolved
 *     (parents before children); empty for a strategy without any
 */
public record GatingResult(
    int events, Map<String, BitSet> membership, List<ResolvedThreshold> thresholds) {

  /** A result without data-adaptive limits. */
  public GatingResult(int events, Map<String, BitSet> membership) {
    this(events, membership, List.of());
  }

  public GatingResult {
    thresholds = List.copyOf(thresholds);
    Map<String, BitSet> copy = new LinkedHashMap<>();
    membership.forEach((k, v) -> copy.put(k, (BitSet) v.clone()));
    membership = Collections.unmodifiableMap(copy);
  }

  /** A copy of every population's events. */
  @Override
  public Map<String, BitSet> membership() {
    Map<String, BitSet> copy = new LinkedHashMap<>();
    membership.forEach((k, v) -> copy.put(k, (BitSet) v.clone()));
    return Collections.unmodifiableMap(copy);
  }

  /** Population ids, in document order. */
  public List<String> populations() {
    return List.copyOf(membership.keySet());
  }

  /** Whether an event is in a population. */
  public boolean contains(String population, int event) {
    return bits(population).get(event);
  }

  /** A population's events (a copy). */
  public BitSet events(String population) {
    return (BitSet) bits(population).clone();
  }

  /** Number of events in a population. */
  public int count(String population) {
    return bits(population).cardinality();
  }

  private BitSet bits(String population) {
    BitSet b = membership.get(population);
    if (b == null) {
      throw new IllegalArgumentException(
          "Cannot find population '"
              + population
              + "': the populations are "
              + membership.keySet());
    }
    return b;
  }
}
