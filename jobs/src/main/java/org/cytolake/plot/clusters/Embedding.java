package org.cytolake.plot.clusters;

import tagbio.umap.Umap;

/**
 * A 2D UMAP embedding of events (rows) on their lineage-marker values (columns), with Tag.bio's Java
 * port of umap-learn (McInnes, Healy and Melville 2018): Euclidean metric, {@value
 * #NEIGHBOURS_DEFAULT} nearest neighbours and a minimum distance of {@value #MIN_DIST_DEFAULT}
 * (umap-learn's and CATALYST's {@code runDR} defaults), one thread and a fixed seed, so the same
 * events and seed give the same picture. The optimisation runs umap-learn's number of epochs (500
 * up to 10,000 events, 200 above) unless {@code epochs} sets it: the optimisation is most of
 * UMAP's time, and 200 epochs instead of 500 kept the picture's neighbourhoods on real data
 * (BENCHMARKS.md, "UMAP of the cluster pictures") at 2.4× the speed.
 *
 * @param neighbours nearest neighbours of UMAP's graph, at least 2
 * @param minDist the least distance of two points in the embedding
 * @param seed UMAP's random seed
 * @param epochs optimisation epochs; 0 for umap-learn's rule
 */
public record Embedding(int neighbours, float minDist, long seed, int epochs) {

  /** UMAP's nearest neighbours by default. */
  public static final int NEIGHBOURS_DEFAULT = 15;

  /** UMAP's minimum distance by default. */
  public static final float MIN_DIST_DEFAULT = 0.1f;

  public Embedding {
    if (neighbours < 2) {
      throw new IllegalArgumentException(
          "Cannot embed events: UMAP needs at least 2 neighbours, got " + neighbours);
    }
    if (epochs < 0) {
      throw new IllegalArgumentException(
          "Cannot embed events: UMAP's epochs must be 0 (umap-learn's rule) or more, got "
              + epochs);
    }
  }

  /** UMAP's defaults with {@code seed}. */
  public static Embedding withSeed(long seed) {
    return new Embedding(NEIGHBOURS_DEFAULT, MIN_DIST_DEFAULT, seed, 0);
  }

  /** This embedding with {@code epochs} optimisation epochs (0: umap-learn's rule). */
  public Embedding withEpochs(int epochs) {
    return new Embedding(neighbours, minDist, seed, epochs);
  }

  /**
   * The 2D coordinates of each row of {@code values}: {@code [row][0]} and {@code [row][1]}.
   *
   * @throws IllegalArgumentException when there are no more rows than neighbours, rows differ in
   *     length or a value is not finite (naming row, column and value)
   */
  public float[][] fit(float[][] values) {
    int n = values.length;
    if (n <= neighbours) {
      throw new IllegalArgumentException(
          "Cannot embed "
              + n
              + " events: UMAP with "
              + neighbours
              + " neighbours needs more events than that");
    }
    int d = values[0].length;
    for (int i = 0; i < n; i++) {
      if (values[i].length != d) {
        throw new IllegalArgumentException(
            "Cannot embed events: row "
                + i
                + " has "
                + values[i].length
                + " values, row 0 has "
                + d);
      }
      for (int c = 0; c < d; c++) {
        if (!Float.isFinite(values[i][c])) {
          throw new IllegalArgumentException(
              "Cannot embed events: row " + i + " has value " + values[i][c] + " in column " + c);
        }
      }
    }
    Umap umap = new Umap();
    umap.setNumberComponents(2);
    umap.setNumberNearestNeighbours(neighbours);
    umap.setMinDist(minDist);
    umap.setMetric("euclidean");
    umap.setSeed(seed);
    umap.setThreads(1);
    umap.setVerbose(false);
    if (epochs > 0) {
      umap.setNumberEpochs(epochs);
    }
    return umap.fitTransform(values);
  }
}
