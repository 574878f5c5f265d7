package org.cytolake.normalise;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cytolake.cytometry.transform.Transform;

/**
 * The configuration of a {@link QuantileNormaliser}, shared by the estimator and its model.
 *
 * @param channels the channels to normalise ({@code $PnN}), distinct; every other channel is kept
 *     as it is
 * @param transform the scale on which quantiles are taken and splines fitted (CyTOF: {@code
 *     asinh:cofactor=5}); normalised values are mapped back through its inverse
 * @param quantiles the number of quantiles per batch and channel, at probabilities k / (quantiles +
 *     1), k = 1..quantiles ({@link #QUANTILES_DEFAULT}: 0.01, 0.02, …, 0.99)
 * @param goal what each batch's quantiles are mapped onto
 */
public record QuantileNormParams(
    List<String> channels, Transform transform, int quantiles, Goal goal) {

  /** Default number of quantiles: 99, the percentiles 1..99, as in the CytoNorm parity data. */
  public static final int QUANTILES_DEFAULT = 99;

  /** Validates every parameter and reports all problems at once. */
  public QuantileNormParams {
    List<String> problems = new ArrayList<>();
    if (channels == null || channels.isEmpty()) {
      problems.add("no channels");
      channels = List.of();
    } else {
      Set<String> seen = new HashSet<>();
      for (String c : channels) {
        if (c == null || c.isBlank()) {
          problems.add("a channel name is blank");
        } else if (!seen.add(c)) {
          problems.add("channel '" + c + "' is listed twice");
        }
      }
    }
    if (transform == null) {
      problems.add("no transform");
    }
    if (quantiles < 2) {
      problems.add("quantiles must be at least 2, not " + quantiles);
    }
    if (goal == null) {
      problems.add("no goal");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot configure quantile normalisation: " + String.join("; ", problems));
    }
    channels = List.copyOf(channels);
  }

  /** The defaults: {@link #QUANTILES_DEFAULT} quantiles onto the batch mean. */
  public static QuantileNormParams of(List<String> channels, Transform transform) {
    return new QuantileNormParams(channels, transform, QUANTILES_DEFAULT, new Goal.BatchMean());
  }

  /** The probabilities k / (quantiles + 1), k = 1..quantiles. */
  public double[] probabilities() {
    return probabilities(quantiles);
  }

  /** The probabilities k / (n + 1), k = 1..n: CytoNorm's, neither 0 nor 1. */
  public static double[] probabilities(int quantiles) {
    double[] p = new double[quantiles];
    for (int k = 1; k <= quantiles; k++) {
      p[k - 1] = (double) k / (quantiles + 1);
    }
    return p;
  }

  /**
   * The problems of the goal for a model of {@code clusters} clusters (1 = unclustered): those of
   * given quantiles ({@link GoalQuantiles#problems}); none for the other goals.
   */
  public List<String> goalProblems(int clusters) {
    return goal instanceof Goal.Given g
        ? g.quantiles().problems(channels, probabilities(quantiles), clusters)
        : List.of();
  }

  /** One line for provenance, e.g. {@code quantiles=99 transform=asinh:cofactor=5 goal=batch-mean}. */
  public String describe() {
    return "quantiles=" + quantiles + " transform=" + transform.spec() + " goal=" + goal;
  }
}
