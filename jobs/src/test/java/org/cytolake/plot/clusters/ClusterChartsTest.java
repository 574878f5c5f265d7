package org.cytolake.plot.clusters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each picture kind drawn from small synthetic data, as PNG and as SVG with its words. */
class ClusterChartsTest {
  @TempDir Path dir;

  static final PictureText TEXT =
      new PictureText(
          "P1 (TREG)", "flowsom", "all events of P1 (qc_flag = 0)", "asinh:cofactor=150");

  static final Map<Integer, String> LABELS = Map.of(0, "CD4 T", 1, "CD8 T", 2, "non-T");

  static List<String> texts(String svg) {
    List<String> out = new ArrayList<>();
    var m = java.util.regex.Pattern.compile("<text[^>]*>([^<]*)</text>").matcher(svg);
    while (m.find()) {
      out.add(m.group(1).replace("&apos;", "'").replace("&amp;", "&"));
    }
    return out;
  }

  void drawsBoth(JFreeChart chart, String name, List<String> words) throws Exception {
    drawsBoth(chart, name, words, 200);
  }

  void drawsBoth(JFreeChart chart, String name, List<String> words, int minColoured)
      throws Exception {
    Path png = dir.resolve(name + ".png");
    Path svg = dir.resolve(name + ".svg");
    ChartImages.write(chart, 800, 600, png);
    ChartImages.write(chart, 800, 600, svg);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(800, img.getWidth());
    long coloured = 0;
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        int r = rgb >> 16;
        int g = rgb >> 8 & 0xff;
        int b = rgb & 0xff;
        coloured += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 40 ? 1 : 0;
      }
    }
    assertTrue(coloured > minColoured, name + ": " + coloured + " coloured pixels");
    String text = Files.readString(svg);
    assertTrue(text.startsWith("<?xml") && text.contains("<svg"), name);
    List<String> shown = texts(text);
    for (String w : words) {
      assertTrue(
          shown.stream().anyMatch(s -> s.contains(w)), name + " shows '" + w + "': " + shown);
    }
  }

  @Test
  void heatmapNamesTheMarkersTransformAndLabels() throws Exception {
    List<MarkerScale> markers =
        List.of(
            new MarkerScale("cd3", "CD3", "asinh:cofactor=150", 0, 4),
            new MarkerScale("cd4", "CD4", "asinh:cofactor=150", 0, 5));
    ClusterHeatmap map =
        new ClusterHeatmap(
            markers,
            List.of(
                new ClusterHeatmap.Row(0, "CD4 T", 1200, new double[] {3.5, 4.5}),
                new ClusterHeatmap.Row(1, "non-T", 300, new double[] {0.2, Double.NaN})));
    drawsBoth(
        ClusterCharts.heatmap(map, TEXT),
        "heatmap",
        List.of(
            "P1 (TREG), flowsom: metacluster × lineage marker medians",
            "lineage marker (median, asinh:cofactor=150)",
            "metacluster, phenotype label (events)",
            "CD3",
            "CD4",
            "0 CD4 T (1,200)",
            "all events of P1"));
  }

  @Test
  void treeNamesItsNodesAndAxes() throws Exception {
    Random r = new Random(1);
    double[][] codes = new double[25][3];
    int[] meta = new int[25];
    long[] events = new long[25];
    for (int i = 0; i < 25; i++) {
      meta[i] = i % 3;
      events[i] = 10 + r.nextInt(1000);
      for (int d = 0; d < 3; d++) {
        codes[i][d] = r.nextGaussian() + (d == meta[i] ? 4 : 0);
      }
    }
    ClusterTree t = ClusterTree.of(codes, meta, events, LABELS, 1);
    drawsBoth(
        ClusterCharts.tree(t, TEXT),
        "mst",
        List.of(
            "minimal spanning tree of the SOM nodes",
            "tree layout x",
            "tree layout y",
            "0 CD4 T",
            "25 nodes",
            "asinh:cofactor=150"));
  }

  @Test
  void embeddingHasAFacetPerVisit() throws Exception {
    int n = 200;
    float[] x = new float[n];
    float[] y = new float[n];
    int[] meta = new int[n];
    String[] visit = new String[n];
    Random r = new Random(2);
    for (int i = 0; i < n; i++) {
      meta[i] = i % 3;
      visit[i] = i % 2 == 0 ? "D1" : "D8";
      x[i] = (float) (r.nextGaussian() + meta[i] * 5);
      y[i] = (float) r.nextGaussian();
    }
    EmbeddedEvents e =
        new EmbeddedEvents(
            x,
            y,
            meta,
            visit,
            List.of("D1", "D8"),
            LABELS,
            4,
            new StratifiedSubsample(50, 1),
            "UMAP",
            0.1);
    drawsBoth(
        ClusterCharts.embedding(e, TEXT),
        "embedding",
        List.of(
            "UMAP of the lineage markers, by visit",
            "UMAP 1 · visit D1 (100 events)",
            "UMAP 1 · visit D8 (100 events)",
            "UMAP 2",
            "at most 50 per sample (seed 1)",
            "2 non-T"));
  }

  @Test
  void abundanceHasAPointPerSampleAndVisit() throws Exception {
    List<VisitAbundance.SampleShare> rows = new ArrayList<>();
    for (int s = 0; s < 6; s++) {
      String v = s < 3 ? "D1" : "D8";
      rows.add(new VisitAbundance.SampleShare("s" + s, v, 0, 20 + s));
      rows.add(new VisitAbundance.SampleShare("s" + s, v, 1, 30 - s));
      rows.add(new VisitAbundance.SampleShare("s" + s, v, 2, 50));
    }
    drawsBoth(
        ClusterCharts.abundance(VisitAbundance.of(rows, List.of("D1", "D8"), LABELS), TEXT),
        "abundance",
        List.of(
            "abundance per metacluster and visit",
            "% of the sample's events in the metacluster (pct_of_sample)",
            "metacluster, phenotype label",
            "visit D1",
            "visit D8",
            "1 CD8 T"),
        60);
  }

  @Test
  void pictureKindsParseByNameAndAnUnknownOneListsThem() {
    assertEquals(PictureKind.MST, PictureKind.parse("MST"));
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> PictureKind.parse("tsne"));
    assertEquals(
        "Cannot draw cluster picture 'tsne': --kind must be one of "
            + "heatmap|mst|embedding|abundance",
        e.getMessage());
  }
}
