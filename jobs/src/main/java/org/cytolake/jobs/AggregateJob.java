package org.cytolake.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.aggregate.AggregateConfig;
import org.cytolake.aggregate.ClinicalResponse;
import org.cytolake.aggregate.CohortSummary;
import org.cytolake.aggregate.FeatureNames;
import org.cytolake.aggregate.FeatureScale;
import org.cytolake.aggregate.Observation;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.DifferentialConfig;
import org.cytolake.config.VisitSchedule;
import org.cytolake.differential.DifferentialAnalysis;
import org.cytolake.differential.DifferentialFeature;
import org.cytolake.differential.DifferentialRow;
import org.cytolake.differential.FeatureSample;
import org.cytolake.lake.Lake;
import org.cytolake.tables.TableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregation per disease cohort: turns the gated populations, marker medians and metacluster
 * abundances of every sample into analysis-ready tables per patient and cohort, and summarises the
 * clinical scores and adverse events.
 *
 * <ol>
 *   <li>Load conf/ ({@code cohorts.yaml}, {@code features.yaml}, {@code visits.yaml},
 *       {@code differential.yaml}) and the contracts.
 *   <li>Build every sample's features (populations, absolute counts, marker medians, ratios,
 *       metaclusters), each with its {@link FeatureScale} (a marker median in the units of its
 *       channel's transform in {@code panels.yaml}), attach patient, cohort and visit, and the
 *       baseline value of the same feature; change, fold change (non-negative quantities only)
 *       and linear ratio (intensities only) by the scale's rules ({@link AggregateFrames}, which
 *       applies the {@code aggregate} core's rules through UDFs): write {@code immunophenotype}.
 *   <li>Pivot to one row per patient × visit: write {@code immunophenotype_wide}.
 *   <li>Summarise per cohort (and pooled) × visit × feature with {@link CohortSummary} on the
 *       driver (the table is patients × visits × features: thousands of rows, not events): write
 *       {@code cohort_summary}.
 *   <li>Score response per patient × visit by the cohort's rule ({@link ClinicalResponse}, on the
 *       driver): write {@code clinical_response}.
 *   <li>Count adverse events per cohort × term × grade, related ones by
 *       {@link org.cytolake.aggregate.AdverseEvents}: write {@code safety_summary}.
 *   <li>Test every feature's visit effects against baseline with {@link DifferentialAnalysis} on
 *       the driver (one mixed model per feature over all cohorts and visits, on the collected
 *       per-sample values with their event counts, {@link AggregateFrames#differentialInput}):
 *       write {@code differential}.
 * </ol>
 *
 * All six tables are replaced on every run.
 */
public final class AggregateJob {
  private static final Logger LOG = LoggerFactory.getLogger(AggregateJob.class);
  private static final int STEPS = 7;

  private AggregateJob() {}

  /**
   * @param lake lake root (any Hadoop path)
   * @param conf configuration directory
   * @param schemas directory of the table contracts
   * @param runId run id to record, or null for a new one
   */
  public record Options(String lake, Path conf, Path schemas, String runId) {}

  /**
   * @param patients patients with at least one feature
   * @param features distinct features (panel × feature × statistic)
   * @param immunophenotypeRows rows written per table, likewise below
   * @param unknownDiseases patients.cohort values no cohort of conf/cohorts.yaml lists
   * @param differentialRows rows of {@code differential}
   * @param differentialWarnings a primary endpoint without data or not tested
   */
  public record Result(
      String runId,
      long patients,
      long features,
      long immunophenotypeRows,
      long wideRows,
      long cohortSummaryRows,
      long clinicalResponseRows,
      long safetyRows,
      List<String> unknownDiseases,
      String summaryPath,
      long differentialRows,
      List<String> differentialWarnings) {}

  /** Aggregates the lake of {@code o}, loading the configuration; tests call this directly. */
  public static Result run(SparkSession spark, Options o) throws IOException {
    return run(RunContext.open(spark, o.lake(), o.conf(), o.schemas(), o.runId()));
  }

  /** Aggregates within a run. */
  public static Result run(RunContext ctx) throws IOException {
    SparkSession spark = ctx.spark();
    JobRun run = ctx.run();
    step(spark, run, 1, "load configuration");
    CytolakeConfig config = ctx.config();
    AggregateConfig agg = ctx.steps().aggregate();
    DifferentialConfig differential = ctx.steps().differential();
    Map<String, Map<String, FeatureScale>> medianScales =
        FeatureScale.markerMedians(
            ctx.conf().resolve("features.yaml"), config.panels(), agg.features().allMedians());
    VisitSchedule visits = config.visits();
    String baseline = visits.baseline();
    Lake lake = ctx.lake();
    for (String t : List.of("samples", "patients", "populations")) {
      if (!lake.exists(spark, t)) {
        throw new IllegalStateException(
            "Cannot aggregate lake '"
                + lake.root()
                + "': table "
                + t
                + " is missing (run ingest-clinical, ingest-fcs and gate first)");
      }
    }

    Dataset<Row> patients = AggregateFrames.patientCohorts(spark, lake, agg);
    // Without cohorts.yaml every disease is a cohort of its own, as documented: nothing to warn.
    List<String> unknown =
        agg.cohorts().isEmpty()
            ? List.of()
            : patients
                .filter(col("known").equalTo(false))
                .select("disease")
                .distinct()
                .orderBy("disease")
                .collectAsList()
                .stream()
                .map(r -> r.getString(0))
                .toList();
    if (!unknown.isEmpty()) {
      LOG.warn(
          "aggregate {}: diseases {} are in no cohort of {}; their patients keep the disease"
              + " as cohort and get no clinical response",
          run.runId(),
          unknown,
          ctx.conf().resolve("cohorts.yaml"));
    }

    step(spark, run, 2, "build immunophenotype");
    Dataset<Row> immuno =
        AggregateFrames.immunophenotype(spark, lake, agg, medianScales, patients, baseline)
            .withColumn("aggregate_run_id", lit(run.runId()));
    TableSchema immunoContract = lake.schema("immunophenotype");
    lake.write(immuno, immunoContract, SaveMode.Overwrite);
    Dataset<Row> written = lake.read(spark, "immunophenotype").cache();

    step(spark, run, 3, "write immunophenotype_wide");
    List<String> wideColumns =
        written.select("wide_column").distinct().orderBy("wide_column").collectAsList().stream()
            .map(r -> r.getString(0))
            .toList();
    checkWideNames(written);
    Dataset<Row> wide =
        written
            .groupBy("patient_id", "cohort", "visit")
            .pivot("wide_column", new ArrayList<>(wideColumns))
            .agg(functions.first("value"))
            .join(
                written
                    .groupBy("patient_id", "visit")
                    .agg(functions.min("study_day").as("study_day")),
                scala.jdk.javaapi.CollectionConverters.asScala(List.of("patient_id", "visit"))
                    .toSeq())
            .withColumn("aggregate_run_id", lit(run.runId()));
    lake.write(
        wide,
        TableSchema.wide(lake.schemasDir(), "immunophenotype_wide", wideColumns),
        SaveMode.Overwrite);

    step(spark, run, 4, "write cohort_summary");
    List<Observation> obs = new ArrayList<>();
    for (Row r :
        written
            .select(
                "patient_id",
                "cohort",
                "visit",
                "panel",
                "feature",
                "statistic",
                "scale",
                "value",
                "baseline_value")
            .collectAsList()) {
      obs.add(
          new Observation(
              r.getString(0),
              r.getString(1),
              r.getString(2),
              r.getString(3),
              r.getString(4),
              r.getString(5),
              FeatureScale.parse(r.getString(6)),
              r.isNullAt(7) ? Double.NaN : r.getDouble(7),
              r.isNullAt(8) ? Double.NaN : r.getDouble(8)));
    }
    List<CohortSummary.Row> summary =
        CohortSummary.summarise(obs, baseline, agg.pooled(), visits.codes());
    TableSchema summaryContract = lake.schema("cohort_summary");
    List<Row> summaryRows = new ArrayList<>();
    for (CohortSummary.Row s : summary) {
      summaryRows.add(
          RowFactory.create(
              s.cohort(),
              s.visit(),
              visits.find(s.visit()).map(VisitSchedule.Visit::studyDay).orElse(null),
              s.feature().panel(),
              s.feature().feature(),
              s.feature().statistic(),
              s.scale().label(),
              FeatureNames.column(s.feature()),
              s.values().n(),
              nul(s.values().mean()),
              nul(s.values().sd()),
              nul(s.values().median()),
              nul(s.values().q1()),
              nul(s.values().q3()),
              s.nPaired(),
              nul(s.medianChange()),
              s.nRatio(),
              nul(s.medianFoldChange()),
              nul(s.medianLinearRatio()),
              s.nNonzero(),
              nul(s.wilcoxonV()),
              nul(s.p()),
              s.exact(),
              nul(s.q()),
              run.runId()));
    }
    lake.write(
        spark.createDataFrame(summaryRows, summaryContract.sparkSchema()),
        summaryContract,
        SaveMode.Overwrite);

    step(spark, run, 5, "write clinical_response");
    long responseRows = writeClinicalResponse(spark, lake, agg, patients, visits, run);

    step(spark, run, 6, "write safety_summary");
    long safetyRows = writeSafety(spark, lake, agg, patients, run);

    step(spark, run, 7, "write differential");
    DifferentialAnalysis.Result diff =
        differential(spark, lake, agg, differential, visits, written);
    diff.warnings().forEach(w -> LOG.warn("aggregate {}: {}", run.runId(), w));
    TableSchema diffContract = lake.schema("differential");
    List<Row> diffRows = new ArrayList<>();
    for (DifferentialRow d : diff.rows()) {
      diffRows.add(
          RowFactory.create(
              d.panel(),
              d.feature(),
              d.kind(),
              d.statistic(),
              d.cohort(),
              d.visit(),
              nul(d.estimate()),
              nul(d.ciLow()),
              nul(d.ciHigh()),
              d.scale(),
              nul(d.p()),
              nul(d.q()),
              d.family(),
              d.tested(),
              d.whyNotTested(),
              d.model(),
              d.nPatients(),
              d.nSamples(),
              run.runId()));
    }
    lake.write(
        spark.createDataFrame(diffRows, diffContract.sparkSchema()),
        diffContract,
        SaveMode.Overwrite);

    long nPatients = written.select("patient_id").distinct().count();
    String summaryPath = lake.runSummary(run.runId(), "aggregate");
    Result result =
        new Result(
            run.runId(),
            nPatients,
            wideColumns.size(),
            written.count(),
            lake.read(spark, "immunophenotype_wide").count(),
            summaryRows.size(),
            responseRows,
            safetyRows,
            unknown,
            summaryPath,
            diffRows.size(),
            diff.warnings());
    written.unpersist();
    ctx.writeRunSummary("aggregate", result);
    LOG.info(
        "aggregate {}: {} patient(s), {} feature(s), {} immunophenotype row(s), {} "
            + "cohort_summary row(s), {} clinical_response row(s), {} safety_summary row(s)",
        run.runId(),
        nPatients,
        wideColumns.size(),
        result.immunophenotypeRows(),
        summaryRows.size(),
        responseRows,
        safetyRows);
    spark.sparkContext().setJobDescription(null);
    return result;
  }

  /**
   * The {@code differential} rows: the per-sample features with their events and the patients'
   * covariates, collected to the driver (patients × visits × features: thousands of rows), one
   * {@link DifferentialAnalysis} over all of them.
   */
  private static DifferentialAnalysis.Result differential(
      SparkSession spark,
      Lake lake,
      AggregateConfig agg,
      DifferentialConfig differential,
      VisitSchedule visits,
      Dataset<Row> immuno) {
    Map<String, Map<String, String>> factors = new HashMap<>();
    Map<String, Map<String, Double>> covariates = new HashMap<>();
    if (!differential.covariates().isEmpty()) {
      List<String> cols = new ArrayList<>(List.of("patient_id"));
      cols.addAll(differential.covariates());
      for (Row r :
          lake.read(spark, "patients").selectExpr(cols.toArray(String[]::new)).collectAsList()) {
        Map<String, String> f = new HashMap<>();
        Map<String, Double> c = new HashMap<>();
        for (int i = 1; i < cols.size(); i++) {
          String name = cols.get(i);
          if (r.isNullAt(i)) {
            continue;
          }
          if (DifferentialConfig.COVARIATE_COLUMNS.get(name)) {
            c.put(name, ((Number) r.get(i)).doubleValue());
          } else {
            f.put(name, String.valueOf(r.get(i)));
          }
        }
        factors.put(r.getString(0), f);
        covariates.put(r.getString(0), c);
      }
    }
    Map<DifferentialFeature, List<FeatureSample>> features = new TreeMap<>();
    for (Row r : AggregateFrames.differentialInput(spark, lake, agg, immuno).collectAsList()) {
      DifferentialFeature f =
          new DifferentialFeature(
              r.getAs("panel"),
              r.getAs("feature"),
              r.getAs("statistic"),
              r.getAs("kind"),
              FeatureScale.parse(r.getAs("scale")));
      String patient = r.getAs("patient_id");
      Object value = r.getAs("value");
      Object events = r.getAs("events");
      Object parent = r.getAs("parent_events");
      features
          .computeIfAbsent(f, k -> new ArrayList<>())
          .add(
              new FeatureSample(
                  patient,
                  r.getAs("cohort"),
                  r.getAs("visit"),
                  value == null ? Double.NaN : ((Number) value).doubleValue(),
                  events == null ? -1 : ((Number) events).longValue(),
                  parent == null ? -1 : ((Number) parent).longValue(),
                  factors.getOrDefault(patient, Map.of()),
                  covariates.getOrDefault(patient, Map.of())));
    }
    return new DifferentialAnalysis(differential, visits.baseline(), visits.codes(), agg.pooled())
        .analyse(features);
  }

  /** Fails when two features share a wide column ({@link FeatureNames#columns}). */
  private static void checkWideNames(Dataset<Row> immuno) {
    FeatureNames.columns(
        immuno.select("panel", "feature", "statistic").distinct().collectAsList().stream()
            .map(r -> new Observation.FeatureKey(r.getString(0), r.getString(1), r.getString(2)))
            .toList());
  }

  private static long writeClinicalResponse(
      SparkSession spark,
      Lake lake,
      AggregateConfig agg,
      Dataset<Row> patients,
      VisitSchedule visits,
      JobRun run) {
    TableSchema contract = lake.schema("clinical_response");
    List<Row> rows = new ArrayList<>();
    if (lake.exists(spark, "disease_scores")) {
      List<ClinicalResponse.Score> scores =
          lake
              .read(spark, "disease_scores")
              .filter(col("value").isNotNull())
              .join(patients.filter(col("known")).select("patient_id", "cohort"), "patient_id")
              .select("patient_id", "cohort", "test_code", "visit", "study_day", "value")
              .collectAsList()
              .stream()
              .map(
                  r ->
                      new ClinicalResponse.Score(
                          r.getString(0),
                          r.getString(1),
                          r.getString(2),
                          r.getString(3),
                          r.isNullAt(4) ? null : r.getInt(4),
                          r.getDouble(5)))
              .toList();
      for (ClinicalResponse cr :
          ClinicalResponse.of(scores, agg.cohorts(), visits.baseline(), visits.order())) {
        rows.add(
            RowFactory.create(
                cr.patientId(),
                cr.cohort(),
                cr.visit(),
                cr.studyDay(),
                cr.scoreTest(),
                cr.value(),
                nul(cr.baseline()),
                nul(cr.change()),
                nul(cr.pctChange()),
                cr.responder(),
                cr.rule(),
                run.runId()));
      }
    }
    lake.write(spark.createDataFrame(rows, contract.sparkSchema()), contract, SaveMode.Overwrite);
    return rows.size();
  }

  private static long writeSafety(
      SparkSession spark, Lake lake, AggregateConfig agg, Dataset<Row> patients, JobRun run) {
    TableSchema contract = lake.schema("safety_summary");
    Dataset<Row> out = AggregateFrames.safety(spark, lake, agg.pooled(), patients);
    lake.write(
        out == null
            ? spark.createDataFrame(List.of(), contract.sparkSchema())
            : out.withColumn("aggregate_run_id", lit(run.runId())),
        contract,
        SaveMode.Overwrite);
    return lake.read(spark, "safety_summary").count();
  }

  private static Double nul(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static void step(SparkSession spark, JobRun run, int n, String what) {
    String d = "aggregate " + n + "/" + STEPS + ": " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info("{} [{}]", d, run.runId());
  }
}
