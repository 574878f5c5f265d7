package org.cytolake.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.cytolake.jobs.ClusterPlotJob;
import org.cytolake.jobs.SparkSessions;
import org.cytolake.plot.clusters.ChartImages;
import org.cytolake.plot.clusters.PictureKind;
import org.cytolake.plot.clusters.StratifiedSubsample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cytolake plot-clusters}: one picture of a panel's clustering. */
@Command(
    name = "plot-clusters",
    mixinStandardHelpOptions = true,
    description = {
      "Draw one picture of a panel's clustering (bin/cytolake cluster), to PNG or SVG: heatmap "
          + "(metacluster x lineage marker medians, each marker scaled between its 1st and 99th "
          + "percentile over the panel's events), mst (FlowSOM's minimal spanning tree of the SOM "
          + "nodes, node size by events, colour by metacluster), embedding (UMAP of at most "
          + "--per-sample events per sample, coloured by metacluster, one panel per visit) or "
          + "abundance (each sample's %% per metacluster and visit, with the visit's median).",
      "Spark reads and aggregates the cluster tables; only what the picture draws reaches the "
          + "driver (the embedding's subsample is drawn on Spark).",
      "Exit status: 0 written; 1 failed (an unknown panel, or a panel without clusters, is "
          + "named on stderr); 2 bad command line."
    })
public final class PlotClustersCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin LakePanelOptions target;

  @Option(
      names = "--kind",
      required = true,
      paramLabel = "KIND",
      description = "heatmap, mst, embedding or abundance.")
  String kind;

  @Option(
      names = "--algorithm",
      paramLabel = "A",
      defaultValue = ClusterPlotJob.ALGORITHM_DEFAULT,
      description =
          "The clustering drawn: flowsom, kmeans or bisecting-kmeans (default: "
              + "${DEFAULT-VALUE}).")
  String algorithm;

  @Option(
      names = "--per-sample",
      paramLabel = "N",
      defaultValue = "" + StratifiedSubsample.PER_SAMPLE_DEFAULT,
      description = "embedding: at most N events of each sample (default: ${DEFAULT-VALUE}).")
  int perSample;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description =
          "Seed of the embedding's subsample and UMAP, and of the tree's layout (default: "
              + "${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--size",
      paramLabel = "WxH",
      description = "Image size in pixels (default: by kind and content).")
  String size;

  @Mixin ImageOutOption out;

  @Override
  public Integer call() throws Exception {
    PictureKind k = PictureKind.parse(kind);
    ChartImages.checkName(out.out);
    int[] wh = size == null ? new int[] {0, 0} : PlotImageOptions.size(size);
    ClusterPlotJob.Options o =
        new ClusterPlotJob.Options(
            target.lake.root,
            target.job.confDir(),
            target.job.schemasDir(),
            target.panel,
            algorithm,
            k,
            perSample,
            seed,
            out.out,
            wh[0],
            wh[1]);
    SparkSession spark = SparkSessions.getOrCreate("cytolake plot-clusters", target.job.master);
    ClusterPlotJob.Result r = ClusterPlotJob.run(spark, o);
    var w = spec.commandLine().getOut();
    w.printf(
        Locale.ROOT,
        "plot-clusters %s %s %s: %,d %s drawn%s; %.1f s -> %s%n",
        r.panel(),
        r.algorithm(),
        r.kind().code(),
        r.items(),
        switch (r.kind()) {
          case MST -> "nodes";
          case EMBEDDING -> "events";
          default -> "metaclusters";
        },
        r.kind() == PictureKind.EMBEDDING
            ? String.format(Locale.ROOT, " (UMAP %.1f s)", r.embeddingSeconds())
            : "",
        r.seconds(),
        r.out());
    w.flush();
    return 0;
  }
}
