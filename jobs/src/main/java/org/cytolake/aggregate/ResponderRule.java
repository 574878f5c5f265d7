package org.cytolake.aggregate;

import java.util.ArrayList;
import java.util.List;

/**
 * A cohort's responder rule on its disease-activity score, in disjunctive normal form: the patient
 * responds at a visit when every condition of at least one alternative holds. Conditions compare
 * the visit's value with the patient's baseline value; "decrease" is baseline − value (a fall in
 * activity is positive), "% decrease" is 100 · (baseline − value) / baseline. Comparisons allow
 * {@value #EPSILON} for binary rounding (4.0 − 3.4 is 0.6000000000000001 in doubles, which must
 * not pass "decrease &gt; 0.6"; scores are recorded to a few decimals).
 *
 * @param alternatives at least one; each a set of conditions that must all hold
 */
public record ResponderRule(List<Criterion> alternatives) {
  /** Tolerance of every comparison. */
  public static final double EPSILON = 1e-9;

  public ResponderRule {
    alternatives = List.copyOf(alternatives);
    if (alternatives.isEmpty()) {
      throw new IllegalArgumentException("Cannot build a responder rule: no alternative");
    }
  }

  /**
   * One alternative: every non-null bound must hold (null bounds are not checked).
   *
   * @param decreaseMin decrease ≥ this
   * @param decreaseOver decrease &gt; this (strict, as EULAR's "Δ &gt; 1.2")
   * @param pctDecreaseMin % decrease ≥ this (needs a baseline &gt; 0)
   * @param valueMax value at the visit ≤ this
   * @param valueBelow value at the visit &lt; this (strict)
   */
  public record Criterion(
      Double decreaseMin,
      Double decreaseOver,
      Double pctDecreaseMin,
      Double valueMax,
      Double valueBelow) {

    public Criterion {
      if (decreaseMin == null
          && decreaseOver == null
          && pctDecreaseMin == null
          && valueMax == null
          && valueBelow == null) {
        throw new IllegalArgumentException("Cannot build a responder criterion: no condition");
      }
    }

    boolean holds(double baseline, double value) {
      double decrease = baseline - value;
      if (decreaseMin != null && !(decrease >= decreaseMin - EPSILON)) {
        return false;
      }
      if (decreaseOver != null && !(decrease > decreaseOver + EPSILON)) {
        return false;
      }
      if (pctDecreaseMin != null
          && !(baseline > 0 && 100 * decrease / baseline >= pctDecreaseMin - EPSILON)) {
        return false;
      }
      if (valueMax != null && !(value <= valueMax + EPSILON)) {
        return false;
      }
      return valueBelow == null || value < valueBelow - EPSILON;
    }

    /** The conditions as text, e.g. {@code decrease > 1.2 and value <= 3.2}. */
    public String describe() {
      List<String> parts = new ArrayList<>();
      if (decreaseMin != null) {
        parts.add("decrease >= " + num(decreaseMin));
      }
      if (decreaseOver != null) {
        parts.add("decrease > " + num(decreaseOver));
      }
      if (pctDecreaseMin != null) {
        parts.add("% decrease >= " + num(pctDecreaseMin));
      }
      if (valueMax != null) {
        parts.add("value <= " + num(valueMax));
      }
      if (valueBelow != null) {
        parts.add("value < " + num(valueBelow));
      }
      return String.join(" and ", parts);
    }
  }

  /**
   * Whether a patient responds: null when either value is missing (NaN), or when the rule needs a
   * baseline that is missing; a value-only rule (e.g. BVAS = 0) still needs the baseline to exist,
   * since response is judged against the start of treatment.
   */
  public Boolean responds(double baseline, double value) {
    if (Double.isNaN(baseline) || Double.isNaN(value)) {
      return null;
    }
    for (Criterion c : alternatives) {
      if (c.holds(baseline, value)) {
        return true;
      }
    }
    return false;
  }

  /** The rule as text, alternatives joined by {@code or}, e.g. {@code (decrease > 1.2) or (...)}. */
  public String describe() {
    if (alternatives.size() == 1) {
      return alternatives.get(0).describe();
    }
    return String.join(" or ", alternatives.stream().map(c -> "(" + c.describe() + ")").toList());
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
