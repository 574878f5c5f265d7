package org.cytolake.differential;

import java.util.HashMap;
import java.util.Map;
import org.cytolake.config.DifferentialConfig;

/**
 * The inputs of {@link DifferentialAnalysis} as the aggregate job reads them from the lake: a
 * patient's covariates from the {@code patients} columns conf/differential.yaml names, and one
 * {@link FeatureSample} per collected row, where a missing value is NaN and missing event counts
 * are unknown (-1).
 */
public final class DifferentialInputs {
  private DifferentialInputs() {}

  /**
   * A patient's covariates.
   *
   * @param factors categorical covariates (patients column → level)
   * @param numeric numeric covariates (patients column → value)
   */
  public record Covariates(Map<String, String> factors, Map<String, Double> numeric) {
    /** No covariates (a patient the {@code patients} table does not hold). */
    public static final Covariates NONE = new Covariates(Map.of(), Map.of());
  }

  /**
   * A patient's covariates from its {@code patients} columns: a numeric column ({@link
   * DifferentialConfig#COVARIATE_COLUMNS}) as a number, any other as its text; a null (unknown)
   * value is left out.
   *
   * @param columns patients column → value, for the covariates of conf/differential.yaml
   */
  public static Covariates covariates(Map<String, Object> columns) {
    Map<String, String> factors = new HashMap<>();
    Map<String, Double> numeric = new HashMap<>();
    columns.forEach(
        (name, value) -> {
          if (value == null) {
            return;
          }
          if (DifferentialConfig.COVARIATE_COLUMNS.get(name)) {
            numeric.put(name, ((Number) value).doubleValue());
          } else {
            factors.put(name, String.valueOf(value));
          }
        });
    return new Covariates(factors, numeric);
  }

  /**
   * One sample's value of a feature.
   *
   * @param value the value, or null when missing (NaN)
   * @param events the population's events, or null when unknown (-1)
   * @param parentEvents the events the value rests on, or null when unknown (-1)
   */
  public static FeatureSample sample(
      String patient,
      String cohort,
      String visit,
      Number value,
      Number events,
      Number parentEvents,
      Covariates covariates) {
    return new FeatureSample(
        patient,
        cohort,
        visit,
        value == null ? Double.NaN : value.doubleValue(),
        events == null ? -1 : events.longValue(),
        parentEvents == null ? -1 : parentEvents.longValue(),
        covariates.factors(),
        covariates.numeric());
  }
}
