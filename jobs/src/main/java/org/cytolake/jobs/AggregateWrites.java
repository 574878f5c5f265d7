package org.cytolake.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.aggregate.AggregateConfig;
import org.cytolake.aggregate.AggregateRows;
import org.cytolake.aggregate.ClinicalResponse;
import org.cytolake.aggregate.CohortSummary;
import org.cytolake.aggregate.FeatureNames;
import org.cytolake.aggregate.Observation;
import org.cytolake.config.VisitSchedule;
import org.cytolake.lake.Lake;
import org.cytolake.tables.TableSchema;

/**
 * The tables the aggregate job derives from {@code immunophenotype} and the clinical tables:
 * {@code immunophenotype_wide} (a pivot), {@code cohort_summary} and {@code clinical_response}
 * (collected to the driver and computed there by the {@code aggregate} core, {@link
 * AggregateRows}) and {@code safety_summary}. Each is replaced through its contract.
 */
final class AggregateWrites {
  private AggregateWrites() {}

  /**
   * The diseases of {@code patients} ({@link AggregateFrames#patientCohorts}) that no cohort of
   * conf/cohorts.yaml lists, sorted; none without cohorts.yaml (every disease is then a cohort of
   * its own, as documented).
   */
  static List<String> unknownDiseases(AggregateConfig agg, Dataset<Row> patients) {
    if (agg.cohorts().isEmpty()) {
      return List.of();
    }
    return patients
        .filter(col("known").equalTo(false))
        .select("disease")
        .distinct()
        .orderBy("disease")
        .collectAsList()
        .stream()
        .map(r -> r.getString(0))
        .toList();
  }

  /**
   * Writes {@code immunophenotype_wide}, one row per patient × visit and one column per feature;
   * returns the feature columns.
   *
   * @throws IllegalArgumentException when two features share a wide column ({@link
   *     FeatureNames#columns})
   */
  static List<String> wide(SparkSession spark, Lake lake, Dataset<Row> immuno, String runId) {
    List<String> wideColumns =
        immuno.select("wide_column").distinct().orderBy("wide_column").collectAsList().stream()
            .map(r -> r.getString(0))
            .toList();
    FeatureNames.columns(
        immuno.select("panel", "feature", "statistic").distinct().collectAsList().stream()
            .map(r -> new Observation.FeatureKey(r.getString(0), r.getString(1), r.getString(2)))
            .toList());
    Dataset<Row> wide =
        immuno
            .groupBy("patient_id", "cohort", "visit")
            .pivot("wide_column", new ArrayList<>(wideColumns))
            .agg(functions.first("value"))
            .join(
                immuno
                    .groupBy("patient_id", "visit")
                    .agg(functions.min("study_day").as("study_day")),
                scala.jdk.javaapi.CollectionConverters.asScala(List.of("patient_id", "visit"))
                    .toSeq())
            .withColumn("aggregate_run_id", lit(runId));
    lake.write(
        wide,
        TableSchema.wide(lake.schemasDir(), "immunophenotype_wide", wideColumns),
        SaveMode.Overwrite);
    return wideColumns;
  }

  /**
   * Writes {@code cohort_summary}: {@link CohortSummary} on the driver over the collected {@code
   * immunophenotype} (patients × visits × features: thousands of rows, not events); returns its
   * rows.
   */
  static long cohortSummary(
      SparkSession spark,
      Lake lake,
      AggregateConfig agg,
      VisitSchedule visits,
      Dataset<Row> immuno,
      String runId) {
    List<Observation> obs = new ArrayList<>();
    for (Row r :
        immuno
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
          AggregateRows.observation(
              r.getString(0),
              r.getString(1),
              r.getString(2),
              r.getString(3),
              r.getString(4),
              r.getString(5),
              r.getString(6),
              r.isNullAt(7) ? null : r.getDouble(7),
              r.isNullAt(8) ? null : r.getDouble(8)));
    }
    List<Row> rows =
        CohortSummary.summarise(obs, visits.baseline(), agg.pooled(), visits.codes()).stream()
            .map(s -> RowFactory.create(AggregateRows.cohortSummary(s, visits, runId)))
            .toList();
    TableSchema contract = lake.schema("cohort_summary");
    lake.write(spark.createDataFrame(rows, contract.sparkSchema()), contract, SaveMode.Overwrite);
    return rows.size();
  }

  /**
   * Writes {@code clinical_response}: every disease score of a patient of a known cohort, scored
   * by the cohort's rule ({@link ClinicalResponse}, on the driver); empty without {@code
   * disease_scores}. Returns its rows.
   */
  static long clinicalResponse(
      SparkSession spark,
      Lake lake,
      AggregateConfig agg,
      Dataset<Row> patients,
      VisitSchedule visits,
      String runId) {
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
        rows.add(RowFactory.create(AggregateRows.clinicalResponse(cr, runId)));
      }
    }
    lake.write(spark.createDataFrame(rows, contract.sparkSchema()), contract, SaveMode.Overwrite);
    return rows.size();
  }

  /**
   * Writes {@code safety_summary} ({@link AggregateFrames#safety}; empty without adverse events);
   * returns its rows.
   */
  static long safety(
      SparkSession spark, Lake lake, AggregateConfig agg, Dataset<Row> patients, String runId) {
    TableSchema contract = lake.schema("safety_summary");
    Dataset<Row> out = AggregateFrames.safety(spark, lake, agg.pooled(), patients);
    lake.write(
        out == null
            ? spark.createDataFrame(List.of(), contract.sparkSchema())
            : out.withColumn("aggregate_run_id", lit(runId)),
        contract,
        SaveMode.Overwrite);
    return lake.read(spark, "safety_summary").count();
  }
}
