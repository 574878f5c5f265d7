package org.cytolake.gating;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.cytolake.stats.Quantiles;

/**
 * What gating one sample gives for one of its populations: a row of {@code populations}, the
 * medians of {@code population_medians} and the flag of {@code gating_qc}. Helper gates
 * ({@link GatingStrategy#isHelper}) have none.
 *
 * @param population the population's path ({@link GatingStrategy#path})
 * @param name its name ({@link GatingStrategy#name}: the gate id, or for a workspace's population
 *     path its last part)
 * @param parent its parent's path, or null for a top-level gate
 * @param count events in the population
 * @param parentCount events in its parent (the sample's events for a top-level gate)
 * @param totalCount events of the sample
 * @param medians the exact median of every column of the events, in column order; null for an
 *     empty population. A NaN value (a null in the events table) counts, ordered above every
 *     other ({@link Quantiles.NaNs#ORDERED_LAST}).
 */
public record PopulationStats(
    String population,
    String name,
    String parent,
    long count,
    long parentCount,
    long totalCount,
    List<Double> medians) {

  /** {@code gating_qc.flag}: the gate caught none of its parent's events. */
  public static final String EMPTY_GATE = "EMPTY_GATE";

  /** {@code gating_qc.flag}: fewer events than {@code gating.min-events}, but some. */
  public static final String LOW_COUNT = "LOW_COUNT";

  public PopulationStats {
    Objects.requireNonNull(population, "population");
    Objects.requireNonNull(name, "name");
    medians = Collections.unmodifiableList(new ArrayList<>(medians)); // nulls allowed
  }

  /**
   * {@code gating_qc.flag}: no threshold was found for a data-adaptive limit of the gate ({@link
   * AdaptiveThreshold}), which gated with its fixed fallback.
   */
  public static final String ADAPTIVE_FALLBACK = "ADAPTIVE_FALLBACK";

  /**
   * The {@value #ADAPTIVE_FALLBACK} flags of a gate: one per limit of {@code gate} (an id) that
   * fell back, in {@code thresholds}' order.
   */
  public static List<QcFlag> fallbackFlags(List<ResolvedThreshold> thresholds, String gate) {
    return thresholds.stream()
        .filter(t -> t.gate().equals(gate) && t.fallbackUsed())
        .map(
            t ->
                new QcFlag(
                    ADAPTIVE_FALLBACK,
                    t.method()
                        + " "
                        + t.side()
                        + " on "
                        + t.dimension()
                        + " not found: "
                        + t.detail()))
        .toList();
  }

  /** A {@code gating_qc} flag and its detail text. */
  public record QcFlag(String flag, String detail) {}

  /** Gates {@code events} (columns named as the strategy's dimensions): one per population. */
  public static List<PopulationStats> of(GatingStrategy strategy, EventTable events) {
    return of(strategy, events, GateEvaluator.evaluate(strategy, events));
  }

  /** One per population of {@code events} as {@code result} (their gating) has them. */
  public static List<PopulationStats> of(
      GatingStrategy strategy, EventTable events, GatingResult result) {
    int n = events.events();
    int p = events.channels().size();
    double[] values = events.values();
    double[] buf = new double[n];
    List<PopulationStats> out = new ArrayList<>();
    for (String id : strategy.populations()) {
      if (GatingStrategy.isHelper(id)) {
        continue;
      }
      BitSet in = result.events(id);
      String parentId = strategy.parentOf(id).orElse(null);
      long count = in.cardinality();
      long parentCount = parentId == null ? n : result.count(parentId);
      Double[] medians = new Double[p];
      for (int c = 0; c < p; c++) {
        int k = 0;
        for (int e = in.nextSetBit(0); e >= 0; e = in.nextSetBit(e + 1)) {
          buf[k++] = values[e * p + c];
        }
        medians[c] = k == 0 ? null : Quantiles.medianInPlace(buf, k, Quantiles.NaNs.ORDERED_LAST);
      }
      out.add(
          new PopulationStats(
              strategy.path(id),
              strategy.name(id),
              parentId == null ? null : strategy.path(parentId),
              count,
              parentCount,
              n,
              Arrays.asList(medians)));
    }
    return out;
  }

  /** 100 × count / parent count; null when the parent is empty. */
  public Double pctOfParent() {
    return parentCount > 0 ? count * 100.0 / parentCount : null;
  }

  /** 100 × count / the sample's events; null when the sample has none. */
  public Double pctOfTotal() {
    return totalCount > 0 ? count * 100.0 / totalCount : null;
  }

  /**
   * The population's QC flag: {@value #EMPTY_GATE} when it is empty but its parent is not,
   * {@value #LOW_COUNT} when it has events but fewer than {@code minEvents}; empty otherwise.
   */
  public Optional<QcFlag> qcFlag(long minEvents) {
    if (count == 0 && parentCount > 0) {
      return Optional.of(
          new QcFlag(
              EMPTY_GATE, "gate caught none of the " + parentCount + " events of its parent"));
    }
    if (count > 0 && count < minEvents) {
      return Optional.of(
          new QcFlag(LOW_COUNT, count + " events, fewer than gating.min-events = " + minEvents));
    }
    return Optional.empty();
  }
}
