package org.cytolake.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.cytolake.jobs.ClusterJob;
import org.cytolake.jobs.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cytolake cluster}: {@link ClusterJob}. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "Cluster every panel's events in the lake on its lineage markers (conf/panels.yaml), "
          + "FlowSOM-style (SOM + consensus metaclustering, distributed) or with the MLlib k-means / "
          + "bisecting k-means baselines; label metaclusters by the rules of conf/clustering.yaml.",
      "Writes cluster_model, clusters, cluster_abundance, cluster_sample_medians, cluster_events and cluster_qc "
          + "(partitioned by panel and algorithm: a run replaces only its algorithm's rows of the panels it "
          + "clusters).",
      "Each panel's model is kept in cluster_models: a run trains version 1, then maps new samples onto the "
          + "active version and keeps earlier samples' rows; it trains a new version only when the lineage "
          + "markers or clustering parameters change, or with --train."
    })
public final class ClusterCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin JobOptions job;

  @Mixin LakeOption lake;

  @Option(
      names = "--algorithm",
      defaultValue = "flowsom",
      paramLabel = "NAME",
      description = "flowsom, kmeans or bisecting-kmeans (default: ${DEFAULT-VALUE}).")
  String algorithm;

  @Option(
      names = "--sample-per-file",
      paramLabel = "N",
      description =
          "Train on N events per sample (seeded), then map all; 0: train on all; "
              + "default: conf/clustering.yaml sample-per-file (0 there too unless set).")
  Integer samplePerFile;

  @Option(
      names = "--metaclusters",
      paramLabel = "K",
      description =
          "Metaclusters (k for the k-means baselines); 0: chosen by the elbow rule (flowsom); "
              + "default: conf/clustering.yaml.")
  Integer metaclusters;

  @Option(names = "--seed", paramLabel = "S", description = "Seed; default: conf/clustering.yaml.")
  Long seed;

  @Option(
      names = "--panel",
      paramLabel = "P",
      description = "Cluster only this panel (default: every panel with events).")
  String panel;

  @Option(
      names = "--train",
      description =
          "Train a new model version (cluster_models) even though the configuration is unchanged; it "
              + "becomes the active version (a pin is removed).")
  boolean train;

  @Option(
      names = "--activate",
      paramLabel = "VERSION",
      description =
          "Pin this stored version of cluster_models as the active model of the panel(s) and algorithm "
              + "(kept in the lake state _state/cluster-model-pins.json until the next --train) and map every "
              + "sample onto it.")
  Integer activate;

  @Option(
      names = "--samples",
      paramLabel = "SELECTOR",
      description =
          "The samples a model trained in this run is fitted on: baseline (the baseline visit's, the "
              + "default of conf/clustering.yaml 'training'), all, visit=V1[,V2...] or "
              + "sample=S1[,S2...]; every sample is then mapped onto it.")
  String samples;

  @Override
  public Integer call() throws Exception {
    ClusterJob.Options o =
        new ClusterJob.Options(
            lake.root,
            job.confDir(),
            job.schemasDir(),
            algorithm,
            samplePerFile,
            seed,
            metaclusters,
            job.runId,
            panel,
            train,
            activate,
            null,
            samples);
    SparkSession spark = SparkSessions.getOrCreate("cytolake cluster", job.master);
    ClusterJob.Result r = ClusterJob.run(spark, o);
    var out = spec.commandLine().getOut();
    for (ClusterJob.PanelResult p : r.panels()) {
      out.printf(
          "cluster %s %s: %s, model version %d%s; %d sample(s) mapped, %d kept, %d misfit%n",
          p.panel(),
          r.algorithm(),
          p.reason(),
          p.modelVersion(),
          p.previousVersion() == null ? "" : " (was " + p.previousVersion() + ")",
          p.mappedSamples(),
          p.keptSamples(),
          p.misfits().size());
      p.warnings().forEach(w -> out.printf("WARNING: %s%n", w));
      out.printf(
          "cluster %s %s: %d events (trained on %d), %d metaclusters, fit %.1f s; by label %s%n",
          p.panel(),
          r.algorithm(),
          p.events(),
          p.trainingEvents(),
          p.metaclusters(),
          p.fitSeconds(),
          p.sizeByLabel());
    }
    out.printf("run summary: %s%n", r.summaryPath());
    out.flush();
    return 0;
  }
}
