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
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
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
        dropNormalised(spark, lake, panel);
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
                    spark, lake, panel, params, plan.fitControls(), cleanOnly));
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
      Map<String, BatchQuantiles> controls =
          NormaliseFrames.quantiles(
              spark,
              lake,
              panel,
              params,
              plan.fitControls(),
              BatchQuantiles.Source.CONTROL,
              null,
              cleanOnly,
              clustering);
      Map<String, BatchQuantiles> pooled =
          NormaliseFrames.quantiles(
              spark,
              lake,
              panel,
              params,
              plan.fitPooled(),
              BatchQuantiles.Source.POOLED,
              params.pooledEventsPerSample(),
              cleanOnly,
              clustering);
      NormalisationModel model;
      if (plan.newVersion()) {
        Map<String, BatchQuantiles> poolGoal =
            params.missingControl() == MissingControl.POOLED
                ? NormaliseFrames.quantiles(
                    spark,
                    lake,
                    panel,
                    params,
                    plan.poolForGoal(),
                    BatchQuantiles.Source.POOLED,
                    params.pooledEventsPerSample(),
                    cleanOnly,
                    clustering)
                : Map.of();
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

      // which samples get which outcome
      List<String> warnings = new ArrayList<>();
      Map<String, String> previous = previousKeys(spark, lake, panel.code());
      Map<String, String> batchOfWritten = new HashMap<>();
      Map<String, Integer> quarantined = new TreeMap<>();
      int unchanged = 0;
      Set<String> remove = new TreeSet<>();
      Map<String, String> visits = NormaliseFrames.visits(samples);
      Map<String, QuarantineRecord> sampleQuarantine = new LinkedHashMap<>();
      plan.unplaced()
          .forEach(
              (id, why) ->
                  sampleQuarantine.put(
                      id, record(panel, id, null, QuarantineReason.Rejected.NO_BATCH, why)));
      plan.quarantined()
          .forEach(
              (batch, q) -> {
                warnings.add("normalise " + panel.code() + ": " + q.message());
                q.samples()
                    .forEach(
                        id ->
                            sampleQuarantine.put(
                                id,
                                record(
                                    panel,
                                    id,
                                    batch,
                                    QuarantineReason.Rejected.valueOf(q.reason()),
                                    q.message())));
              });
      for (NormalisationPlan.SampleInfo s : samples) {
        String id = s.sampleId();
        String batch = plan.batchOf().get(id);
        QuarantineRecord q = sampleQuarantine.get(id);
        if (q == null && (batch == null || !model.batches().containsKey(batch))) {
          // a batch of controls only whose controls are too small: nothing to normalise
          q =
              record(
                  panel,
                  id,
                  batch,
                  QuarantineReason.Rejected.NO_BATCH_CONTROL,
                  "control '"
                      + id
                      + "' of batch '"
                      + batch
                      + "' of panel "
                      + panel.code()
                      + " holds too few events to serve as the batch's reference");
        }
        if (q != null) {
          quarantine.add(q);
          quarantined.merge(q.reasonCode(), 1, Integer::sum);
          if (previous.containsKey(id)) {
            remove.add(id);
          }
          sampleRows.add(sampleRow(s, panel, batch, q.reasonCode(), null, null, null, run));
          continue;
        }
        String key = model.key(batch);
        keys.put(id, key);
        if (key.equals(previous.get(id))) {
          unchanged++;
        } else {
          batchOfWritten.put(id, batch);
        }
        BatchQuantiles b = model.batches().get(batch);
        sampleRows.add(
            sampleRow(s, panel, batch, "normalised", b.source().text(), model, key, run));
      }
      for (String id : previous.keySet()) {
        if (visits.get(id) == null) {
          remove.add(id); // gone from samples
        }
      }
      for (BatchQuantiles b : model.batches().values()) {
        List<String> flat = model.unnormalised(b.batch());
        if (!flat.isEmpty()) {
          warnings.add(
              "normalise "
                  + panel.code()
                  + ": batch '"
                  + b.batch()
                  + "': column(s) "
                  + flat
                  + " have no signal in its "
                  + b.source().text()
                  + " reference "
                  + b.samples()
                  + (model.clustering() == null
                      ? ""
                      : " (or fewer than "
                          + model.clustering().params().minEvents()
                          + " of its events in the cluster)")
                  + " and are left as they are");
        }
      }
      if (model.batches().isEmpty() && !samples.isEmpty()) {
        warnings.add(
            "normalise "
                + panel.code()
                + ": no batch could be normalised (no batch has"
                + " a control aliquot: manifest column control)");
      }

      step(
          spark,
          run,
          panel,
          "write " + batchOfWritten.size() + " sample(s) to " + panel.normalisedEventsTable());
      writeEvents(spark, lake, panel, model, batchOfWritten);
      removeSamples(spark, lake, panel, remove, previous, visits);
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
              unchanged,
              quarantined,
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
    writeModels(spark, lake, run, models, results);
    TableSchema samplesContract = lake.schema(NormaliseFrames.SAMPLES);
    lake.write(
        rowsFrame(
            spark, keepOtherPanels(spark, lake, sampleRows, models.keySet()), samplesContract),
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

  /** The model key each sample of a panel was last written with. */
  private static Map<String, String> previousKeys(SparkSession spark, Lake lake, String panel) {
    Map<String, String> out = new HashMap<>();
    if (!lake.exists(spark, NormaliseFrames.SAMPLES)) {
      return out;
    }
    for (Row r :
        lake.read(spark, NormaliseFrames.SAMPLES)
            .where(
                functions.col("panel").equalTo(panel).and(functions.col("model_key").isNotNull()))
            .select("sample_id", "model_key")
            .collectAsList()) {
      out.put(r.getString(0), r.getString(1));
    }
    return out;
  }

  private static void writeEvents(
      SparkSession spark,
      Lake lake,
      PanelConfig panel,
      NormalisationModel model,
      Map<String, String> batchOf) {
    if (batchOf.isEmpty()) {
      return;
    }
    TableSchema contract = TableSchema.normalisedEvents(lake.schemasDir(), panel);
    Dataset<Row> raw =
        lake.read(spark, panel.eventsTable())
            .where(functions.col("sample_id").isin(batchOf.keySet().toArray()));
    Column[] cols = contract.columnNames().stream().map(functions::col).toArray(Column[]::new);
    raw = raw.select(cols);
    int[] index = new int[model.columns().size()];
    for (int c = 0; c < index.length; c++) {
      index[c] = contract.columnNames().indexOf(model.columns().get(c));
    }
    Map<String, double[][][]> knots = new HashMap<>();
    new TreeSet<>(batchOf.values()).forEach(b -> knots.put(b, model.knots(b)));
    // the knots (batches x columns x 2 x quantiles) and the sample -> batch map go to each
    // executor once, not with every task
    var jsc = new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext());
    Dataset<Row> out =
        raw.mapPartitions(
            new NormalisePartition(
                contract.columnNames().indexOf("sample_id"),
                index,
                jsc.broadcast(new HashMap<>(batchOf)),
                jsc.broadcast(knots),
                model.clustering() == null ? null : jsc.broadcast(model.clustering())),
            Encoders.row(raw.schema()));
    lake.write(out, contract, SaveMode.Overwrite);
  }

  private static void removeSamples(
      SparkSession spark,
      Lake lake,
      PanelConfig panel,
      Set<String> remove,
      Map<String, String> previous,
      Map<String, String> visits) {
    if (remove.isEmpty() || !lake.exists(spark, panel.normalisedEventsTable())) {
      return;
    }
    Map<String, String> where = new HashMap<>();
    for (Row r :
        lake.read(spark, panel.normalisedEventsTable())
            .where(functions.col("sample_id").isin(remove.toArray()))
            .select("sample_id", "visit")
            .distinct()
            .collectAsList()) {
      where.put(r.getString(0), r.getString(1));
    }
    List<String> partitions = new ArrayList<>();
    where.forEach((id, visit) -> partitions.add("visit=" + visit + "/sample_id=" + id));
    lake.deletePartitions(spark, panel.normalisedEventsTable(), partitions);
  }

  /** A panel no longer normalised reads its ingested values again: its table goes. */
  private static void dropNormalised(SparkSession spark, Lake lake, PanelConfig panel) {
    if (!lake.exists(spark, panel.normalisedEventsTable())) {
      return;
    }
    List<String> partitions = new ArrayList<>();
    for (Row r :
        lake.read(spark, panel.normalisedEventsTable())
            .select("sample_id", "visit")
            .distinct()
            .collectAsList()) {
      partitions.add("visit=" + r.getString(1) + "/sample_id=" + r.getString(0));
    }
    lake.deletePartitions(spark, panel.normalisedEventsTable(), partitions);
    try {
      org.apache.hadoop.fs.Path p =
          new org.apache.hadoop.fs.Path(lake.table(panel.normalisedEventsTable()));
      p.getFileSystem(Lake.hadoopConf(spark)).delete(p, true);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(
          "Cannot remove table "
              + panel.normalisedEventsTable()
              + " of a panel no longer normalised",
          e);
    }
    LOG.warn(
        "normalise: panel {} is no longer in conf/normalisation.yaml: {} removed; gate and"
            + " cluster read {} again",
        panel.code(),
        panel.normalisedEventsTable(),
        panel.eventsTable());
  }

  /**
   * {@code normalisation_models}: every other panel's and version's rows as they were; of each
   * panel's version in use, the rows of batches kept as they were and new rows for the batches
   * (and, for a new version, the goal) computed now.
   */
  private static void writeModels(
      SparkSession spark,
      Lake lake,
      JobRun run,
      Map<String, NormalisationModel> models,
      List<PanelResult> results) {
    TableSchema contract = lake.schema(NormaliseFrames.MODELS);
    List<Row> fresh = new ArrayList<>();
    Dataset<Row> old =
        lake.exists(spark, NormaliseFrames.MODELS)
            ? lake.read(spark, contract)
            : spark.createDataFrame(List.of(), contract.sparkSchema());
    Column keep = functions.lit(true);
    for (PanelResult p : results) {
      NormalisationModel m = models.get(p.panel());
      Set<String> now = new TreeSet<>(p.fitted());
      for (Row r : NormaliseFrames.modelRows(m, run)) {
        String batch = r.getString(3);
        if (p.newVersion() || now.contains(batch)) {
          fresh.add(r);
        }
      }
      Column thisVersion =
          functions
              .col("panel")
              .equalTo(p.panel())
              .and(functions.col("model_version").equalTo(m.version()));
      Set<String> kept = new TreeSet<>(m.batches().keySet());
      kept.removeAll(now);
      kept.add(org.cytolake.normalise.ModelRow.GOAL_BATCH);
      Column keepRow =
          p.newVersion() ? functions.lit(false) : functions.col("batch").isin(kept.toArray());
      keep = keep.and(functions.not(thisVersion).or(keepRow));
    }
    Dataset<Row> rows =
        old.where(keep)
            .select(contract.columnNames().stream().map(functions::col).toArray(Column[]::new))
            .unionByName(rowsFrame(spark, fresh, contract))
            .localCheckpoint();
    lake.write(rows, contract, SaveMode.Overwrite);
  }

  /**
   * Driver-side rows as a frame spread over tasks of about 20,000 rows each (a model of a few
   * hundred batches has 10^5 rows: one local relation would ship them all in one task).
   */
  private static Dataset<Row> rowsFrame(SparkSession spark, List<Row> rows, TableSchema contract) {
    int slices = Math.max(1, rows.size() / 20_000 + 1);
    return spark.createDataFrame(
        new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
            .parallelize(rows, slices),
        contract.sparkSchema());
  }

  /** {@code normalisation_samples}: this run's rows plus other panels' rows as they were. */
  private static List<Row> keepOtherPanels(
      SparkSession spark, Lake lake, List<Row> rows, Set<String> panels) {
    List<Row> out = new ArrayList<>(rows);
    if (lake.exists(spark, NormaliseFrames.SAMPLES)) {
      TableSchema contract = lake.schema(NormaliseFrames.SAMPLES);
      out.addAll(
          lake.read(spark, contract)
              .where(functions.not(functions.col("panel").isin(panels.toArray())))
              .select(contract.columnNames().stream().map(functions::col).toArray(Column[]::new))
              .collectAsList());
    }
    return out;
  }

  private static Row sampleRow(
      NormalisationPlan.SampleInfo s,
      PanelConfig panel,
      String batch,
      String status,
      String source,
      NormalisationModel model,
      String key,
      JobRun run) {
    List<String> flat = model == null ? List.of() : model.unnormalised(batch);
    return RowFactory.create(
        s.sampleId(),
        panel.code(),
        s.control(),
        batch,
        status,
        source,
        model == null ? null : model.version(),
        key,
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
