package org.cytolake.normalise;

import java.util.List;
import java.util.Locale;

/**
 * One batch of a lake's normalisation model: the quantiles its reference events take per column,
 * on the stored (transformed) scale.
 *
 * @param batch the batch
 * @param source where its reference events came from
 * @param samples the samples pooled (the controls, or the patient samples of a pooled batch)
 * @param events the events pooled
 * @param quantiles per column (the model's order) the quantiles, or null for a column without
 *     signal in the reference (all quantiles equal): that column is left as it is in this batch
 */
public record BatchQuantiles(
    String batch, Source source, List<String> samples, long events, double[][] quantiles) {

  /** Where a batch's reference events came from. */
  public enum Source {
    /** The batch's control aliquots. */
    CONTROL,
    /** Its own patient samples ({@link MissingControl#POOLED}). */
    POOLED;

    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public BatchQuantiles {
    samples = List.copyOf(samples);
    quantiles = quantiles.clone();
  }

  /**
   * The R type 7 quantiles of each column of {@code columns} (one array of events per column), or
   * null for a column whose quantiles are all equal (no signal: no spline can be fitted).
   */
  public static double[][] of(double[][] columns, double[] probabilities) {
    double[][] q = new double[columns.length][];
    for (int c = 0; c < columns.length; c++) {
      double[] v = org.cytolake.stats.Quantiles.type7(columns[c], probabilities);
      q[c] = v[0] < v[v.length - 1] ? v : null;
    }
    return q;
  }
}
