package org.cytolake.stats;

import java.util.List;
import java.util.Map;

/**
 * A fitted {@link CountGlm}. Immutable.
 *
 * @param fixedEffects b (log odds for the binomial, log rate for the negative binomial) with
 *     standard errors, Wald z and p, and contrasts
 * @param family the response distribution
 * @param alpha the NB2 dispersion used (given or estimated; 0 is Poisson); NaN for the binomial
 * @param alphaEstimated whether alpha was estimated by maximum likelihood
 * @param logLikelihood the log-likelihood at the estimate (statsmodels' {@code llf})
 * @param deviance the deviance (statsmodels' {@code deviance})
 * @param pearsonChi2 Pearson's chi-squared (statsmodels' {@code pearson_chi2}); divided by the
 *     residual degrees of freedom it is the dispersion a quasi-likelihood fit would use
 * @param observations number of samples
 * @param iterations IRLS iterations of the final fit
 * @param converged whether IRLS converged
 * @param notes what the fit had to decide: alpha on a boundary, non-convergence; dropped columns
 *     are in {@link FixedEffects#aliased()}
 */
public record GlmFit(
    FixedEffects fixedEffects,
    CountGlm.Family family,
    double alpha,
    boolean alphaEstimated,
    double logLikelihood,
    double deviance,
    double pearsonChi2,
    int observations,
    int iterations,
    boolean converged,
    List<String> notes) {

  public GlmFit {
    notes = List.copyOf(notes);
  }

  /** The coefficients; see {@link FixedEffects#coefficients()}. */
  public List<Estimate> coefficients() {
    return fixedEffects.coefficients();
  }

  /** A linear contrast; see {@link FixedEffects#contrast(String, Map)}. */
  public Estimate contrast(String label, Map<String, Double> weights) {
    return fixedEffects.contrast(label, weights);
  }
}
