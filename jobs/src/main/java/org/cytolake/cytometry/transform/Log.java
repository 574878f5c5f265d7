package org.cytolake.cytometry.transform;

/**
 * Gating-ML 2.0 parametrised logarithmic transform {@code flog}:
 * {@code flog(x) = log10(x / T) / M + 1}, mapping T to 1 and the M decades below T onto [0, 1].
 *
 * <p>flog is defined for x &gt; 0 only: {@link #apply(double)} returns negative infinity for 0 (the limit) and NaN
 * for negative x. Its inverse {@code T * 10^(M (y - 1))} is defined for every y.
 *
 * @param T top of scale, the data value mapped to 1; finite and greater than 0
 * @param M number of decades mapped onto [0, 1]; finite and greater than 0
 */
public record Log(double T, double M) implements Transform {

  /** Type name in specs. */
  public static final String ID = "log";

  /** Validates the parameters against the Gating-ML 2.0 constraints. */
  public Log {
    Problems problems = new Problems("Cannot create log transform");
    problems.checkPositive("T", T);
    problems.checkPositive("M", M);
    problems.throwIfAny();
  }

  @Override
  public double apply(double x) {
    return Math.log10(x / T) / M + 1;
  }

  @Override
  public double inverse(double y) {
    return T * Math.pow(10, M * (y - 1));
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String spec() {
    return ID + ":T=" + TransformSpec.format(T) + ",M=" + TransformSpec.format(M);
  }
}
