package org.cytolake.gating;

import java.util.Objects;

/**
 * The Gating-ML 2.0 ratio transformation {@code fratio(x, y) = A (x - B) / (y - C)} of two FCS parameters (section 6
 * of the specification); it defines a new dimension.
 *
 * @param numerator {@code $PnN} of x
 * @param denominator {@code $PnN} of y
 */
public record Ratio(String numerator, String denominator, double A, double B, double C) {

  public Ratio {
    Objects.requireNonNull(numerator, "numerator");
    Objects.requireNonNull(denominator, "denominator");
  }

  /** fratio(x, y). */
  public double apply(double x, double y) {
    return A * (x - B) / (y - C);
  }
}
