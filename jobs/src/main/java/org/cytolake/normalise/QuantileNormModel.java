package org.cytolake.normalise;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cytolake.cytometry.transform.Transform;

/**
 * The fitted state of a {@link QuantileNormaliser}: per batch and channel the quantiles of the
 * training controls and the spline onto the goal quantiles. Immutable; {@link #apply} normalises
 * the events of one file of a trained batch: each listed channel's value is transformed, mapped
 * through the batch's spline and transformed back; every other channel is copied.
 */
public final class QuantileNormModel {
  private final QuantileNormParams params;
  private final Map<String, double[][]> quantiles;
  private final double[][] goal;
  private final Map<String, MonotoneSpline[]> splines;

  QuantileNormModel(
      QuantileNormParams params,
      Map<String, double[][]> quantiles,
      double[][] goal,
      Map<String, MonotoneSpline[]> splines) {
    this.params = params;
    this.quantiles = Collections.unmodifiableMap(new LinkedHashMap<>(quantiles));
    this.goal = goal;
    this.splines = Collections.unmodifiableMap(new LinkedHashMap<>(splines));
  }

  public QuantileNormParams params() {
    return params;
  }

  /** The trained batches, in the order they were given to {@link QuantileNormaliser#fit}. */
  public Set<String> batches() {
    return splines.keySet();
  }

  /** The quantiles of a batch's controls for a channel, on the transformed scale (a copy). */
  public double[] quantiles(String batch, String channel) {
    return quantiles.get(requireBatch(batch, "batch"))[channelIndex(channel)].clone();
  }

  /** The goal quantiles of a channel, on the transformed scale (a copy). */
  public double[] goalQuantiles(String channel) {
    return goal[channelIndex(channel)].clone();
  }

  /** The spline of a batch and channel (transformed scale onto transformed scale). */
  public MonotoneSpline spline(String batch, String channel) {
    return splines.get(requireBatch(batch, "batch"))[channelIndex(channel)];
  }

  /**
   * The events of a file of {@code batch}, normalised: a new {@link Events} with the same channels;
   * the input is not changed.
   *
   * @throws IllegalArgumentException when the batch was not trained or the file lacks a channel
   */
  public Events apply(String batch, Events events) {
    requireBatch(batch, "file '" + events.name() + "' of batch");
    List<String> channels = params.channels();
    requireChannels(channels, events, batch);
    MonotoneSpline[] s = splines.get(batch);
    Transform t = params.transform();
    double[] v = Arrays.copyOf(events.values(), events.values().length);
    int p = events.channels().size();
    for (int c = 0; c < channels.size(); c++) {
      int col = events.indexOf(channels.get(c));
      for (int i = col; i < v.length; i += p) {
        v[i] = t.inverse(s[c].value(t.apply(v[i])));
      }
    }
    return new Events(events.name(), events.channels(), v);
  }

  private String requireBatch(String batch, String what) {
    if (!splines.containsKey(batch)) {
      throw untrained(what, batch, splines.keySet());
    }
    return batch;
  }

  /**
   * The error for a batch no control was trained on, shared with {@link
   * ClusteredQuantileNormModel}.
   *
   * @param what what was to be normalised, e.g. {@code batch} or {@code file 'x.fcs' of batch}
   */
  static IllegalArgumentException untrained(String what, String batch, Collection<String> trained) {
    return new IllegalArgumentException(
        "Cannot normalise "
            + what
            + " '"
            + batch
            + "': no control of that batch was trained on (trained batches: "
            + trained
            + ")");
  }

  /**
   * Checks that {@code events} has every channel normalised, shared with {@link
   * ClusteredQuantileNormModel}.
   *
   * @param batch the file's batch, or null when the check is not for one batch
   * @throws IllegalArgumentException naming the file, its batch and the missing channels
   */
  static void requireChannels(List<String> channels, Events events, String batch) {
    List<String> missing = channels.stream().filter(c -> events.indexOf(c) < 0).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot normalise file '"
              + events.name()
              + "'"
              + (batch == null ? "" : " of batch '" + batch + "'")
              + ": it has no channel(s) "
              + missing);
    }
  }

  private int channelIndex(String channel) {
    int i = params.channels().indexOf(channel);
    if (i < 0) {
      throw new IllegalArgumentException(
          "Cannot look up channel '"
              + channel
              + "': it is not normalised (channels: "
              + params.channels()
              + ")");
    }
    return i;
  }
}
