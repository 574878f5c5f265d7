package org.cytolake.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fitted fixed effects b of a model with design {@link DesignMatrix}: estimates, their covariance
 * and Wald statistics, and linear contrasts L b. Immutable.
 *
 * <p>Contrasts are stated over the columns of the full design, dropped ones included, so that they
 * read the same whether or not a column was aliased. A contrast is estimable when L is in the row
 * space of the full X, i.e. when for every dropped column a, equal to Σ c_k x_k over kept columns,
 * L_a = Σ c_k L_k. Then L b is the same for every solution of the normal equations, and is computed
 * with the dropped coefficients at 0. A contrast that is not estimable (e.g. "D15 vs D1 in AS" when
 * AS has no D15 sample) is refused, naming the dropped column.
 */
public final class FixedEffects {
  private static final double ESTIMABLE_TOLERANCE = 1e-8;

  private final List<DesignMatrix.Column> columns;
  private final Map<String, List<String>> levels;
  private final List<String> names;
  private final double[] estimates;
  private final double[][] covariance;
  private final List<DesignMatrix.AliasedColumn> aliased;
  private final List<Estimate> coefficients;

  /**
   * @param design the design the model was fitted on
   * @param estimates b over the kept columns
   * @param covariance the covariance of b, kept × kept
   */
  FixedEffects(DesignMatrix design, double[] estimates, double[][] covariance) {
    this.columns = design.columns();
    this.levels = design.levels();
    this.names = design.keptNames();
    this.aliased = design.aliased();
    this.estimates = estimates.clone();
    this.covariance = new double[covariance.length][];
    for (int i = 0; i < covariance.length; i++) {
      this.covariance[i] = covariance[i].clone();
    }
    List<Estimate> list = new ArrayList<>();
    for (int k = 0; k < names.size(); k++) {
      list.add(Estimate.wald(names.get(k), estimates[k], Math.sqrt(covariance[k][k])));
    }
    this.coefficients = List.copyOf(list);
  }

  /** One Wald estimate per kept column, in column order. */
  public List<Estimate> coefficients() {
    return coefficients;
  }

  /** Names of the kept columns, in order. */
  public List<String> names() {
    return names;
  }

  /** b over the kept columns (a copy). */
  public double[] estimates() {
    return estimates.clone();
  }

  /** The covariance of b over the kept columns (a copy). */
  public double[][] covariance() {
    double[][] copy = new double[covariance.length][];
    for (int i = 0; i < covariance.length; i++) {
      copy[i] = covariance[i].clone();
    }
    return copy;
  }

  /** Columns dropped as aliased, with the reason; empty for a full-rank design. */
  public List<DesignMatrix.AliasedColumn> aliased() {
    return aliased;
  }

  /** Factor → levels, reference first. */
  public Map<String, List<String>> levels() {
    return levels;
  }

  /** The coefficient of column {@code name}. */
  public Estimate coefficient(String name) {
    int k = names.indexOf(name);
    if (k >= 0) {
      return coefficients.get(k);
    }
    for (DesignMatrix.AliasedColumn a : aliased) {
      if (a.name().equals(name)) {
        throw new IllegalArgumentException(
            "Cannot report coefficient '"
                + name
                + "': the column was dropped ("
                + a.reason()
                + ")");
      }
    }
    throw new IllegalArgumentException(
        "Cannot report coefficient '" + name + "': no such column; columns are " + names);
  }

  /**
   * The Wald estimate of Σ weights[c] · b[c], over columns of the full design.
   *
   * @throws IllegalArgumentException for an unknown column or a contrast that is not estimable
   */
  public Estimate contrast(String label, Map<String, Double> weights) {
    double[] l = keptWeights(label, weights);
    double est = 0;
    double var = 0;
    for (int i = 0; i < l.length; i++) {
      est += l[i] * estimates[i];
      for (int j = 0; j < l.length; j++) {
        var += l[i] * covariance[i][j] * l[j];
      }
    }
    return Estimate.wald(label, est, Math.sqrt(var));
  }

  /**
   * The weights of an estimable contrast over the kept columns, in their order: the weights of
   * dropped columns are left out, as an estimable contrast does not depend on them (their
   * coefficients are taken as 0).
   *
   * @throws IllegalArgumentException for an unknown column or a contrast that is not estimable
   */
  double[] keptWeights(String label, Map<String, Double> weights) {
    Map<String, Double> full = new LinkedHashMap<>();
    for (DesignMatrix.Column c : columns) {
      full.put(c.name(), 0.0);
    }
    for (Map.Entry<String, Double> e : weights.entrySet()) {
      if (!full.containsKey(e.getKey())) {
        throw new IllegalArgumentException(
            "Cannot estimate contrast '"
                + label
                + "': no column '"
                + e.getKey()
                + "'; columns are "
                + full.keySet());
      }
      if (e.getValue() == null || !Double.isFinite(e.getValue())) {
        throw new IllegalArgumentException(
            "Cannot estimate contrast '"
                + label
                + "': weight of '"
                + e.getKey()
                + "' is "
                + e.getValue());
      }
      full.put(e.getKey(), e.getValue());
    }
    double scale = 1;
    for (double w : full.values()) {
      scale += Math.abs(w);
    }
    for (DesignMatrix.AliasedColumn a : aliased) {
      double implied = 0;
      for (Map.Entry<String, Double> c : a.combination().entrySet()) {
        implied += c.getValue() * full.get(c.getKey());
      }
      if (Math.abs(full.get(a.name()) - implied) > ESTIMABLE_TOLERANCE * scale) {
        throw new IllegalArgumentException(
            "Cannot estimate contrast '"
                + label
                + "': it is not estimable, as column "
                + a.name()
                + " was dropped ("
                + a.reason()
                + ")");
      }
    }
    double[] l = new double[names.size()];
    for (int k = 0; k < l.length; k++) {
      l[k] = full.get(names.get(k));
    }
    return l;
  }

  /**
   * Level {@code level} of {@code factor} against its reference, with the factors in {@code at} at
   * the given levels and every other factor at its reference: e.g. ("visit", "D8", {cohort: SLE})
   * is "D8 vs baseline within SLE", the sum of visit[T.D8] and visit[T.D8]:cohort[T.SLE].
   */
  public Estimate levelContrast(String factor, String level, Map<String, String> at) {
    String label =
        factor
            + " "
            + level
            + " vs "
            + reference(factor)
            + (at.isEmpty() ? "" : " at " + describe(at));
    return contrast(label, levelWeights(factor, level, at));
  }

  /**
   * Level {@code level} of {@code factor} against its reference, averaged with equal weights over
   * the levels of {@code over} (each at the other factors' reference): e.g. ("visit", "D8",
   * "cohort") is "D8 vs baseline pooled over cohorts", the mean of the per-cohort effects.
   */
  public Estimate pooledLevelContrast(String factor, String level, String over) {
    if (factor.equals(over) || !levels.containsKey(over)) {
      throw new IllegalArgumentException(
          "Cannot pool contrast of "
              + factor
              + " "
              + level
              + " over '"
              + over
              + "': not another factor of the design; factors are "
              + levels.keySet());
    }
    Map<String, Double> weights = new TreeMap<>();
    List<String> overLevels = levels.get(over);
    for (String l : overLevels) {
      levelWeights(factor, level, Map.of(over, l))
          .forEach((c, w) -> weights.merge(c, w / overLevels.size(), Double::sum));
    }
    return contrast(
        factor + " " + level + " vs " + reference(factor) + " averaged over " + over, weights);
  }

  /** The weights of {@link #levelContrast}: 1 on each column it sums. */
  public Map<String, Double> levelWeights(String factor, String level, Map<String, String> at) {
    checkLevel(factor, level, "contrast");
    if (level.equals(reference(factor))) {
      throw new IllegalArgumentException(
          "Cannot build contrast of " + factor + " " + level + ": it is the reference level");
    }
    for (Map.Entry<String, String> e : at.entrySet()) {
      if (e.getKey().equals(factor)) {
        throw new IllegalArgumentException(
            "Cannot build contrast of "
                + factor
                + " "
                + level
                + ": it also fixes "
                + factor
                + " at "
                + e.getValue());
      }
      checkLevel(e.getKey(), e.getValue(), "contrast of " + factor + " " + level + " at");
    }
    Map<String, Double> weights = new LinkedHashMap<>();
    for (DesignMatrix.Column c : columns) {
      if (c.covariate() != null || !level.equals(c.levels().get(factor))) {
        continue;
      }
      boolean matches = true;
      for (Map.Entry<String, String> e : c.levels().entrySet()) {
        if (!e.getKey().equals(factor) && !e.getValue().equals(at.get(e.getKey()))) {
          matches = false;
          break;
        }
      }
      if (matches) {
        weights.put(c.name(), 1.0);
      }
    }
    return Collections.unmodifiableMap(weights);
  }

  private String reference(String factor) {
    checkLevel(factor, null, "contrast");
    return levels.get(factor).get(0);
  }

  private void checkLevel(String factor, String level, String what) {
    List<String> ls = levels.get(factor);
    if (ls == null) {
      throw new IllegalArgumentException(
          "Cannot build " + what + ": no factor '" + factor + "'; factors are " + levels.keySet());
    }
    if (level != null && !ls.contains(level)) {
      throw new IllegalArgumentException(
          "Cannot build "
              + what
              + ": factor '"
              + factor
              + "' has no level '"
              + level
              + "'; levels are "
              + ls);
    }
  }

  private static String describe(Map<String, String> at) {
    List<String> parts = new ArrayList<>();
    new TreeMap<>(at).forEach((f, l) -> parts.add(f + "=" + l));
    return String.join(", ", parts);
  }
}
