package org.cytolake.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.lake.Lake;
import org.cytolake.plot.clusters.ClusterHeatmap;
import org.cytolake.plot.clusters.ClusterTree;
import org.cytolake.plot.clusters.MarkerScale;
import org.cytolake.plot.clusters.NodeCodes;
import org.cytolake.plot.clusters.PictureText;
import org.cytolake.plot.clusters.VisitAbundance;
import org.cytolake.report.Heatmaps.ClusterMedians;

/**
 * The Spark reads behind the cluster pictures ({@link ClusterPlotJob}, {@link ClusterPicturePages}):
 * each reads one panel and algorithm of the cluster tables and sends the driver only what a picture
 * draws: the metaclusters' medians, the nodes' code vectors and counts, a stratified subsample of
 * events, the samples' abundances. No table is collected whole.
 */
final class ClusterPictureFrames {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClusterPictureFrames() {}

  /** The panel as titles name it: {@code P1 (TREG)}. */
  static String panelTitle(PanelConfig panel) {
    return panel.code() + (panel.name() == null ? "" : " (" + panel.name() + ")");
  }

  /** The words of a panel's pictures. */
  static PictureText text(
      PanelConfig panel, String algorithm, List<MarkerScale> scales, boolean cleanOnly) {
    return new PictureText(
        panelTitle(panel),
        algorithm,
        "population: all clustered events of " + panel.code() + (cleanOnly ? " (qc_flag = 0)" : ""),
        PictureText.transformOf(scales));
  }

  /** One table's rows of a panel and algorithm. */
  static Dataset<Row> rows(
      SparkSession spark, Lake lake, String table, String panel, String algorithm) {
    return lake.read(spark, table)
        .where(
            functions
                .col("panel")
                .equalTo(panel)
                .and(functions.col("algorithm").equalTo(algorithm)));
  }

  /** Whether the lake holds a clustering of this panel and algorithm ({@code clusters} rows). */
  static boolean clustered(SparkSession spark, Lake lake, String panel, String algorithm) {
    return lake.exists(spark, "clusters")
        && !rows(spark, lake, "clusters", panel, algorithm).isEmpty();
  }

  /**
   * Events of a panel the percentiles of {@link #scales} are taken on, at most about: a seeded
   * sample of them when the panel has more, as the gating QC's axes ({@link
   * GatingQcPages#RANGE_SAMPLE}). The 1st percentile of 200,000 events has a sampling rank error
   * of about 0.0002; all 5.2 million events of a panel took 41 s.
   */
  static final long SCALE_SAMPLE = 200_000;

  /**
   * The 1st and 99th percentile of each lineage marker over the panel's events (those clustering
   * reads: {@link QcEvents}; a seeded sample of about {@value #SCALE_SAMPLE} of them when there are
   * more), exact on that sample ({@link PlotFrames#quantiles(Dataset, List, double[])}).
   */
  static List<MarkerScale> scales(
      SparkSession spark, Lake lake, PanelConfig panel, boolean cleanOnly) {
    List<ChannelConfig> lineage = panel.channels().stream().filter(ChannelConfig::lineage).toList();
    String[] cols = lineage.stream().map(ChannelConfig::column).toArray(String[]::new);
    double[][] q =
        PlotFrames.quantiles(
            PlotFrames.rangeSample(
                spark,
                lake,
                panel.code(),
                QcEvents.read(spark, lake, panel, cleanOnly),
                SCALE_SAMPLE),
            List.of(cols),
            new double[] {MarkerScale.LOW, MarkerScale.HIGH});
    List<MarkerScale> out = new ArrayList<>();
    for (int i = 0; i < lineage.size(); i++) {
      ChannelConfig c = lineage.get(i);
      boolean none = q[i].length < 2;
      out.add(
          new MarkerScale(
              c.column(),
              c.marker(),
              c.transform().spec(),
              none ? Double.NaN : q[i][0],
              none ? Double.NaN : q[i][1]));
    }
    return out;
  }

  /** The panel's lineage markers without percentiles (for pictures that draw no scale). */
  static List<MarkerScale> lineage(PanelConfig panel) {
    return panel.channels().stream()
        .filter(ChannelConfig::lineage)
        .map(
            c ->
                new MarkerScale(
                    c.column(), c.marker(), c.transform().spec(), Double.NaN, Double.NaN))
        .toList();
  }

  /** Metacluster → phenotype label, from {@code clusters}. */
  static Map<Integer, String> labels(
      SparkSession spark, Lake lake, String panel, String algorithm) {
    Map<Integer, String> m = new TreeMap<>();
    for (Row r :
        rows(spark, lake, "clusters", panel, algorithm)
            .select("metacluster", "label")
            .collectAsList()) {
      m.put(r.getInt(0), r.isNullAt(1) ? "" : r.getString(1));
    }
    return m;
  }

  /** The heatmap: {@code clusters}' medians of the lineage markers of {@code scales}. */
  static ClusterHeatmap heatmap(
      SparkSession spark, Lake lake, String panel, String algorithm, List<MarkerScale> scales)
      throws IOException {
    List<ClusterHeatmap.Row> out = new ArrayList<>();
    for (Row r :
        rows(spark, lake, "clusters", panel, algorithm)
            .select("metacluster", "label", "size", "marker_medians")
            .orderBy("metacluster")
            .collectAsList()) {
      Map<String, Double> medians =
          ClusterMedians.parseMedians(r.isNullAt(3) ? null : r.getString(3));
      double[] v = new double[scales.size()];
      for (int c = 0; c < v.length; c++) {
        v[c] = medians.getOrDefault(scales.get(c).column(), Double.NaN);
      }
      out.add(
          new ClusterHeatmap.Row(
              r.getInt(0), r.isNullAt(1) ? "" : r.getString(1), r.getLong(2), v));
    }
    return new ClusterHeatmap(scales, out);
  }

  /**
   * The tree: {@code cluster_model}'s code vectors over the lineage columns (panel order; the
   * codebook's own order for columns the panel no longer marks), node counts of {@code
   * cluster_events}.
   */
  static ClusterTree tree(
      SparkSession spark, Lake lake, PanelConfig panel, String algorithm, long seed)
      throws IOException {
    NodeCodes nodes =
        NodeCodes.of(
            "panel " + panel.code() + ", " + algorithm,
            panel.channels().stream().map(ChannelConfig::column).toList(),
            rows(spark, lake, "cluster_model", panel.code(), algorithm)
                .select("node", "metacluster", "codebook")
                .orderBy("node")
                .collectAsList()
                .stream()
                .map(r -> new NodeCodes.NodeRow(r.getInt(0), r.getInt(1), r.getString(2)))
                .toList());
    int n = nodes.codes().length;
    long[] events = new long[n];
    for (Row r :
        rows(spark, lake, "cluster_events", panel.code(), algorithm)
            .groupBy("node")
            .count()
            .collectAsList()) {
      int node = r.getInt(0);
      if (node >= 0 && node < n) {
        events[node] = r.getLong(1);
      }
    }
    return ClusterTree.of(
        nodes.codes(),
        nodes.metaclusters(),
        events,
        labels(spark, lake, panel.code(), algorithm),
        seed);
  }

  /** Every sample's {@code pct_of_sample} per metacluster with the sample's visit. */
  static VisitAbundance abundance(
      SparkSession spark, Lake lake, String panel, String algorithm, List<String> visitOrder) {
    List<VisitAbundance.SampleShare> shares = new ArrayList<>();
    for (Row r :
        rows(spark, lake, "cluster_abundance", panel, algorithm)
            .select("sample_id", "metacluster", "pct_of_sample")
            .join(PatientSamples.read(spark, lake).select("sample_id", "visit"), "sample_id")
            .select("sample_id", "visit", "metacluster", "pct_of_sample")
            .collectAsList()) {
      shares.add(
          new VisitAbundance.SampleShare(
              r.getString(0), r.getString(1), r.getInt(2), r.getDouble(3)));
    }
    return VisitAbundance.of(shares, visitOrder, labels(spark, lake, panel, algorithm));
  }
}
