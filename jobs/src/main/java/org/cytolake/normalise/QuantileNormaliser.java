package org.cytolake.normalise;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.stats.Quantiles;

/**
 * Batch normalisation by quantiles, the method of CytoNorm without clustering (Van Gassen et al.,
 * 2020, Cytometry A 97:268), in the Spark ML shape: this estimator holds the configuration, {@link
 * #fit} learns from the training controls of every batch and returns an immutable {@link
 * QuantileNormModel}, which normalises any file of a trained batch.
 *
 * <p>Fitting, per batch and channel: the events of the batch's controls are pooled and transformed
 * ({@link QuantileNormParams#transform()}); their R type 7 quantiles are taken at the probabilities
 * k / (n + 1), k = 1..n ({@link Quantiles#type7}). The goal quantiles are the mean over batches of
 * the batches' quantiles (or one named batch's). Each batch and channel gets the monotone spline
 * ({@link MonotoneSpline}, R's {@code monoH.FC}) through the points (batch quantile, goal
 * quantile), ties merged by their mean.
 *
 * <p>Refused, with every problem named at once: a batch without a control, a control without
 * events or without one of the channels, a channel without signal in a batch's controls (all its
 * quantiles equal: no spline can be fitted), a goal batch that is not among the batches.
 */
public final class QuantileNormaliser {
  private final QuantileNormParams params;

  public QuantileNormaliser(QuantileNormParams params) {
    this.params = Objects.requireNonNull(params, "params");
    throwIfAny(params.goalProblems(1));
  }

  public QuantileNormParams params() {
    return params;
  }

  /**
   * Learns the splines.
   *
   * @param controlsByBatch the training controls of each batch, by batch name
   * @throws IllegalArgumentException naming every batch, file and channel that cannot be used
   */
  public QuantileNormModel fit(Map<String, List<Events>> controlsByBatch) {
    List<String> problems = controlProblems(params, controlsByBatch);
    List<String> channels = params.channels();
    throwIfAny(problems);

    double[] probs = params.probabilities();
    Map<String, double[][]> quantiles = new LinkedHashMap<>();
    for (Map.Entry<String, List<Events>> b : controlsByBatch.entrySet()) {
      double[][] q = new double[channels.size()][];
      for (int c = 0; c < channels.size(); c++) {
        double[] pooled = transformedColumn(b.getValue(), channels.get(c), params.transform());
        q[c] = Quantiles.type7(pooled, probs);
        if (!(q[c][0] < q[c][q[c].length - 1])) {
          problems.add(
              "channel '"
                  + channels.get(c)
                  + "' has no signal in the controls of batch '"
                  + b.getKey()
                  + "': all "
                  + probs.length
                  + " quantiles are "
                  + q[c][0]
                  + " on the transformed scale");
        }
      }
      quantiles.put(b.getKey(), q);
    }
    throwIfAny(problems);

    double[][] goal = new double[channels.size()][probs.length];
    if (params.goal() instanceof Goal.Batch g) {
      goal = quantiles.get(g.name());
    } else if (params.goal() instanceof Goal.Given g) {
      goal = g.quantiles().goal(channels, 0);
    } else {
      // the mean over batches, in the order the batches were given (as R sums them)
      for (int c = 0; c < channels.size(); c++) {
        for (int k = 0; k < probs.length; k++) {
          double[] v = new double[quantiles.size()];
          int i = 0;
          for (double[][] q : quantiles.values()) {
            v[i++] = q[c][k];
          }
          goal[c][k] = mean(v);
        }
      }
    }
    Map<String, MonotoneSpline[]> splines = new LinkedHashMap<>();
    for (Map.Entry<String, double[][]> b : quantiles.entrySet()) {
      MonotoneSpline[] s = new MonotoneSpline[channels.size()];
      for (int c = 0; c < channels.size(); c++) {
        s[c] = MonotoneSpline.fit(b.getValue()[c], goal[c]);
      }
      splines.put(b.getKey(), s);
    }
    return new QuantileNormModel(params, quantiles, goal, splines);
  }

  /**
   * What makes the controls unusable for {@code params}, every problem at once: no batches, a batch
   * without a control, a control without events or without one of the channels, a goal batch that
   * is not among the batches. Empty when they can be trained on.
   */
  static List<String> controlProblems(
      QuantileNormParams params, Map<String, List<Events>> controlsByBatch) {
    List<String> problems = new ArrayList<>();
    if (controlsByBatch.isEmpty()) {
      problems.add("no batches");
    }
    List<String> channels = params.channels();
    for (Map.Entry<String, List<Events>> b : controlsByBatch.entrySet()) {
      if (b.getValue().isEmpty()) {
        problems.add("batch '" + b.getKey() + "' has no control");
      }
      for (Events e : b.getValue()) {
        if (e.events() == 0) {
          problems.add("control '" + e.name() + "' of batch '" + b.getKey() + "' has no events");
        }
        List<String> missing = channels.stream().filter(c -> e.indexOf(c) < 0).toList();
        if (!missing.isEmpty()) {
          problems.add(
              "control '"
                  + e.name()
                  + "' of batch '"
                  + b.getKey()
                  + "' has no channel(s) "
                  + missing
                  + " (it has "
                  + e.channels()
                  + ")");
        }
      }
    }
    if (params.goal() instanceof Goal.Batch g && !controlsByBatch.containsKey(g.name())) {
      problems.add(
          "goal batch '" + g.name() + "' is not one of the batches " + controlsByBatch.keySet());
    }
    return problems;
  }

  /** R's {@code mean}: the sum over the count, corrected by the mean residual. */
  static double mean(double[] v) {
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    double mean = sum / v.length;
    double residual = 0;
    for (double x : v) {
      residual += x - mean;
    }
    return mean + residual / v.length;
  }

  private static double[] transformedColumn(List<Events> files, String channel, Transform t) {
    int n = files.stream().mapToInt(Events::events).sum();
    double[] out = new double[n];
    int at = 0;
    for (Events e : files) {
      int p = e.channels().size();
      int c = e.indexOf(channel);
      for (int i = c; i < e.values().length; i += p) {
        out[at++] = t.apply(e.values()[i]);
      }
    }
    return out;
  }

  static void throwIfAny(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot fit quantile normalisation: " + String.join("; ", problems));
    }
  }
}
