package org.cytolake.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sample for {@link LinearMixedModel}: the subject (patient) it belongs to, its response (a
 * population's frequency, a median intensity, a score), its factor levels and covariate values.
 *
 * @param subject the subject, the grouping of the random intercept
 * @param response the response y
 * @param factors factor name → level (visit, cohort, sex, batch ...)
 * @param covariates covariate name → value (age ...)
 */
public record Observation(
    String subject, double response, Map<String, String> factors, Map<String, Double> covariates)
    implements DesignRow {

  public Observation {
    factors = Collections.unmodifiableMap(new LinkedHashMap<>(factors));
    covariates = Collections.unmodifiableMap(new LinkedHashMap<>(covariates));
  }

  /** An observation without covariates. */
  public Observation(String subject, double response, Map<String, String> factors) {
    this(subject, response, factors, Map.of());
  }
}
