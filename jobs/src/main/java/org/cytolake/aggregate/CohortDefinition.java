package org.cytolake.aggregate;

import java.util.List;

/**
 * One disease cohort of {@code conf/cohorts.yaml}.
 *
 * @param code short code used in analyst tables, e.g. {@code RA}
 * @param diseases the values of {@code patients.cohort} (SDTM DM DISEASE) that belong to it
 * @param scoreTest the disease-activity score's test code in {@code disease_scores}, e.g.
 *     {@code DAS28CRP}; null when the cohort has no score (then it has no clinical response)
 * @param rule the responder rule on the score; null when there is none (responder flags are
 *     null)
 */
public record CohortDefinition(
    String code, List<String> diseases, String scoreTest, ResponderRule rule) {
  public CohortDefinition {
    diseases = List.copyOf(diseases);
    if (rule != null && scoreTest == null) {
      throw new IllegalArgumentException(
          "Cannot define cohort " + code + ": a responder rule needs a score");
    }
  }
}
