package org.cytolake.cytometry.transform;

/**
 * Gating-ML 2.0 parametrised linear transform {@code flin}:
 * {@code flin(x) = (x + A) / (T + A)}, mapping the data interval [-A, T] onto [0, 1]; it is defined for every x.
 *
 * @param T top of scale, the data value mapped to 1; finite and greater than 0
 * @param A the bottom of the scale is -A (mapped to 0); finite, with 0 ≤ A ≤ T
 */
public record Linear(double T, double A) implements Transform {

  /** Type name in specs. */
  public static final String ID = "linear";

  /** Validates the parameters against the Gating-ML 2.0 constraints. */
  public Linear {
    Problems problems = new Problems("Cannot create linear transform");
    boolean validT = problems.checkPositive("T", T);
    if (problems.checkFinite("A", A)) {
      problems.check(A >= 0, "A=" + A + " must be ≥ 0");
      problems.check(!validT || A <= T, "A=" + A + " must be ≤ T (T=" + T + ")");
    }
    problems.throwIfAny();
  }

  @Override
  public double apply(double x) {
    return (x + A) / (T + A);
  }

  @Override
  public double inverse(double y) {
    return y * (T + A) - A;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String spec() {
    return ID + ":T=" + TransformSpec.format(T) + ",A=" + TransformSpec.format(A);
  }
}
