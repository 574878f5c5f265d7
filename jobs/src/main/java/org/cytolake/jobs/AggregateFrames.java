package org.cytolake.jobs;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.aggregate.AggregateConfig;
import org.cytolake.aggregate.CohortDefinition;
import org.cytolake.aggregate.FeatureScale;
import org.cytolake.lake.Lake;

/**
 * The frames {@link AggregateJob} builds from the lake's tables: joins and counts in Spark; every
 * rule they apply (a formula, a name, a verdict) is a method of the {@code aggregate} core,
 * called through a UDF ({@link AggregateUdfs}). A sample's features are {@link SampleFeatures},
 * the differential table's input {@link DifferentialInputFrame}.
 */
final class AggregateFrames {
  private AggregateFrames() {}

  /** patient_id, disease, cohort (code, or the disease when unknown), known. */
  static Dataset<Row> patientCohorts(SparkSession spark, Lake lake, AggregateConfig agg) {
    List<Row> map = new ArrayList<>();
    for (CohortDefinition c : agg.cohorts().values()) {
      map.add(RowFactory.create(c.code(), c.code()));
      for (String d : c.diseases()) {
        map.add(RowFactory.create(d, c.code()));
      }
    }
    Dataset<Row> codes =
        spark
            .createDataFrame(
                map,
                new StructType()
                    .add("disease", DataTypes.StringType, false)
                    .add("code", DataTypes.StringType, false))
            .dropDuplicates("disease");
    return lake.read(spark, "patients")
        .select(col("patient_id"), col("cohort").as("disease"))
        .join(functions.broadcast(codes), "disease", "left")
        .withColumn("known", col("code").isNotNull())
        .withColumn("cohort", coalesce(col("code"), col("disease")))
        .drop("code");
  }

  /**
   * The rows of {@code immunophenotype} but its run id: every {@link SampleFeatures feature of
   * every sample} with its patient, cohort, visit, study day and wide column, and the same
   * feature at the patient's baseline visit; change, fold change and linear ratio by the
   * feature's {@link FeatureScale}.
   *
   * @param patients {@link #patientCohorts}
   */
  static Dataset<Row> immunophenotype(
      SparkSession spark,
      Lake lake,
      AggregateConfig agg,
      Map<String, Map<String, FeatureScale>> medianScales,
      Dataset<Row> patients,
      String baseline) {
    Dataset<Row> sampleMeta =
        PatientSamples.read(spark, lake)
            .select("sample_id", "patient_id", "visit", "study_day", "panel")
            .join(patients.select("patient_id", "cohort"), "patient_id");
    Dataset<Row> values =
        SampleFeatures.of(spark, lake, agg, medianScales)
            .join(sampleMeta.drop("panel"), "sample_id")
            .withColumn(
                "wide_column",
                AggregateUdfs.WIDE_COLUMN.apply(col("panel"), col("feature"), col("statistic")));
    Dataset<Row> base =
        values
            .filter(col("visit").equalTo(baseline))
            .select(
                col("patient_id"),
                col("panel"),
                col("feature"),
                col("statistic"),
                col("value").as("baseline_value"));
    return values
        .join(
            base,
            scala.jdk.javaapi.CollectionConverters.asScala(
                    List.of("patient_id", "panel", "feature", "statistic"))
                .toSeq(),
            "left")
        .withColumn(
            "change", AggregateUdfs.CHANGE.apply(col("scale"), col("value"), col("baseline_value")))
        .withColumn(
            "fold_change",
            AggregateUdfs.FOLD_CHANGE.apply(col("scale"), col("value"), col("baseline_value")))
        .withColumn(
            "linear_ratio",
            AggregateUdfs.LINEAR_RATIO.apply(col("scale"), col("value"), col("baseline_value")));
  }

  /**
   * The rows of {@code safety_summary} but its run id: adverse events per cohort (and the pooled
   * cohort) × term × grade; null when the lake has no {@code adverse_events}.
   */
  static Dataset<Row> safety(SparkSession spark, Lake lake, String pooled, Dataset<Row> patients) {
    if (!lake.exists(spark, "adverse_events")) {
      return null;
    }
    Dataset<Row> denominators =
        patients.groupBy("cohort").agg(functions.countDistinct("patient_id").as("cohort_patients"));
    denominators =
        denominators.unionByName(
            patients
                .agg(functions.countDistinct("patient_id").as("cohort_patients"))
                .withColumn("cohort", lit(pooled)));
    Dataset<Row> ae =
        lake.read(spark, "adverse_events")
            .join(patients.select("patient_id", "cohort"), "patient_id")
            .withColumn("term", coalesce(col("decoded_term"), col("term")))
            .withColumn("is_related", AggregateUdfs.IS_RELATED.apply(col("related")))
            .withColumn("is_serious", coalesce(col("serious"), lit(false)));
    ae = ae.unionByName(ae.withColumn("cohort", lit(pooled)));
    return ae.groupBy("cohort", "term", "grade")
        .agg(
            functions.countDistinct("patient_id").as("patients"),
            functions.count(lit(1)).as("events"),
            functions
                .sum(when(col("is_related"), 1).otherwise(0))
                .cast("long")
                .as("related_events"),
            functions
                .countDistinct(when(col("is_related"), col("patient_id")))
                .as("related_patients"),
            functions
                .sum(when(col("is_serious"), 1).otherwise(0))
                .cast("long")
                .as("serious_events"))
        .join(denominators, "cohort")
        .withColumn("pct_patients", col("patients").multiply(100.0).divide(col("cohort_patients")))
        .orderBy("cohort", "term", "grade");
  }
}
