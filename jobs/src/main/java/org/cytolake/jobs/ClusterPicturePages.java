package org.cytolake.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.SparkSession;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.config.Settings;
import org.cytolake.lake.Lake;
import org.cytolake.plot.clusters.ChartImages;
import org.cytolake.plot.clusters.ClusterCharts;
import org.cytolake.plot.clusters.ClusterHeatmap;
import org.cytolake.plot.clusters.ClusterTree;
import org.cytolake.plot.clusters.EmbeddedEvents;
import org.cytolake.plot.clusters.Embedding;
import org.cytolake.plot.clusters.MarkerScale;
import org.cytolake.plot.clusters.PictureKind;
import org.cytolake.plot.clusters.PictureText;
import org.cytolake.plot.clusters.StratifiedSubsample;
import org.cytolake.plot.clusters.VisitAbundance;
import org.cytolake.report.ClusterPictures;
import org.jfree.chart.JFreeChart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report's cluster pictures: for each panel with a {@value ClusterPlotJob#ALGORITHM_DEFAULT}
 * clustering, the four pictures of {@code plot-clusters} (same reads, same charts) as inline SVG
 * elements. The embedding draws {@code report.embedding-per-sample} events per sample with seed 1.
 */
final class ClusterPicturePages {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterPicturePages.class);

  /** The seed of the report's subsample, embedding and tree layout. */
  static final long SEED = 1;

  private ClusterPicturePages() {}

  /**
   * The 1st and 99th percentile of each lineage marker over the events of each panel with clusters
   * (any algorithm), by panel in conf order.
   */
  static Map<String, List<MarkerScale>> scales(
      SparkSession spark, Lake lake, CytolakeConfig config) {
    Map<String, List<MarkerScale>> out = new LinkedHashMap<>();
    if (!lake.exists(spark, "clusters")) {
      return out;
    }
    List<String> clustered =
        lake.read(spark, "clusters").select("panel").distinct().collectAsList().stream()
            .map(r -> r.getString(0))
            .toList();
    boolean cleanOnly = QcEvents.cleanOnly(config.settings());
    for (PanelConfig panel : config.panels().values()) {
      if (clustered.contains(panel.code()) && lake.exists(spark, panel.eventsTable())) {
        out.put(panel.code(), ClusterPictureFrames.scales(spark, lake, panel, cleanOnly));
      }
    }
    return out;
  }

  /** {@link #scales} as the report's heatmaps take them: panel → column → {1st, 99th}. */
  static Map<String, Map<String, double[]>> bounds(Map<String, List<MarkerScale>> scales) {
    Map<String, Map<String, double[]>> out = new LinkedHashMap<>();
    scales.forEach(
        (panel, list) -> {
          Map<String, double[]> m = new LinkedHashMap<>();
          list.forEach(s -> m.put(s.column(), new double[] {s.lo(), s.hi()}));
          out.put(panel, m);
        });
    return out;
  }

  /**
   * The pictures of every panel of {@code scales} with a flowsom clustering, in the order of {@code
   * scales}. Panels are drawn concurrently, one thread each up to the driver's cores: a panel's
   * UMAP runs on one driver thread (its picture must not depend on the threads) while another
   * panel's Spark jobs run; each panel's pictures are the same as drawn alone.
   */
  static List<ClusterPictures> of(
      SparkSession spark, Lake lake, CytolakeConfig config, Map<String, List<MarkerScale>> scales)
      throws IOException {
    String algorithm = ClusterPlotJob.ALGORITHM_DEFAULT;
    List<Map.Entry<String, List<MarkerScale>>> panels = new ArrayList<>();
    for (Map.Entry<String, List<MarkerScale>> e : scales.entrySet()) {
      if (ClusterPictureFrames.clustered(spark, lake, e.getKey(), algorithm)) {
        panels.add(e);
      }
    }
    if (panels.isEmpty()) {
      return List.of();
    }
    int threads = Math.min(panels.size(), Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<ClusterPictures>> futures = new ArrayList<>();
      for (Map.Entry<String, List<MarkerScale>> e : panels) {
        futures.add(
            pool.submit(
                () ->
                    panel(spark, lake, config, config.panel(e.getKey()), e.getValue(), algorithm)));
      }
      List<ClusterPictures> out = new ArrayList<>();
      for (Future<ClusterPictures> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while drawing the cluster pictures", x);
    } catch (ExecutionException x) {
      if (x.getCause() instanceof IOException io) {
        throw io;
      }
      if (x.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException("Cannot draw the cluster pictures: " + x.getCause(), x.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** The four pictures of one panel. */
  private static ClusterPictures panel(
      SparkSession spark,
      Lake lake,
      CytolakeConfig config,
      PanelConfig panel,
      List<MarkerScale> lineage,
      String algorithm)
      throws IOException {
    long perSampleSetting = config.settings().getLong(Settings.REPORT_EMBEDDING_PER_SAMPLE);
    long maxEvents = config.settings().getLong(Settings.REPORT_EMBEDDING_MAX_EVENTS);
    int epochs =
        (int)
            Math.min(
                Integer.MAX_VALUE, config.settings().getLong(Settings.REPORT_EMBEDDING_EPOCHS));
    boolean cleanOnly = QcEvents.cleanOnly(config.settings());
    List<String> visitOrder = config.visits().codes();
    PictureText text = ClusterPictureFrames.text(panel, algorithm, lineage, cleanOnly);
    List<ClusterPictures.Figure> figures = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    String id = "cp-" + panel.code().toLowerCase(Locale.ROOT) + "-";

    ClusterHeatmap h = ClusterPictureFrames.heatmap(spark, lake, panel.code(), algorithm, lineage);
    figures.add(
        figure(
            PictureKind.HEATMAP,
            ClusterCharts.heatmap(h, text),
            ClusterCharts.size(PictureKind.HEATMAP, h.rows().size(), lineage.size()),
            id,
            "Metacluster × lineage marker medians; each marker scaled between its 1st and 99th "
                + "percentile over the panel's events"));

    ClusterTree t = ClusterPictureFrames.tree(spark, lake, panel, algorithm, SEED);
    figures.add(
        figure(
            PictureKind.MST,
            ClusterCharts.tree(t, text),
            ClusterCharts.size(PictureKind.MST, 0, 0),
            id,
            String.format(
                Locale.ROOT,
                "Minimal spanning tree of the %d SOM nodes; node size by events, colour by "
                    + "metacluster",
                t.tree().nodes())));

    int perSample =
        embeddingPerSample(
            perSampleSetting,
            maxEvents,
            ClusterPictureFrames.rows(spark, lake, "cluster_abundance", panel.code(), algorithm)
                .select("sample_id")
                .distinct()
                .count());
    try {
      EmbeddedEvents em =
          ClusterEmbeddingFrames.embedding(
              spark,
              lake,
              panel,
              algorithm,
              lineage,
              new StratifiedSubsample(perSample, SEED),
              visitOrder,
              Embedding.withSeed(SEED).withEpochs(epochs));
      LOG.info(
          "report: {} UMAP of {} events in {} s",
          panel.code(),
          em.x().length,
          String.format(Locale.ROOT, "%.1f", em.seconds()));
      figures.add(
          figure(
              PictureKind.EMBEDDING,
              ClusterCharts.embedding(em, text),
              ClusterCharts.size(PictureKind.EMBEDDING, 0, em.visits().size()),
              id,
              String.format(
                  Locale.ROOT,
                  "UMAP of %,d events (at most %,d per sample), by visit, coloured by "
                      + "metacluster",
                  em.x().length,
                  perSample)));
    } catch (IllegalArgumentException x) {
      notes.add("Embedding not drawn: " + x.getMessage());
    }

    VisitAbundance a =
        ClusterPictureFrames.abundance(spark, lake, panel.code(), algorithm, visitOrder);
    figures.add(
        figure(
            PictureKind.ABUNDANCE,
            ClusterCharts.abundance(a, text),
            ClusterCharts.size(PictureKind.ABUNDANCE, a.metaclusters().size(), a.visits().size()),
            id,
            "Each sample's % of its events per metacluster and visit; bar: the visit's median"));
    return new ClusterPictures(panel.code(), algorithm, figures, notes);
  }

  /**
   * Events per sample of a panel's UMAP: {@code perSample}, or fewer so that {@code samples} of
   * them stay within {@code maxEvents}, but at least 1.
   */
  static int embeddingPerSample(long perSample, long maxEvents, long samples) {
    long cap = samples == 0 ? perSample : Math.max(1, maxEvents / samples);
    return (int) Math.min(perSample, cap);
  }

  private static ClusterPictures.Figure figure(
      PictureKind kind, JFreeChart chart, int[] size, String id, String caption) {
    return new ClusterPictures.Figure(
        kind.code(),
        caption,
        ChartImages.svgElement(chart, size[0], size[1], id + kind.code() + "-"));
  }
}
