package org.cytolake.aggregate;

/**
 * One row of {@code clinical_response}: a patient's disease-activity score at a visit against
 * baseline, and whether the cohort's rule calls it a response.
 *
 * @param patientId pseudonymous patient
 * @param cohort cohort code
 * @param visit visit code
 * @param studyDay study day of the score (may be null)
 * @param scoreTest test code of the score
 * @param value the score
 * @param baseline the score at the baseline visit (NaN when missing)
 * @param responder the rule's verdict; null at baseline, when a value is missing and when the
 *     cohort has no responder rule
 * @param rule the rule as text, or null when the cohort has none
 */
public record ClinicalResponse(String patientId, String cohort, String visit, Integer studyDay,
    String scoreTest, double value, double baseline, Boolean responder, String rule) {

  /**
   * The response row of one score value.
   *
   * @param baselineVisit the visit that is the baseline (its row has no responder flag)
   */
  public static ClinicalResponse of(CohortDefinition cohort, String patientId, String visit,
      Integer studyDay, double value, double baseline, String baselineVisit) {
    if (cohort.scoreTest() == null) {
      throw new IllegalArgumentException("Cannot score the response of cohort " + cohort.code()
          + ": it has no score in cohorts.yaml");
    }
    ResponderRule rule = cohort.rule();
    Boolean r = rule == null || visit.equals(baselineVisit) ? null
        : rule.responds(baseline, value);
    return new ClinicalResponse(patientId, cohort.code(), visit, studyDay, cohort.scoreTest(),
        value, baseline, r, rule == null ? null : rule.describe());
  }

  /** value − baseline. */
  public double change() {
    return value - baseline;
  }

  /** 100 · (value − baseline) / baseline; NaN when the baseline is 0 or missing. */
  public double pctChange() {
    return baseline == 0 || Double.isNaN(baseline) ? Double.NaN
        : 100 * (value - baseline) / baseline;
  }
}
