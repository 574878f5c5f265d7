package org.cytolake.jobs;

import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.cytolake.aggregate.AggregateConfig;
import org.cytolake.aggregate.ClinicalResponse;
import org.cytolake.aggregate.CohortSummary;
import org.cytolake.aggregate.FeatureScale;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.DifferentialConfig;
import org.cytolake.config.VisitSchedule;
import org.cytolake.differential.DifferentialAnalysis;
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
 *       per-sample values with their event counts, {@link AggregateDifferential}):
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
    List<String> unknown = AggregateWrites.unknownDiseases(agg, patients);
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
    List<String> wideColumns = AggregateWrites.wide(spark, lake, written, run.runId());

    step(spark, run, 4, "write cohort_summary");
    long summaryRows =
        AggregateWrites.cohortSummary(spark, lake, agg, visits, written, run.runId());

    step(spark, run, 5, "write clinical_response");
    long responseRows =
        AggregateWrites.clinicalResponse(spark, lake, agg, patients, visits, run.runId());

    step(spark, run, 6, "write safety_summary");
    long safetyRows = AggregateWrites.safety(spark, lake, agg, patients, run.runId());

    step(spark, run, 7, "write differential");
    DifferentialAnalysis.Result diff =
        AggregateDifferential.write(spark, lake, agg, differential, visits, written, run.runId());
    diff.warnings().forEach(w -> LOG.warn("aggregate {}: {}", run.runId(), w));

    long nPatients = written.select("patient_id").distinct().count();
    String summaryPath = lake.runSummary(run.runId(), "aggregate");
    Result result =
        new Result(
            run.runId(),
            nPatients,
            wideColumns.size(),
            written.count(),
            lake.read(spark, "immunophenotype_wide").count(),
            summaryRows,
            responseRows,
            safetyRows,
            unknown,
            summaryPath,
            diff.rows().size(),
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
        summaryRows,
        responseRows,
        safetyRows);
    spark.sparkContext().setJobDescription(null);
    return result;
  }

  private static void step(SparkSession spark, JobRun run, int n, String what) {
    String d = "aggregate " + n + "/" + STEPS + ": " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info("{} [{}]", d, run.runId());
  }
}
