package org.cytolake.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WassersteinTest {

  @Test
  void unequalSizesByHand() {
    // F_a: 1/2 on [0,1), 1 from 1; F_b: 1/4, 1/2, 3/4 on [0,1), [1,2), [2,3), 1 from 3:
    // 1/4 · 1 + 1/2 · 1 + 1/4 · 1 = 1
    assertEquals(1.0, Wasserstein.oneDimensional(new double[] {0, 1}, new double[] {0, 1, 2, 3}));
    assertEquals(1.0, Wasserstein.oneDimensional(new double[] {0, 1, 2, 3}, new double[] {1, 0}));
  }

  @Test
  void equalSizesAreTheMeanAbsoluteDifferenceOfSortedValues() {
    Random r = new Random(3);
    double[] a = new double[200];
    double[] b = new double[200];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextGaussian();
      b[i] = 2 * r.nextGaussian() + 1;
    }
    double[] sa = a.clone();
    double[] sb = b.clone();
    java.util.Arrays.sort(sa);
    java.util.Arrays.sort(sb);
    double mad = 0;
    for (int i = 0; i < sa.length; i++) {
      mad += Math.abs(sa[i] - sb[i]);
    }
    assertEquals(mad / sa.length, Wasserstein.oneDimensional(a, b), 1e-12);
    assertEquals(0, Wasserstein.oneDimensional(a, a.clone()), 0);
  }

  /** Golden values from scipy.stats.wasserstein_distance (SciPy 1.17.1). */
  @Test
  void matchesScipy() {
    assertEquals(
        5.0, Wasserstein.oneDimensional(new double[] {0, 1, 3}, new double[] {5, 6, 8}), 1e-12);
    assertEquals(
        2.7,
        Wasserstein.oneDimensional(new double[] {3.4, 3.9, 7.5, 7.8}, new double[] {4.5, 1.4}),
        1e-12);
    assertEquals(
        1.25, Wasserstein.oneDimensional(new double[] {1, 1, 1, 4}, new double[] {2, 2, 5}), 1e-12);
    double[] a = new double[10];
    for (int i = 0; i < a.length; i++) {
      a[i] = Math.sin(i) * 3;
    }
    double[] b = new double[7];
    for (int j = 0; j < b.length; j++) {
      b[j] = Math.cos(j) * 2 + 0.5;
    }
    // [sin(i)*3 for i in range(10)] vs [cos(j)*2+0.5 for j in range(7)]
    assertEquals(0.5253563707820816, Wasserstein.oneDimensional(a, b), 1e-12);
    assertEquals(0.5253563707820816, Wasserstein.oneDimensional(b, a), 1e-12);
  }

  @Test
  void refusesEmptyAndNonFiniteSamples() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Wasserstein.oneDimensional(new double[0], new double[] {1}));
    assertTrue(e.getMessage().contains("first sample is empty"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Wasserstein.oneDimensional(new double[] {1}, new double[] {2, Double.NaN}));
    assertTrue(e.getMessage().contains("value 1 of the second sample is NaN"), e.getMessage());
  }
}
