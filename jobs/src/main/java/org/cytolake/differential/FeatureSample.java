package org.cytolake.differential;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One value of one feature in one sample (a patient at a visit), as {@link DifferentialAnalysis}
 * reads it.
 *
 * @param patient the patient, the grouping of the random intercept
 * @param cohort the patient's cohort
 * @param visit the visit code
 * @param value the feature's value in its {@link org.cytolake.aggregate.FeatureScale} (a
 *     percentage 0-100, cells per µL, a count ratio, a median in transformed units); NaN when
 *     missing
 * @param events the events of the population itself (the numerator of a percentage or ratio);
 *     -1 when unknown
 * @param parentEvents the events the value rests on: the parent of a percentage (all events of
 *     the sample for pct_of_total and metaclusters), the denominator of a ratio, the population
 *     of a median or absolute count; -1 when unknown
 * @param factors categorical covariates (patients column → level); a missing key means unknown
 * @param covariates numeric covariates (patients column → value); a missing key means unknown
 */
public record FeatureSample(
    String patient,
    String cohort,
    String visit,
    double value,
    long events,
    long parentEvents,
    Map<String, String> factors,
    Map<String, Double> covariates) {

  public FeatureSample {
    Objects.requireNonNull(patient, "patient");
    Objects.requireNonNull(cohort, "cohort");
    Objects.requireNonNull(visit, "visit");
    factors = Collections.unmodifiableMap(new LinkedHashMap<>(factors));
    covariates = Collections.unmodifiableMap(new LinkedHashMap<>(covariates));
  }

  /** A sample without covariates. */
  public FeatureSample(
      String patient, String cohort, String visit, double value, long events, long parentEvents) {
    this(patient, cohort, visit, value, events, parentEvents, Map.of(), Map.of());
  }
}
