package org.cytolake.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;

/**
 * Linear mixed model with a random intercept per subject, fitted by REML:
 *
 * <pre>
 *   y = X b + Z u + e,   u ~ N(0, s2_u I) (one per subject),   e ~ N(0, s2_e I)
 * </pre>
 *
 * with X from a {@link DesignSpec} (e.g. {@code visit * cohort + age}, treatment coding, baseline
 * and a reference cohort as references) and Z the subject indicators.
 *
 * <p><b>Why.</b> The unit of analysis is the sample (one patient at one visit), and samples of a
 * patient are correlated; a per-cohort paired Wilcoxon test respects that but, with 4-5 patients
 * per cohort, can never reach p &lt; 0.05 (with 5 pairs the smallest exact two-sided p is 2/32 =
 * 0.0625). One model over all cohorts and visits estimates the residual variance from every patient
 * and the between-patient variance from the repeated samples, so each cohort's visit effect borrows
 * strength from the others, while the random intercept keeps a patient's samples from counting as
 * independent. Missing visits and unbalanced cohorts need no imputation: a patient contributes what
 * it has.
 *
 * <p><b>Conventions: statsmodels' {@code MixedLM}</b> ({@code MixedLM.from_formula(...,
 * groups=subject, re_formula="1").fit(reml=True)}), so that a statistician can reproduce every
 * number:
 * <ul>
 *   <li>REML, with the residual variance profiled out: for the variance ratio g = s2_u / s2_e,
 *       V = I + g Z Z', b(g) the GLS estimate, q(g) = r' V⁻¹ r, the log-likelihood is
 *       -½ log|V| - ½ (n-p) log q - ½ log|X' V⁻¹ X| - ½ (n-p) (1 + log 2π - log(n-p)), statsmodels'
 *       {@code llf} including its constants; s2_e = q / (n-p), s2_u = g s2_e.
 *   <li>Standard errors of b from the inverse of the negative Hessian of that log-likelihood in
 *       (b, g) at the estimate, the cross terms between b and g included, as statsmodels'
 *       {@code bse_fe}. lme4, nlme and SAS use (X' V⁻¹ X)⁻¹ s2_e instead; the two are equal when
 *       every subject has every visit (the cross terms vanish) and differ by up to 1% in the
 *       unbalanced golden cases (most by under 0.1%).
 *   <li>Wald z-tests with normal p-values and normal 95% intervals, as statsmodels'
 *       {@code summary()} and {@code t_test}; {@link MixedModelFit#smallSampleContrast} gives the
 *       same contrast against Student's t with Satterthwaite ({@link SatterthwaiteDf}, lmerTest's
 *       default) or between-within degrees of freedom. No Kenward-Roger.
 * </ul>
 *
 * <p><b>Fitting.</b> The profiled REML log-likelihood is a function of the one ratio g ≥ 0. It is
 * evaluated from per-subject sums (V⁻¹ of a random-intercept model is explicit), scanned on a grid
 * of log g from e⁻²⁰ to e¹⁵ and at g = 0, and its maximum is refined by Brent's root finder on the
 * analytic derivative to relative accuracy 1e-13 (Commons Math). This is more reliable than a
 * general optimiser over sqrt(g), which is what statsmodels does, and reaches the same optimum.
 *
 * <p><b>Edge cases.</b>
 * <ul>
 *   <li>Zero between-subject variance (derivative at g = 0 not positive): s2_u is reported as
 *       exactly 0, the boundary of the parameter space, and b equals ordinary least squares with
 *       s2_e = RSS / (n-p), as statsmodels' estimate converges to (it stops at g ~ 1e-10). The fit
 *       says so in its notes.
 *   <li>Aliased columns (a visit × cohort cell with no sample, a batch confounded with a cohort)
 *       are dropped by {@link DesignMatrix} and listed in {@link FixedEffects#aliased()};
 *       contrasts that need them are refused.
 *   <li>A subject with one observation contributes to the fixed effects and the residual
 *       variance; a cohort with one subject is estimable (its visit effects rest on that patient).
 *       When no subject has two observations, s2_u cannot be separated from s2_e; it is reported
 *       as 0 with a note.
 * </ul>
 */
public final class LinearMixedModel {
  /** Grid of log(g) scanned before refining: e^-20 … e^15 in steps of 0.5. */
  static final double LOG_GAMMA_MIN = -20;

  static final double LOG_GAMMA_MAX = 15;
  static final double LOG_GAMMA_STEP = 0.5;

  private final DesignSpec spec;

  public LinearMixedModel(DesignSpec spec) {
    this.spec = spec;
  }

  public DesignSpec spec() {
    return spec;
  }

  /**
   * Fits the model.
   *
   * @throws IllegalArgumentException for invalid observations (all problems at once), or fewer
   *     observations than estimable fixed effects
   */
  public MixedModelFit fit(List<Observation> observations) {
    if (observations.isEmpty()) {
      throw new IllegalArgumentException("Cannot fit mixed model: no observations");
    }
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < observations.size(); i++) {
      Observation o = observations.get(i);
      if (o.subject() == null) {
        problems.add("observation " + i + " has no subject");
      }
      if (!Double.isFinite(o.response())) {
        problems.add(
            "observation " + i + " (subject '" + o.subject() + "') has response " + o.response());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot fit mixed model: "
              + String.join("; ", problems.subList(0, Math.min(10, problems.size())))
              + (problems.size() > 10 ? "; and " + (problems.size() - 10) + " more" : ""));
    }
    DesignMatrix design = DesignMatrix.build(spec, observations);
    int n = observations.size();
    int p = design.keptNames().size();
    if (n <= p) {
      throw new IllegalArgumentException(
          "Cannot fit mixed model: "
              + n
              + " observations but "
              + p
              + " estimable fixed effects "
              + design.keptNames()
              + "; REML needs more observations than fixed effects");
    }
    double[] y = new double[n];
    Map<String, List<Integer>> bySubject = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      y[i] = observations.get(i).response();
      bySubject.computeIfAbsent(observations.get(i).subject(), s -> new ArrayList<>()).add(i);
    }
    int[][] groups = new int[bySubject.size()][];
    int g = 0;
    for (List<Integer> rows : bySubject.values()) {
      groups[g++] = rows.stream().mapToInt(Integer::intValue).toArray();
    }
    return new Reml(design.sharedX(), y, groups).fit(design);
  }

  /** The REML computation for fixed X, y and subject groups. */
  static final class Reml {
    private final double[][] x;
    private final double[] y;
    private final int[][] groups;
    private final int n;
    private final int p;

    /** Per group: size, column sums t_g of X, sum of y. */
    private final double[] size;

    private final double[][] t;
    private final double[] ySum;

    /** Within-subject cross products: Σ (X - x̄_g)'(X - x̄_g) and Σ (X - x̄_g)'(y - ȳ_g). */
    private final double[][] wxx;

    private final double[] wxy;
    private int evaluations;

    Reml(double[][] x, double[] y, int[][] groups) {
      this.x = x;
      this.y = y;
      this.groups = groups;
      this.n = y.length;
      this.p = x[0].length;
      int gs = groups.length;
      size = new double[gs];
      t = new double[gs][p];
      ySum = new double[gs];
      wxx = new double[p][p];
      wxy = new double[p];
      for (int g = 0; g < gs; g++) {
        int[] rows = groups[g];
        size[g] = rows.length;
        for (int i : rows) {
          for (int j = 0; j < p; j++) {
            t[g][j] += x[i][j];
          }
          ySum[g] += y[i];
        }
        double[] xbar = new double[p];
        for (int j = 0; j < p; j++) {
          xbar[j] = t[g][j] / size[g];
        }
        double ybar = ySum[g] / size[g];
        for (int i : rows) {
          for (int j = 0; j < p; j++) {
            double dj = x[i][j] - xbar[j];
            if (dj == 0) {
              continue;
            }
            wxy[j] += dj * (y[i] - ybar);
            for (int k = 0; k < p; k++) {
              wxx[j][k] += dj * (x[i][k] - xbar[k]);
            }
          }
        }
      }
    }

    /** The profiled REML quantities at variance ratio gamma. */
    final class Profile {
      final double gamma;
      final double[] d;
      final DecompositionSolver mSolver;
      final RealMatrix m;
      final double[] beta;
      final double[] groupResidualSum;
      final double qf;
      final double llf;

      Profile(double gamma) {
        evaluations++;
        this.gamma = gamma;
        int gs = groups.length;
        d = new double[gs];
        double[][] mm = new double[p][p];
        double[] rhs = wxy.clone();
        for (int j = 0; j < p; j++) {
          mm[j] = wxx[j].clone();
        }
        double logdetV = 0;
        for (int g = 0; g < gs; g++) {
          d[g] = 1 / (1 + size[g] * gamma);
          logdetV += Math.log1p(size[g] * gamma);
          double w = d[g] / size[g];
          double[] tg = t[g];
          for (int j = 0; j < p; j++) {
            if (tg[j] == 0) {
              continue;
            }
            rhs[j] += w * tg[j] * ySum[g];
            for (int k = 0; k < p; k++) {
              mm[j][k] += w * tg[j] * tg[k];
            }
          }
        }
        for (int j = 0; j < p; j++) {
          for (int k = 0; k < j; k++) {
            double s = 0.5 * (mm[j][k] + mm[k][j]);
            mm[j][k] = s;
            mm[k][j] = s;
          }
        }
        m = new Array2DRowRealMatrix(mm, false);
        CholeskyDecomposition chol = new CholeskyDecomposition(m, 1e-10, 0);
        mSolver = chol.getSolver();
        beta = mSolver.solve(new ArrayRealVector(rhs, false)).toArray();
        double logdetM = 0;
        RealMatrix l = chol.getL();
        for (int j = 0; j < p; j++) {
          logdetM += 2 * Math.log(l.getEntry(j, j));
        }
        groupResidualSum = new double[gs];
        double q = 0;
        for (int g = 0; g < gs; g++) {
          int[] rows = groups[g];
          double[] r = new double[rows.length];
          double s = 0;
          for (int a = 0; a < rows.length; a++) {
            double fitted = 0;
            double[] xi = x[rows[a]];
            for (int j = 0; j < p; j++) {
              fitted += xi[j] * beta[j];
            }
            r[a] = y[rows[a]] - fitted;
            s += r[a];
          }
          double mean = s / rows.length;
          double within = 0;
          for (double ra : r) {
            within += (ra - mean) * (ra - mean);
          }
          groupResidualSum[g] = s;
          q += within + d[g] * s * s / size[g];
        }
        qf = q;
        double dof = n - p;
        llf =
            -0.5 * logdetV
                - 0.5 * dof * Math.log(qf)
                - 0.5 * logdetM
                - 0.5 * dof * Math.log(2 * Math.PI)
                + 0.5 * dof * Math.log(dof)
                - 0.5 * dof;
      }

      /** d llf / d gamma, with b profiled (its own derivative term vanishes at the GLS b). */
      double derivative() {
        double dof = n - p;
        double sumNd = 0;
        double sumS2d2 = 0;
        double trace = 0;
        for (int g = 0; g < groups.length; g++) {
          double d2 = d[g] * d[g];
          sumNd += size[g] * d[g];
          sumS2d2 += groupResidualSum[g] * groupResidualSum[g] * d2;
          double[] mi = mSolver.solve(new ArrayRealVector(t[g], false)).toArray();
          double tmt = 0;
          for (int j = 0; j < p; j++) {
            tmt += t[g][j] * mi[j];
          }
          trace += d2 * tmt;
        }
        return -0.5 * sumNd + 0.5 * dof * sumS2d2 / qf + 0.5 * trace;
      }

      /**
       * The Hessian of the REML log-likelihood (scale profiled, b not) in (b, gamma) at this point,
       * as statsmodels' {@code MixedLM.hessian}: (p+1) × (p+1), gamma last.
       */
      double[][] hessian() {
        double dof = n - p;
        double[][] h = new double[p + 1][p + 1];
        RealMatrix mInv = mSolver.getInverse();
        double[][] m1 = new double[p][p];
        double[][] m2 = new double[p][p];
        double[] hbg = new double[p];
        double q1 = 0;
        double q2 = 0;
        double ld2 = 0;
        for (int g = 0; g < groups.length; g++) {
          double dg = d[g];
          double d2 = dg * dg;
          double s = groupResidualSum[g];
          double[] tg = t[g];
          for (int j = 0; j < p; j++) {
            hbg[j] += tg[j] * s * d2;
            if (tg[j] == 0) {
              continue;
            }
            for (int k = 0; k < p; k++) {
              m1[j][k] += d2 * tg[j] * tg[k];
              m2[j][k] += 2 * size[g] * d2 * dg * tg[j] * tg[k];
            }
          }
          q1 -= s * s * d2;
          q2 += 2 * size[g] * s * s * d2 * dg;
          ld2 += size[g] * size[g] * d2;
        }
        RealMatrix k1 = mInv.multiply(new Array2DRowRealMatrix(m1, false));
        double trK1K1 = k1.multiply(k1).getTrace();
        double trK2 = mInv.multiply(new Array2DRowRealMatrix(m2, false)).getTrace();
        double hgg =
            0.5 * ld2 - 0.5 * dof * (q2 / qf - (q1 / qf) * (q1 / qf)) - 0.5 * (trK2 - trK1K1);
        for (int j = 0; j < p; j++) {
          for (int k = 0; k < p; k++) {
            h[j][k] = -dof / qf * m.getEntry(j, k);
          }
          h[j][p] = -dof / qf * hbg[j];
          h[p][j] = h[j][p];
        }
        h[p][p] = hgg;
        return h;
      }
    }

    MixedModelFit fit(DesignMatrix design) {
      List<String> notes = new ArrayList<>();
      boolean converged = true;
      Profile atZero = new Profile(0);
      boolean repeated = false;
      for (int[] rows : groups) {
        repeated |= rows.length > 1;
      }
      Profile best;
      if (!repeated) {
        best = atZero;
        notes.add(
            "no subject has two observations: the subject variance cannot be separated from "
                + "the residual variance and is reported as 0");
      } else {
        int steps = (int) Math.round((LOG_GAMMA_MAX - LOG_GAMMA_MIN) / LOG_GAMMA_STEP);
        double[] grid = new double[steps + 2];
        Profile[] profiles = new Profile[steps + 2];
        grid[0] = 0;
        profiles[0] = atZero;
        int bestIdx = 0;
        for (int s = 0; s <= steps; s++) {
          grid[s + 1] = Math.exp(LOG_GAMMA_MIN + s * LOG_GAMMA_STEP);
          profiles[s + 1] = new Profile(grid[s + 1]);
          if (profiles[s + 1].llf > profiles[bestIdx].llf) {
            bestIdx = s + 1;
          }
        }
        if (bestIdx == 0 && atZero.derivative() <= 0) {
          best = atZero;
        } else if (bestIdx == grid.length - 1) {
          best = profiles[bestIdx];
          converged = false;
          notes.add(
              "the variance ratio s2_u / s2_e exceeds e^"
                  + LOG_GAMMA_MAX
                  + ": within-subject variation is negligible; estimates at that ratio");
        } else {
          best = refine(grid[Math.max(bestIdx - 1, 0)], grid[bestIdx + 1], profiles[bestIdx]);
        }
        if (best.gamma == 0) {
          notes.add(
              "the REML estimate of the subject variance is on the boundary, 0: the fixed "
                  + "effects equal ordinary least squares");
        }
      }

      int dof = n - p;
      double scale = best.qf / dof;
      double[][] hess = best.hessian();
      RealMatrix negH = new Array2DRowRealMatrix(hess).scalarMultiply(-1);
      double[][] cov = new double[p][p];
      LUDecomposition lu = new LUDecomposition(negH, 1e-300);
      RealMatrix inv = lu.getSolver().isNonSingular() ? lu.getSolver().getInverse() : null;
      boolean ok = inv != null;
      if (ok) {
        for (int j = 0; j < p; j++) {
          ok &= inv.getEntry(j, j) > 0 && Double.isFinite(inv.getEntry(j, j));
        }
      }
      if (ok) {
        for (int j = 0; j < p; j++) {
          for (int k = 0; k < p; k++) {
            cov[j][k] = inv.getEntry(j, k);
          }
        }
      } else {
        // statsmodels would report NaN here; (X' V^-1 X)^-1 s2_e is the conventional fallback.
        RealMatrix mInv = best.mSolver.getInverse();
        for (int j = 0; j < p; j++) {
          for (int k = 0; k < p; k++) {
            cov[j][k] = mInv.getEntry(j, k) * scale;
          }
        }
        notes.add(
            "the Hessian in (b, s2_u / s2_e) is not negative definite: standard errors are "
                + "from (X' V^-1 X)^-1 s2_e instead");
      }
      return new MixedModelFit(
          new FixedEffects(design, best.beta, cov),
          best.gamma * scale,
          scale,
          best.llf,
          groups.length,
          n,
          converged,
          evaluations,
          notes,
          withinSubject(design.keptNames()),
          satterthwaite(best, scale));
    }

    /** The Satterthwaite machinery at the estimate, s2_u = gamma s2_e. */
    private SatterthwaiteDf satterthwaite(Profile best, double scale) {
      double[] r = new double[n];
      for (int i = 0; i < n; i++) {
        double fitted = 0;
        for (int j = 0; j < p; j++) {
          fitted += x[i][j] * best.beta[j];
        }
        r[i] = y[i] - fitted;
      }
      return SatterthwaiteDf.at(x, groups, r, best.gamma * scale, scale);
    }

    /** The columns that vary within at least one group. */
    private Set<String> withinSubject(List<String> names) {
      Set<String> within = new TreeSet<>();
      for (int j = 0; j < p; j++) {
        for (int[] rows : groups) {
          boolean varies = false;
          for (int r : rows) {
            if (x[r][j] != x[rows[0]][j]) {
              varies = true;
              break;
            }
          }
          if (varies) {
            within.add(names.get(j));
            break;
          }
        }
      }
      return within;
    }

    /** Maximises the profiled REML log-likelihood over gamma in [lo, hi] around {@code start}. */
    private Profile refine(double lo, double hi, Profile start) {
      double dLo = new Profile(lo).derivative();
      double dHi = new Profile(hi).derivative();
      if (dLo > 0 && dHi < 0) {
        try {
          double root =
              new BrentSolver(1e-13, 1e-15 * hi, 1e-300)
                  .solve(500, gamma -> new Profile(gamma).derivative(), lo, hi, start.gamma);
          Profile at = new Profile(root);
          return at.llf >= start.llf ? at : start;
        } catch (TooManyEvaluationsException e) {
          // fall through to the derivative-free search
        }
      }
      double arg =
          new BrentOptimizer(1e-13, 1e-15 * hi)
              .optimize(
                  new MaxEval(1000),
                  GoalType.MAXIMIZE,
                  new UnivariateObjectiveFunction(gamma -> new Profile(gamma).llf),
                  new SearchInterval(lo, hi, start.gamma))
              .getPoint();
      Profile at = new Profile(arg);
      return at.llf >= start.llf ? at : start;
    }
  }
}
