package org.cytolake.plot.clusters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A 2D embedding of a stratified subsample of a panel's events, each with its metacluster and
 * visit.
 *
 * @param x the embedding's first coordinate of each event
 * @param y the second
 * @param metacluster each event's metacluster
 * @param visit each event's visit
 * @param visits the visits, in visit order (one facet each)
 * @param labels metacluster → phenotype label
 * @param samples the samples the events were drawn from
 * @param subsample how they were drawn
 * @param method the embedding, as the axes name it, e.g. {@code UMAP}
 * @param seconds how long the embedding took
 */
public record EmbeddedEvents(
    float[] x,
    float[] y,
    int[] metacluster,
    String[] visit,
    List<String> visits,
    Map<Integer, String> labels,
    int samples,
    StratifiedSubsample subsample,
    String method,
    double seconds) {

  public EmbeddedEvents {
    x = x.clone();
    y = y.clone();
    metacluster = metacluster.clone();
    visit = visit.clone();
    visits = List.copyOf(visits);
    labels = Map.copyOf(labels);
    Objects.requireNonNull(subsample, "subsample");
    Objects.requireNonNull(method, "method");
    if (y.length != x.length || metacluster.length != x.length || visit.length != x.length) {
      throw new IllegalArgumentException(
          "Cannot draw the embedding: "
              + x.length
              + " x, "
              + y.length
              + " y, "
              + metacluster.length
              + " metaclusters and "
              + visit.length
              + " visits");
    }
  }

  /**
   * Embeds {@code values} (one row per event, the lineage markers) with {@code embedding}.
   *
   * @param visitOrder every visit in order; the facets are those with events, in this order
   */
  public static EmbeddedEvents of(
      float[][] values,
      int[] metacluster,
      String[] visit,
      List<String> visitOrder,
      Map<Integer, String> labels,
      int samples,
      StratifiedSubsample subsample,
      Embedding embedding) {
    long start = System.nanoTime();
    float[][] xy = embedding.fit(values);
    double seconds = (System.nanoTime() - start) / 1e9;
    float[] x = new float[xy.length];
    float[] y = new float[xy.length];
    for (int i = 0; i < xy.length; i++) {
      x[i] = xy[i][0];
      y[i] = xy[i][1];
    }
    List<String> present = new ArrayList<>();
    List<String> seen = List.of(visit);
    for (String v : visitOrder) {
      if (seen.contains(v)) {
        present.add(v);
      }
    }
    for (String v : seen) {
      if (!present.contains(v)) {
        present.add(v);
      }
    }
    return new EmbeddedEvents(
        x, y, metacluster, visit, present, labels, samples, subsample, "UMAP", seconds);
  }
}
