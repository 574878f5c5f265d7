package org.cytolake.cytometry.transform;

/**
 * Gating-ML 2.0 parametrised inverse hyperbolic sine transform {@code fasinh}:
 * <pre>
 *   fasinh(x) = (asinh(x · sinh(M ln 10) / T) + A ln 10) / ((M + A) ln 10)
 * </pre>
 * It maps T to 1 and 0 to A / (M + A); large values fall where an (M + A)-decade log scale would put them, and A
 * decades of negative values are brought on scale. It equals {@link Logicle} with W = 0. The usual cytometry form
 * asinh(x / cofactor) is {@link AsinhCofactor}.
 *
 * @param T top of scale, the data value mapped to 1; finite and greater than 0
 * @param M number of decades (asymptotically) between T and the scale's zero; finite and greater than 0
 * @param A additional decades of negative data brought on scale; finite, with 0 ≤ A ≤ M
 */
public record Asinh(double T, double M, double A) implements Transform {

  /** Type name in specs (shared with {@link AsinhCofactor}). */
  public static final String ID = "asinh";

  private static final double LN10 = Math.log(10);
  private static final double LN2 = Math.log(2);

  /** Above this, asinh(z) = ln(2z) to within a relative 1e-17, and z² could overflow. */
  private static final double ASINH_LARGE = 1e8;

  /** Validates the parameters against the Gating-ML 2.0 constraints. */
  public Asinh {
    Problems problems = new Problems("Cannot create asinh transform");
    problems.checkPositive("T", T);
    boolean validM = problems.checkPositive("M", M);
    if (problems.checkFinite("A", A)) {
      problems.check(A >= 0, "A=" + A + " must be ≥ 0");
      problems.check(!validM || A <= M, "A=" + A + " must be ≤ M (M=" + M + ")");
    }
    problems.throwIfAny();
  }

  @Override
  public double apply(double x) {
    return (arcsinh(x * Math.sinh(M * LN10) / T) + A * LN10) / ((M + A) * LN10);
  }

  @Override
  public double inverse(double y) {
    return T / Math.sinh(M * LN10) * Math.sinh(y * (M + A) * LN10 - A * LN10);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String spec() {
    return ID
        + ":T="
        + TransformSpec.format(T)
        + ",M="
        + TransformSpec.format(M)
        + ",A="
        + TransformSpec.format(A);
  }

  /** The inverse hyperbolic sine, accurate to a few ulps for every z (Java has no Math.asinh). */
  static double arcsinh(double z) {
    double a = Math.abs(z);
    double r =
        a > ASINH_LARGE
            ? Math.log(a) + LN2
            // ln(a + sqrt(a² + 1)) rewritten as log1p(...) so that small a keeps its relative
            // precision
            : Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
    return Math.copySign(r, z);
  }
}
