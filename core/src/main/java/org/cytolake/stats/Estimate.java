package org.cytolake.stats;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * A Wald estimate of a coefficient or of a linear contrast L b of the fixed effects. With the
 * normal reference distribution ({@link #wald}; statsmodels' {@code summary()} and {@code t_test}
 * for MixedLM and GLM): z = estimate / SE, two-sided p = 2 Φ(-|z|), 95% interval estimate ±
 * Φ⁻¹(0.975) SE. With a t reference of {@code df} degrees of freedom ({@link #studentT}, for few
 * subjects): the same statistic against t_df, interval estimate ± t_df⁻¹(0.975) SE.
 *
 * @param name the coefficient's column name, or the contrast's label
 * @param estimate the estimate
 * @param standardError its standard error
 * @param z the test statistic estimate / standardError (a t statistic when {@code df} is finite)
 * @param p two-sided p-value
 * @param lower lower bound of the 95% confidence interval
 * @param upper upper bound of the 95% confidence interval
 * @param df degrees of freedom of the reference distribution; infinite for the normal
 */
public record Estimate(
    String name,
    double estimate,
    double standardError,
    double z,
    double p,
    double lower,
    double upper,
    double df) {

  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);
  private static final double Z975 = NORMAL.inverseCumulativeProbability(0.975);

  /** The Wald estimate for {@code estimate} with standard error {@code se}. */
  public static Estimate wald(String name, double estimate, double se) {
    double z = estimate / se;
    double p = 2 * NORMAL.cumulativeProbability(-Math.abs(z));
    return new Estimate(
        name,
        estimate,
        se,
        z,
        p,
        estimate - Z975 * se,
        estimate + Z975 * se,
        Double.POSITIVE_INFINITY);
  }

  /**
   * The estimate for {@code estimate} with standard error {@code se} against Student's t with
   * {@code df} degrees of freedom; an infinite {@code df} is {@link #wald}.
   *
   * @throws IllegalArgumentException when {@code df} is not positive
   */
  public static Estimate studentT(String name, double estimate, double se, double df) {
    if (df == Double.POSITIVE_INFINITY) {
      return wald(name, estimate, se);
    }
    if (!(df > 0)) {
      throw new IllegalArgumentException(
          "Cannot test '" + name + "' against t: degrees of freedom " + df + " are not positive");
    }
    TDistribution t = new TDistribution(null, df);
    double stat = estimate / se;
    double p = Double.isNaN(stat) ? Double.NaN : 2 * t.cumulativeProbability(-Math.abs(stat));
    double q = t.inverseCumulativeProbability(0.975);
    return new Estimate(name, estimate, se, stat, p, estimate - q * se, estimate + q * se, df);
  }

  /** This estimate against Student's t with {@code df} degrees of freedom ({@link #studentT}). */
  public Estimate withDegreesOfFreedom(double df) {
    return studentT(name, estimate, standardError, df);
  }
}
