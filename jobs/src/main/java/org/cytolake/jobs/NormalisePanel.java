package org.cytolake.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One panel of {@link NormaliseJob}: plan, the SOM of a clustered new version, the quantiles of
 * the batches fitted now (one pass over the events), the model, each sample's outcome, and the
 * panel's {@code events_norm_<panel>} rewritten; the job writes the tables every panel shares.
 */
final class NormalisePanel {
  private static final Logger LOG = LoggerFactory.getLogger(NormalisePanel.class);

  private NormalisePanel() {}

  /**
   * What a panel contributes to the job's shared tables.
   *
   * @param keys every normalised sample → the key of its batch's spline
   * @param sampleRows its {@code normalisation_samples} rows
   */
  record Outcome(
      NormaliseJob.PanelResult result,
      NormalisationModel model,
      Map<String, String> keys,
      List<QuarantineRecord> quarantine,
      List<Row> sampleRows) {}

  static Outcome run(
      RunContext ctx, PanelConfig panel, LakeNormParams params, boolean refit, boolean cleanOnly)
      throws IOException {
    SparkSession spark = ctx.spark();
    Lake lake = ctx.lake();
    JobRun run = ctx.run();
    step(spark, run, panel, "plan");
    NormaliseFrames.Reference reference =
        NormaliseFrames.reference(ctx.steps().gating(), panel, params);
    List<NormalisationPlan.SampleInfo> samples = NormaliseFrames.samples(spark, lake, panel.code());
    NormalisationModel stored = NormaliseFrames.stored(spark, lake, panel.code(), params);
    NormalisationPlan plan = NormalisationPlan.forRun(panel.code(), params, samples, stored, refit);
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
                    plan.fitPooled(), BatchQuantiles.Source.POOLED, params.pooledEventsPerSample()),
                new NormaliseFrames.Fit(
                    poolForGoal, BatchQuantiles.Source.POOLED, params.pooledEventsPerSample())),
            cleanOnly,
            clustering,
            reference);
    Map<String, BatchQuantiles> controls = quantiles.get(0);
    Map<String, BatchQuantiles> pooled = quantiles.get(1);
    NormalisationModel model =
        plan.model(params, stored, controls, pooled, quantiles.get(2), clustering);

    SampleOutcomes outcomes =
        SampleOutcomes.of(
            samples, plan, model, NormaliseWrites.previousKeys(spark, lake, panel.code()));
    List<QuarantineRecord> quarantine = new ArrayList<>();
    List<Row> sampleRows = new ArrayList<>();
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
    Map<String, Integer> bySource = new TreeMap<>();
    model.batches().values().forEach(b -> bySource.merge(b.source().text(), 1, Integer::sum));
    List<String> fitted = new ArrayList<>(controls.keySet());
    fitted.addAll(pooled.keySet());
    warnings.forEach(w -> LOG.warn("{} [{}]", w, run.runId()));
    NormaliseJob.PanelResult result =
        new NormaliseJob.PanelResult(
            panel.code(),
            model.version(),
            plan.newVersion(),
            bySource,
            fitted,
            batchOfWritten.size(),
            outcomes.unchanged(),
            outcomes.quarantined(),
            warnings);
    return new Outcome(result, model, outcomes.keys(), quarantine, sampleRows);
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
        NormaliseJob.JOB,
        "sample " + sample,
        "panel " + panel.code() + (batch == null ? "" : " batch " + batch),
        reason,
        message,
        batch == null ? "acquisition_date" : "control",
        batch,
        null,
        null);
  }

  /** Names the Spark jobs that follow and logs the step. */
  static void step(SparkSession spark, JobRun run, PanelConfig panel, String what) {
    String d = "normalise" + (panel == null ? "" : " " + panel.code()) + ": " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info("{} [{}]", d, run.runId());
  }
}
