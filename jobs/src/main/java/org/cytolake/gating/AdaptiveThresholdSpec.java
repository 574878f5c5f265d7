package org.cytolake.gating;

import java.util.Objects;

/**
 * How a data-adaptive ("auto") limit of a {@link RectangleGate} is found in each sample; {@link
 * AdaptiveThreshold} does the finding. The compact form writes it in place of a number: {@code
 * {dim: cd127, max: {auto: valley, window: [0.5, 4.5], bounds: [1.9, 3.0], fallback: 2.45}}} or
 * {@code {dim: cd25, min: {auto: tail, reference: Tconv_ref, quantile: 0.99, fallback: 2.0}}}.
 *
 * @param method {@link Method#VALLEY} or {@link Method#TAIL}
 * @param windowMin for a valley, the lowest value the density is estimated from (the gate's parent's
 *     values in [windowMin, windowMax] are used); NaN for a tail
 * @param windowMax for a valley, the highest such value; NaN for a tail
 * @param boundMin the lowest threshold allowed: a lower one is raised to it ({@code
 *     Double.NEGATIVE_INFINITY}: none; a valley defaults to its window)
 * @param boundMax the highest threshold allowed: a higher one is lowered to it
 * @param reference for a tail, the id of the population whose values give the quantile; null for a
 *     valley
 * @param quantile for a tail, the probability in (0, 1) of the quantile; NaN for a valley
 * @param fallback the fixed threshold used when none is found (and by readers that do not resolve
 *     thresholds: the Gating-ML export, the report's gate drawings)
 * @param minCount fewer values than this (in the window, or in the reference) → the fallback
 * @param maxValleyRatio a valley: the density minimum between the two modes must be at most this
 *     fraction of the smaller mode's density, else the fallback
 * @param adjust a valley: the factor applied to Silverman's bandwidth (as R's {@code
 *     density(adjust = )})
 */
public record AdaptiveThresholdSpec(
    Method method,
    double windowMin,
    double windowMax,
    double boundMin,
    double boundMax,
    String reference,
    double quantile,
    double fallback,
    int minCount,
    double maxValleyRatio,
    double adjust) {

  /** {@code minCount} when not given. */
  public static final int MIN_COUNT_DEFAULT = 100;

  /** {@code maxValleyRatio} when not given. */
  public static final double MAX_VALLEY_RATIO_DEFAULT = 0.8;

  /** {@code adjust} when not given. */
  public static final double ADJUST_DEFAULT = 1.0;

  /** How the threshold is found; {@link #key()} is its name in the compact form and the tables. */
  public enum Method {
    /** The density minimum between the two highest modes of the parent's values in the window. */
    VALLEY,
    /** The quantile of a reference population's values. */
    TAIL;

    /** {@code valley} or {@code tail}. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public AdaptiveThresholdSpec {
    Objects.requireNonNull(method, "method");
    if (!Double.isFinite(fallback)) {
      throw new IllegalArgumentException("fallback must be a finite number, not " + fallback);
    }
    if (method == Method.VALLEY) {
      if (!(Double.isFinite(windowMin) && Double.isFinite(windowMax) && windowMin < windowMax)) {
        throw new IllegalArgumentException(
            "window must be [lo, hi] with finite lo < hi, not ["
                + windowMin
                + ", "
                + windowMax
                + "]");
      }
      if (!(maxValleyRatio > 0 && maxValleyRatio < 1)) {
        throw new IllegalArgumentException(
            "maxValleyRatio must be in (0, 1), not " + maxValleyRatio);
      }
      if (!(adjust > 0 && Double.isFinite(adjust))) {
        throw new IllegalArgumentException("adjust must be a positive number, not " + adjust);
      }
      if (reference != null) {
        throw new IllegalArgumentException("reference applies only to auto: tail");
      }
    } else {
      if (reference == null || reference.isBlank()) {
        throw new IllegalArgumentException("auto: tail needs a reference population id");
      }
      if (!(quantile > 0 && quantile < 1)) {
        throw new IllegalArgumentException("quantile must be in (0, 1), not " + quantile);
      }
    }
    if (!(boundMin < boundMax) || Double.isNaN(boundMin) || Double.isNaN(boundMax)) {
      throw new IllegalArgumentException(
          "bounds must be [lo, hi] with lo < hi, not [" + boundMin + ", " + boundMax + "]");
    }
    if (minCount < 2) {
      throw new IllegalArgumentException("minCount must be at least 2, not " + minCount);
    }
  }

  /** A valley with the default minCount, maxValleyRatio and adjust; bounds default to the window. */
  public static AdaptiveThresholdSpec valley(
      double windowMin, double windowMax, double boundMin, double boundMax, double fallback) {
    return new AdaptiveThresholdSpec(
        Method.VALLEY,
        windowMin,
        windowMax,
        boundMin,
        boundMax,
        null,
        Double.NaN,
        fallback,
        MIN_COUNT_DEFAULT,
        MAX_VALLEY_RATIO_DEFAULT,
        ADJUST_DEFAULT);
  }

  /** A tail with the default minCount and no bounds. */
  public static AdaptiveThresholdSpec tail(String reference, double quantile, double fallback) {
    return new AdaptiveThresholdSpec(
        Method.TAIL,
        Double.NaN,
        Double.NaN,
        Double.NEGATIVE_INFINITY,
        Double.POSITIVE_INFINITY,
        reference,
        quantile,
        fallback,
        MIN_COUNT_DEFAULT,
        MAX_VALLEY_RATIO_DEFAULT,
        ADJUST_DEFAULT);
  }

  /** This spec with another minCount. */
  public AdaptiveThresholdSpec withMinCount(int n) {
    return new AdaptiveThresholdSpec(
        method,
        windowMin,
        windowMax,
        boundMin,
        boundMax,
        reference,
        quantile,
        fallback,
        n,
        maxValleyRatio,
        adjust);
  }

  /** How it reads, e.g. {@code valley in [0.5, 4.5], fallback 2.45}. */
  public String describe() {
    return method == Method.VALLEY
        ? "valley in [" + windowMin + ", " + windowMax + "], fallback " + fallback
        : "tail: quantile " + quantile + " of '" + reference + "', fallback " + fallback;
  }
}
