package org.cytolake.generate;

import java.util.random.RandomGenerator;
import org.apache.commons.math3.special.Gamma;

/**
 * Poisson deviates from any {@link RandomGenerator}, so that a seeded stream stays reproducible:
 * inversion by sequential search below a mean of {@value #PTRS_MIN}, Hörmann's transformed
 * rejection with squeeze ("PTRS": W. Hörmann, The transformed rejection method for generating
 * Poisson random variables, Insurance: Mathematics and Economics 12, 1993) from it on, whose
 * expected cost does not grow with the mean.
 */
final class Poisson {
  /** Means from this on use PTRS (Hörmann's constants hold for a mean of at least 10). */
  static final double PTRS_MIN = 10;

  private Poisson() {}

  /** A deviate of mean {@code mean} (0 for a mean of 0). */
  static long sample(RandomGenerator rng, double mean) {
    if (!(mean >= 0) || Double.isInfinite(mean)) {
      throw new IllegalArgumentException(
          "Cannot draw a Poisson deviate: mean " + mean + " is not a finite number >= 0");
    }
    if (mean == 0) {
      return 0;
    }
    return mean < PTRS_MIN ? inversion(rng, mean) : ptrs(rng, mean);
  }

  private static long inversion(RandomGenerator rng, double mean) {
    double u = rng.nextDouble();
    double p = Math.exp(-mean);
    double cumulative = p;
    long k = 0;
    while (u > cumulative && p > 0) {
      k++;
      p *= mean / k;
      cumulative += p;
    }
    return k;
  }

  private static long ptrs(RandomGenerator rng, double mean) {
    double sq = Math.sqrt(mean);
    double logMean = Math.log(mean);
    double b = 0.931 + 2.53 * sq;
    double a = -0.059 + 0.02483 * b;
    double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    double vr = 0.9277 - 3.6224 / (b - 2);
    while (true) {
      double u = rng.nextDouble() - 0.5;
      double v = rng.nextDouble();
      double us = 0.5 - Math.abs(u);
      long k = (long) Math.floor((2 * a / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) {
        return k;
      }
      if (k < 0 || (us < 0.013 && v > us)) {
        continue;
      }
      if (Math.log(v * invAlpha / (a / (us * us) + b))
          <= -mean + k * logMean - Gamma.logGamma(k + 1.0)) {
        return k;
      }
    }
  }
}
