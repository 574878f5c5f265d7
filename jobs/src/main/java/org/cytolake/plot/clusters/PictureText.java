package org.cytolake.plot.clusters;

import java.util.List;
import java.util.Objects;

/**
 * What every cluster picture names: panel, algorithm, the events clustered (the population) and
 * the transform their values are in.
 *
 * @param panel the panel as titles name it, e.g. {@code P1 (TREG)}
 * @param algorithm the clustering algorithm, e.g. {@code flowsom}
 * @param population the events clustered, e.g. {@code all events of P1 (qc_flag = 0)}
 * @param transform the lineage markers' transform, e.g. {@code asinh:cofactor=150}
 */
public record PictureText(String panel, String algorithm, String population, String transform) {
  public PictureText {
    Objects.requireNonNull(panel, "panel");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(population, "population");
    Objects.requireNonNull(transform, "transform");
  }

  /** {@code P1 (TREG), flowsom: WHAT}. */
  public String title(String what) {
    return panel + ", " + algorithm + ": " + what;
  }

  /**
   * The transform of a panel's lineage markers: their one spec when they share it, else each
   * distinct spec (in order) joined by " / ".
   */
  public static String transformOf(List<MarkerScale> markers) {
    List<String> specs = markers.stream().map(MarkerScale::transform).distinct().toList();
    return specs.isEmpty() ? "none" : String.join(" / ", specs);
  }
}
