package org.cytolake.aggregate;

import org.cytolake.config.VisitSchedule;

/**
 * The rows the aggregate job writes from the driver, as values in the column order of their
 * contracts ({@code schemas/cohort_summary.schema.json}, {@code
 * schemas/clinical_response.schema.json}), and the observations it reads back from {@code
 * immunophenotype}. A statistic that is undefined (NaN) is written as null.
 */
public final class AggregateRows {
  private AggregateRows() {}

  /**
   * One observation of {@code immunophenotype}: a missing value or baseline is NaN.
   *
   * @param scale the {@code scale} column ({@link FeatureScale#parse})
   */
  public static Observation observation(
      String patientId,
      String cohort,
      String visit,
      String panel,
      String feature,
      String statistic,
      String scale,
      Double value,
      Double baseline) {
    return new Observation(
        patientId,
        cohort,
        visit,
        panel,
        feature,
        statistic,
        FeatureScale.parse(scale),
        value == null ? Double.NaN : value,
        baseline == null ? Double.NaN : baseline);
  }

  /** A {@code cohort_summary} row; the study day is the visit's in {@code visits}, else null. */
  public static Object[] cohortSummary(CohortSummary.Row s, VisitSchedule visits, String runId) {
    return new Object[] {
      s.cohort(),
      s.visit(),
      visits.find(s.visit()).map(VisitSchedule.Visit::studyDay).orElse(null),
      s.feature().panel(),
      s.feature().feature(),
      s.feature().statistic(),
      s.scale().label(),
      FeatureNames.column(s.feature()),
      s.values().n(),
      nul(s.values().mean()),
      nul(s.values().sd()),
      nul(s.values().median()),
      nul(s.values().q1()),
      nul(s.values().q3()),
      s.nPaired(),
      nul(s.medianChange()),
      s.nRatio(),
      nul(s.medianFoldChange()),
      nul(s.medianLinearRatio()),
      s.nNonzero(),
      nul(s.wilcoxonV()),
      nul(s.p()),
      s.exact(),
      nul(s.q()),
      runId
    };
  }

  /** A {@code clinical_response} row. */
  public static Object[] clinicalResponse(ClinicalResponse cr, String runId) {
    return new Object[] {
      cr.patientId(),
      cr.cohort(),
      cr.visit(),
      cr.studyDay(),
      cr.scoreTest(),
      cr.value(),
      nul(cr.baseline()),
      nul(cr.change()),
      nul(cr.pctChange()),
      cr.responder(),
      cr.rule(),
      runId
    };
  }

  /** null for NaN (an undefined statistic), else the value. */
  public static Double nul(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
