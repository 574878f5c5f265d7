package org.cytolake.plot.clusters;

import java.util.Arrays;
import java.util.Locale;

/** The cluster pictures {@code plot-clusters --kind} draws and the report shows. */
public enum PictureKind {
  /** Metacluster × lineage marker medians, scaled per marker ({@link ClusterHeatmap}). */
  HEATMAP,
  /** The minimal spanning tree of the SOM nodes ({@link ClusterTree}). */
  MST,
  /** A UMAP of a stratified subsample of events, faceted by visit ({@link EmbeddedEvents}). */
  EMBEDDING,
  /** Every sample's % per metacluster and visit with the visit's median ({@link VisitAbundance}). */
  ABUNDANCE;

  /** The kind as the command line names it. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The kind named {@code text} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the valid kinds
   */
  public static PictureKind parse(String text) {
    for (PictureKind k : values()) {
      if (k.code().equalsIgnoreCase(text == null ? "" : text.strip())) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "Cannot draw cluster picture '"
            + text
            + "': --kind must be one of "
            + String.join("|", Arrays.stream(values()).map(PictureKind::code).toList()));
  }
}
