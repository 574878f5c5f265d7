package org.cytolake.gating;

import java.util.List;
import java.util.Objects;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;

/**
 * An ellipse or ellipsoid gate (Gating-ML 2.0 section 5.2.3): the points x with (x - μ)ᵀ C⁻¹ (x - μ) ≤
 * distanceSquare (the boundary is inside).
 *
 * @param mean μ, one value per dimension
 * @param covariance C, symmetric positive definite, one row per dimension
 * @param distanceSquare the squared Mahalanobis distance of the boundary
 */
public record EllipsoidGate(
    String id,
    String parentId,
    List<Dimension> dimensions,
    double[] mean,
    double[][] covariance,
    double distanceSquare)
    implements Gate {

  public EllipsoidGate {
    Objects.requireNonNull(id, "id");
    dimensions = List.copyOf(dimensions);
    int n = dimensions.size();
    if (n == 0 || mean.length != n || covariance.length != n) {
      throw new IllegalArgumentException(
          "Cannot create ellipsoid gate '"
              + id
              + "': "
              + n
              + " dimensions, mean of "
              + mean.length
              + ", covariance of "
              + covariance.length
              + " rows");
    }
    double[][] c = new double[n][];
    for (int i = 0; i < n; i++) {
      if (covariance[i].length != n) {
        throw new IllegalArgumentException(
            "Cannot create ellipsoid gate '"
                + id
                + "': covariance row "
                + (i + 1)
                + " has "
                + covariance[i].length
                + " entries, expected "
                + n);
      }
      c[i] = covariance[i].clone();
    }
    covariance = c;
    mean = mean.clone();
  }

  /** C⁻¹. @throws IllegalArgumentException when C is singular */
  public double[][] inverseCovariance() {
    var solver = new LUDecomposition(new Array2DRowRealMatrix(covariance, true)).getSolver();
    if (!solver.isNonSingular()) {
      throw new IllegalArgumentException(
          "Cannot use ellipsoid gate '" + id + "': its covariance matrix is singular");
    }
    return solver.getInverse().getData();
  }

  /** Whether a point is inside, given {@link #inverseCovariance()}. */
  public boolean contains(double[] point, double[][] inverseCovariance) {
    int n = mean.length;
    double d2 = 0;
    for (int i = 0; i < n; i++) {
      double di = point[i] - mean[i];
      double row = 0;
      for (int j = 0; j < n; j++) {
        row += inverseCovariance[i][j] * (point[j] - mean[j]);
      }
      d2 += di * row;
    }
    return d2 <= distanceSquare;
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[][] covariance() {
    double[][] c = new double[covariance.length][];
    for (int i = 0; i < c.length; i++) {
      c[i] = covariance[i].clone();
    }
    return c;
  }
}
