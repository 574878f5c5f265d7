package org.cytolake.normalise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MonotoneSplineTest {

  /**
   * Expected values from an independent NumPy transcription of R's {@code splinefun(x, y, method =
   * "monoH.FC")} (the one that reproduces R CytoNorm's output files bit for bit, see
   * CytoNormParityTest): a steep step, where the Fritsch-Carlson fix changes the slopes, a flat end
   * (zero secant) and linear extrapolation with the end slopes.
   */
  @Test
  void matchesRsMonoHfcIncludingTheFixAndExtrapolation() {
    MonotoneSpline s =
        MonotoneSpline.fit(
            new double[] {0, 1, 2, 3, 4, 5}, new double[] {0, 0.1, 0.2, 3, 3.1, 3.1});
    double[] at = {-1, 0.5, 1.5, 2.5, 3.5, 4.5, 5, 6};
    double[] want = {
      -0.1,
      0.05991992156442332,
      0.11516894111971482,
      1.5999334123401023,
      3.0874777249757597,
      3.1,
      3.1,
      3.1
    };
    for (int i = 0; i < at.length; i++) {
      assertEquals(want[i], s.value(at[i]), 1e-15, "at " + at[i]);
    }
  }

  @Test
  void tiesAreMergedByTheirMean() {
    MonotoneSpline s =
        MonotoneSpline.fit(new double[] {1, 0, 0, 0, 2}, new double[] {1, 0, 0.3, 0.6, 4});
    assertArrayEquals(new double[] {0, 1, 2}, s.knotsX(), 0);
    assertArrayEquals(new double[] {0.3, 1, 4}, s.knotsY(), 1e-15);
    assertEquals(-0.04999999999999999, s.value(-0.5), 1e-15);
    assertEquals(0.42109375, s.value(0.25), 1e-15);
    assertEquals(2.35625, s.value(1.5), 1e-15);
    assertEquals(7.0, s.value(3.0), 1e-15);
  }

  @Test
  void passesThroughItsKnotsAndIsMonotoneOnRandomIncreasingData() {
    check();
  }

  /**
   * Like the rule it transcribes, the one left-to-right pass can set a slope to 0 (a flat interval
   * next) after the interval before was checked, leaving that interval outside the monotonicity
   * region: through (0,0), (1,6), (2,7), (3,7) the spline overshoots 7 inside [1, 2]. Kept for
   * parity with R's monoH.FC; whether R itself overshoots here was not checked (no R at hand).
   */
  @Test
  void aFlatIntervalAfterASteepOneOvershootsAsTheRuleDoes() {
    MonotoneSpline s = MonotoneSpline.fit(new double[] {0, 1, 2, 3}, new double[] {0, 6, 7, 7});
    assertEquals(7.008, s.value(1.8), 1e-12);
    assertEquals(7.0, s.value(2.5), 0);
  }

  private static void check() {
    Random r = new Random(20);
    for (int trial = 0; trial < 50; trial++) {
      int n = 2 + r.nextInt(30);
      double[] x = new double[n];
      double[] y = new double[n];
      for (int i = 1; i < n; i++) {
        x[i] = x[i - 1] + 0.01 + r.nextDouble();
        y[i] = y[i - 1] + r.nextDouble() * r.nextDouble() * 10;
      }
      MonotoneSpline s = MonotoneSpline.fit(x, y);
      for (int i = 0; i < n; i++) {
        assertEquals(y[i], s.value(x[i]), 1e-9 * (1 + Math.abs(y[i])));
      }
      double prev = s.value(x[0] - 1.003);
      for (double v = x[0] - 1; v <= x[n - 1] + 1; v += 0.003) {
        double f = s.value(v);
        assertTrue(
            f >= prev - 1e-12,
            "not monotone at " + v + " in trial " + trial + ": " + f + " < " + prev);
        prev = f;
      }
    }
  }

  @Test
  void refusesFewerThanTwoDistinctX() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MonotoneSpline.fit(new double[] {1, 1}, new double[] {0, 1}));
    assertTrue(e.getMessage().contains("1 distinct x value"), e.getMessage());
    assertTrue(
        Double.isNaN(
            MonotoneSpline.fit(new double[] {0, 1}, new double[] {0, 1}).value(Double.NaN)));
  }

  @Test
  void theIdentityReturnsEveryValueExactly() {
    MonotoneSpline id = MonotoneSpline.identity();
    for (double v : new double[] {-1e300, -3.25, -0.0, 0, 1e-310, 0.1, 7.5, 1e300}) {
      assertEquals(v, id.value(v), 0);
    }
    assertTrue(id.isIdentity());
    assertFalse(MonotoneSpline.fit(new double[] {0, 1}, new double[] {0, 2}).isIdentity());
  }
}
