package org.cytolake.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.config.NormalisationConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.lake.Lake;
import org.cytolake.normalise.LakeNormParams;
import org.cytolake.normalise.NormalisationModel;
import org.cytolake.normalise.NormalisationPlan;
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
      NormalisePanel.Outcome out = NormalisePanel.run(ctx, panel, params, refit, cleanOnly);
      models.put(panel.code(), out.model());
      keys.putAll(out.keys());
      quarantine.addAll(out.quarantine());
      sampleRows.addAll(out.sampleRows());
      results.add(out.result());
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
    NormalisePanel.step(
        spark, run, null, "write normalisation_models, normalisation_samples, quarantine");
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
}
