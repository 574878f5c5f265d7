package org.cytolake.stats;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.special.Gamma;

/**
 * Generalized linear models for the counts of a population per sample, fitted by iteratively
 * reweighted least squares (IRLS), with the conventions of statsmodels' {@code sm.GLM}:
 * <ul>
 *   <li><b>Binomial, logit link</b>: the events of a population out of its parent's events
 *       ({@code sm.GLM(np.column_stack([events, parent - events]), X,
 *       family=sm.families.Binomial())}). Each sample's frequency is weighted by its parent count,
 *       so a sample with 30,000 CD4 events says more than one with 2,000.
 *   <li><b>Negative binomial (NB2), log link</b>: counts with an offset log(total events) and
 *       variance μ + α μ² ({@code sm.GLM(events, X, offset=log(total),
 *       family=sm.families.NegativeBinomial(alpha=α))}), for counts more variable between samples
 *       than the binomial allows, which is the rule between patients. α is given, or estimated by
 *       maximum likelihood ({@link #negativeBinomialEstimatedAlpha}): the profile log-likelihood
 *       over α, with b re-fitted by IRLS at each α, is maximised by Brent's root finder on its
 *       derivative, which is the α that statsmodels' discrete {@code sm.NegativeBinomial(...,
 *       loglike_method="nb2")} finds. The coefficients are then those of the GLM at that α and
 *       their standard errors the GLM's, as R's {@code MASS::glm.nb} reports them (not accounting
 *       for the estimation of α). α = 0 is the Poisson model.
 * </ul>
 * Standard errors are sqrt(diag((X' W X)⁻¹)) with the IRLS weights W at the estimate and scale 1
 * (the expected information), z = b / SE, normal p-values and 95% intervals, as statsmodels'
 * {@code summary()}. The log-likelihood includes the binomial coefficients and the Γ terms as
 * statsmodels' {@code llf} does.
 *
 * <p>A paired design in the manner of edgeR and diffcyt puts the patient in as a factor (patient
 * fixed effects): {@code DesignSpec.builder().factor("visit", "D1").factor("patient", "P01")}; each
 * patient is then its own baseline. Aliased columns are dropped as in {@link DesignMatrix}.
 *
 * <p>IRLS stops when no coefficient moves by more than 1e-11 (relative), at most 100 iterations;
 * a fit that did not get there (complete separation: a cell whose every sample has 0 events, or
 * all events) says so in {@link GlmFit#converged()} and its notes.
 */
public final class CountGlm {
  /** The response distribution. */
  public enum Family {
    BINOMIAL,
    NEGATIVE_BINOMIAL
  }

  static final int MAX_ITERATIONS = 100;
  static final double TOLERANCE = 1e-11;

  /** Grid of log(α) scanned before refining the estimate of α. */
  static final double LOG_ALPHA_MIN = -12;

  static final double LOG_ALPHA_MAX = 4;

  private final DesignSpec spec;
  private final Family family;
  private final double alpha;

  private CountGlm(DesignSpec spec, Family family, double alpha) {
    this.spec = spec;
    this.family = family;
    this.alpha = alpha;
  }

  /** Binomial (logit) GLM of events out of total. */
  public static CountGlm binomial(DesignSpec spec) {
    return new CountGlm(spec, Family.BINOMIAL, Double.NaN);
  }

  /** NB2 (log) GLM of events with offset log(total) and the given α ≥ 0 (0: Poisson). */
  public static CountGlm negativeBinomial(DesignSpec spec, double alpha) {
    if (!(alpha >= 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException(
          "Cannot build negative binomial GLM: alpha " + alpha + " is not a finite number >= 0");
    }
    return new CountGlm(spec, Family.NEGATIVE_BINOMIAL, alpha);
  }

  /** NB2 (log) GLM of events with offset log(total), α estimated by maximum likelihood. */
  public static CountGlm negativeBinomialEstimatedAlpha(DesignSpec spec) {
    return new CountGlm(spec, Family.NEGATIVE_BINOMIAL, Double.NaN);
  }

  public DesignSpec spec() {
    return spec;
  }

  public Family family() {
    return family;
  }

  /** The given α; NaN for the binomial model or when α is estimated. */
  public double alpha() {
    return alpha;
  }

  /**
   * Fits the model.
   *
   * @throws IllegalArgumentException for invalid counts or design rows (all problems at once), or
   *     fewer observations than estimable coefficients
   */
  public GlmFit fit(List<CountObservation> observations) {
    String what = family == Family.BINOMIAL ? "binomial GLM" : "negative binomial GLM";
    if (observations.isEmpty()) {
      throw new IllegalArgumentException("Cannot fit " + what + ": no observations");
    }
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < observations.size(); i++) {
      CountObservation o = observations.get(i);
      if (o.total() <= 0) {
        problems.add("observation " + i + " has total " + o.total() + ", not > 0");
      }
      if (o.events() < 0 || (family == Family.BINOMIAL && o.events() > o.total())) {
        problems.add("observation " + i + " has " + o.events() + " events of " + o.total());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot fit "
              + what
              + ": "
              + String.join("; ", problems.subList(0, Math.min(10, problems.size())))
              + (problems.size() > 10 ? "; and " + (problems.size() - 10) + " more" : ""));
    }
    DesignMatrix design = DesignMatrix.build(spec, observations);
    int n = observations.size();
    int p = design.keptNames().size();
    if (n < p) {
      throw new IllegalArgumentException(
          "Cannot fit "
              + what
              + ": "
              + n
              + " observations but "
              + p
              + " estimable coefficients "
              + design.keptNames());
    }
    double[] events = new double[n];
    double[] totals = new double[n];
    for (int i = 0; i < n; i++) {
      events[i] = observations.get(i).events();
      totals[i] = observations.get(i).total();
    }
    Irls irls = new Irls(design.sharedX(), events, totals, family);
    List<String> notes = new ArrayList<>();
    double a = alpha;
    boolean estimated = family == Family.NEGATIVE_BINOMIAL && Double.isNaN(alpha);
    if (estimated) {
      a = irls.estimateAlpha(notes);
    }
    Irls.Result r = irls.fit(a, null);
    if (!r.converged) {
      notes.add(
          "IRLS did not converge in "
              + MAX_ITERATIONS
              + " iterations; a coefficient may be "
              + "infinite (a cell whose samples all have 0 events, or all events)");
    }
    return new GlmFit(
        new FixedEffects(design, r.beta, r.covariance),
        family,
        family == Family.BINOMIAL ? Double.NaN : a,
        estimated,
        r.llf,
        r.deviance,
        r.pearsonChi2,
        n,
        r.iterations,
        r.converged,
        notes);
  }

  /** IRLS for one family over fixed X and counts. */
  static final class Irls {
    private final double[][] x;
    private final double[] events;
    private final double[] totals;
    private final Family family;
    private final int n;
    private final int p;

    /** Binomial: proportions events/total; NB: the counts. */
    private final double[] y;

    /** NB: log(total); binomial: 0. */
    private final double[] offset;

    Irls(double[][] x, double[] events, double[] totals, Family family) {
      this.x = x;
      this.events = events;
      this.totals = totals;
      this.family = family;
      this.n = events.length;
      this.p = x[0].length;
      y = new double[n];
      offset = new double[n];
      for (int i = 0; i < n; i++) {
        if (family == Family.BINOMIAL) {
          y[i] = events[i] / totals[i];
        } else {
          y[i] = events[i];
          offset[i] = Math.log(totals[i]);
        }
      }
    }

    record Result(
        double[] beta,
        double[][] covariance,
        double[] mu,
        double llf,
        double deviance,
        double pearsonChi2,
        int iterations,
        boolean converged) {}

    /** Fits at α (ignored for the binomial), from {@code start} or statsmodels' starting μ. */
    Result fit(double alpha, double[] start) {
      double[] mu = new double[n];
      double[] eta = new double[n];
      if (start == null) {
        double mean = 0;
        for (double v : y) {
          mean += v / n;
        }
        for (int i = 0; i < n; i++) {
          mu[i] = family == Family.BINOMIAL ? (y[i] + 0.5) / 2 : (y[i] + mean) / 2;
          eta[i] = family == Family.BINOMIAL ? Math.log(mu[i] / (1 - mu[i])) : Math.log(mu[i]);
        }
      } else {
        linearPredictor(start, eta, mu);
      }
      double[] beta = start == null ? new double[p] : start.clone();
      boolean converged = false;
      int it = 0;
      while (it < MAX_ITERATIONS) {
        it++;
        double[][] wx = new double[n][p];
        double[] wz = new double[n];
        for (int i = 0; i < n; i++) {
          double w = weight(mu[i], alpha, i);
          double z =
              eta[i]
                  - (family == Family.BINOMIAL ? 0 : offset[i])
                  + (y[i] - mu[i]) * linkDerivative(mu[i]);
          double sw = Math.sqrt(w);
          for (int j = 0; j < p; j++) {
            wx[i][j] = sw * x[i][j];
          }
          wz[i] = sw * z;
        }
        double[] next =
            new QRDecomposition(new Array2DRowRealMatrix(wx, false), 0)
                .getSolver()
                .solve(new ArrayRealVector(wz, false))
                .toArray();
        double change = 0;
        for (int j = 0; j < p; j++) {
          change = Math.max(change, Math.abs(next[j] - beta[j]) / (1 + Math.abs(next[j])));
        }
        beta = next;
        linearPredictor(beta, eta, mu);
        if (!(change >= 0)) {
          break; // NaN: diverged
        }
        if (change <= TOLERANCE) {
          converged = true;
          break;
        }
      }
      double[][] xwx = new double[p][p];
      for (int i = 0; i < n; i++) {
        double w = weight(mu[i], alpha, i);
        for (int j = 0; j < p; j++) {
          for (int k = 0; k < p; k++) {
            xwx[j][k] += w * x[i][j] * x[i][k];
          }
        }
      }
      double[][] cov = new double[p][p];
      try {
        RealMatrix inv =
            new CholeskyDecomposition(new Array2DRowRealMatrix(xwx, false), 1e-10, 0)
                .getSolver()
                .getInverse();
        cov = inv.getData();
      } catch (NonPositiveDefiniteMatrixException e) {
        for (double[] row : cov) {
          java.util.Arrays.fill(row, Double.NaN);
        }
        converged = false;
      }
      double llf = 0;
      double deviance = 0;
      double pearson = 0;
      for (int i = 0; i < n; i++) {
        llf += logLikelihood(i, mu[i], eta[i], alpha);
        deviance += devianceTerm(i, mu[i], alpha);
        pearson += pearsonTerm(i, mu[i], alpha);
      }
      return new Result(beta, cov, mu, llf, deviance, pearson, it, converged);
    }

    private void linearPredictor(double[] beta, double[] eta, double[] mu) {
      for (int i = 0; i < n; i++) {
        double e = offset[i];
        for (int j = 0; j < p; j++) {
          e += x[i][j] * beta[j];
        }
        eta[i] = e;
        mu[i] = family == Family.BINOMIAL ? 1 / (1 + Math.exp(-e)) : Math.exp(e);
      }
    }

    /** IRLS weight 1 / (V(μ) g'(μ)²), times the number of trials for the binomial. */
    private double weight(double mu, double alpha, int i) {
      return family == Family.BINOMIAL ? totals[i] * mu * (1 - mu) : mu / (1 + alpha * mu);
    }

    private double linkDerivative(double mu) {
      return family == Family.BINOMIAL ? 1 / (mu * (1 - mu)) : 1 / mu;
    }

    private double logLikelihood(int i, double mu, double eta, double alpha) {
      double k = events[i];
      if (family == Family.BINOMIAL) {
        double m = totals[i];
        // log μ = -log1p(e^-η), log(1-μ) = -log1p(e^η), accurate in the tails
        return Gamma.logGamma(m + 1)
            - Gamma.logGamma(k + 1)
            - Gamma.logGamma(m - k + 1)
            - k * log1pExp(-eta)
            - (m - k) * log1pExp(eta);
      }
      if (alpha == 0) {
        return k * eta - mu - Gamma.logGamma(k + 1);
      }
      double theta = 1 / alpha;
      return k * Math.log(alpha * mu)
          - (k + theta) * Math.log1p(alpha * mu)
          + Gamma.logGamma(k + theta)
          - Gamma.logGamma(theta)
          - Gamma.logGamma(k + 1);
    }

    private double devianceTerm(int i, double mu, double alpha) {
      double k = events[i];
      if (family == Family.BINOMIAL) {
        double m = totals[i];
        return 2 * (xlogy(k, k / (m * mu)) + xlogy(m - k, (m - k) / (m * (1 - mu))));
      }
      if (alpha == 0) {
        return 2 * (xlogy(k, k / mu) - (k - mu));
      }
      double theta = 1 / alpha;
      return 2 * (xlogy(k, k / mu) - (k + theta) * Math.log((k + theta) / (mu + theta)));
    }

    private double pearsonTerm(int i, double mu, double alpha) {
      if (family == Family.BINOMIAL) {
        double m = totals[i];
        double d = events[i] - m * mu;
        return d * d / (m * mu * (1 - mu));
      }
      double d = events[i] - mu;
      return d * d / (mu + alpha * mu * mu);
    }

    private static double xlogy(double x, double ratio) {
      return x == 0 ? 0 : x * Math.log(ratio);
    }

    private static double log1pExp(double v) {
      return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
    }

    /**
     * d llf / d α at the GLM fit for α (b profiled; its own term vanishes at the IRLS solution):
     * Σ [ψ(θ) - ψ(k + θ) + log(1 + α μ)] / α² + (k - μ) / (α (1 + α μ)), θ = 1/α.
     */
    double alphaDerivative(double alpha, double[] mu) {
      double theta = 1 / alpha;
      double s = 0;
      for (int i = 0; i < n; i++) {
        double k = events[i];
        double am = alpha * mu[i];
        s +=
            (Math.log1p(am) - digammaDifference(k, theta)) / (alpha * alpha)
                + (k - mu[i]) / (alpha * (1 + am));
      }
      return s;
    }

    /** ψ(k + θ) - ψ(θ) for a count k: an exact sum for small k, else by {@link #digamma}. */
    static double digammaDifference(double k, double theta) {
      if (k < 100) {
        double s = 0;
        for (int j = 0; j < (int) k; j++) {
          s += 1 / (theta + j);
        }
        return s;
      }
      return digamma(k + theta) - digamma(theta);
    }

    /**
     * ψ(x) for x &gt; 0: the recurrence ψ(x) = ψ(x + 1) - 1/x up to x ≥ 12, then the asymptotic
     * series to the x⁻¹² term (error below 1e-15). Not Commons Math's {@code Gamma.digamma}: in
     * 3.6.1 its asymptotic series adds the x⁻⁴ term instead of subtracting it
     * ({@code inv * (1/12 + inv * (1/120 - ...))}), an error of about 3e-9 that moved the estimate
     * of α by 2e-8 relative.
     */
    static double digamma(double x) {
      double shift = 0;
      while (x < 12) {
        shift -= 1 / x;
        x += 1;
      }
      double inv = 1 / (x * x);
      double series =
          inv
              * (1.0 / 12
                  - inv
                      * (1.0 / 120
                          - inv
                              * (1.0 / 252
                                  - inv * (1.0 / 240 - inv * (1.0 / 132 - inv * 691.0 / 32760)))));
      return shift + Math.log(x) - 0.5 / x - series;
    }

    /** The maximum likelihood α over log α in [LOG_ALPHA_MIN, LOG_ALPHA_MAX]; 0 at the boundary. */
    double estimateAlpha(List<String> notes) {
      int steps = (int) (LOG_ALPHA_MAX - LOG_ALPHA_MIN);
      double[] grid = new double[steps + 1];
      Result[] fits = new Result[steps + 1];
      int best = 0;
      double[] start = null;
      for (int s = 0; s <= steps; s++) {
        grid[s] = Math.exp(LOG_ALPHA_MIN + s);
        fits[s] = fit(grid[s], start);
        start = fits[s].converged ? fits[s].beta : null;
        if (fits[s].llf > fits[best].llf) {
          best = s;
        }
      }
      if (best == 0 && alphaDerivative(grid[0], fits[0].mu) <= 0) {
        notes.add("no overdispersion: the maximum likelihood alpha is 0, the Poisson model");
        return 0;
      }
      if (best == steps) {
        notes.add("alpha estimate exceeds e^" + LOG_ALPHA_MAX + "; the fit uses that value");
        return grid[steps];
      }
      double lo = best == 0 ? grid[0] : grid[best - 1];
      double hi = grid[best + 1];
      double[] warm = fits[best].beta;
      double root =
          new BrentSolver(1e-13, 1e-15 * hi, 1e-300)
              .solve(500, a -> alphaDerivative(a, fit(a, warm).mu), lo, hi, grid[best]);
      return root;
    }
  }
}
