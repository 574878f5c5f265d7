package org.cytolake.stats;

import java.util.List;
import java.util.Map;

/**
 * A fitted {@link LinearMixedModel}. Immutable.
 *
 * @param fixedEffects b with standard errors, Wald z and p, and contrasts
 * @param subjectVariance s2_u, the variance of the random intercept (0 on the boundary)
 * @param residualVariance s2_e, the residual variance (statsmodels' {@code scale})
 * @param remlLogLikelihood the REML log-likelihood at the estimate (statsmodels' {@code llf})
 * @param subjects number of subjects (groups)
 * @param observations number of observations
 * @param converged false only when the variance ratio ran off the top of the search range
 * @param evaluations evaluations of the profiled likelihood
 * @param notes what the fit had to decide: a boundary estimate, a fallback; dropped columns are in
 *     {@link FixedEffects#aliased()}
 */
public record MixedModelFit(
    FixedEffects fixedEffects,
    double subjectVariance,
    double residualVariance,
    double remlLogLikelihood,
    int subjects,
    int observations,
    boolean converged,
    int evaluations,
    List<String> notes) {

  public MixedModelFit {
    notes = List.copyOf(notes);
  }

  /** Whether s2_u is on the boundary 0 (the fixed effects then equal OLS). */
  public boolean boundary() {
    return subjectVariance == 0;
  }

  /** s2_u / (s2_u + s2_e): the share of variance between subjects. */
  public double intraclassCorrelation() {
    return subjectVariance / (subjectVariance + residualVariance);
  }

  /** The fixed-effect coefficients; see {@link FixedEffects#coefficients()}. */
  public List<Estimate> coefficients() {
    return fixedEffects.coefficients();
  }

  /** A linear contrast; see {@link FixedEffects#contrast(String, Map)}. */
  public Estimate contrast(String label, Map<String, Double> weights) {
    return fixedEffects.contrast(label, weights);
  }
}
