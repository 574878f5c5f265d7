package org.cytolake.plot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cytolake.stats.LongCounts;

/**
 * Which of a panel's samples the report's axis ranges and marker scales are taken on, and what
 * fraction of their events: a seeded choice of whole samples, so that Spark reads only their files
 * (the events tables are partitioned by sample), then a uniform fraction of their events. Taking a
 * uniform fraction of every event scanned every file of the panel: at 10^7 events, 3-6 s per panel
 * and pass, most of the report's range work (BENCHMARKS.md, session 14).
 *
 * <p>The choice: samples ordered by a hash of the seed and their id (the same choice each time for
 * the same samples), the first {@code max(minSamples, about / mean events per sample)} of them,
 * rounded up; then the fraction that leaves about {@code about} of their events. With all samples
 * chosen, the result is the row sample a uniform draw over the panel would take.
 *
 * @param samples the chosen sample ids, sorted; every sample when {@link #all}
 * @param all whether every sample is chosen (no filter is needed)
 * @param fraction of the chosen samples' events to keep, in (0, 1]
 */
public record RangeSamples(List<String> samples, boolean all, double fraction) {

  /** At least this many samples are chosen when the panel has them. */
  public static final int MIN_SAMPLES = 30;

  public RangeSamples {
    samples = List.copyOf(samples);
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException(
          "Cannot choose range samples: the fraction must be in (0, 1], not " + fraction);
    }
  }

  /**
   * The choice among {@code eventCounts} (sample id → events) for about {@code about} events.
   *
   * @throws IllegalArgumentException when {@code about} is not positive or a count is negative
   */
  public static RangeSamples choose(
      Map<String, Long> eventCounts, long about, int minSamples, long seed) {
    if (about < 1) {
      throw new IllegalArgumentException(
          "Cannot choose range samples: about must be at least 1 event, not " + about);
    }
    long total = 0;
    for (Map.Entry<String, Long> e : eventCounts.entrySet()) {
      if (e.getValue() == null || e.getValue() < 0) {
        throw new IllegalArgumentException(
            "Cannot choose range samples: sample '"
                + e.getKey()
                + "' has event count "
                + e.getValue());
      }
      total += e.getValue();
    }
    int n = eventCounts.size();
    if (total <= about || n == 0) {
      return new RangeSamples(List.copyOf(new TreeMap<>(eventCounts).keySet()), true, 1.0);
    }
    double mean = (double) total / n;
    int wanted = (int) Math.min(n, Math.max(minSamples, Math.ceil(about / mean)));
    List<String> ordered = new ArrayList<>(eventCounts.keySet());
    ordered.sort(
        Comparator.comparingLong((String id) -> LongCounts.mix(seed * 31 + id.hashCode()))
            .thenComparing(Comparator.naturalOrder()));
    List<String> chosen = new ArrayList<>(ordered.subList(0, wanted));
    long events = chosen.stream().mapToLong(eventCounts::get).sum();
    double fraction = RangeChoice.sampleFraction(events, about);
    chosen.sort(Comparator.naturalOrder());
    return new RangeSamples(chosen, wanted == n, fraction);
  }
}
