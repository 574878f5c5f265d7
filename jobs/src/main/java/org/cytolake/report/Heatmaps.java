package org.cytolake.report;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.report.ReportModel.Heatmap;
import org.cytolake.report.ReportModel.HeatmapRow;

/**
 * The report's metacluster × marker heatmaps from the {@code clusters} table. Columns are the
 * panel's lineage markers ({@code lineage: true} in conf/panels.yaml, the markers clustering
 * uses), in panel order and named by marker: scatter, Time, event length, DNA or viability
 * channels are left out unless the panel marks them lineage. A panel that conf/panels.yaml no
 * longer has keeps every median the table holds.
 */
public final class Heatmaps {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private Heatmaps() {}

  /**
   * One metacluster as the {@code clusters} table holds it.
   *
   * @param medians column → median, every column of the panel's events table
   */
  public record ClusterMedians(
      String panel,
      String algorithm,
      int metacluster,
      String label,
      long size,
      Map<String, Double> medians) {
    public ClusterMedians {
      Objects.requireNonNull(panel, "panel");
      Objects.requireNonNull(algorithm, "algorithm");
      medians = Map.copyOf(medians);
    }

    /**
     * The medians of {@code clusters.marker_medians}, a JSON object column → median (NaN, or
     * any value that is not a number, read as NaN); null reads as none.
     *
     * @throws IOException when the text is not JSON
     */
    public static Map<String, Double> parseMedians(String json) throws IOException {
      Map<String, Double> m = new LinkedHashMap<>();
      JsonNode node = json == null ? JSON.createObjectNode() : JSON.readTree(json);
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        m.put(e.getKey(), e.getValue().isNumber() ? e.getValue().doubleValue() : Double.NaN);
      }
      return m;
    }
  }

  /**
   * One heatmap per panel and algorithm (panels in order, flowsom first, then by name), rows by
   * metacluster.
   */
  public static List<Heatmap> of(List<ClusterMedians> clusters, Map<String, PanelConfig> panels) {
    return of(clusters, panels, Map.of());
  }

  /**
   * The same, each marker coloured between its percentiles of {@code scales} (panel → column →
   * {1st, 99th percentile} over the panel's events); a marker without them between the lowest and
   * highest median of the rows.
   */
  public static List<Heatmap> of(
      List<ClusterMedians> clusters,
      Map<String, PanelConfig> panels,
      Map<String, Map<String, double[]>> scales) {
    Map<List<String>, List<ClusterMedians>> groups =
        new TreeMap<>(
            Comparator.comparing((List<String> k) -> k.get(0))
                .thenComparing(k -> !k.get(1).equals("flowsom"))
                .thenComparing(k -> k.get(1)));
    for (ClusterMedians c : clusters) {
      groups.computeIfAbsent(List.of(c.panel(), c.algorithm()), k -> new ArrayList<>()).add(c);
    }
    List<Heatmap> maps = new ArrayList<>();
    for (Map.Entry<List<String>, List<ClusterMedians>> g : groups.entrySet()) {
      List<ClusterMedians> rows = new ArrayList<>(g.getValue());
      rows.sort(Comparator.comparingInt(ClusterMedians::metacluster));
      Set<String> present = new LinkedHashSet<>();
      rows.forEach(r -> present.addAll(new TreeMap<>(r.medians()).keySet()));
      List<String> columns = new ArrayList<>();
      List<String> names = new ArrayList<>();
      PanelConfig panel = panels.get(g.getKey().get(0));
      if (panel == null) {
        columns.addAll(present);
        names.addAll(present);
      } else {
        for (ChannelConfig ch : panel.channels()) {
          if (ch.lineage() && present.contains(ch.column())) {
            columns.add(ch.column());
            names.add(ch.marker() != null ? ch.marker() : ch.column());
          }
        }
      }
      List<HeatmapRow> out = new ArrayList<>();
      for (ClusterMedians r : rows) {
        out.add(
            new HeatmapRow(
                r.metacluster(),
                r.label() == null ? "" : r.label(),
                r.size(),
                columns.stream().map(c -> r.medians().getOrDefault(c, Double.NaN)).toList()));
      }
      Map<String, double[]> bounds = scales.getOrDefault(g.getKey().get(0), Map.of());
      double[] none = {Double.NaN, Double.NaN};
      maps.add(
          new Heatmap(
              g.getKey().get(0),
              g.getKey().get(1),
              names,
              out,
              columns.stream().map(c -> bounds.getOrDefault(c, none)[0]).toList(),
              columns.stream().map(c -> bounds.getOrDefault(c, none)[1]).toList()));
    }
    return maps;
  }
}
