package org.cytolake.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatisticsTest {
  @Test
  void exactPairedTestMatchesRsDocumentedExample() {
    // R ?wilcox.test, Hollander & Wolfe (1973) p. 29 depression scale: x = first visit, y = second.
    // R: wilcox.test(x, y, paired = TRUE) gives V = 40, p-value = 0.03906 (two-sided, exact).
    double[] x = {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
    double[] y = {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};
    WilcoxonSignedRank.Result r = WilcoxonSignedRank.test(x, y);
    assertEquals(9, r.n());
    assertEquals(40, r.v());
    assertTrue(r.exact());
    assertEquals(0.0390625, r.p(), 1e-12); // = 20/512
  }

  @Test
  void normalApproximationWithTiesAndContinuityCorrection() {
    // d = 1,1,1,2,2,3 (ties): ranks 2,2,2,4.5,4.5,6; V = 21 (all positive); n = 6.
    // mean 10.5; var = 6*7*13/24 - ((27-3)+(8-2))/48 = 22.75 - 0.625 = 22.125
    // z = (21 - 10.5 - 0.5)/sqrt(22.125) = 2.12596...; p = 2*(1 - Phi(z)) = 0.033508...
    double[] d = {1, 1, 1, 2, 2, 3};
    WilcoxonSignedRank.Result r = WilcoxonSignedRank.testDifferences(d);
    assertFalse(r.exact());
    assertEquals(21, r.v());
    double z = 10 / Math.sqrt(22.125);
    double expected =
        2
            * (1
                - new org.apache.commons.math3.distribution.NormalDistribution()
                    .cumulativeProbability(z));
    assertEquals(expected, r.p(), 1e-12);
    assertEquals(0.0335, r.p(), 5e-4);
  }

  @Test
  void zeroDifferencesAreDroppedAndNoPairsGiveNaN() {
    WilcoxonSignedRank.Result r =
        WilcoxonSignedRank.test(new double[] {1, 2, 3}, new double[] {1, 2, 3});
    assertEquals(0, r.n());
    assertTrue(Double.isNaN(r.p()));
    assertEquals(2, WilcoxonSignedRank.test(new double[] {1, 5, 3}, new double[] {1, 2, 4}).n());
  }

  @Test
  void exactDistributionIsSymmetricAndSumsToOne() {
    assertEquals(1.0, WilcoxonSignedRank.exactP(5, 7), 1e-12); // the median of V for n = 5 is 7.5
    assertEquals(2.0 / 32, WilcoxonSignedRank.exactP(5, 15), 1e-12);
    assertEquals(WilcoxonSignedRank.exactP(8, 3), WilcoxonSignedRank.exactP(8, 33), 1e-12);
  }

  @Test
  void benjaminiHochbergMatchesPAdjust() {
    // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH") = 0.02 0.04 0.04 0.02
    assertArrayEquals(
        new double[] {0.02, 0.04, 0.04, 0.02},
        BenjaminiHochberg.adjust(new double[] {0.01, 0.04, 0.03, 0.005}),
        1e-12);
    double[] q = BenjaminiHochberg.adjust(new double[] {0.5, Double.NaN, 0.9});
    assertTrue(Double.isNaN(q[1]));
    assertArrayEquals(new double[] {0.9, 0.9}, new double[] {q[0], q[2]}, 1e-12);
  }
}
