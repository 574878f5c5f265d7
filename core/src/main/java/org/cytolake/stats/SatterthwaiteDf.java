package org.cytolake.stats;

import java.util.Locale;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Satterthwaite degrees of freedom for contrasts c'b of a fitted {@link LinearMixedModel}, as R's
 * lmerTest computes them by default (Kuznetsova, Brockhoff and Christensen 2017; Giesbrecht and
 * Burns 1985): with θ = (s2_u, s2_e) the variance parameters and Φ(θ) = (X' V(θ)⁻¹ X)⁻¹,
 *
 * <pre>
 *   df = 2 (c' Φ c)² / (g' A g),   g_i = ∂(c' Φ c) / ∂θ_i = c' Φ X' V⁻¹ V_i V⁻¹ X Φ c,
 * </pre>
 *
 * at θ̂, where V_1 = Z Z' and V_2 = I are the derivatives of V = s2_u Z Z' + s2_e I and A is the
 * asymptotic covariance of θ̂: the inverse of the observed REML information, the Hessian of the
 * negative REML log-likelihood ℓ(θ) = −½ log|V| − ½ log|X' V⁻¹ X| − ½ y' P y (P = V⁻¹ − V⁻¹ X Φ
 * X' V⁻¹) in θ, itself with the scale not profiled out:
 *
 * <pre>
 *   −∂²ℓ / ∂θ_i ∂θ_j = −½ tr(P V_i P V_j) + y' P V_i P V_j P y.
 * </pre>
 *
 * <p><b>Analytic, not numerical.</b> Every derivative is exact. A random-intercept V is block
 * diagonal with blocks s2_e (I + s2_u / s2_e J) (J the all-ones matrix of a subject's samples), so
 * V⁻ᵏ per subject is s2_e⁻ᵏ (I + (dᵏ − 1) / m J) with d = s2_e / (s2_e + m s2_u) and m the
 * subject's sample count: every trace and quadratic form above reduces to sums over subjects and
 * p × p matrices, O(n p²) once per fit and O(p²) per contrast, never an n × n matrix. The df is
 * invariant to the parametrisation of θ (at the optimum the Hessian transforms with the Jacobian),
 * so lmerTest's (θ, σ) and statsmodels' profiled ratio give the same number;
 * {@code scripts/golden/satterthwaite_golden.py} checks it by an independent, numerical route.
 *
 * <p><b>Φ, not the reported covariance.</b> c' Φ c uses (X' V⁻¹ X)⁻¹, the covariance lmerTest and
 * SAS use; the standard errors of {@link FixedEffects} follow statsmodels' Hessian, which equals
 * it for balanced data and differs by up to 1% in the unbalanced golden cases.
 *
 * <p><b>Boundary.</b> When s2_u is estimated at 0 (or cannot be separated from s2_e, no subject
 * having two samples) it is held fixed there and only s2_e is free: then df = n − p exactly, the
 * residual degrees of freedom of the ordinary least squares the fixed effects equal. lmerTest
 * arrives at the same number at a singular fit (its ℓ is even in the standard-deviation ratio, so
 * the ratio's gradient term and its cross term vanish). {@link #boundary()} says so.
 *
 * <p><b>Not identifiable.</b> When every subject's indicator is a combination of the fixed-effect
 * columns (one patient per cohort with {@code visit + cohort}), the REML likelihood is flat in
 * s2_u, whose information is 0 (numerically ±1e-20): A does not exist. Fixed effects and
 * within-subject contrasts then do not depend on s2_u, which is held at its estimate as at the
 * boundary, so their df is n − p, the residual df of the fixed-effects model the fit then is
 * (the two-way ANOVA). A contrast whose variance depends on s2_u (a cohort difference) has no df:
 * {@link #reason(double[])} says why. {@link #identified()} tells the case: the subject indicators'
 * residual sum of squares on X, n − Σ t_g' (X'X)⁻¹ t_g, is at most 1e-9 n.
 *
 * <p><b>Unavailable.</b> When the information is not positive definite (a fit that ran off the
 * top of the variance-ratio range) or a df comes out non-finite or non-positive, there is no
 * Satterthwaite df; {@link #reason()} says why and {@link MixedModelFit#degreesOfFreedom} falls
 * back to the between-within df.
 */
public final class SatterthwaiteDf {
  private final int residualDf;
  private final boolean boundary;
  private final boolean identified;
  private final double[][] phi;
  private final double[][][] dPhi;
  private final double[][] thetaCovariance;
  private final String reason;

  private SatterthwaiteDf(
      int residualDf,
      boolean boundary,
      boolean identified,
      double[][] phi,
      double[][][] dPhi,
      double[][] thetaCovariance,
      String reason) {
    this.residualDf = residualDf;
    this.boundary = boundary;
    this.identified = identified;
    this.phi = phi;
    this.dPhi = dPhi;
    this.thetaCovariance = thetaCovariance;
    this.reason = reason;
  }

  /**
   * The Satterthwaite machinery at the estimate.
   *
   * @param x the kept columns of X, n × p (not written to)
   * @param groups the row indices of each subject
   * @param residuals y − X b at the GLS b of the estimate
   * @param subjectVariance s2_u ≥ 0; 0 is the boundary
   * @param residualVariance s2_e &gt; 0
   */
  static SatterthwaiteDf at(
      double[][] x,
      int[][] groups,
      double[] residuals,
      double subjectVariance,
      double residualVariance) {
    int n = x.length;
    int p = x[0].length;
    boolean boundary = subjectVariance == 0;
    if (!(residualVariance > 0) || !Double.isFinite(residualVariance)) {
      return unavailable(n - p, boundary, "the residual variance is " + residualVariance);
    }
    double a = 1 / residualVariance;
    // Per subject: m (size), d = s2_e / (s2_e + m s2_u), t = X_g' 1. X'X over all rows.
    int gs = groups.length;
    double[] m = new double[gs];
    double[] d = new double[gs];
    double[][] t = new double[gs][p];
    double[][] xtx = new double[p][p];
    for (int g = 0; g < gs; g++) {
      m[g] = groups[g].length;
      d[g] = residualVariance / (residualVariance + m[g] * subjectVariance);
      for (int i : groups[g]) {
        double[] xi = x[i];
        for (int j = 0; j < p; j++) {
          t[g][j] += xi[j];
          if (xi[j] == 0) {
            continue;
          }
          for (int k = 0; k < p; k++) {
            xtx[j][k] += xi[j] * xi[k];
          }
        }
      }
    }
    // X' V^-k X = a^k (X'X + sum (d^k - 1) / m t t'), X' V^-1 J V^-1 X = sum a^2 d^2 t t', ...
    double[][] xb1x = new double[p][p];
    double[][] k1 = new double[p][p];
    double[][] k2 = new double[p][p];
    double[][] l11 = new double[p][p];
    double[][] l12 = new double[p][p];
    double[][] l22 = new double[p][p];
    for (int j = 0; j < p; j++) {
      for (int k = 0; k < p; k++) {
        xb1x[j][k] = a * xtx[j][k];
        k2[j][k] = a * a * xtx[j][k];
        l22[j][k] = a * a * a * xtx[j][k];
      }
    }
    double t11 = 0;
    double t12 = 0;
    double t22 = 0;
    for (int g = 0; g < gs; g++) {
      double dg = d[g];
      double d2 = dg * dg;
      double d3 = d2 * dg;
      t11 += a * a * d2 * m[g] * m[g];
      t12 += a * a * d2 * m[g];
      t22 += a * a * (m[g] + d2 - 1);
      double[] tg = t[g];
      for (int j = 0; j < p; j++) {
        if (tg[j] == 0) {
          continue;
        }
        for (int k = 0; k < p; k++) {
          double tt = tg[j] * tg[k];
          xb1x[j][k] += a * (dg - 1) / m[g] * tt;
          k1[j][k] += a * a * d2 * tt;
          k2[j][k] += a * a * (d2 - 1) / m[g] * tt;
          l11[j][k] += a * a * a * d3 * m[g] * tt;
          l12[j][k] += a * a * a * d3 * tt;
          l22[j][k] += a * a * a * (d3 - 1) / m[g] * tt;
        }
      }
    }
    int residualDf = n - p;
    RealMatrix phiM;
    RealMatrix xtxInv;
    try {
      phiM = new CholeskyDecomposition(symmetric(xb1x), 1e-10, 0).getSolver().getInverse();
      xtxInv = new CholeskyDecomposition(symmetric(xtx), 1e-10, 0).getSolver().getInverse();
    } catch (NonPositiveDefiniteMatrixException e) {
      return unavailable(residualDf, boundary, "X' V^-1 X is not positive definite");
    }
    // the subject indicators' residual sum of squares on X: 0 when s2_u is not identifiable
    double zResidual = n;
    for (int g = 0; g < gs; g++) {
      zResidual -= quadratic(xtxInv.getData(), t[g]);
    }
    boolean identified = zResidual > 1e-9 * n;
    RealMatrix k1M = symmetric(k1);
    RealMatrix k2M = symmetric(k2);
    double[][][] dPhi = {
      phiM.multiply(k1M).multiply(phiM).getData(), phiM.multiply(k2M).multiply(phiM).getData()
    };

    // u = P y = V^-1 r; z = Z Z' u (each row: its subject's sum of u)
    double[] u = applyVInverse(residuals, groups, d, a);
    double[] z = new double[n];
    for (int[] rows : groups) {
      double s = 0;
      for (int i : rows) {
        s += u[i];
      }
      for (int i : rows) {
        z[i] = s;
      }
    }
    double[] pu = applyP(u, x, groups, d, a, phiM);
    double[] pz = applyP(z, x, groups, d, a, phiM);
    double q11 = dot(z, pz);
    double q12 = dot(z, pu);
    double q22 = dot(u, pu);

    RealMatrix pk1 = phiM.multiply(k1M);
    RealMatrix pk2 = phiM.multiply(k2M);
    double tr11 = t11 - 2 * trace(phiM, l11) + pk1.multiply(pk1).getTrace();
    double tr12 = t12 - 2 * trace(phiM, l12) + pk1.multiply(pk2).getTrace();
    double tr22 = t22 - 2 * trace(phiM, l22) + pk2.multiply(pk2).getTrace();
    double h11 = -0.5 * tr11 + q11;
    double h12 = -0.5 * tr12 + q12;
    double h22 = -0.5 * tr22 + q22;

    double[][] cov;
    if (boundary || !identified) {
      if (!(h22 > 0) || !Double.isFinite(h22)) {
        return unavailable(
            residualDf, boundary, "the REML information in s2_e is " + h22 + ", not positive");
      }
      cov = new double[][] {{0, 0}, {0, 1 / h22}};
    } else {
      double det = h11 * h22 - h12 * h12;
      if (!(h11 > 0) || !(det > 0) || !Double.isFinite(det)) {
        return unavailable(
            residualDf,
            false,
            String.format(
                Locale.ROOT,
                "the REML information in (s2_u, s2_e) is not positive definite"
                    + " ([[%.4g, %.4g], [%.4g, %.4g]])",
                h11,
                h12,
                h12,
                h22));
      }
      cov = new double[][] {{h22 / det, -h12 / det}, {-h12 / det, h11 / det}};
    }
    return new SatterthwaiteDf(residualDf, boundary, identified, phiM.getData(), dPhi, cov, null);
  }

  private static SatterthwaiteDf unavailable(int residualDf, boolean boundary, String reason) {
    return new SatterthwaiteDf(residualDf, boundary, true, null, null, null, reason);
  }

  /** Whether a df can be computed; else {@link #reason()} says why. */
  public boolean available() {
    return reason == null;
  }

  /** Why no Satterthwaite df is available, or null. */
  public String reason() {
    return reason;
  }

  /** Whether s2_u is on the boundary 0 and held fixed there: every df is then n − p. */
  public boolean boundary() {
    return boundary;
  }

  /**
   * False when s2_u is not identifiable (every subject's indicator a combination of the fixed
   * effects) and held at its estimate: a df is then n − p, or none for a contrast that depends on
   * s2_u.
   */
  public boolean identified() {
    return identified;
  }

  /** Whether a contrast's df is n − p, with s2_u held fixed at the boundary or unidentified. */
  boolean residual(double[] l) {
    return available() && (boundary || (!identified && !dependsOnSubjectVariance(l)));
  }

  /**
   * A, the asymptotic covariance of (s2_u, s2_e): the inverse observed REML information; at the
   * boundary only its s2_e entry is non-zero. Null when not {@link #available()}.
   */
  public double[][] thetaCovariance() {
    return thetaCovariance == null
        ? null
        : new double[][] {thetaCovariance[0].clone(), thetaCovariance[1].clone()};
  }

  /**
   * The Satterthwaite df of the contrast with weights {@code l} over the kept columns; NaN when not
   * {@link #available()} or when it is not a positive finite number (a contrast of zero variance).
   */
  double df(double[] l) {
    if (!available()) {
      return Double.NaN;
    }
    if (boundary) {
      return residualDf;
    }
    if (!identified) {
      return dependsOnSubjectVariance(l) ? Double.NaN : residualDf;
    }
    double v = quadratic(phi, l);
    double g1 = quadratic(dPhi[0], l);
    double g2 = quadratic(dPhi[1], l);
    double[][] c = thetaCovariance;
    double gag = g1 * g1 * c[0][0] + 2 * g1 * g2 * c[0][1] + g2 * g2 * c[1][1];
    double df = 2 * v * v / gag;
    return df > 0 && Double.isFinite(df) ? df : Double.NaN;
  }

  /**
   * Why {@link #df} is NaN for the contrast {@code l}, or null when it is not: not {@link
   * #available()}, a contrast depending on an unidentifiable s2_u, or a df that is not a positive
   * finite number (a contrast of zero variance).
   */
  String reason(double[] l) {
    if (!available()) {
      return reason;
    }
    if (!Double.isNaN(df(l))) {
      return null;
    }
    if (!boundary && !identified) {
      return "the patient variance is not identifiable (each patient's intercept is a combination"
          + " of fixed effects) and this contrast's variance depends on it";
    }
    return "not a positive finite number for this contrast";
  }

  /** Whether ∂(c'Φc)/∂s2_u is more than rounding next to ∂(c'Φc)/∂s2_e. */
  private boolean dependsOnSubjectVariance(double[] l) {
    double g1 = quadratic(dPhi[0], l);
    double g2 = quadratic(dPhi[1], l);
    return Math.abs(g1) > 1e-9 * (Math.abs(g1) + Math.abs(g2));
  }

  /** V⁻¹ v, per subject s2_e⁻¹ (v_g + (d − 1) / m · Σ v_g). */
  private static double[] applyVInverse(double[] v, int[][] groups, double[] d, double a) {
    double[] out = new double[v.length];
    for (int g = 0; g < groups.length; g++) {
      double s = 0;
      for (int i : groups[g]) {
        s += v[i];
      }
      double shift = (d[g] - 1) / groups[g].length * s;
      for (int i : groups[g]) {
        out[i] = a * (v[i] + shift);
      }
    }
    return out;
  }

  /** P v = V⁻¹ v − V⁻¹ X Φ X' V⁻¹ v. */
  private static double[] applyP(
      double[] v, double[][] x, int[][] groups, double[] d, double a, RealMatrix phi) {
    int p = x[0].length;
    double[] bv = applyVInverse(v, groups, d, a);
    double[] xtbv = new double[p];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < p; j++) {
        xtbv[j] += x[i][j] * bv[i];
      }
    }
    double[] coef = phi.operate(xtbv);
    double[] xc = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double s = 0;
      for (int j = 0; j < p; j++) {
        s += x[i][j] * coef[j];
      }
      xc[i] = s;
    }
    double[] bxc = applyVInverse(xc, groups, d, a);
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = bv[i] - bxc[i];
    }
    return out;
  }

  private static RealMatrix symmetric(double[][] m) {
    int p = m.length;
    double[][] s = new double[p][p];
    for (int j = 0; j < p; j++) {
      for (int k = 0; k < p; k++) {
        s[j][k] = 0.5 * (m[j][k] + m[k][j]);
      }
    }
    return new Array2DRowRealMatrix(s, false);
  }

  /** tr(Φ L) for symmetric L. */
  private static double trace(RealMatrix phi, double[][] l) {
    double s = 0;
    for (int j = 0; j < l.length; j++) {
      for (int k = 0; k < l.length; k++) {
        s += phi.getEntry(j, k) * l[k][j];
      }
    }
    return s;
  }

  private static double quadratic(double[][] m, double[] l) {
    double s = 0;
    for (int j = 0; j < l.length; j++) {
      if (l[j] == 0) {
        continue;
      }
      for (int k = 0; k < l.length; k++) {
        s += l[j] * m[j][k] * l[k];
      }
    }
    return s;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
