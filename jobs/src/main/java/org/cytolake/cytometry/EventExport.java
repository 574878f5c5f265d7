package org.cytolake.cytometry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.fcs.FcsWriter;
import org.cytolake.fcs.Spillover;

/**
 * A sample's stored events turned back into an FCS file a FlowJo user can open ({@code
 * export-fcs}): each events-table column back on its detector's data scale (the inverse of the
 * panel's transform), then, when the file's spillover matrix is known, spilled again (observed =
 * compensated × S) so that the file holds raw values with its {@code $SPILLOVER}, as the
 * instrument wrote them, and FlowJo compensates it as usual; without the matrix the values stay
 * compensated and no spillover is written (FlowJo must not compensate twice). Extra channels
 * (population id, metacluster, QC flag) follow the detectors.
 *
 * @param detectors the {@code $PnN} of each column, in column order
 * @param markers the {@code $PnS} of each column (null for none)
 * @param ranges the {@code $PnR} of each column
 * @param transforms the panel's transform of each column
 * @param spillover the file's spillover matrix, or null when it is not known; a matrix with a
 *     channel that is not among the detectors cannot be re-applied and is taken as unknown
 */
public record EventExport(
    List<String> detectors,
    List<String> markers,
    List<Long> ranges,
    List<Transform> transforms,
    Spillover spillover) {

  /**
   * An extra channel appended after the detectors.
   *
   * @param name its {@code $PnN}
   * @param label its {@code $PnS}
   * @param values one value per event
   */
  public record Extra(String name, String label, int[] values) {}

  public EventExport {
    detectors = List.copyOf(detectors);
    markers = new ArrayList<>(markers); // null entries allowed
    ranges = List.copyOf(ranges);
    transforms = List.copyOf(transforms);
    if (markers.size() != detectors.size()
        || ranges.size() != detectors.size()
        || transforms.size() != detectors.size()) {
      throw new IllegalArgumentException(
          "Cannot export events: "
              + detectors.size()
              + " detectors but "
              + markers.size()
              + " markers, "
              + ranges.size()
              + " ranges and "
              + transforms.size()
              + " transforms");
    }
    markers = java.util.Collections.unmodifiableList(markers);
    if (spillover != null && !detectors.containsAll(spillover.channels())) {
      spillover = null;
    }
  }

  /**
   * The events, row-major, detectors then extras.
   *
   * @param columns {@code events × detectors} stored (transformed, compensated) values, row-major
   * @param events the number of events
   */
  public float[] rows(double[] columns, int events, List<Extra> extras) {
    int c = detectors.size();
    int width = c + extras.size();
    int[] spill = new int[c]; // column -> index in the spillover matrix, -1 when not in it
    for (int j = 0; j < c; j++) {
      spill[j] = spillover == null ? -1 : spillover.channels().indexOf(detectors.get(j));
    }
    float[] out = new float[events * width];
    double[] linear = new double[c];
    for (int e = 0; e < events; e++) {
      for (int j = 0; j < c; j++) {
        linear[j] = transforms.get(j).inverse(columns[e * c + j]);
      }
      for (int j = 0; j < c; j++) {
        double v = linear[j];
        if (spill[j] >= 0) {
          v = 0;
          for (int i = 0; i < c; i++) {
            if (spill[i] >= 0) {
              v += linear[i] * spillover.value(spill[i], spill[j]);
            }
          }
        }
        out[e * width + j] = (float) v;
      }
      for (int x = 0; x < extras.size(); x++) {
        out[e * width + c + x] = extras.get(x).values()[e];
      }
    }
    return out;
  }

  /**
   * The file's layout: FCS 3.1, float32, the detectors with their markers and ranges, then the
   * extras (range one above their largest value), the spillover when known, and {@code keywords}.
   */
  public FcsWriter.Spec spec(List<Extra> extras, Map<String, String> keywords) {
    List<FcsWriter.Channel> channels = new ArrayList<>();
    for (int j = 0; j < detectors.size(); j++) {
      channels.add(FcsWriter.channel(detectors.get(j), markers.get(j), ranges.get(j)));
    }
    for (Extra x : extras) {
      int max = 0;
      for (int v : x.values()) {
        max = Math.max(max, v);
      }
      channels.add(FcsWriter.channel(x.name(), x.label(), max + 1L));
    }
    Map<String, String> k = new LinkedHashMap<>(keywords);
    if (spillover == null) {
      k.put("CYTOLAKE_COMPENSATED", "TRUE");
    }
    FcsWriter.Spec spec = FcsWriter.spec(channels).withKeywords(k);
    return spillover == null ? spec : spec.withSpillover(spillover);
  }

  /** The rows {@code idx} of a row-major table {@code width} values wide. */
  public static double[] pick(double[] rows, int width, int[] idx) {
    double[] out = new double[idx.length * width];
    for (int k = 0; k < idx.length; k++) {
      System.arraycopy(rows, idx[k] * width, out, k * width, width);
    }
    return out;
  }

  /** The values {@code idx} of {@code v}. */
  public static int[] pick(int[] v, int[] idx) {
    int[] out = new int[idx.length];
    for (int k = 0; k < idx.length; k++) {
      out[k] = v[idx[k]];
    }
    return out;
  }
}
