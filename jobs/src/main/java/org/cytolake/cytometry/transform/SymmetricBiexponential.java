package org.cytolake.cytometry.transform;

/**
 * The scale-to-data function shared by {@link Logicle} and {@link Hyperlog}, written around the scale value x1 that
 * data value 0 maps to. With u = y - x1,
 * <pre>
 *   g(u) = α (e^(b u) - 1) - γ (e^(-d u) - 1) + λ u      for u ≥ 0
 *   g(u) = -g(-u)                                         for u &lt; 0
 * </pre>
 * Logicle's biexponential a e^(by) - c e^(-dy) - f is the case λ = 0 (with α = a e^(b x1), γ = c e^(-d x1)), and
 * hyperlog's EH(y) = a e^(by) + c y - f the case γ = d = 0 (with α = a e^(b x1), λ = c): subtracting their value
 * at x1, which is 0 by construction, removes the constant f. Written with {@link Math#expm1}, g keeps full relative
 * precision near u = 0, where the expanded form loses digits to cancellation against f. This serves the purpose
 * of the Taylor series near x1 in Moore &amp; Parks (2012, Cytometry A 81A:273): the terms of g have the same sign
 * for every u, so nothing cancels.
 *
 * <p>For u ≥ 0, g is increasing, g(0) = 0 and g is convex (g''(0) = αb² - γd² ≥ 0 and g''' &gt; 0), which the
 * inversion relies on.
 */
final class SymmetricBiexponential {

  /** Halley's method converges cubically from the starting bound; this only guards against a rounding cycle. */
  private static final int MAX_ITERATIONS = 100;

  /** Beyond this |z|, e^z - 1 computed as exp(z) - 1 loses at most a bit or so, and exp is several times faster. */
  private static final double EXPM1_RANGE = 1;

  private final double x1;
  private final double alpha;
  private final double b;
  private final double gamma;
  private final double d;
  private final double lambda;

  /** g'(0): the data change per unit of scale at data value 0. */
  private final double slopeAtZero;

  SymmetricBiexponential(double x1, double alpha, double b, double gamma, double d, double lambda) {
    this.x1 = x1;
    this.alpha = alpha;
    this.b = b;
    this.gamma = gamma;
    this.d = d;
    this.lambda = lambda;
    this.slopeAtZero = alpha * b + gamma * d + lambda;
  }

  /** The data value at scale value {@code y}. */
  double toData(double y) {
    double u = y - x1;
    return u >= 0 ? g(u) : -g(-u);
  }

  /** The scale value at data value {@code x}: the root y of toData(y) = x. */
  double toScale(double x) {
    return x >= 0 ? x1 + solve(x) : x1 - solve(-x);
  }

  private double g(double u) {
    return alpha * expMinusOne(b * u) - gamma * expMinusOne(-d * u) + lambda * u;
  }

  /** e^z - 1 to within a few ulps: {@link Math#expm1} near 0, where it matters, and {@link Math#exp} elsewhere. */
  private static double expMinusOne(double z) {
    return Math.abs(z) < EXPM1_RANGE ? Math.expm1(z) : Math.exp(z) - 1;
  }

  /**
   * Solves g(u) = x for x ≥ 0 (NaN gives NaN) by Halley's method, kept inside a bracket [lo, hi] that always holds
   * the root; a step that would leave the bracket is replaced by bisection.
   *
   * <p>Both starting values are upper bounds of the root: x / g'(0) because g is convex with g(0) = 0, and
   * ln(1 + x/α) / b because g(u) ≥ α (e^(bu) - 1). The first is tight near 0, the second for large x.
   */
  private double solve(double x) {
    if (x == 0 || Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
      return x;
    }
    double lo = 0;
    double hi = Math.min(x / slopeAtZero, Math.log1p(x / alpha) / b);
    double u = hi;
    for (int i = 0; i < MAX_ITERATIONS; i++) {
      double growth = expMinusOne(b * u);
      double decay = expMinusOne(-d * u);
      double residual = alpha * growth - gamma * decay + lambda * u - x;
      if (residual == 0) {
        return u;
      }
      if (residual > 0) {
        hi = u;
      } else {
        lo = u;
      }
      double slope = alpha * b * (growth + 1) + gamma * d * (decay + 1) + lambda;
      double curvature = alpha * b * b * (growth + 1) - gamma * d * d * (decay + 1);
      double next = u - residual / (slope - residual * curvature / (2 * slope));
      if (Math.abs(next - u) <= 2 * Math.ulp(u)) {
        return next;
      }
      u = next > lo && next < hi ? next : lo + (hi - lo) / 2;
    }
    return u;
  }
}
