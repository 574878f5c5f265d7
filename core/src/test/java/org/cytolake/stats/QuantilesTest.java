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
  void medianInPlaceUsesOnlyTheFirstNValuesAndKeepsThem() {
    double[] buf = {5, 1, 3, 100, -100};
    assertEquals(3.0, Quantiles.medianInPlace(buf, 3, NaNs.ORDERED_LAST));
    double[] first = Arrays.copyOf(buf, 3);
    Arrays.sort(first);
    assertArrayEquals(new double[] {1, 3, 5}, first, "reordered, not changed");
    assertEquals(100, buf[3]);
    assertEquals(-100, buf[4]);
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

  /** The median by sorting, as medianInPlace took it before selection replaced the sort. */
  private static double sortedMedian(double[] values, int n, NaNs nans) {
    double[] v = Arrays.copyOf(values, n);
    Arrays.sort(v);
    int k = n;
    if (nans == NaNs.LEFT_OUT) {
      while (k > 0 && Double.isNaN(v[k - 1])) {
        k--;
      }
    }
    return k == 0 ? Double.NaN : k % 2 == 1 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
  }

  @Test
  void medianBySelectionIsTheSortedArraysBitForBit() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    double[] pool = {0.0, -0.0, Double.NaN, 1.5, -1.5, 2.0, Double.POSITIVE_INFINITY, 1e-300};
    for (int trial = 0; trial < 4_000; trial++) {
      int n = trial < 200 ? trial % 40 : r.nextInt(1, 3_000);
      double[] v = new double[n + 3];
      int kind = trial % 4;
      for (int i = 0; i < v.length; i++) {
        v[i] =
            switch (kind) {
              case 0 -> r.nextGaussian();
              case 1 -> pool[r.nextInt(pool.length)]; // ties, signed zeros, NaN, infinity
              case 2 -> r.nextInt(5); // few distinct values
              default -> i; // already sorted
            };
      }
      for (NaNs nans : NaNs.values()) {
        double[] scratch = v.clone();
        double expected = sortedMedian(v, n, nans);
        double got = Quantiles.medianInPlace(scratch, n, nans);
        assertTrue(
            Double.doubleToRawLongBits(expected) == Double.doubleToRawLongBits(got)
                || (Double.isNaN(expected) && Double.isNaN(got)),
            "trial " + trial + " n " + n + " " + nans + ": " + expected + " vs " + got);
        double[] a = Arrays.copyOf(scratch, n);
        double[] b = Arrays.copyOf(v, n);
        Arrays.sort(a);
        Arrays.sort(b);
        assertArrayEquals(b, a, "the first n values are reordered, none changed");
      }
    }
  }

  @Test
  void selectionPlacesTheOrderStatisticAndRejectsOneOutsideTheRange() {
    double[] v = {9, -0.0, 3, Double.NaN, 0.0, 3, -7};
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    for (int k = 0; k < v.length; k++) {
      double[] a = v.clone();
      Quantiles.selectInPlace(a, 0, a.length - 1, k);
      assertEquals(Double.doubleToLongBits(sorted[k]), Double.doubleToLongBits(a[k]), "k " + k);
      for (int i = 0; i < a.length; i++) {
        assertTrue(
            i < k ? Double.compare(a[i], a[k]) <= 0 : Double.compare(a[i], a[k]) >= 0,
            "a[" + i + "] on the wrong side of a[" + k + "]");
      }
    }
    assertThrows(IllegalArgumentException.class, () -> Quantiles.selectInPlace(v, 2, 4, 5));
  }
}
