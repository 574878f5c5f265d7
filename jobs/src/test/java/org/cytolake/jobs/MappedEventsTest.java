package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The pure parts of {@link MappedEvents}: one sample's medians, and where a sample's events lie. */
class MappedEventsTest {

  @Test
  void sampleStatsAreTheSortedMiddlesPerMetacluster() {
    Random r = new Random(5);
    int n = 1_001;
    int[] meta = new int[n];
    double[] distance = new double[n];
    double[][] values = new double[2][n];
    for (int i = 0; i < n; i++) {
      meta[i] = r.nextInt(7) == 0 ? 6 : r.nextInt(3) * 2; // metaclusters 0, 2, 4, 6; none 1, 3, 5
      distance[i] = r.nextInt(50) == 0 ? Double.NaN : r.nextDouble();
      values[0][i] = r.nextInt(4); // ties
      values[1][i] = r.nextInt(30) == 0 ? Double.NaN : r.nextGaussian();
    }
    MappedEvents.SampleStats st =
        MappedEvents.SampleStats.of(
            3, meta, distance.clone(), new double[][] {values[0].clone(), values[1].clone()}, n);
    assertEquals(3, st.sample());
    assertEquals(n, st.total());
    assertEquals(sortedMiddle(distance, IntStream.range(0, n).toArray()), st.overallDistance());
    assertArrayEquals(new int[] {0, 2, 4, 6}, st.metaclusters());
    for (int g = 0; g < 4; g++) {
      int m = st.metaclusters()[g];
      int[] in = IntStream.range(0, n).filter(i -> meta[i] == m).toArray();
      assertEquals(in.length, st.events()[g]);
      assertEquals(sortedMiddle(distance, in), st.distance()[g], "distance, metacluster " + m);
      for (int c = 0; c < 2; c++) {
        assertEquals(sortedMiddle(values[c], in), st.medians()[g][c], "column " + c + ", " + m);
      }
    }
  }

  @Test
  void aSampleSeenInTwoPartitionsIsSplit() {
    int none = MappedEvents.Tally.NONE;
    int several = MappedEvents.Tally.SEVERAL;
    assertEquals(2, MappedEvents.Tally.mergePartition(none, 2));
    assertEquals(2, MappedEvents.Tally.mergePartition(2, none));
    assertEquals(2, MappedEvents.Tally.mergePartition(2, 2));
    assertEquals(several, MappedEvents.Tally.mergePartition(2, 3));
    assertEquals(several, MappedEvents.Tally.mergePartition(several, 3));
    assertEquals(several, MappedEvents.Tally.mergePartition(none, several));
    assertEquals(
        java.util.Set.of(1, 3), MappedEvents.split(new int[] {0, several, none, several, 4}));
  }

  /** The median by sorting (NaN after every number, as {@link Double#compare} orders it). */
  private static double sortedMiddle(double[] all, int[] at) {
    double[] v = Arrays.stream(at).mapToDouble(i -> all[i]).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
