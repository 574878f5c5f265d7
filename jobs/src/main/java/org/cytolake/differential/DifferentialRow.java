package org.cytolake.differential;

/**
 * One row of the {@code differential} table: the effect of one visit against baseline on one
 * feature, in one cohort or pooled over cohorts, from one model. Doubles are NaN where the table
 * has null.
 *
 * @param cohort a cohort code, or the pooled-cohort code for the estimate pooled over cohorts
 * @param estimate the effect on {@code scale}: an odds ratio or fold change (back-transformed
 *     from the model's log scale), or a change in transformed units; for the secondary Wilcoxon
 *     rows the median fold change or median change of the paired patients
 * @param ciLow lower bound of the 95% Wald interval on {@code scale} (NaN for Wilcoxon rows)
 * @param ciHigh upper bound
 * @param scale {@link EffectScale#label()}
 * @param p two-sided p-value; NaN when not tested
 * @param q Benjamini-Hochberg q within {@code family}; p itself for the primary endpoint; NaN
 *     when not tested and for the secondary Wilcoxon rows
 * @param family {@code primary}, {@code exploratory:<dims>} or {@code secondary}
 * @param tested whether p was computed and counts in its family
 * @param df degrees of freedom of the t reference of the interval and p (NaN: none; infinite:
 *     the normal reference, written as null)
 * @param dfMethod how {@code df} was obtained ({@link
 *     org.cytolake.stats.MixedModelFit.Df#method()}: satterthwaite, residual, between-within, or
 *     between-within with the reason Satterthwaite was unavailable); null without a t reference
 * @param whyNotTested the reason when not tested, else null
 * @param model {@code lmm}, {@code binomial}, {@code negative-binomial} or {@code wilcoxon}
 * @param nPatients patients with the visit and the baseline the estimate rests on
 * @param nSamples samples at the baseline and the visit that entered the estimate
 */
public record DifferentialRow(
    String panel,
    String feature,
    String kind,
    String statistic,
    String cohort,
    String visit,
    double estimate,
    double ciLow,
    double ciHigh,
    double df,
    String dfMethod,
    String scale,
    double p,
    double q,
    String family,
    boolean tested,
    String whyNotTested,
    String model,
    int nPatients,
    int nSamples) {

  /**
   * The row's values in the column order of {@code schemas/differential.schema.json}, an
   * undefined (NaN) estimate, bound, p or q as null, then {@code runId}.
   */
  public Object[] values(String runId) {
    return new Object[] {
      panel,
      feature,
      kind,
      statistic,
      cohort,
      visit,
      nul(estimate),
      nul(ciLow),
      nul(ciHigh),
      Double.isInfinite(df) ? null : nul(df),
      dfMethod,
      scale,
      nul(p),
      nul(q),
      family,
      tested,
      whyNotTested,
      model,
      nPatients,
      nSamples,
      runId
    };
  }

  private static Double nul(double v) {
    return Double.isNaN(v) ? null : v;
  }

  /** This row with another q-value. */
  DifferentialRow withQ(double newQ) {
    return new DifferentialRow(
        panel,
        feature,
        kind,
        statistic,
        cohort,
        visit,
        estimate,
        ciLow,
        ciHigh,
        df,
        dfMethod,
        scale,
        p,
        newQ,
        family,
        tested,
        whyNotTested,
        model,
        nPatients,
        nSamples);
  }
}
