package org.cytolake.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sample for {@link CountGlm}: the events of a population and the total it is counted against
 * (the parent population's events for the binomial model; the sample's total events, entering as
 * the offset log(total), for the negative binomial), with the sample's factor levels and
 * covariates. For a paired design (patient fixed effects) put the patient among the factors.
 *
 * @param events events of the population, 0 ≤ events (≤ total for the binomial model)
 * @param total parent or total events, &gt; 0
 * @param factors factor name → level
 * @param covariates covariate name → value
 */
public record CountObservation(
    long events, long total, Map<String, String> factors, Map<String, Double> covariates)
    implements DesignRow {

  public CountObservation {
    factors = Collections.unmodifiableMap(new LinkedHashMap<>(factors));
    covariates = Collections.unmodifiableMap(new LinkedHashMap<>(covariates));
  }

  /** A count without covariates. */
  public CountObservation(long events, long total, Map<String, String> factors) {
    this(events, total, factors, Map.of());
  }
}
