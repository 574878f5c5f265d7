package org.cytolake.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.junit.jupiter.api.Test;

/** Poisson deviates on both sides of the switch to PTRS, against the distribution itself. */
class PoissonTest {
  @Test
  void meanVarianceAndProbabilitiesMatchTheDistribution() {
    for (double mean : new double[] {0.3, 4, 9.99, 10, 15, 150, 1500}) {
      SplittableRandom r = new SplittableRandom(42);
      int n = 200_000;
      double sum = 0;
      double sumSq = 0;
      PoissonDistribution d = new PoissonDistribution(mean);
      long mode = (long) Math.floor(mean);
      int atMode = 0;
      int atOrBelowMean = 0;
      for (int i = 0; i < n; i++) {
        long k = Poisson.sample(r, mean);
        assertTrue(k >= 0);
        sum += k;
        sumSq += (double) k * k;
        atMode += k == mode ? 1 : 0;
        atOrBelowMean += k <= mode ? 1 : 0;
      }
      double m = sum / n;
      double var = sumSq / n - m * m;
      // 5 standard errors of the mean and (roughly) of the variance
      assertEquals(mean, m, 5 * Math.sqrt(mean / n), "mean of Poisson(" + mean + ")");
      assertEquals(
          mean,
          var,
          5 * mean * Math.sqrt(2.0 / n) + 5 * Math.sqrt(mean / n),
          "variance of Poisson(" + mean + ")");
      double p = d.probability((int) mode);
      assertEquals(
          p,
          (double) atMode / n,
          5 * Math.sqrt(p * (1 - p) / n),
          "P(" + mode + ") of Poisson(" + mean + ")");
      double c = d.cumulativeProbability((int) mode);
      assertEquals(
          c,
          (double) atOrBelowMean / n,
          5 * Math.sqrt(c * (1 - c) / n),
          "P(<= " + mode + ") of Poisson(" + mean + ")");
    }
  }

  @Test
  void sameStreamSameDeviatesAndBadMeansRejected() {
    SplittableRandom a = new SplittableRandom(7);
    SplittableRandom b = new SplittableRandom(7);
    for (int i = 0; i < 1000; i++) {
      double mean = i % 2 == 0 ? 3.5 : 420;
      assertEquals(Poisson.sample(a, mean), Poisson.sample(b, mean));
    }
    assertEquals(0, Poisson.sample(a, 0));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Poisson.sample(a, Double.NaN));
    assertTrue(
        e.getMessage().startsWith("Cannot draw a Poisson deviate: mean NaN"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Poisson.sample(a, -1));
  }
}
