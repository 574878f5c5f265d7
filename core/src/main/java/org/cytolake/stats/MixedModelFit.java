package org.cytolake.stats;

import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * @param withinSubject the kept fixed-effect columns that vary within a subject (a visit, a
 *     visit × cohort term), as opposed to those constant within every subject (the intercept, a
 *     cohort, a patient's age): what {@link #betweenWithinDf} counts
 * @param satterthwaite the Satterthwaite machinery at the estimate ({@link #degreesOfFreedom})
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
    List<String> notes,
    Set<String> withinSubject,
    SatterthwaiteDf satterthwaite) {

  /**
   * {@link Df#method()} where s2_u is held fixed, at the boundary 0 or not identifiable, and
   * Satterthwaite's df is n − p.
   */
  public static final String RESIDUAL = "residual";

  /**
   * Degrees of freedom of a contrast's t reference and how they were obtained.
   *
   * @param value the degrees of freedom, ≥ 1 for between-within, &gt; 0 otherwise
   * @param method {@code satterthwaite}; {@value #RESIDUAL} (Satterthwaite at the boundary s2_u =
   *     0, where it is n − p, the residual df of the ordinary least squares the fit then is, and
   *     likewise for a contrast not depending on an unidentifiable s2_u, {@link
   *     SatterthwaiteDf#identified()});
   *     {@code between-within} when asked for; or, when Satterthwaite was asked for but is not
   *     available, {@code between-within (satterthwaite unavailable: <reason>)}
   */
  public record Df(double value, String method) {}

  public MixedModelFit {
    notes = List.copyOf(notes);
    withinSubject = Set.copyOf(withinSubject);
  }

  /**
   * Degrees of freedom for a contrast by the between-within method (SAS PROC MIXED's {@code
   * DDFM=BETWITHIN}, the default for repeated measures): the residual degrees of freedom split into
   * a within-subject part, N − subjects − (within-subject columns), for a contrast that weighs any
   * column varying within a subject, and a between-subject part, subjects − (other columns), for
   * one that does not. For two visits and no other effect this is the paired t-test's n − 1.
   *
   * @param weights the contrast's weights over the design's columns
   * @return at least 1
   */
  public double betweenWithinDf(Map<String, Double> weights) {
    int p = fixedEffects.names().size();
    int within = (int) fixedEffects.names().stream().filter(withinSubject::contains).count();
    boolean usesWithin =
        weights.entrySet().stream()
            .anyMatch(e -> e.getValue() != 0 && withinSubject.contains(e.getKey()));
    int df = usesWithin ? observations - subjects - within : subjects - (p - within);
    return Math.max(1, df);
  }

  /**
   * Satterthwaite degrees of freedom of a contrast ({@link SatterthwaiteDf}): n − p at the
   * boundary s2_u = 0; NaN when they are not available ({@link SatterthwaiteDf#reason()}) or the
   * contrast depends on an unidentifiable s2_u.
   *
   * @param weights the contrast's weights over the design's columns
   * @throws IllegalArgumentException for an unknown column or a contrast that is not estimable
   */
  public double satterthwaiteDf(Map<String, Double> weights) {
    return satterthwaite.df(fixedEffects.keptWeights("Satterthwaite df", weights));
  }

  /**
   * Degrees of freedom of a contrast by {@code method}. Satterthwaite falls back to between-within
   * when not available (an information matrix that is not positive definite, a contrast of zero
   * variance), and {@link Df#method()} says so with the reason.
   *
   * @throws IllegalArgumentException for an unknown column or a contrast that is not estimable
   */
  public Df degreesOfFreedom(Map<String, Double> weights, DfMethod method) {
    if (method == DfMethod.BETWEEN_WITHIN) {
      return new Df(betweenWithinDf(weights), DfMethod.BETWEEN_WITHIN.label());
    }
    double[] l = fixedEffects.keptWeights("Satterthwaite df", weights);
    double df = satterthwaite.df(l);
    if (!Double.isNaN(df)) {
      return new Df(df, satterthwaite.residual(l) ? RESIDUAL : DfMethod.SATTERTHWAITE.label());
    }
    String why = satterthwaite.reason(l);
    return new Df(
        betweenWithinDf(weights),
        DfMethod.BETWEEN_WITHIN.label() + " (satterthwaite unavailable: " + why + ")");
  }

  /**
   * A linear contrast against Student's t with {@link #degreesOfFreedom} by {@code method}: the
   * small-sample counterpart of {@link #contrast}.
   */
  public Estimate smallSampleContrast(String label, Map<String, Double> weights, DfMethod method) {
    return contrast(label, weights).withDegreesOfFreedom(degreesOfFreedom(weights, method).value());
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
