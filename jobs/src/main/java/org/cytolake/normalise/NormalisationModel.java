package org.cytolake.normalise;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A version of the lake's normalisation model of one panel (table {@code normalisation_models}):
 * the goal quantiles per column, fixed when the version was made, and each batch's quantiles. A
 * batch's spline maps its quantiles onto the goal (CytoNorm without clustering, {@link
 * MonotoneSpline}); because the goal stays fixed within a version, a batch whose controls arrive
 * later gets its own spline and no earlier batch changes (the nightly run stays incremental). A
 * new version (new goal) is made only when the parameters change or a refit is asked for.
 *
 * @param panel the panel code
 * @param version 1, 2, … per panel
 * @param parameters {@link LakeNormParams#describe()} of the parameters it was made with
 * @param columns the normalised events columns
 * @param probabilities the quantiles' probabilities
 * @param goal per slot ({@link #slot}: per column, and per cluster of a clustered model) the goal
 *     quantiles of control batches, or null for a slot no batch's controls had signal in
 * @param pooledGoal per column the goal of pooled batches (the mean of every batch's pooled
 *     quantiles), or null when batches without a control are not pooled
 * @param batches the batches, by name; their quantiles per slot
 * @param clustering the SOM and node clusters of a clustered model (CytoNorm's per-cluster
 *     models), or null: one cluster
 */
public record NormalisationModel(
    String panel,
    int version,
    String parameters,
    List<String> columns,
    double[] probabilities,
    double[][] goal,
    double[][] pooledGoal,
    Map<String, BatchQuantiles> batches,
    LakeClusters clustering) {

  public NormalisationModel {
    columns = List.copyOf(columns);
    batches = Collections.unmodifiableMap(new TreeMap<>(batches));
  }

  /** The number of clusters: 1 for an unclustered model. */
  public int clusters() {
    return clustering == null ? 1 : clustering.clusters();
  }

  /** The number of slots: columns × clusters. */
  public int slots() {
    return columns.size() * clusters();
  }

  /** The slot of a column (index) in a cluster (0-based): cluster × columns + column. */
  public int slot(int cluster, int column) {
    return cluster * columns.size() + column;
  }

  /** A slot's name: its column, and for a clustered model its cluster (1-based). */
  public String slotName(int slot) {
    String c = columns.get(slot % columns.size());
    return clustering == null ? c : c + " in cluster " + (slot / columns.size() + 1);
  }

  /**
   * A new version: the goal is the mean over the control batches of their quantiles (or the named
   * batch's, or the given ones), per column over the batches with signal in it; the pooled goal likewise over {@code
   * pooledAll} (every batch's pooled patient samples; empty when batches are not pooled).
   *
   * @throws IllegalArgumentException when the goal batch has no control quantiles
   */
  public static NormalisationModel fit(
      String panel,
      int version,
      LakeNormParams params,
      Map<String, BatchQuantiles> controlBatches,
      Map<String, BatchQuantiles> pooledAll,
      LakeClusters clustering) {
    int slots = params.columns().size() * (clustering == null ? 1 : clustering.clusters());
    double[][] goal;
    if (params.goal() instanceof Goal.Batch g) {
      BatchQuantiles b = controlBatches.get(g.name());
      if (b == null) {
        throw new IllegalArgumentException(
            "Cannot make normalisation model of panel "
                + panel
                + ": goal batch '"
                + g.name()
                + "' has no control (batches with one: "
                + new TreeMap<>(controlBatches).keySet()
                + ")");
      }
      goal = b.quantiles();
    } else if (params.goal() instanceof Goal.Given g) {
      goal = new double[slots][];
      int n = params.columns().size();
      for (int cl = 0; cl < slots / n; cl++) {
        System.arraycopy(g.quantiles().goal(params.columns(), cl), 0, goal, cl * n, n);
      }
    } else {
      goal = mean(slots, params.quantiles(), controlBatches);
    }
    double[][] pooled = pooledAll.isEmpty() ? null : mean(slots, params.quantiles(), pooledAll);
    return new NormalisationModel(
        panel,
        version,
        params.describe(),
        params.columns(),
        params.probabilities(),
        goal,
        pooled,
        controlBatches,
        clustering);
  }

  /** Per slot the mean over batches (with signal in it) of their quantiles; null for none. */
  private static double[][] mean(int slots, int n, Map<String, BatchQuantiles> batches) {
    double[][] out = new double[slots][];
    for (int c = 0; c < slots; c++) {
      List<double[]> with = new ArrayList<>();
      for (BatchQuantiles b : new TreeMap<>(batches).values()) {
        if (b.quantiles()[c] != null) {
          with.add(b.quantiles()[c]);
        }
      }
      if (with.isEmpty()) {
        continue;
      }
      out[c] = new double[n];
      for (int k = 0; k < n; k++) {
        double[] v = new double[with.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = with.get(i)[k];
        }
        out[c][k] = QuantileNormaliser.mean(v);
      }
    }
    return out;
  }

  /** This version with {@code b} added (or replacing the batch of its name). */
  public NormalisationModel withBatch(BatchQuantiles b) {
    Map<String, BatchQuantiles> m = new LinkedHashMap<>(batches);
    m.put(b.batch(), b);
    return new NormalisationModel(
        panel, version, parameters, columns, probabilities, goal, pooledGoal, m, clustering);
  }

  /** This version without a batch. */
  public NormalisationModel withoutBatch(String batch) {
    Map<String, BatchQuantiles> m = new LinkedHashMap<>(batches);
    m.remove(batch);
    return new NormalisationModel(
        panel, version, parameters, columns, probabilities, goal, pooledGoal, m, clustering);
  }

  /** The goal a batch of this source is mapped onto, per column (entries may be null). */
  public double[][] goalOf(BatchQuantiles.Source source) {
    return source == BatchQuantiles.Source.POOLED ? pooledGoal : goal;
  }

  /**
   * Per slot the (batch quantiles, goal quantiles) pair of a batch's spline, or null for a slot it
   * leaves as it is (no signal in its reference, too few reference events in the cluster, or no
   * goal for the slot).
   */
  public double[][][] knots(String batch) {
    BatchQuantiles b = batches.get(batch);
    if (b == null) {
      throw new IllegalArgumentException(
          "Cannot normalise batch '"
              + batch
              + "' of panel "
              + panel
              + ": model version "
              + version
              + " has no such batch (batches: "
              + batches.keySet()
              + ")");
    }
    double[][] g = goalOf(b.source());
    double[][][] out = new double[slots()][][];
    for (int c = 0; c < out.length; c++) {
      if (b.quantiles()[c] != null && g != null && g[c] != null) {
        out[c] = new double[][] {b.quantiles()[c], g[c]};
      }
    }
    return out;
  }

  /**
   * The columns a batch leaves as they are, in column order; of a clustered model the columns it
   * leaves in every cluster, then "column in cluster k" for the others it leaves in some.
   */
  public List<String> unnormalised(String batch) {
    double[][][] k = knots(batch);
    List<String> out = new ArrayList<>();
    List<String> some = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) {
      int left = 0;
      for (int cl = 0; cl < clusters(); cl++) {
        left += k[slot(cl, c)] == null ? 1 : 0;
      }
      if (left == clusters()) {
        out.add(columns.get(c));
        continue;
      }
      for (int cl = 0; cl < clusters() && left > 0; cl++) {
        if (k[slot(cl, c)] == null) {
          some.add(slotName(slot(cl, c)));
        }
      }
    }
    out.addAll(some);
    return out;
  }

  /**
   * What a sample of the batch was normalised with: a digest of the version, the parameters and
   * the batch's knots. A sample whose stored key equals this one is up to date.
   */
  public String key(String batch) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(
          (panel + "\n" + version + "\n" + parameters + "\n" + batch + "\n")
              .getBytes(StandardCharsets.UTF_8));
      for (double[][] k : knots(batch)) {
        if (k == null) {
          md.update((byte) 0);
          continue;
        }
        ByteBuffer buf = ByteBuffer.allocate(8 * (k[0].length + k[1].length));
        for (double[] a : k) {
          for (double v : a) {
            buf.putDouble(v);
          }
        }
        md.update(buf.array());
      }
      if (clustering != null) {
        ByteBuffer buf = ByteBuffer.allocate(8 * clustering.som().codebook().length);
        for (double v : clustering.som().codebook()) {
          buf.putDouble(v);
        }
        md.update(buf.array());
        for (int c : clustering.nodeToCluster()) {
          md.update((byte) c);
        }
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
