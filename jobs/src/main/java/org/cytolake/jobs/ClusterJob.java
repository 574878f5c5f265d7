package org.cytolake.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.cytolake.clustering.ClusterRunChecks;
import org.cytolake.clustering.MappingPlan;
import org.cytolake.clustering.MetaclusterSummary;
import org.cytolake.clustering.MisfitReport;
import org.cytolake.clustering.ModelPlan;
import org.cytolake.clustering.PanelPlan;
import org.cytolake.clustering.SampleAbundance;
import org.cytolake.clustering.TrainingSelection;
import org.cytolake.config.ClusteringConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.lake.Lake;
import org.cytolake.som.Metaclustering;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cytolake cluster}: unsupervised clustering of every panel's events in the lake, on the panel's lineage
 * markers (conf/panels.yaml {@code lineage: true}; the lake holds them compensated and transformed). Per panel
 * ({@link ClusterPanel}), against the registry of stored model versions ({@link ClusterRegistry}):
 *
 * <ol>
 *   <li>read {@code events_<panel>} and plan ({@link PanelPlan}): train a new model version, or map onto the active
 *       one the samples whose rows are not current ({@link MappingPlan});
 *   <li>when training, pick the training events ({@link ClusterFit#trainingSet}): all, or per sample the
 *       {@code samplePerFile} events with the smallest seeded hash of (sample_id, event_index), so a huge sample
 *       cannot dominate and the choice is deterministic;
 *   <li>fit ({@link ClusterTraining}, {@link ClusterFit}): {@code flowsom} (SOM + consensus metaclustering), or the
 *       MLlib baselines {@code kmeans} / {@code bisecting-kmeans} with k = metaclusters (each centre is its own node
 *       and metacluster); label metaclusters by the phenotype rules of conf/clustering.yaml;
 *   <li>map all events ({@link ClusterMapping}); count and median every marker per metacluster
 *       ({@link MetaclusterSummary}); count events per sample and metacluster, zeros included
 *       ({@link SampleAbundance}), and median every marker there; test every sample mapped for misfit
 *       ({@link MisfitReport}); every median is exact, by the definition of {@code population_medians}
 *       ({@link GroupMedians}), so that two runs on the same input write the same bytes;
 *   <li>write ({@link ClusterFrames}) {@code cluster_models}, {@code cluster_model}, {@code clusters},
 *       {@code cluster_abundance}, {@code cluster_sample_medians}, {@code cluster_events} (every event's node and
 *       metacluster) and {@code cluster_qc}; the panel's rows of this algorithm are replaced (the tables are
 *       partitioned by panel and algorithm), those of samples kept carried over.
 * </ol>
 *
 * Parameters, rules and their defaults are those of conf/clustering.yaml ({@link ClusteringConfig}), with the
 * options' values in place. Deterministic for a seed.
 */
public final class ClusterJob {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterJob.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The algorithms. */
  public static final List<String> ALGORITHMS = ClusterRunChecks.ALGORITHMS;

  private ClusterJob() {}

  /**
   * Options.
   *
   * @param lake lake root
   * @param conf the conf directory (panels.yaml, clustering.yaml)
   * @param schemas the schemas directory
   * @param algorithm one of {@link #ALGORITHMS}
   * @param samplePerFile training events per sample, 0 for all, or null for conf/clustering.yaml's
   *     {@code sample-per-file}
   * @param seed seed, or null for conf/clustering.yaml's
   * @param metaclusters metaclusters, 0 for the elbow rule of {@link Metaclustering} (flowsom only), or null for
   *     conf/clustering.yaml's
   * @param runId run id, or null
   * @param panel the one panel to cluster, or null for every panel
   * @param train train a new model version whatever the registry holds ({@code cluster --train})
   * @param activate pin this stored version as the active model before the run ({@code cluster --activate}), or
   *     null
   * @param remap samples whose events changed since they were mapped (the nightly run knows them): mapped again
   *     even when their rows are current; null or empty for none
   * @param samples the training samples of a model trained in this run ({@link
   *     org.cytolake.clustering.TrainingSelection}: baseline, all, visit=.., sample=..), or null for
   *     conf/clustering.yaml's {@code training}
   */
  public record Options(
      String lake,
      Path conf,
      Path schemas,
      String algorithm,
      Integer samplePerFile,
      Long seed,
      Integer metaclusters,
      String runId,
      String panel,
      boolean train,
      Integer activate,
      Set<String> remap,
      String samples) {

    /** Every panel, the registry's decision, nothing to re-map. */
    public Options(
        String lake,
        Path conf,
        Path schemas,
        String algorithm,
        Integer samplePerFile,
        Long seed,
        Integer metaclusters,
        String runId) {
      this(
          lake,
          conf,
          schemas,
          algorithm,
          samplePerFile,
          seed,
          metaclusters,
          runId,
          null,
          false,
          null,
          null,
          null);
    }

    public Options {
      remap = remap == null ? Set.of() : Set.copyOf(remap);
      List<String> problems =
          ClusterRunChecks.problems(
              algorithm, samplePerFile, metaclusters, train, activate, samples);
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "Cannot configure cluster job: " + String.join("; ", problems));
      }
    }
  }

  /**
   * Per-panel outcome.
   *
   * @param action {@code train} or {@code map} ({@link ModelPlan.Action})
   * @param modelVersion the model version the panel's rows come from
   * @param previousVersion the version active before a training run, or null
   * @param reason why (the plan's line)
   * @param mappedSamples samples whose rows were (re)written this run
   * @param keptSamples samples whose rows were kept as they were
   * @param misfits samples mapped this run that the misfit rule flags, sorted
   * @param correspondence after a retraining, each new metacluster's nearest old one, else null
   * @param warnings what the nightly run repeats loudly
   */
  public record PanelResult(
      String panel,
      long events,
      long trainingEvents,
      int metaclusters,
      Map<String, Long> sizeByLabel,
      double fitSeconds,
      String action,
      int modelVersion,
      Integer previousVersion,
      String reason,
      int mappedSamples,
      int keptSamples,
      List<String> misfits,
      String correspondence,
      List<String> warnings) {
    public PanelResult {
      misfits = List.copyOf(misfits);
      warnings = List.copyOf(warnings);
    }
  }

  /** The outcome. */
  public record Result(
      String runId, String algorithm, long seed, List<PanelResult> panels, String summaryPath) {
    public Result {
      panels = List.copyOf(panels);
    }
  }

  /** Clusters the lake of {@code o}, loading the configuration; tests call this directly. */
  public static Result run(SparkSession spark, Options o) throws IOException {
    return run(RunContext.open(spark, o.lake(), o.conf(), o.schemas(), o.runId()), o);
  }

  /**
   * Clusters within a run, with {@code o}'s algorithm and overrides of conf/clustering.yaml (its
   * lake, configuration and run id are the context's).
   */
  public static Result run(RunContext ctx, Options o) throws IOException {
    SparkSession spark = ctx.spark();
    CytolakeConfig config = ctx.config();
    ClusteringConfig conf =
        ctx.steps().clustering().withOverrides(o.samplePerFile(), o.seed(), o.metaclusters());
    ClusteringConfig clustering =
        o.samples() == null ? conf : conf.withTraining(TrainingSelection.parse(o.samples()));
    Lake lake = ctx.lake();
    ClusterRegistry registry = new ClusterRegistry(spark, lake, ctx.lake().state(ctx.hadoopConf()));
    if (o.panel() != null && !config.panels().containsKey(o.panel())) {
      throw new IllegalArgumentException(
          "Cannot cluster panel '"
              + o.panel()
              + "': conf/panels.yaml declares "
              + config.panels().keySet());
    }
    List<PanelResult> results = new ArrayList<>();
    for (PanelConfig panel : config.panels().values()) {
      if (o.panel() != null && !o.panel().equals(panel.code())) {
        continue;
      }
      if (!lake.exists(spark, panel.eventsTable())) {
        LOG.info(
            "cluster: no table {} in the lake, panel {} skipped",
            panel.eventsTable(),
            panel.code());
        continue;
      }
      QcEvents.requireNormalised(ctx, panel);
      results.add(ClusterPanel.run(ctx, o, clustering, registry, panel));
    }
    spark.sparkContext().setJobDescription(null);
    String summaryPath = writeSummary(ctx, o, clustering, results);
    return new Result(ctx.runId(), o.algorithm(), clustering.seed(), results, summaryPath);
  }

  private static String writeSummary(
      RunContext ctx, Options o, ClusteringConfig clustering, List<PanelResult> results)
      throws IOException {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("job", "cluster");
    s.put("run_id", ctx.runId());
    s.put("algorithm", o.algorithm());
    s.put("seed", clustering.seed());
    s.put("sample_per_file", clustering.samplePerFile());
    s.set("panels", JSON.valueToTree(results));
    return ctx.writeRunSummary("cluster-" + o.algorithm(), s);
  }
}
