package org.cytolake.aggregate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
public record ClinicalResponse(
    String patientId,
    String cohort,
    String visit,
    Integer studyDay,
    String scoreTest,
    double value,
    double baseline,
    Boolean responder,
    String rule) {

  /**
   * The response row of one score value.
   *
   * @param baselineVisit the visit that is the baseline (its row has no responder flag)
   */
  public static ClinicalResponse of(
      CohortDefinition cohort,
      String patientId,
      String visit,
      Integer studyDay,
      double value,
      double baseline,
      String baselineVisit) {
    if (cohort.scoreTest() == null) {
      throw new IllegalArgumentException(
          "Cannot score the response of cohort "
              + cohort.code()
              + ": it has no score in cohorts.yaml");
    }
    ResponderRule rule = cohort.rule();
    Boolean r = rule == null || visit.equals(baselineVisit) ? null : rule.responds(baseline, value);
    return new ClinicalResponse(
        patientId,
        cohort.code(),
        visit,
        studyDay,
        cohort.scoreTest(),
        value,
        baseline,
        r,
        rule == null ? null : rule.describe());
  }

  /**
   * A disease-activity score of one patient at one visit, with the patient's cohort (a row of
   * {@code disease_scores} whose value is not null).
   */
  public record Score(
      String patientId,
      String cohort,
      String testCode,
      String visit,
      Integer studyDay,
      double value) {}

  /**
   * The {@code clinical_response} rows of {@code scores}, in patient and then visit order: one
   * per score of its cohort's score test (a cohort unknown to {@code cohorts}, or without a
   * score, has none), against the patient's score of that test at the baseline visit (NaN when
   * there is none; the last one when there are several).
   *
   * @param cohorts by code
   * @param baselineVisit the baseline visit
   * @param visitOrder the study's visit order
   */
  public static List<ClinicalResponse> of(
      List<Score> scores,
      Map<String, CohortDefinition> cohorts,
      String baselineVisit,
      Comparator<String> visitOrder) {
    List<Score> sorted =
        scores.stream()
            .sorted(Comparator.comparing(Score::patientId).thenComparing(Score::visit, visitOrder))
            .toList();
    Map<String, Double> baselines = new HashMap<>();
    for (Score s : sorted) {
      if (s.visit().equals(baselineVisit)) {
        baselines.put(s.patientId() + "\u0000" + s.testCode(), s.value());
      }
    }
    List<ClinicalResponse> out = new ArrayList<>();
    for (Score s : sorted) {
      CohortDefinition c = cohorts.get(s.cohort());
      if (c == null || c.scoreTest() == null || !c.scoreTest().equals(s.testCode())) {
        continue;
      }
      double b = baselines.getOrDefault(s.patientId() + "\u0000" + s.testCode(), Double.NaN);
      out.add(of(c, s.patientId(), s.visit(), s.studyDay(), s.value(), b, baselineVisit));
    }
    return out;
  }

  /** value − baseline. */
  public double change() {
    return value - baseline;
  }

  /** 100 · (value − baseline) / baseline; NaN when the baseline is 0 or missing. */
  public double pctChange() {
    return baseline == 0 || Double.isNaN(baseline)
        ? Double.NaN
        : 100 * (value - baseline) / baseline;
  }
}
