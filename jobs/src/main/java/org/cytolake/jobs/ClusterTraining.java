package org.cytolake.jobs;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.cytolake.clustering.ClusterModel;
import org.cytolake.clustering.ModelParameters;
import org.cytolake.clustering.TrainingSelection;
import org.cytolake.config.ClusteringConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.jobs.som.SomEstimator;

/**
 * Steps 2 and 3 of {@link ClusterJob} when it trains: picks the panel's training events
 * ({@link ClusterFit#trainingSet}), fits the algorithm ({@link ClusterFit#fit}) and completes the fit into a
 * {@link ClusterModel} with every training sample summarised by the quantisation distances of its training events
 * ({@link ClusterMapping#distances}). The metaclusters are labelled in step 4, from the medians of all the panel's
 * events mapped onto the fit ({@link ClusterMapping#map} with the panel's phenotype rules), so the events are mapped
 * and their medians computed once.
 */
final class ClusterTraining {
  private ClusterTraining() {}

  /**
   * A trained model.
   *
   * @param model the model with its training samples, every metacluster still unlabelled
   * @param modelTable its rows of {@code cluster_model}
   * @param trainingEvents the events trained on
   * @param fitSeconds the time the fit took
   */
  record Trained(
      ClusterModel model, Dataset<Row> modelTable, long trainingEvents, double fitSeconds) {}

  /**
   * Trains version {@code version} of the panel's model on {@code events} (all its events, of which there are
   * {@code panelEvents}).
   *
   * @param clustering conf/clustering.yaml with the command line's values in place
   * @param fingerprint the configuration fingerprint the model is fitted under
   */
  static Trained train(
      SparkSession spark,
      JobRun run,
      ClusteringConfig clustering,
      PanelConfig panel,
      String algorithm,
      String fingerprint,
      int version,
      Dataset<Row> events,
      long panelEvents,
      TrainingSelection.Choice samples)
      throws IOException {
    String code = panel.code();
    long seed = clustering.seed();
    int samplePerFile = clustering.samplePerFile();
    List<String> lineage = panel.lineageColumns();
    ClusterPanel.step(
        spark,
        run,
        2,
        panel,
        (samplePerFile > 0 ? "sample " + samplePerFile + " events per sample" : "take all events")
            + " of "
            + samples.description()
            + " for training");
    Dataset<Row> selected =
        ClusterFit.trainingSet(
            events.filter(functions.col("sample_id").isin(samples.samples().toArray())),
            lineage,
            samplePerFile,
            seed);
    Optional<LocalTraining> local =
        algorithm.equals("flowsom")
            ? LocalTraining.collect(selected, lineage, SomEstimator.LOCAL_FIT_MAX_VALUES)
            : Optional.empty();
    Dataset<Row> training =
        local.isPresent() ? null : selected.persist(StorageLevel.MEMORY_AND_DISK());

    ClusterPanel.step(
        spark,
        run,
        3,
        panel,
        "fit "
            + algorithm
            + " (version "
            + version
            + ")"
            + (local.isPresent()
                ? " on the driver (" + local.get().events() + " training events)"
                : ""));
    long t0 = System.nanoTime();
    ClusterFit fit =
        local.isPresent()
            ? ClusterFit.somOnDriver(clustering, lineage, local.get())
            : ClusterFit.fit(algorithm, clustering, lineage, training);
    double fitSeconds = (System.nanoTime() - t0) / 1e9;
    fit.params().put("model_version", version);
    fit.params().put("training", samples.description());
    Dataset<Row> modelTable = fit.modelTable(spark, code, algorithm, seed, run.runId());
    ClusterModel.Provenance provenance =
        new ClusterModel.Provenance(
            version,
            code,
            algorithm,
            ModelParameters.text(fit.params()),
            seed,
            fingerprint,
            run.runId());
    ClusterModel unsummarised =
        ClusterModel.unsummarised(
            provenance, lineage, fit.codebook(), fit.nodeToMetacluster(), fit.metaclusters());
    List<ClusterModel.TrainingSample> trained;
    if (local.isPresent()) {
      trained = local.get().distances(unsummarised);
    } else {
      trained =
          ClusterMapping.distances(
              ClusterModelMapper.transform(training, unsummarised), fit.metaclusters());
      training.unpersist(false);
    }
    ClusterModel model =
        new ClusterModel(
            provenance,
            lineage,
            fit.codebook(),
            fit.nodeToMetacluster(),
            unsummarised.labels(),
            trained);
    return new Trained(model, modelTable, fit.trainingEvents(), fitSeconds);
  }
}
