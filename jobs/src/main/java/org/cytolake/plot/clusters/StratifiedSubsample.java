package org.cytolake.plot.clusters;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * At most {@code perSample} events of each sample, the same ones for the same seed: each event gets
 * a key from its sample id, its event index and the seed ({@link #key}, SplitMix64's finaliser), and
 * a sample keeps its {@code perSample} events of smallest key (ties by event index). A sample with
 * fewer events keeps them all. This is what the embedding draws, on Spark ({@code
 * ClusterPictureFrames}) with the same key, so the picture does not depend on partitioning.
 *
 * <p>On Spark the events of a sample are first thinned to those whose key falls below {@link
 * #threshold} (so that the window that ranks them sorts a few more than {@code perSample} per
 * sample, not all of them): that keeps every event of smallest key unless fewer than {@code
 * perSample} pass, about 10 standard deviations below the expected count.
 *
 * @param perSample events kept per sample, at least 1
 * @param seed the seed of the keys
 */
public record StratifiedSubsample(int perSample, long seed) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Events per sample by default. */
  public static final int PER_SAMPLE_DEFAULT = 1_000;

  public StratifiedSubsample {
    if (perSample < 1) {
      throw new IllegalArgumentException(
          "Cannot subsample events: --per-sample must be at least 1, got " + perSample);
    }
  }

  /**
   * The key of one event: a well-mixed value of seed, sample id and event index, 0 or more (63
   * bits, so signed and unsigned order agree, in Java and in Spark SQL).
   */
  public long key(String sampleId, long eventIndex) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L * sampleId.hashCode());
    return mix(h + 0x9E3779B97F4A7C15L * (eventIndex + 1)) >>> 1;
  }

  /**
   * The key's position in [0, 1) (its top 53 bits): uniform over events and increasing with the
   * key, to compare with {@link #threshold}.
   */
  public static double unit(long key) {
    return (key >>> 10) * 0x1.0p-53;
  }

  /**
   * The share of a sample's {@code events} whose {@link #unit} key to keep before ranking: 1 when
   * the sample is small, else {@code perSample} plus 10 standard deviations and 10 over {@code
   * events}.
   */
  public double threshold(long events) {
    double want = perSample + 10 * Math.sqrt(perSample) + 10;
    return events <= want ? 1.0 : want / events;
  }

  /**
   * The event indexes one sample keeps, in increasing order.
   *
   * @param eventIndexes every event index of the sample (distinct)
   */
  public long[] choose(String sampleId, long[] eventIndexes) {
    if (eventIndexes.length <= perSample) {
      long[] all = eventIndexes.clone();
      Arrays.sort(all);
      return all;
    }
    List<long[]> keyed = new ArrayList<>(eventIndexes.length);
    for (long e : eventIndexes) {
      keyed.add(new long[] {key(sampleId, e), e});
    }
    keyed.sort(Comparator.<long[]>comparingLong(k -> k[0]).thenComparingLong(k -> k[1]));
    long[] out = new long[perSample];
    for (int i = 0; i < perSample; i++) {
      out[i] = keyed.get(i)[1];
    }
    Arrays.sort(out);
    return out;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
