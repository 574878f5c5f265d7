package org.cytolake.cytometry.transform;

/**
 * The Hyperlog transform (Bagwell 2005, Cytometry A 64A:34) in the Gating-ML 2.0 parametrisation (Spidlen et al.
 * 2015, Cytometry A 87:683).
 *
 * <p>{@code hyperlog(x)} is the root y of EH(y) = x, where
 * <pre>
 *   EH(y) = a e^(b y) + c y - f    for y ≥ x1,      EH(y) = -EH(2 x1 - y)    for y &lt; x1
 *   w = W / (M + A),  x2 = A / (M + A),  x1 = x2 + w,  x0 = x2 + 2w,  b = (M + A) ln 10
 *   e0 = e^(b x0),  ca = e0 / w,  fa = e^(b x1) + ca x1,  a = T / (e^b + ca - fa),  c = ca a,  f = fa a
 * </pre>
 * So T maps to 1, 0 maps to x1, negative data fall below x1 symmetrically, the scale is linear-like around 0 and
 * log-like for large data. EH is evaluated in the form of {@link SymmetricBiexponential} and inverted by Halley's
 * method.
 *
 * <p>Immutable; equal when the four parameters are equal ({@link TwmaTransform}).
 */
public final class Hyperlog extends TwmaTransform {

  /** Type name in specs. */
  public static final String ID = "hyperlog";

  private static final double LN10 = Math.log(10);

  /**
   * Creates the transform, validating the Gating-ML 2.0 constraints: T &gt; 0, M &gt; 0, 0 &lt; W ≤ M/2 and
   * -W ≤ A ≤ M - 2W, all finite.
   *
   * @param T top of scale, the data value mapped to 1
   * @param W width of the near-linear region around 0, in decades
   * @param M decades of the log-like region at the top of the scale
   * @param A additional decades of negative data brought on scale
   */
  public Hyperlog(double T, double W, double M, double A) {
    super(ID, T, W, M, A, curve(T, W, M, A));
  }

  /** The curve of these parameters, once they are checked. */
  private static SymmetricBiexponential curve(double T, double W, double M, double A) {
    Logicle.checkParameters("hyperlog", T, W, M, A, true);
    double range = M + A;
    double w = W / range;
    double x1 = (A + W) / range;
    double b = range * LN10;
    // With α = a e^(b x1): c = ca a = α e^(b (x0 - x1)) / w = α e^(b w) / w, and EH(1) = T fixes α.
    double cOverAlpha = Math.exp(b * w) / w;
    double top = 1 - x1;
    double alpha = T / (Math.expm1(b * top) + cOverAlpha * top);
    return new SymmetricBiexponential(x1, alpha, b, 0, 0, alpha * cOverAlpha);
  }
}
