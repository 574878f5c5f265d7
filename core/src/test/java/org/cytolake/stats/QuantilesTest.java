package org.cytolake.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.cytolake.stats.Quantiles.NaNs;
import org.junit.jupiter.api.Test;

class QuantilesTest {
  /** Moved from GateStrategiesTest (GateJob.median, now {@link Quantiles#medianInPlace}). */
  @Test
  void medianOfEvenAndOddCounts() {
    assertEquals(2.0, Quantiles.medianInPlace(new double[] {3, 1, 2}, 3, NaNs.ORDERED_LAST));
    assertEquals(2.5, Quantiles.medianInPlace(new double[] {4, 1, 3, 2}, 4, NaNs.ORDERED_LAST));
  }

  @Test
  void medianInPlaceUsesOnlyTheFirstNValuesAndSortsThem() {
    double[] buf = {5, 1, 3, 100, -100};
    assertEquals(3.0, Quantiles.medianInPlace(buf, 3, NaNs.ORDERED_LAST));
    assertArrayEquals(new double[] {1, 3, 5, 100, -100}, buf);
    assertTrue(Double.isNaN(Quantiles.medianInPlace(buf, 0, NaNs.ORDERED_LAST)));
    assertThrows(
        IllegalArgumentException.class, () -> Quantiles.medianInPlace(buf, 6, NaNs.ORDERED_LAST));
  }

  @Test
  void medianOfACollectionOrArrayLeavesItUnchanged() {
    double[] v = {4, 1, 3, 2};
    assertEquals(2.5, Quantiles.median(v, NaNs.LEFT_OUT));
    assertArrayEquals(new double[] {4, 1, 3, 2}, v);
    assertEquals(2.0, Quantiles.median(List.of(3.0, 1.0, 2.0), NaNs.ORDERED_LAST));
    assertTrue(Double.isNaN(Quantiles.median(List.of(), NaNs.ORDERED_LAST)));
  }

  @Test
  void nanIsLeftOutOrOrderedLastAsTheCallerSays() {
    double[] v = {1, Double.NaN, 2, 3};
    // left out: the median of 1, 2, 3
    assertEquals(2.0, Quantiles.median(v, NaNs.LEFT_OUT));
    // ordered last (Arrays.sort): 1, 2, 3, NaN -> (2 + 3) / 2
    assertEquals(2.5, Quantiles.median(v, NaNs.ORDERED_LAST));
    // a NaN in the middle makes the median NaN
    assertTrue(
        Double.isNaN(
            Quantiles.median(new double[] {1, Double.NaN, Double.NaN}, NaNs.ORDERED_LAST)));
    assertTrue(Double.isNaN(Quantiles.median(new double[] {Double.NaN}, NaNs.LEFT_OUT)));
  }

  @Test
  void quartilesAreRType7() {
    // numpy.percentile([1, 2, 3, 4, 10], [25, 50, 75]) -> 2 3 4
    Quantiles.Quartiles q = Quantiles.quartiles(new double[] {10, 1, 3, 2, 4});
    assertEquals(5, q.n());
    assertEquals(2.0, q.q1());
    assertEquals(3.0, q.median());
    assertEquals(4.0, q.q3());
    // numpy.percentile([1, 2, 3, 4], [25, 50, 75]) -> 1.75 2.5 3.25 (type 6 would give 1.25, 3.75)
    q = Quantiles.quartiles(new double[] {4, Double.NaN, 2, 3, 1});
    assertEquals(4, q.n());
    assertEquals(1.75, q.q1(), 1e-15);
    assertEquals(2.5, q.median(), 1e-15);
    assertEquals(3.25, q.q3(), 1e-15);
    Quantiles.Quartiles none = Quantiles.quartiles(new double[] {Double.NaN});
    assertEquals(0, none.n());
    assertTrue(Double.isNaN(none.q1()) && Double.isNaN(none.median()) && Double.isNaN(none.q3()));
  }

  /** R too: median(c(0.1, 0.7)) is (a + b) / 2, quantile(c(0.1, 0.7), 0.5) is a + (b - a) / 2. */
  @Test
  void theTwoMediansMayDifferInTheLastBit() {
    double[] v = {0.1, 0.7};
    assertEquals(0.39999999999999997, Quantiles.median(v, NaNs.LEFT_OUT));
    assertEquals(0.4, Quantiles.type7Median(v));
    assertEquals(Quantiles.quartiles(v).median(), Quantiles.type7Median(v));
  }

  @Test
  void medianAgreesWithSortingForRandomData() {
    java.util.Random rnd = new java.util.Random(7);
    for (int trial = 0; trial < 200; trial++) {
      double[] v = rnd.doubles(1 + rnd.nextInt(50)).map(x -> x * 1000 - 500).toArray();
      double[] s = v.clone();
      Arrays.sort(s);
      int n = s.length;
      double expected = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
      assertEquals(expected, Quantiles.median(v, NaNs.LEFT_OUT));
      assertEquals(expected, Quantiles.median(v, NaNs.ORDERED_LAST));
    }
  }

  @Test
  void type7MatchesRQuantileType7() {
    // R: quantile(c(10, 1:9, NaN), c(0, 0.1, 0.33, 0.5, 1), type = 7, na.rm = TRUE)
    double[] v = {10, 1, 2, 3, 4, 5, 6, 7, 8, 9, Double.NaN};
    double[] q = Quantiles.type7(v, new double[] {0, 0.1, 0.33, 0.5, 1});
    assertArrayEquals(new double[] {1, 1.9, 3.97, 5.5, 10}, q, 1e-12);
    // ties: no interpolation between equal values
    assertArrayEquals(
        new double[] {0, 0, 2},
        Quantiles.type7(new double[] {0, 0, 0, 2}, new double[] {0.2, 0.6, 1}),
        0);
    assertTrue(Double.isNaN(Quantiles.type7(new double[] {Double.NaN}, new double[] {0.5})[0]));
    assertThrows(IllegalArgumentException.class, () -> Quantiles.type7(v, new double[] {1.5}));
  }
}
