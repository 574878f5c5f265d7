package org.cytolake.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cytolake.clustering.ClusterModel;
import org.cytolake.clustering.MappingPlan;
import org.cytolake.clustering.MetaclusterSummary;
import org.cytolake.clustering.ModelConfiguration;
import org.cytolake.clustering.ModelPlan;
import org.cytolake.clustering.PanelPlan;
import org.cytolake.clustering.TrainingSelection;
import org.cytolake.config.ClusteringConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.lake.Lake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterJob} on one panel, as the job's five steps: read the panel's events and plan against the registry
 * ({@link PanelPlan}); when the plan trains, pick the training events and fit ({@link ClusterTraining}), else decide
 * which samples keep their rows ({@link MappingPlan}); map every event onto the model and summarise
 * ({@link ClusterMapping}); write the registry and the cluster tables ({@link ClusterFrames}); report.
 */
final class ClusterPanel {
  /** The job's logger: a panel's lines read as ClusterJob's, as they did before the job was split. */
  private static final Logger LOG = LoggerFactory.getLogger(ClusterJob.class);

  private ClusterPanel() {}

  /**
   * The configuration a panel's model answers ({@link ModelConfiguration}), from conf/clustering.yaml with the
   * options' values in place.
   */
  static Map<String, String> fingerprinted(
      String algorithm, ClusteringConfig clustering, PanelConfig panel) {
    return ModelConfiguration.entries(
        algorithm,
        panel.lineageColumns(),
        clustering.somParams(),
        clustering.metaclustering(),
        clustering.metaclusters(),
        clustering.samplePerFile(),
        clustering.seed(),
        clustering.phenotypeRules(panel.code()));
  }

  /** Clusters one panel whose events table exists. */
  static ClusterJob.PanelResult run(
      RunContext ctx,
      ClusterJob.Options o,
      ClusteringConfig clustering,
      ClusterRegistry registry,
      PanelConfig panel)
      throws IOException {
    SparkSession spark = ctx.spark();
    JobRun run = ctx.run();
    Lake lake = ctx.lake();
    String code = panel.code();
    String algorithm = o.algorithm();
    String fingerprint = ClusterModel.fingerprint(fingerprinted(algorithm, clustering, panel));

    step(spark, run, 1, panel, "read " + panel.eventsTable() + "; plan against cluster_models");
    // Not cached: each later pass reads the columns it needs from Parquet, which costs less than
    // building a columnar cache of every column (measured: most of step 1, 16 of 18 s on a panel
    // of 5.2 million events, went into the cache).
    Dataset<Row> events =
        QcEvents.read(spark, lake, panel, QcEvents.cleanOnly(ctx.config().settings()));
    long n = 0;
    Map<String, String> visitOf = new TreeMap<>();
    for (Row r : events.groupBy("sample_id", "visit").count().collectAsList()) {
      visitOf.put(r.getString(0), r.getString(1));
      n += r.getLong(2);
    }
    List<String> samples = List.copyOf(visitOf.keySet());
    List<ClusterModel> versions = registry.versions(code, algorithm);
    if (o.activate() != null) {
      ModelPlan.active(versions, Optional.of(o.activate()));
      registry.setPin(code, algorithm, o.activate());
    }
    Optional<Integer> pin = registry.pin(code, algorithm);
    PanelPlan plan = PanelPlan.of(code, algorithm, versions, pin, fingerprint, samples, o.train());
    String reason = plan.plan().reason();
    LOG.info("cluster {} {}: {}", code, algorithm, reason);
    List<String> warnings = new ArrayList<>(plan.warnings());

    ClusterModel model;
    MappingPlan mapping;
    Dataset<Row> modelTable = null;
    long trainingEvents;
    double fitSeconds = 0;
    if (plan.trains()) {
      TrainingSelection.Choice training =
          clustering.training().choose(visitOf, ctx.config().visits().baseline());
      if (training.fallback()) {
        warnings.add(
            "cluster "
                + code
                + " "
                + algorithm
                + ": version "
                + plan.plan().version()
                + " trained on "
                + training.description()
                + ": map the later visits onto a model of the baseline by training again"
                + " (cluster --train) once the baseline samples are in");
      }
      ClusterTraining.Trained t =
          ClusterTraining.train(
              spark,
              run,
              clustering,
              panel,
              algorithm,
              fingerprint,
              plan.plan().version(),
              events,
              n,
              training);
      model = t.model();
      modelTable = t.modelTable();
      trainingEvents = t.trainingEvents();
      fitSeconds = t.fitSeconds();
      mapping = MappingPlan.everySample(samples);
    } else {
      model = plan.plan().active().orElseThrow();
      trainingEvents = model.trainingEvents();
      mapping =
          MappingPlan.onStoredModel(
              samples,
              ClusterMapping.mappedWith(spark, lake, code, algorithm, model.version()),
              ClusterMapping.mappedWith(spark, lake, code, algorithm, null),
              o.remap());
      if (mapping.current()) {
        LOG.info(
            "cluster {} {}: every sample is mapped onto version {} already; nothing written",
            code,
            algorithm,
            model.version());
        return new ClusterJob.PanelResult(
            code,
            n,
            trainingEvents,
            model.metaclusters(),
            Map.of(),
            0,
            "map",
            model.version(),
            null,
            reason + "; every sample is current",
            0,
            mapping.kept().size(),
            List.of(),
            null,
            warnings);
      }
      if (mapping.rewritesModelRows()) {
        modelTable = ClusterFrames.modelTable(spark, model, run.runId());
      }
    }

    step(
        spark,
        run,
        4,
        panel,
        "map all "
            + n
            + " events onto version "
            + model.version()
            + " ("
            + mapping.toMap().size()
            + " sample(s) written, "
            + mapping.kept().size()
            + " kept); medians, abundance and misfit");
    ClusterMapping.Mapped mapped =
        ClusterMapping.map(
            spark,
            events,
            model,
            panel.columns(),
            visitOf,
            n,
            mapping.kept(),
            clustering.misfitMargin(),
            plan.trains() ? Optional.of(clustering.phenotypeRules(code)) : Optional.empty());
    model = mapped.model();
    if (plan.trains()) {
      plan.retrainedWarning(model).ifPresent(warnings::add);
    }
    mapped.misfits().warning(code, algorithm).ifPresent(warnings::add);
    List<String> flagged = mapped.misfits().flagged();
    Map<String, Long> sizeByLabel = MetaclusterSummary.sizeByLabel(mapped.summaries());

    step(
        spark,
        run,
        5,
        panel,
        (plan.trains() ? "write cluster_models, " : "write ")
            + "cluster_model, clusters, cluster_abundance, cluster_sample_medians, cluster_events,"
            + " cluster_qc");
    if (plan.trains()) {
      List<ClusterModel> all = new ArrayList<>(versions);
      all.add(model);
      registry.write(all);
      if (pin.isPresent()) {
        registry.setPin(code, algorithm, null);
      }
    }
    ClusterFrames.write(
        spark, lake, panel, algorithm, run.runId(), mapped, modelTable, mapping.kept());
    mapped.release();
    LOG.info(
        "cluster {} {} v{}: {} events, {} metaclusters {}, {} sample(s) mapped, {} kept, {} misfit",
        code,
        algorithm,
        model.version(),
        n,
        mapped.summaries().size(),
        sizeByLabel,
        mapping.toMap().size(),
        mapping.kept().size(),
        flagged.size());
    warnings.forEach(w -> LOG.warn("{}", w));
    return new ClusterJob.PanelResult(
        code,
        n,
        trainingEvents,
        mapped.summaries().size(),
        sizeByLabel,
        fitSeconds,
        plan.trains() ? "train" : "map",
        model.version(),
        plan.replacedVersion(),
        reason,
        mapping.toMap().size(),
        mapping.kept().size(),
        flagged,
        plan.correspondence(model).orElse(null),
        warnings);
  }

  /** Step {@code n} of 5 of a panel: the Spark job description and a log line. */
  static void step(SparkSession spark, JobRun run, int n, PanelConfig panel, String what) {
    String d = "cluster " + panel.code() + " " + n + "/5: " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info("{} [{}]", d, run.runId());
  }
}
