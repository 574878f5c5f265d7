package org.cytolake.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.PanelConfig;
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
import org.jfree.chart.JFreeChart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cytolake plot-clusters}: one cluster picture of one panel's clustering, as FlowSOM and
 * CATALYST users read them, to PNG or SVG. The pictures and their rules are pure cores in {@code
 * org.cytolake.plot.clusters}; the reads are {@link ClusterPictureFrames}.
 *
 * <ol>
 *   <li>Resolve panel, algorithm and kind against conf/ and the lake.
 *   <li>Read what the kind draws: the percentiles of the lineage markers and {@code clusters}
 *       (heatmap), {@code cluster_model} and the node counts of {@code cluster_events} (mst), a
 *       stratified subsample of {@code cluster_events} with its {@code events_<panel>} values
 *       (embedding, then UMAP on the driver), {@code cluster_abundance} with the samples' visits
 *       (abundance).
 *   <li>Draw and write the image.
 * </ol>
 */
public final class ClusterPlotJob {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterPlotJob.class);
  private static final int STEPS = 3;

  /** The algorithm drawn by default. */
  public static final String ALGORITHM_DEFAULT = "flowsom";

  private ClusterPlotJob() {}

  /**
   * @param algorithm the clustering algorithm (flowsom, kmeans, bisecting-kmeans)
   * @param perSample events per sample of the embedding
   * @param seed the seed of the subsample, the embedding and the tree's layout
   * @param width image width in pixels, or 0 for the kind's default
   * @param height image height in pixels, or 0 for the kind's default
   */
  public record Options(
      String lake,
      Path conf,
      Path schemas,
      String panel,
      String algorithm,
      PictureKind kind,
      int perSample,
      long seed,
      Path out,
      int width,
      int height) {}

  /**
   * @param items what was drawn: metaclusters (heatmap, abundance), nodes (mst) or events
   *     (embedding)
   * @param embeddingSeconds how long UMAP took (embedding), else 0
   * @param seconds wall time of the job
   */
  public record Result(
      Path out,
      String panel,
      String algorithm,
      PictureKind kind,
      long items,
      double embeddingSeconds,
      double seconds) {}

  /** Draws the picture of {@code o}. */
  public static Result run(SparkSession spark, Options o) throws IOException {
    long start = System.nanoTime();
    step(spark, 1, "resolve panel " + o.panel() + ", " + o.algorithm() + ", " + o.kind().code());
    ChartImages.checkName(o.out());
    StratifiedSubsample subsample = new StratifiedSubsample(o.perSample(), o.seed());
    CytolakeConfig config = CytolakeConfig.load(o.conf());
    PanelConfig panel = config.panel(o.panel());
    Lake lake = Lake.of(o.lake(), o.schemas(), config.settings());
    if (!ClusterPictureFrames.clustered(spark, lake, panel.code(), o.algorithm())) {
      throw new IllegalArgumentException(
          "Cannot draw cluster pictures of panel "
              + panel.code()
              + ", algorithm "
              + o.algorithm()
              + ": the lake '"
              + lake.root()
              + "' has no clusters of them (run cluster"
              + (o.algorithm().equals(ALGORITHM_DEFAULT) ? "" : " --algorithm " + o.algorithm())
              + " first)");
    }
    boolean cleanOnly = QcEvents.cleanOnly(config.settings());

    step(spark, 2, "read " + o.kind().code());
    List<MarkerScale> scales =
        o.kind() == PictureKind.HEATMAP
            ? ClusterPictureFrames.scales(spark, lake, panel, cleanOnly)
            : ClusterPictureFrames.lineage(panel);
    PictureText text = ClusterPictureFrames.text(panel, o.algorithm(), scales, cleanOnly);
    JFreeChart chart;
    long items;
    double umap = 0;
    int rows;
    int columns;
    List<String> visitOrder = config.visits().codes();
    switch (o.kind()) {
      case HEATMAP -> {
        ClusterHeatmap h =
            ClusterPictureFrames.heatmap(spark, lake, panel.code(), o.algorithm(), scales);
        chart = ClusterCharts.heatmap(h, text);
        items = h.rows().size();
        rows = h.rows().size();
        columns = scales.size();
      }
      case MST -> {
        ClusterTree t = ClusterPictureFrames.tree(spark, lake, panel, o.algorithm(), o.seed());
        chart = ClusterCharts.tree(t, text);
        items = t.tree().nodes();
        rows = t.metaclusters().size();
        columns = 0;
      }
      case EMBEDDING -> {
        EmbeddedEvents e =
            ClusterEmbeddingFrames.embedding(
                spark,
                lake,
                panel,
                o.algorithm(),
                scales,
                subsample,
                visitOrder,
                Embedding.withSeed(o.seed()));
        chart = ClusterCharts.embedding(e, text);
        items = e.x().length;
        umap = e.seconds();
        rows = e.labels().size();
        columns = e.visits().size();
      }
      case ABUNDANCE -> {
        VisitAbundance a =
            ClusterPictureFrames.abundance(spark, lake, panel.code(), o.algorithm(), visitOrder);
        chart = ClusterCharts.abundance(a, text);
        items = a.metaclusters().size();
        rows = a.metaclusters().size();
        columns = a.visits().size();
      }
      default -> throw new IllegalStateException(o.kind().toString());
    }

    step(spark, 3, "draw " + o.out());
    int[] size = ClusterCharts.size(o.kind(), rows, columns);
    ChartImages.write(
        chart, o.width() > 0 ? o.width() : size[0], o.height() > 0 ? o.height() : size[1], o.out());
    spark.sparkContext().setJobDescription(null);
    double seconds = (System.nanoTime() - start) / 1e9;
    LOG.info(
        "plot-clusters {} {} {}: {} drawn in {} s -> {}",
        panel.code(),
        o.algorithm(),
        o.kind().code(),
        items,
        String.format(Locale.ROOT, "%.1f", seconds),
        o.out());
    return new Result(o.out(), panel.code(), o.algorithm(), o.kind(), items, umap, seconds);
  }

  private static void step(SparkSession spark, int n, String what) {
    String d = "plot-clusters " + n + "/" + STEPS + ": " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info(d);
  }
}
