package org.cytolake.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * A Wald estimate of a coefficient or of a linear contrast L b of the fixed effects, with the
 * normal reference distribution (statsmodels' {@code summary()} and {@code t_test} for MixedLM and
 * GLM): z = estimate / SE, two-sided p = 2 Φ(-|z|), 95% interval estimate ± Φ⁻¹(0.975) SE.
 *
 * @param name the coefficient's column name, or the contrast's label
 * @param estimate the estimate
 * @param standardError its standard error
 * @param z estimate / standardError
 * @param p two-sided p-value
 * @param lower lower bound of the 95% confidence interval
 * @param upper upper bound of the 95% confidence interval
 */
public record Estimate(
    String name,
    double estimate,
    double standardError,
    double z,
    double p,
    double lower,
    double upper) {

  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);
  private static final double Z975 = NORMAL.inverseCumulativeProbability(0.975);

  /** The Wald estimate for {@code estimate} with standard error {@code se}. */
  public static Estimate wald(String name, double estimate, double se) {
    double z = estimate / se;
    double p = 2 * NORMAL.cumulativeProbability(-Math.abs(z));
    return new Estimate(name, estimate, se, z, p, estimate - Z975 * se, estimate + Z975 * se);
  }
}
