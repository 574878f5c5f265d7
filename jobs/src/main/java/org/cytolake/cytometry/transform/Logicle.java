package org.cytolake.cytometry.transform;

/**
 * The Logicle transform (Parks, Roederer &amp; Moore 2006, Cytometry A 69:541) in the Gating-ML 2.0
 * parametrisation (Spidlen et al. 2015, Cytometry A 87:683), computed as in Moore &amp; Parks 2012 (Cytometry A
 * 81A:273).
 *
 * <p>{@code logicle(x)} is the root y of B(y) = x, where the biexponential is
 * <pre>
 *   B(y) = a e^(b y) - c e^(-d y) - f    for y ≥ x1,      B(y) = -B(2 x1 - y)    for y &lt; x1
 *   w = W / (M + A),  x2 = A / (M + A),  x1 = x2 + w,  x0 = x2 + 2w,  b = (M + A) ln 10
 *   d: the root in (0, b] of  2 (ln d - ln b) + w (b + d) = 0
 *   c / a = e^(x0 (b + d)),  f = a e^(b x1) - c e^(-d x1) (so B(x1) = 0),  a fixed by B(1) = T
 * </pre>
 * So T maps to 1 and 0 maps to x1; negative data fall below x1 symmetrically, about W decades around 0 are nearly
 * linear, large data follow an (M + A)-decade log scale, and the scale's 0 is the data value B(0), negative unless
 * W + A = 0. The condition on d makes B''(x1) = 0. B is evaluated in the form of
 * {@link SymmetricBiexponential}, and {@link #apply(double)} inverts it by Halley's method. With W = 0 this is
 * {@link Asinh} with the same T, M and A.
 *
 * <p>Immutable; equal when the four parameters are equal ({@link TwmaTransform}).
 */
public final class Logicle extends TwmaTransform {

  /** Type name in specs. */
  public static final String ID = "logicle";

  private static final double LN10 = Math.log(10);

  /** Newton's method for d converges quadratically and monotonically; this only guards against rounding cycles. */
  private static final int MAX_ITERATIONS = 100;

  /**
   * Creates the transform, validating the Gating-ML 2.0 constraints: T &gt; 0, M &gt; 0, 0 ≤ W ≤ M/2 and
   * -W ≤ A ≤ M - 2W, all finite.
   *
   * @param T top of scale, the data value mapped to 1
   * @param W width of the near-linear region around 0, in decades
   * @param M decades of the log-like region at the top of the scale
   * @param A additional decades of negative data brought on scale
   */
  public Logicle(double T, double W, double M, double A) {
    super(ID, T, W, M, A, curve(T, W, M, A));
  }

  /** The curve of these parameters, once they are checked. */
  private static SymmetricBiexponential curve(double T, double W, double M, double A) {
    checkParameters("logicle", T, W, M, A, false);
    double range = M + A;
    double w = W / range;
    double x1 = (A + W) / range;
    double b = range * LN10;
    double d = solveD(b, w);
    // c/a = e^(x0 (b+d)) with the condition on d gives γ/α = c e^(-d x1) / (a e^(b x1)) = (b/d)².
    double gammaOverAlpha = (b / d) * (b / d);
    double top = 1 - x1;
    double alpha = T / (Math.expm1(b * top) - gammaOverAlpha * Math.expm1(-d * top));
    return new SymmetricBiexponential(x1, alpha, b, alpha * gammaOverAlpha, d, 0);
  }

  /**
   * Checks the Logicle/Hyperlog constraints, reporting every violated one (the bounds on A only once W is valid);
   * {@code positiveWidth} requires W &gt; 0 (hyperlog) instead of W ≥ 0.
   */
  static void checkParameters(
      String type, double T, double W, double M, double A, boolean positiveWidth) {
    Problems problems = new Problems("Cannot create " + type + " transform");
    problems.checkPositive("T", T);
    boolean validM = problems.checkPositive("M", M);
    boolean validW = problems.checkFinite("W", W);
    if (validW) {
      boolean positive = positiveWidth ? W > 0 : W >= 0;
      problems.check(positive, "W=" + W + (positiveWidth ? " must be > 0" : " must be ≥ 0"));
      boolean narrow = !validM || W <= M / 2;
      problems.check(narrow, "W=" + W + " must be ≤ M/2 (M=" + M + ")");
      validW = positive && narrow;
    }
    if (problems.checkFinite("A", A) && validW && validM) {
      problems.check(A >= -W, "A=" + A + " must be ≥ -W (W=" + W + ")");
      problems.check(A <= M - 2 * W, "A=" + A + " must be ≤ M - 2W (M=" + M + ", W=" + W + ")");
    }
    problems.throwIfAny();
  }

  /**
   * Solves 2 (ln d - ln b) + w (b + d) = 0 for d in (0, b]. The left side F is increasing and concave in d, and
   * F(b e^(-wb)) = w (d - b) ≤ 0, so Newton's method started there stays left of the root and converges to it.
   */
  private static double solveD(double b, double w) {
    if (w == 0) {
      return b;
    }
    double d = b * Math.exp(-w * b);
    for (int i = 0; i < MAX_ITERATIONS; i++) {
      double step = (2 * Math.log(d / b) + w * (b + d)) / (2 / d + w);
      d -= step;
      if (Math.abs(step) <= 2 * Math.ulp(d)) {
        break;
      }
    }
    return d;
  }
}
