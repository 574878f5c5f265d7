package org.cytolake.cytometry.transform;

import java.util.Objects;

/**
 * What Gating-ML 2.0's two four-parameter transforms share (Spidlen et al. 2015, Cytometry A
 * 87:683): the parameters T (top of scale), W (width of the near-linear region), M (decades of the
 * log-like region) and A (additional negative decades), a {@link SymmetricBiexponential} curve
 * derived from them, and value semantics: equal when the type and the four parameters are equal.
 * {@link Logicle} and {@link Hyperlog} differ only in how they derive the curve.
 */
public abstract sealed class TwmaTransform implements Transform permits Logicle, Hyperlog {
  private final String id;
  private final double T;
  private final double W;
  private final double M;
  private final double A;
  private final SymmetricBiexponential curve;

  TwmaTransform(String id, double T, double W, double M, double A, SymmetricBiexponential curve) {
    this.id = id;
    this.T = T;
    this.W = W;
    this.M = M;
    this.A = A;
    this.curve = curve;
  }

  /** Top of scale: the data value mapped to 1. */
  public double T() {
    return T;
  }

  /** Width of the near-linear region, in decades. */
  public double W() {
    return W;
  }

  /** Decades of the log-like region. */
  public double M() {
    return M;
  }

  /** Additional decades of negative data. */
  public double A() {
    return A;
  }

  @Override
  public double apply(double x) {
    return curve.toScale(x);
  }

  @Override
  public double inverse(double y) {
    return curve.toData(y);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String spec() {
    return id
        + ":T="
        + TransformSpec.format(T)
        + ",W="
        + TransformSpec.format(W)
        + ",M="
        + TransformSpec.format(M)
        + ",A="
        + TransformSpec.format(A);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TwmaTransform other
        && other.getClass() == getClass()
        && Double.compare(T, other.T) == 0
        && Double.compare(W, other.W) == 0
        && Double.compare(M, other.M) == 0
        && Double.compare(A, other.A) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, T, W, M, A);
  }

  @Override
  public String toString() {
    String name = Character.toUpperCase(id.charAt(0)) + id.substring(1);
    return name + "[T=" + T + ", W=" + W + ", M=" + M + ", A=" + A + "]";
  }
}
