package org.cytolake.som;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Parameters of a self-organising map (Kohonen 1982, Biol. Cybern. 43:59) with the defaults of FlowSOM
 * (Van Gassen et al. 2015, Cytometry A 87:636): a 10 × 10 rectangular grid, 10 passes over the data, a learning
 * rate falling linearly from 0.05 to 0.01, and a neighbourhood radius falling linearly from the 0.67 quantile of
 * the grid's node-to-node distances to 0. Grid distances are Chebyshev (max-norm) distances between node grid
 * positions, as FlowSOM's {@code dist(grid, method = "maximum")}; event-to-node distances are Euclidean.
 *
 * <p>Immutable; the constructor validates every value and reports all problems at once.
 *
 * @param xdim grid width, at least 1
 * @param ydim grid height, at least 1
 * @param rlen number of passes (epochs) over the data, at least 1
 * @param alphaStart learning rate of the first epoch, in (0, 1]
 * @param alphaEnd learning rate reached at the end of training, in [0, alphaStart]
 * @param radiusStart neighbourhood radius at the start in grid units; {@code NaN} means FlowSOM's default,
 *     {@link SomGrid#defaultRadius()}
 * @param radiusEnd radius reached at the end of training, in [0, radiusStart]
 * @param seed seed of the codebook initialisation
 */
public record SomParams(
    int xdim,
    int ydim,
    int rlen,
    double alphaStart,
    double alphaEnd,
    double radiusStart,
    double radiusEnd,
    long seed)
    implements Serializable {

  public static final int XDIM_DEFAULT = 10;
  public static final int YDIM_DEFAULT = 10;
  public static final int RLEN_DEFAULT = 10;
  public static final double ALPHA_START_DEFAULT = 0.05;
  public static final double ALPHA_END_DEFAULT = 0.01;

  /** {@code NaN}: take the 0.67 quantile of the grid distances, as FlowSOM. */
  public static final double RADIUS_START_DEFAULT = Double.NaN;

  public static final double RADIUS_END_DEFAULT = 0;
  public static final long SEED_DEFAULT = 1;

  /** Largest number of nodes accepted (a codebook is reduced on one machine). */
  public static final int MAX_NODES = 10_000;

  public SomParams {
    List<String> problems = new ArrayList<>();
    if (xdim < 1) {
      problems.add("xdim must be at least 1 but is " + xdim);
    }
    if (ydim < 1) {
      problems.add("ydim must be at least 1 but is " + ydim);
    }
    if (xdim >= 1 && ydim >= 1 && (long) xdim * ydim > MAX_NODES) {
      problems.add("xdim × ydim must be at most " + MAX_NODES + " but is " + (long) xdim * ydim);
    }
    if (rlen < 1) {
      problems.add("rlen must be at least 1 but is " + rlen);
    }
    if (!(alphaStart > 0 && alphaStart <= 1)) {
      problems.add("alphaStart must be in (0, 1] but is " + alphaStart);
    }
    if (!(alphaEnd >= 0 && alphaEnd <= alphaStart)) {
      problems.add("alphaEnd must be in [0, alphaStart] but is " + alphaEnd);
    }
    if (!Double.isNaN(radiusStart) && !(radiusStart >= 0 && Double.isFinite(radiusStart))) {
      problems.add(
          "radiusStart must be NaN (FlowSOM default) or a finite value >= 0 but is " + radiusStart);
    }
    if (!(radiusEnd >= 0 && Double.isFinite(radiusEnd))
        || (!Double.isNaN(radiusStart) && radiusEnd > radiusStart)) {
      problems.add("radiusEnd must be finite, >= 0 and at most radiusStart but is " + radiusEnd);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot create SOM parameters: " + String.join("; ", problems));
    }
  }

  /** FlowSOM's defaults with seed {@link #SEED_DEFAULT}. */
  public static SomParams defaults() {
    return new SomParams(
        XDIM_DEFAULT,
        YDIM_DEFAULT,
        RLEN_DEFAULT,
        ALPHA_START_DEFAULT,
        ALPHA_END_DEFAULT,
        RADIUS_START_DEFAULT,
        RADIUS_END_DEFAULT,
        SEED_DEFAULT);
  }

  public SomParams withGrid(int newXdim, int newYdim) {
    return new SomParams(
        newXdim, newYdim, rlen, alphaStart, alphaEnd, radiusStart, radiusEnd, seed);
  }

  public SomParams withRlen(int newRlen) {
    return new SomParams(xdim, ydim, newRlen, alphaStart, alphaEnd, radiusStart, radiusEnd, seed);
  }

  public SomParams withAlpha(double start, double end) {
    return new SomParams(xdim, ydim, rlen, start, end, radiusStart, radiusEnd, seed);
  }

  public SomParams withRadius(double start, double end) {
    return new SomParams(xdim, ydim, rlen, alphaStart, alphaEnd, start, end, seed);
  }

  public SomParams withSeed(long newSeed) {
    return new SomParams(xdim, ydim, rlen, alphaStart, alphaEnd, radiusStart, radiusEnd, newSeed);
  }

  /** Number of nodes, xdim × ydim. */
  public int nodes() {
    return xdim * ydim;
  }

  /** The grid these parameters describe. */
  public SomGrid grid() {
    return new SomGrid(xdim, ydim);
  }

  /** The radius of the first epoch: {@link #radiusStart()}, or the grid's default when that is NaN. */
  public double effectiveRadiusStart() {
    return Double.isNaN(radiusStart) ? grid().defaultRadius() : radiusStart;
  }

  /**
   * Learning rate of epoch {@code epoch} (0-based): the linear schedule from alphaStart to alphaEnd taken at the
   * middle of the epoch, i.e. at training progress (epoch + 0.5) / rlen.
   */
  public double alpha(int epoch) {
    return alphaStart + (alphaEnd - alphaStart) * progress(epoch);
  }

  /** Neighbourhood radius of epoch {@code epoch} (0-based), taken at the middle of the epoch like {@link #alpha}. */
  public double radius(int epoch) {
    double start = effectiveRadiusStart();
    return start + (radiusEnd - start) * progress(epoch);
  }

  private double progress(int epoch) {
    if (epoch < 0 || epoch >= rlen) {
      throw new IllegalArgumentException(
          "Cannot schedule epoch " + epoch + ": epochs are 0.." + (rlen - 1));
    }
    return (epoch + 0.5) / rlen;
  }
}
