package org.cytolake.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cytolake.report.Heatmaps.ClusterMedians;
import org.cytolake.report.ReportModel.Heatmap;
import org.junit.jupiter.api.Test;

/** The report's heatmap colours each marker between its 1st and 99th percentile when given. */
class HeatmapScaleTest {

  /** The fill colours of the cells, in row then column order. */
  static List<String> cellFills(String svg) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("class=\"cell\"[^>]*fill=\"([^\"]+)\"").matcher(svg);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void mediansAreScaledBetweenThePanelsPercentilesAndClamped() {
    List<ClusterMedians> clusters =
        List.of(
            new ClusterMedians("P9", "flowsom", 0, "a", 10, Map.of("cd3", 1.0)),
            new ClusterMedians("P9", "flowsom", 1, "b", 10, Map.of("cd3", 2.0)),
            new ClusterMedians("P9", "flowsom", 2, "c", 10, Map.of("cd3", 9.0)));
    // without percentiles: 1 is the lowest colour, 9 the highest, 2 one eighth up
    Heatmap byRows = Heatmaps.of(clusters, Map.of()).get(0);
    List<String> plain = cellFills(Charts.heatmap(byRows));
    assertEquals(List.of(Charts.colour(0), Charts.colour(1 / 8.0), Charts.colour(1)), plain);
    // with the panel's percentiles 0 and 4: 1 a quarter up, 2 half, 9 clamped to the top
    Heatmap scaled =
        Heatmaps.of(clusters, Map.of(), Map.of("P9", Map.of("cd3", new double[] {0, 4}))).get(0);
    assertEquals(List.of(0.0), scaled.scaleLo());
    List<String> fills = cellFills(Charts.heatmap(scaled));
    assertEquals(List.of(Charts.colour(0.25), Charts.colour(0.5), Charts.colour(1)), fills);
    assertTrue(Charts.heatmap(scaled).contains("1st-99th percentile"));
  }
}
