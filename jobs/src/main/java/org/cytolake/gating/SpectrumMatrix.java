package org.cytolake.gating;

import java.util.List;
import java.util.Objects;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * A {@code transforms:spectrumMatrix}: how much of each fluorochrome's signal every detector sees. Row i
 * ({@code transforms:spectrum} i) holds the coefficients of fluorochrome i on every detector, so observed = true ×
 * S. Unmixing is true = observed × S⁺ (the inverse for a square matrix, the Moore-Penrose pseudo-inverse, i.e. the
 * least-squares solution, for a non-square one). With {@code matrix-inverted-already="true"} the rows are the
 * detectors and the matrix is S⁺ itself.
 *
 * @param id the {@code transforms:id}
 * @param fluorochromes names of the unmixed values (the dimensions that refer to this matrix)
 * @param detectors {@code $PnN} names of the measured channels
 * @param coefficients the spectra as written, one array per {@code transforms:spectrum}
 * @param invertedAlready whether the coefficients are already the unmixing matrix
 */
public record SpectrumMatrix(
    String id,
    List<String> fluorochromes,
    List<String> detectors,
    double[][] coefficients,
    boolean invertedAlready) {

  public SpectrumMatrix {
    Objects.requireNonNull(id, "id");
    fluorochromes = List.copyOf(fluorochromes);
    detectors = List.copyOf(detectors);
    int rows = invertedAlready ? detectors.size() : fluorochromes.size();
    int cols = invertedAlready ? fluorochromes.size() : detectors.size();
    if (coefficients.length != rows) {
      throw new IllegalArgumentException(
          "Cannot create spectrum matrix '"
              + id
              + "': "
              + coefficients.length
              + " spectra but "
              + rows
              + (invertedAlready ? " detectors" : " fluorochromes"));
    }
    double[][] copy = new double[rows][];
    for (int i = 0; i < rows; i++) {
      if (coefficients[i].length != cols) {
        throw new IllegalArgumentException(
            "Cannot create spectrum matrix '"
                + id
                + "': spectrum "
                + (i + 1)
                + " has "
                + coefficients[i].length
                + " coefficients but there are "
                + cols
                + (invertedAlready ? " fluorochromes" : " detectors"));
      }
      copy[i] = coefficients[i].clone();
    }
    coefficients = copy;
  }

  /**
   * The unmixing matrix U, detectors × fluorochromes: unmixed[f] = Σ_d observed[d] · U[d][f].
   *
   * @throws IllegalArgumentException when a square matrix is singular
   */
  public double[][] unmixing() {
    if (invertedAlready) {
      double[][] copy = new double[coefficients.length][];
      for (int i = 0; i < copy.length; i++) {
        copy[i] = coefficients[i].clone();
      }
      return copy;
    }
    RealMatrix s = new Array2DRowRealMatrix(coefficients, true);
    if (s.isSquare()) {
      var solver = new LUDecomposition(s).getSolver();
      if (!solver.isNonSingular()) {
        throw new IllegalArgumentException(
            "Cannot unmix with spectrum matrix '" + id + "': it is singular");
      }
      return solver.getInverse().getData();
    }
    return new SingularValueDecomposition(s).getSolver().getInverse().getData();
  }
}
