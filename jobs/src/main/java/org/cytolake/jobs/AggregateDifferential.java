package org.cytolake.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.cytolake.aggregate.AggregateConfig;
import org.cytolake.aggregate.FeatureScale;
import org.cytolake.config.DifferentialConfig;
import org.cytolake.config.VisitSchedule;
import org.cytolake.differential.DifferentialAnalysis;
import org.cytolake.differential.DifferentialFeature;
import org.cytolake.differential.DifferentialInputs;
import org.cytolake.differential.FeatureSample;
import org.cytolake.lake.Lake;
import org.cytolake.tables.TableSchema;

/**
 * The aggregate job's {@code differential} table: the per-sample features with their events
 * ({@link DifferentialInputFrame}) and the patients' covariates, collected to the
 * driver (patients × visits × features: thousands of rows), one {@link DifferentialAnalysis} over
 * all of them; the rows are written through the table's contract.
 */
final class AggregateDifferential {
  private AggregateDifferential() {}

  /** Tests every feature, writes {@code differential} and returns the analysis's result. */
  static DifferentialAnalysis.Result write(
      SparkSession spark,
      Lake lake,
      AggregateConfig agg,
      DifferentialConfig differential,
      VisitSchedule visits,
      Dataset<Row> immuno,
      String runId) {
    DifferentialAnalysis.Result diff = analyse(spark, lake, agg, differential, visits, immuno);
    TableSchema contract = lake.schema("differential");
    List<Row> rows = diff.rows().stream().map(d -> RowFactory.create(d.values(runId))).toList();
    lake.write(spark.createDataFrame(rows, contract.sparkSchema()), contract, SaveMode.Overwrite);
    return diff;
  }

  private static DifferentialAnalysis.Result analyse(
      SparkSession spark,
      Lake lake,
      AggregateConfig agg,
      DifferentialConfig differential,
      VisitSchedule visits,
      Dataset<Row> immuno) {
    Map<String, DifferentialInputs.Covariates> covariates = covariates(spark, lake, differential);
    Map<DifferentialFeature, List<FeatureSample>> features = new TreeMap<>();
    for (Row r : DifferentialInputFrame.of(spark, lake, agg, immuno).collectAsList()) {
      DifferentialFeature f =
          new DifferentialFeature(
              r.getAs("panel"),
              r.getAs("feature"),
              r.getAs("statistic"),
              r.getAs("kind"),
              FeatureScale.parse(r.getAs("scale")));
      String patient = r.getAs("patient_id");
      features
          .computeIfAbsent(f, k -> new ArrayList<>())
          .add(
              DifferentialInputs.sample(
                  patient,
                  r.getAs("cohort"),
                  r.getAs("visit"),
                  (Number) r.getAs("value"),
                  (Number) r.getAs("events"),
                  (Number) r.getAs("parent_events"),
                  covariates.getOrDefault(patient, DifferentialInputs.Covariates.NONE)));
    }
    return new DifferentialAnalysis(differential, visits.baseline(), visits.codes(), agg.pooled())
        .analyse(features);
  }

  /** Every patient's covariates of conf/differential.yaml; none when it names none. */
  private static Map<String, DifferentialInputs.Covariates> covariates(
      SparkSession spark, Lake lake, DifferentialConfig differential) {
    Map<String, DifferentialInputs.Covariates> out = new HashMap<>();
    if (differential.covariates().isEmpty()) {
      return out;
    }
    List<String> cols = new ArrayList<>(List.of("patient_id"));
    cols.addAll(differential.covariates());
    for (Row r :
        lake.read(spark, "patients").selectExpr(cols.toArray(String[]::new)).collectAsList()) {
      Map<String, Object> columns = new LinkedHashMap<>();
      for (int i = 1; i < cols.size(); i++) {
        columns.put(cols.get(i), r.get(i));
      }
      out.put(r.getString(0), DifferentialInputs.covariates(columns));
    }
    return out;
  }
}
