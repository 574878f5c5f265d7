package org.cytolake.plot.clusters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class StratifiedSubsampleTest {

  @Test
  void keepsAtMostNPerSampleAndAllOfASmallerSample() {
    StratifiedSubsample s = new StratifiedSubsample(100, 1);
    long[] big = LongStream.range(0, 5_000).toArray();
    long[] small = LongStream.range(0, 40).toArray();
    long[] kept = s.choose("S1", big);
    assertEquals(100, kept.length);
    assertEquals(100, Arrays.stream(kept).distinct().count());
    assertTrue(Arrays.stream(kept).allMatch(e -> e >= 0 && e < 5_000));
    assertArrayEquals(small, s.choose("S2", small));
  }

  @Test
  void theSameSeedKeepsTheSameEventsAndAnotherSeedOthers() {
    long[] events = LongStream.range(0, 2_000).toArray();
    long[] a = new StratifiedSubsample(50, 7).choose("S1", events);
    assertArrayEquals(a, new StratifiedSubsample(50, 7).choose("S1", events));
    assertFalse(Arrays.equals(a, new StratifiedSubsample(50, 8).choose("S1", events)));
    assertFalse(Arrays.equals(a, new StratifiedSubsample(50, 7).choose("S2", events)));
  }

  @Test
  void theThresholdKeepsEveryChosenEventAndFewOthers() {
    StratifiedSubsample s = new StratifiedSubsample(1_000, 3);
    long n = 100_000;
    long[] events = LongStream.range(0, n).toArray();
    double t = s.threshold(n);
    long passed =
        Arrays.stream(events).filter(e -> StratifiedSubsample.unit(s.key("S9", e)) < t).count();
    for (long e : s.choose("S9", events)) {
      assertTrue(StratifiedSubsample.unit(s.key("S9", e)) < t, "event " + e);
    }
    assertTrue(passed >= 1_000 && passed < 1_700, "passed " + passed);
    assertEquals(1.0, s.threshold(500));
  }

  @Test
  void perSampleMustBePositive() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new StratifiedSubsample(0, 1));
    assertEquals("Cannot subsample events: --per-sample must be at least 1, got 0", e.getMessage());
  }
}
