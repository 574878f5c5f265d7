package org.cytolake.differential;

import org.cytolake.aggregate.FeatureScale;

/**
 * The scale a feature is modelled on and its effect reported on.
 *
 * <ul>
 *   <li>{@link #ODDS_RATIO}: a percentage of cells is modelled as the empirical logit
 *       log((k + ½) / (n − k + ½)), k = value/100 · n, n the parent's events (the plain logit
 *       when n is unknown; 0% or 100% are then left out); the effect exp(difference) is an odds
 *       ratio.
 *   <li>{@link #FOLD_CHANGE}: a count (cells per µL) or count ratio is modelled on the log
 *       scale (a ratio whose two counts are known as log((num + ½) / (den + ½)); a value ≤ 0
 *       otherwise is left out); exp(difference) is a fold change (a geometric-mean ratio). The
 *       negative binomial GLM's rate ratio of a percentage is one too.
 *   <li>{@link #CHANGE}: an intensity (a marker median in its channel's transformed units) is
 *       modelled as it is; the effect is the change of the median in those units.
 * </ul>
 */
public enum EffectScale {
  ODDS_RATIO("odds_ratio", true),
  FOLD_CHANGE("fold_change", true),
  CHANGE("change", false),
  /** Secondary Wilcoxon rows of a non-intensity: the median of value / baseline. */
  MEDIAN_FOLD_CHANGE("median_fold_change", false),
  /** Secondary Wilcoxon rows of an intensity: the median of value − baseline. */
  MEDIAN_CHANGE("median_change", false);

  private final String label;
  private final boolean logScale;

  EffectScale(String label, boolean logScale) {
    this.label = label;
    this.logScale = logScale;
  }

  /** The text of {@code differential.scale}. */
  public String label() {
    return label;
  }

  /** Whether the model works on the log of this scale (effects are exponentiated). */
  public boolean logScale() {
    return logScale;
  }

  /** The model scale of a linear mixed model of a feature of this scale. */
  public static EffectScale of(FeatureScale scale) {
    return switch (scale.kind()) {
      case PERCENT -> ODDS_RATIO;
      case COUNT, COUNT_RATIO -> FOLD_CHANGE;
      case INTENSITY -> CHANGE;
    };
  }

  /** A model-scale effect on the reporting scale: exp for log scales, else itself. */
  public double report(double modelScale) {
    return logScale ? Math.exp(modelScale) : modelScale;
  }

  /**
   * The response of one sample on the model scale of {@code scale} (see the class comment); NaN
   * when it has none.
   */
  public static double response(FeatureScale scale, FeatureSample s) {
    double v = s.value();
    if (!Double.isFinite(v)) {
      return Double.NaN;
    }
    switch (scale.kind()) {
      case PERCENT:
        {
          double p = v / 100;
          if (p < 0 || p > 1) {
            return Double.NaN;
          }
          if (s.parentEvents() > 0) {
            double n = s.parentEvents();
            double k = p * n;
            return Math.log((k + 0.5) / (n - k + 0.5));
          }
          return p > 0 && p < 1 ? Math.log(p / (1 - p)) : Double.NaN;
        }
      case COUNT_RATIO:
        if (s.events() >= 0 && s.parentEvents() >= 0) {
          return Math.log((s.events() + 0.5) / (s.parentEvents() + 0.5));
        }
        return v > 0 ? Math.log(v) : Double.NaN;
      case COUNT:
        return v > 0 ? Math.log(v) : Double.NaN;
      default:
        return v;
    }
  }
}
