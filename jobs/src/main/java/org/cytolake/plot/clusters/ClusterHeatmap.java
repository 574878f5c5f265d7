package org.cytolake.plot.clusters;

import java.util.List;
import java.util.Objects;

/**
 * Metacluster × lineage marker medians, each marker's colour scaled between its 1st and 99th
 * percentile over the panel's events ({@link MarkerScale}); rows labelled by the phenotype rules.
 *
 * @param markers the columns, the panel's lineage markers in panel order
 * @param rows one per metacluster, by number
 */
public record ClusterHeatmap(List<MarkerScale> markers, List<Row> rows) {

  /** One metacluster: its phenotype label, events and the median of each marker (NaN: none). */
  public record Row(int metacluster, String label, long size, double[] medians) {
    public Row {
      label = label == null ? "" : label;
      medians = medians.clone();
    }

    /** {@code 3 CD4 T (12,345)}. */
    public String name() {
      return Metaclusters.name(metacluster, label) + String.format(" (%,d)", size);
    }
  }

  public ClusterHeatmap {
    markers = List.copyOf(markers);
    rows = List.copyOf(rows);
    for (Row r : rows) {
      Objects.requireNonNull(r, "row");
      if (r.medians().length != markers.size()) {
        throw new IllegalArgumentException(
            "Cannot build heatmap: metacluster "
                + r.metacluster()
                + " has "
                + r.medians().length
                + " medians for "
                + markers.size()
                + " markers");
      }
    }
  }
}
