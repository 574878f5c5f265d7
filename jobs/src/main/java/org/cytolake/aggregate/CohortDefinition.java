package org.cytolake.aggregate;

import java.util.List;

/**
 * One disease cohort of {@code conf/cohorts.yaml}.
 *
 * @param code short code used in analyst tables, e.g. {@code RA}
 * @param diseases the values of {@code patients.cohort} (SDTM DM DISEASE) that belong to it
 * @param scoreTest the disease-activity score's test code in {@code disease_scores}, e.g.
 *     {@code DAS28CRP}
 * @param rule the responder rule
 */
public record CohortDefinition(String code, List<String> diseases, String scoreTest,
    ResponderRule rule) {
  public CohortDefinition {
    diseases = List.copyOf(diseases);
  }
}
