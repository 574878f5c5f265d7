package org.cytolake.cytometry.transform;

/**
 * The inverse hyperbolic sine with a cofactor, {@code asinh(x / cofactor)}, as commonly used for mass cytometry
 * (cofactor 5) and spectral flow cytometry (cofactor 150 or so). Its output is not on the Gating-ML 0..1 scale:
 * asinh(x / c) grows by ln 10 per decade of large x.
 *
 * <p>It is the Gating-ML 2.0 {@code fasinh} with T = c·sinh(1), M = 1/ln 10 and A = 0 (then sinh(M ln 10) / T =
 * 1/c and the denominator (M + A) ln 10 is 1); {@link #toGatingMl()} returns that {@link Asinh}.
 *
 * @param cofactor the divisor applied before asinh; finite and greater than 0
 */
public record AsinhCofactor(double cofactor) implements Transform {

  /** Validates the cofactor. */
  public AsinhCofactor {
    Problems problems = new Problems("Cannot create asinh transform");
    problems.checkPositive("cofactor", cofactor);
    problems.throwIfAny();
  }

  @Override
  public double apply(double x) {
    return Asinh.arcsinh(x / cofactor);
  }

  @Override
  public double inverse(double y) {
    return cofactor * Math.sinh(y);
  }

  /** The equal Gating-ML {@code fasinh}, for writing this transform to Gating-ML. */
  public Asinh toGatingMl() {
    return new Asinh(cofactor * Math.sinh(1), 1 / Math.log(10), 0);
  }

  @Override
  public String id() {
    return Asinh.ID;
  }

  @Override
  public String spec() {
    return Asinh.ID + ":" + TransformSpec.COFACTOR + "=" + TransformSpec.format(cofactor);
  }
}
