package org.cytolake.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.config.NormalisationConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.lake.Lake;
import org.cytolake.normalise.BatchQuantiles;
import org.cytolake.normalise.LakeClusters;
import org.cytolake.normalise.LakeNormParams;
import org.cytolake.normalise.MissingControl;
import org.cytolake.normalise.NormalisationModel;
import org.cytolake.normalise.NormalisationPlan;
import org.cytolake.normalise.SampleOutcomes;
import org.cytolake.tables.QuarantineReason;
import org.cytolake.tables.QuarantineRecord;
import org.cytolake.tables.TableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cytolake normalise}: batch normalisation of the lake (CytoNorm without clustering, on the
 * stored transformed values) for the panels {@code conf/normalisation.yaml} names. Per panel:
 *
 * <ol>
 *   <li>plan ({@link NormalisationPlan}): each sample's batch, a new model version or the stored
 *       one extended, the batches whose quantiles are computed now, the ones quarantined;
 *   <li>quantiles of each such batch's control aliquots (or pooled patient samples), in Spark;
 *   <li>{@code normalisation_models}: the version's goal and batch quantiles (other panels'
 *       and versions' rows kept);
 *   <li>{@code events_norm_<panel>}: the samples whose batch's spline changed (all, for a new
 *       version), rewritten partition by partition; samples no longer normalised removed;
 *   <li>{@code normalisation_samples} and the job's quarantine rows.
 * </ol>
 *
 * <p>Re-running with nothing new changes nothing; a batch whose controls arrive later gets its
 * spline onto the version's goal without touching the other batches. Panels no longer named in
 * the conf lose their {@code events_norm_<panel>} table, so analyses read the ingested values.
 */
public final class NormaliseJob {
  private static final Logger LOG = LoggerFactory.getLogger(NormaliseJob.class);

  /** The job's name in the quarantine table and run summaries. */
  public static final String JOB = "normalise";

  private NormaliseJob() {}

  /**
   * @param lake lake root (any Hadoop path)
   * @param conf configuration directory
   * @param schemas directory of the table contracts
   * @param runId run id to record, or null for a new one
   * @param refit make a new model version (a new goal) even when the parameters are unchanged
   */
  public record Options(String lake, Path conf, Path schemas, String runId, boolean refit) {}

  /**
   * What a panel's normalisation did.
   *
   * @param version the model version in use
   * @param newVersion whether it was made in this run
   * @param batches batches normalised, by source ({@code control}, {@code pooled})
   * @param fitted batches whose quantiles were computed in this run
   * @param written samples whose {@code events_norm_<panel>} rows were written
   * @param unchanged samples left as they were
   * @param quarantined samples not normalised, by reason
   * @param warnings what the run must not bury in a log
   */
  public record PanelResult(
      String panel,
      int version,
      boolean newVersion,
      Map<String, Integer> batches,
      List<String> fitted,
      int written,
      int unchanged,
      Map<String, Integer> quarantined,
      List<String> warnings) {

    /** One line: panel, version, batches, fitted, written, unchanged, quarantined. */
    public String summary() {
      return "panel "
          + panel
          + " model v"
          + version
          + (newVersion ? " (new)" : "")
          + ": batches "
          + batches
          + " ("
          + fitted.size()
          + " fitted now); "
          + written
          + " sample(s) written, "
          + unchanged
          + " unchanged; quarantined "
          + quarantined;
    }
  }

  /**
   * @param panels each normalised panel's outcome
   * @param summaryPath the run summary, or null when no panel is normalised (none is written)
   * @param samples every normalised sample → the key of its batch's spline (what gate and cluster
   *     compare to redo samples whose normalisation changed)
   */
  public record Result(
      String runId, List<PanelResult> panels, Map<String, String> samples, String summaryPath) {}

  public static Result run(SparkSession spark, Options o) throws IOException {
    return run(RunContext.open(spark, o.lake(), o.conf(), o.schemas(), o.runId()), o.refit());
  }

  /** Normalises within a run. */
  public static Result run(RunContext ctx, boolean refit) throws IOException {
    SparkSession spark = ctx.spark();
    Lake lake = ctx.lake();
    JobRun run = ctx.run();
    NormalisationConfig conf = ctx.steps().normalisation();
    boolean cleanOnly = QcEvents.cleanOnly(ctx.config().settings());
    List<PanelResult> results = new ArrayList<>();
    Map<String, String> keys = new TreeMap<>();
    List<QuarantineRecord> quarantine = new ArrayList<>();
    List<Row> sampleRows = new ArrayList<>();
    Map<String, NormalisationModel> models = new LinkedHashMap<>();
    Map<String, Set<String>> refreshed = new HashMap<>();
    for (PanelConfig panel : ctx.config().panels().values()) {
      LakeNormParams params = conf.panel(panel.code());
      if (params == null) {
        NormaliseWrites.dropNormalised(spark, lake, panel);
        continue;
      }
      if (!lake.exists(spark, panel.eventsTable())) {
        LOG.warn(
            "normalise {}: no table {}; panel {} skipped",
            run.runId(),
            panel.eventsTable(),
            panel.code());
        continue;
      }
      step(spark, run, panel, "plan");
      NormaliseFrames.Reference reference =
          NormaliseFrames.reference(ctx.steps().gating(), panel, params);
      List<NormalisationPlan.SampleInfo> samples =
          NormaliseFrames.samples(spark, lake, panel.code());
      NormalisationModel stored = NormaliseFrames.stored(spark, lake, panel.code(), params);
      NormalisationPlan plan = NormalisationPlan.of(panel.code(), params, samples, stored, refit);
      if (!plan.newVersion()
          && params.clustering() != null
          && stored.clustering() == null
          && !plan.fitControls().isEmpty()) {
        // a clustered version made when no batch had a control has no SOM: the first controls
        // make the next version, with its SOM
        plan = NormalisationPlan.of(panel.code(), params, samples, stored, true);
      }
      LakeClusters clustering = plan.newVersion() ? null : stored.clustering();
      if (plan.newVersion() && params.clustering() != null && !plan.fitControls().isEmpty()) {
        step(spark, run, panel, "SOM of " + plan.fitControls().size() + " control batch(es)");
        clustering =
            LakeClusters.train(
                params.clustering(),
                params.columns().size(),
                NormaliseFrames.somTrainingEvents(
                    spark, lake, panel, params, plan.fitControls(), cleanOnly, reference));
      }

      step(
          spark,
          run,
          panel,
          "quantiles of "
              + plan.fitControls().size()
              + " control batch(es), "
              + plan.fitPooled().size()
              + " pooled");
      // the pooled batches of the goal: only for a new version, under missing-control: pooled
      Map<String, List<String>> poolForGoal =
          plan.newVersion() && params.missingControl() == MissingControl.POOLED
              ? plan.poolForGoal()
              : Map.of();
      List<Map<String, BatchQuantiles>> quantiles =
          NormaliseFrames.quantiles(
              spark,
              lake,
              panel,
              params,
              List.of(
                  new NormaliseFrames.Fit(plan.fitControls(), BatchQuantiles.Source.CONTROL, null),
                  new NormaliseFrames.Fit(
                      plan.fitPooled(),
                      BatchQuantiles.Source.POOLED,
                      params.pooledEventsPerSample()),
                  new NormaliseFrames.Fit(
                      poolForGoal, BatchQuantiles.Source.POOLED, params.pooledEventsPerSample())),
              cleanOnly,
              clustering,
              reference);
      Map<String, BatchQuantiles> controls = quantiles.get(0);
      Map<String, BatchQuantiles> pooled = quantiles.get(1);
      NormalisationModel model;
      if (plan.newVersion()) {
        Map<String, BatchQuantiles> poolGoal = quantiles.get(2);
        model =
            NormalisationModel.fit(
                panel.code(), plan.version(), params, controls, poolGoal, clustering);
      } else {
        model = stored;
        for (String b : stored.batches().keySet()) {
          if (!plan.normalisedBatches().contains(b)) {
            model = model.withoutBatch(b);
          }
        }
        for (BatchQuantiles b : controls.values()) {
          model = model.withBatch(b);
        }
      }
      for (BatchQuantiles b : pooled.values()) {
        model = model.withBatch(b);
      }
      models.put(panel.code(), model);

      SampleOutcomes outcomes =
          SampleOutcomes.of(
              samples, plan, model, NormaliseWrites.previousKeys(spark, lake, panel.code()));
      keys.putAll(outcomes.keys());
      for (SampleOutcomes.Outcome o : outcomes.outcomes()) {
        if (o.reason() != null) {
          quarantine.add(
              record(
                  panel,
                  o.sample().sampleId(),
                  o.batch(),
                  QuarantineReason.Rejected.valueOf(o.reason()),
                  o.message()));
        }
        sampleRows.add(sampleRow(o, panel, model, run));
      }
      List<String> warnings = outcomes.warnings();
      Map<String, String> batchOfWritten = outcomes.write();
      step(
          spark,
          run,
          panel,
          "write " + batchOfWritten.size() + " sample(s) to " + panel.normalisedEventsTable());
      NormaliseWrites.writeEvents(spark, lake, panel, model, batchOfWritten);
      NormaliseWrites.removeSamples(
          spark, lake, panel, outcomes.remove(), NormaliseFrames.visits(samples));
      refreshed.put(panel.code(), batchOfWritten.keySet());
      Map<String, Integer> bySource = new TreeMap<>();
      model.batches().values().forEach(b -> bySource.merge(b.source().text(), 1, Integer::sum));
      List<String> fitted = new ArrayList<>(controls.keySet());
      fitted.addAll(pooled.keySet());
      warnings.forEach(w -> LOG.warn("{} [{}]", w, run.runId()));
      results.add(
          new PanelResult(
              panel.code(),
              model.version(),
              plan.newVersion(),
              bySource,
              fitted,
              batchOfWritten.size(),
              outcomes.unchanged(),
              outcomes.quarantined(),
              warnings));
    }

    if (models.isEmpty() && results.isEmpty()) {
      // nothing normalised: no table is written; rows a former configuration quarantined go
      if (lake.exists(spark, Lake.QUARANTINE)
          && lake.read(spark, Lake.QUARANTINE).where(functions.col("job").equalTo(JOB)).count()
              > 0) {
        lake.replaceQuarantine(spark, JOB, List.of());
      }
      LOG.info("normalise {}: no panel is normalised (conf/normalisation.yaml)", run.runId());
      Result none = new Result(run.runId(), List.of(), Map.of(), null);
      spark.sparkContext().setJobDescription(null);
      return none;
    }
    step(spark, run, null, "write normalisation_models, normalisation_samples, quarantine");
    NormaliseWrites.writeModels(spark, lake, run, models, results);
    TableSchema samplesContract = lake.schema(NormaliseFrames.SAMPLES);
    lake.write(
        NormaliseWrites.rowsFrame(
            spark,
            NormaliseWrites.keepOtherPanels(spark, lake, sampleRows, models.keySet()),
            samplesContract),
        samplesContract,
        SaveMode.Overwrite);
    lake.replaceQuarantine(
        spark, JOB, run.quarantineRows(lake.schema(Lake.QUARANTINE), quarantine));
    Result result =
        new Result(run.runId(), List.copyOf(results), keys, lake.runSummary(run.runId(), JOB));
    ctx.writeRunSummary(JOB, result);
    for (PanelResult p : results) {
      LOG.info("normalise {}: {}", run.runId(), p.summary());
    }
    spark.sparkContext().setJobDescription(null);
    return result;
  }

  private static Row sampleRow(
      SampleOutcomes.Outcome o, PanelConfig panel, NormalisationModel model, JobRun run) {
    List<String> flat = o.key() == null ? List.of() : model.unnormalised(o.batch());
    return RowFactory.create(
        o.sample().sampleId(),
        panel.code(),
        o.sample().control(),
        o.batch(),
        o.status(),
        o.source(),
        o.key() == null ? null : model.version(),
        o.key(),
        flat.isEmpty() ? null : String.join(";", flat),
        run.runId(),
        run.timestamp());
  }

  private static QuarantineRecord record(
      PanelConfig panel, String sample, String batch, QuarantineReason reason, String message) {
    return new QuarantineRecord(
        JOB,
        "sample " + sample,
        "panel " + panel.code() + (batch == null ? "" : " batch " + batch),
        reason,
        message,
        batch == null ? "acquisition_date" : "control",
        batch,
        null,
        null);
  }

  private static void step(SparkSession spark, JobRun run, PanelConfig panel, String what) {
    String d = "normalise" + (panel == null ? "" : " " + panel.code()) + ": " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info("{} [{}]", d, run.runId());
  }
}
