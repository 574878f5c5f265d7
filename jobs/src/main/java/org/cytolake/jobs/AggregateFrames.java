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
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.aggregate.AdverseEvents;
import org.cytolake.aggregate.AggregateConfig;
import org.cytolake.aggregate.CohortDefinition;
import org.cytolake.aggregate.FeatureNames;
import org.cytolake.aggregate.FeatureScale;
import org.cytolake.lake.Lake;

/**
 * The frames {@link AggregateJob} builds from the lake's tables: joins and counts in Spark; every
 * rule they apply (a formula, a name, a verdict) is a method of the {@code aggregate} core,
 * called through a UDF.
 */
final class AggregateFrames {
  /** {@link FeatureScale#change} of (scale label, value, baseline); null when either is. */
  private static final UserDefinedFunction CHANGE =
      functions
          .udf(
              (UDF3<String, Double, Double, Double>)
                  (scale, value, baseline) ->
                      value == null || baseline == null
                          ? null
                          : FeatureScale.parse(scale).change(value, baseline),
              DataTypes.DoubleType)
          .withName("change");

  /** {@link FeatureScale#foldChange} of (scale label, value, baseline); null when undefined. */
  private static final UserDefinedFunction FOLD_CHANGE =
      functions
          .udf(
              (UDF3<String, Double, Double, Double>)
                  (scale, value, baseline) ->
                      nul(FeatureScale.parse(scale).foldChange(nan(value), nan(baseline))),
              DataTypes.DoubleType)
          .withName("fold_change");

  /** {@link FeatureScale#linearRatio} of (scale label, value, baseline); null when undefined. */
  private static final UserDefinedFunction LINEAR_RATIO =
      functions
          .udf(
              (UDF3<String, Double, Double, Double>)
                  (scale, value, baseline) ->
                      nul(FeatureScale.parse(scale).linearRatio(nan(value), nan(baseline))),
              DataTypes.DoubleType)
          .withName("linear_ratio");

  /** {@link FeatureNames#column(String, String, String)} of (panel, feature, statistic). */
  private static final UserDefinedFunction WIDE_COLUMN =
      functions
          .udf((UDF3<String, String, String, String>) FeatureNames::column, DataTypes.StringType)
          .asNonNullable()
          .withName("wide_column");

  /** {@link AggregateConfig.AbsoluteCounts#counted} of (population path, reference path). */
  private static final UserDefinedFunction COUNTED =
      functions
          .udf(
              (UDF2<String, String, Boolean>) AggregateConfig.AbsoluteCounts::counted,
              DataTypes.BooleanType)
          .asNonNullable()
          .withName("counted");

  /** {@link AggregateConfig.Ratio#value} of (numerator count, denominator count). */
  private static final UserDefinedFunction RATIO =
      functions
          .udf(
              (UDF2<Long, Long, Double>)
                  (num, den) ->
                      num == null || den == null ? null : AggregateConfig.Ratio.value(num, den),
              DataTypes.DoubleType)
          .withName("ratio");

  /** {@link FeatureNames#markerMedian} of an events column. */
  private static final UserDefinedFunction MARKER_MEDIAN =
      functions
          .udf(
              (UDF1<String, String>) c -> c == null ? null : FeatureNames.markerMedian(c),
              DataTypes.StringType)
          .withName("marker_median");

  /** {@link FeatureNames#metacluster} of a metacluster number. */
  private static final UserDefinedFunction METACLUSTER =
      functions
          .udf(
              (UDF1<Integer, String>) m -> m == null ? null : FeatureNames.metacluster(m),
              DataTypes.StringType)
          .withName("metacluster");

  /** {@link AdverseEvents#isRelated} of {@code adverse_events.related}. */
  private static final UserDefinedFunction IS_RELATED =
      functions
          .udf((UDF1<String, Boolean>) AdverseEvents::isRelated, DataTypes.BooleanType)
          .asNonNullable()
          .withName("is_related");

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
   * The rows of {@code immunophenotype} but its run id: every {@link #sampleFeatures feature of
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
        lake.read(spark, "samples")
            .select("sample_id", "patient_id", "visit", "study_day", "panel")
            .join(patients.select("patient_id", "cohort"), "patient_id");
    Dataset<Row> values =
        sampleFeatures(spark, lake, agg, medianScales)
            .join(sampleMeta.drop("panel"), "sample_id")
            .withColumn(
                "wide_column", WIDE_COLUMN.apply(col("panel"), col("feature"), col("statistic")));
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
        .withColumn("change", CHANGE.apply(col("scale"), col("value"), col("baseline_value")))
        .withColumn(
            "fold_change", FOLD_CHANGE.apply(col("scale"), col("value"), col("baseline_value")))
        .withColumn(
            "linear_ratio", LINEAR_RATIO.apply(col("scale"), col("value"), col("baseline_value")));
  }

  /**
   * Every feature of every sample: sample_id, panel, feature, statistic, kind, scale (the
   * {@link FeatureScale#label()}), population, value.
   *
   * @param medianScales per panel and events column, the scale of its marker medians
   */
  static Dataset<Row> sampleFeatures(
      SparkSession spark,
      Lake lake,
      AggregateConfig agg,
      Map<String, Map<String, FeatureScale>> medianScales) {
    AggregateConfig.FeatureSettings fs = agg.features();
    Dataset<Row> pops = lake.read(spark, "populations");
    List<Dataset<Row>> parts = new ArrayList<>();
    for (String stat : List.of("pct_of_parent", "pct_of_total")) {
      parts.add(
          pops.select(
              col("sample_id"),
              col("panel"),
              col("population_name").as("feature"),
              lit(stat).as("statistic"),
              lit("population").as("kind"),
              lit(FeatureScale.percent().label()).as("scale"),
              col("population"),
              col(stat).as("value")));
    }
    if (fs.absolute() != null && lake.exists(spark, "labs")) {
      AggregateConfig.AbsoluteCounts a = fs.absolute();
      Dataset<Row> ref =
          pops.filter(col("population_name").equalTo(a.population()))
              .select(
                  col("sample_id"), col("population").as("ref_path"), col("count").as("ref_count"));
      Dataset<Row> lab =
          lake.read(spark, "labs")
              .filter(col("test_code").equalTo(a.labTest()).and(col("value").isNotNull()))
              .groupBy("patient_id", "visit")
              .agg(functions.avg("value").as("lab_value"));
      Dataset<Row> meta = lake.read(spark, "samples").select("sample_id", "patient_id", "visit");
      parts.add(
          pops.join(ref, "sample_id")
              .filter(COUNTED.apply(col("population"), col("ref_path")))
              .join(meta, "sample_id")
              .join(
                  lab,
                  scala.jdk.javaapi.CollectionConverters.asScala(List.of("patient_id", "visit"))
                      .toSeq())
              .select(
                  col("sample_id"),
                  col("panel"),
                  col("population_name").as("feature"),
                  lit("count_per_ul").as("statistic"),
                  lit("absolute_count").as("kind"),
                  lit(FeatureScale.count().label()).as("scale"),
                  col("population"),
                  cellsPerMicrolitre(a)
                      .apply(col("lab_value"), col("count"), col("ref_count"))
                      .as("value")));
    }
    if (!fs.medians().isEmpty() && lake.exists(spark, "population_medians")) {
      List<Row> wanted = new ArrayList<>();
      fs.medians()
          .forEach(
              (panel, byPop) ->
                  byPop.forEach(
                      (pop, cols) ->
                          cols.forEach(
                              c ->
                                  wanted.add(
                                      RowFactory.create(
                                          panel,
                                          pop,
                                          c,
                                          medianScales.get(panel).get(c).label())))));
      Dataset<Row> w =
          spark.createDataFrame(
              wanted,
              new StructType()
                  .add("panel", DataTypes.StringType)
                  .add("population_name", DataTypes.StringType)
                  .add("column", DataTypes.StringType)
                  .add("scale", DataTypes.StringType));
      Dataset<Row> med =
          lake.read(spark, "population_medians")
              .withColumn(
                  "population_name",
                  functions.element_at(functions.split(col("population"), "/"), -1));
      parts.add(
          med.join(
                  functions.broadcast(w),
                  scala.jdk.javaapi.CollectionConverters.asScala(
                          List.of("panel", "population_name", "column"))
                      .toSeq())
              .select(
                  col("sample_id"),
                  col("panel"),
                  col("population_name").as("feature"),
                  MARKER_MEDIAN.apply(col("column")).as("statistic"),
                  lit("marker_median").as("kind"),
                  col("scale"),
                  col("population"),
                  col("median").as("value")));
    }
    for (AggregateConfig.Ratio r : fs.ratios()) {
      Dataset<Row> num =
          pops.filter(
                  col("panel")
                      .equalTo(r.panel())
                      .and(col("population_name").equalTo(r.numerator())))
              .select(col("sample_id"), col("count").as("num"));
      Dataset<Row> den =
          pops.filter(
                  col("panel")
                      .equalTo(r.panel())
                      .and(col("population_name").equalTo(r.denominator())))
              .select(col("sample_id"), col("count").as("den"));
      parts.add(
          num.join(den, "sample_id")
              .select(
                  col("sample_id"),
                  lit(r.panel()).as("panel"),
                  lit(r.name()).as("feature"),
                  lit("ratio").as("statistic"),
                  lit("ratio").as("kind"),
                  lit(FeatureScale.countRatio().label()).as("scale"),
                  lit(r.population()).as("population"),
                  RATIO.apply(col("num"), col("den")).as("value")));
    }
    if (fs.clusterAlgorithm() != null
        && lake.exists(spark, "cluster_abundance")
        && lake.exists(spark, "clusters")) {
      Dataset<Row> labels =
          lake.read(spark, "clusters")
              .filter(col("algorithm").equalTo(fs.clusterAlgorithm()))
              .select("panel", "metacluster", "label");
      parts.add(
          lake.read(spark, "cluster_abundance")
              .filter(col("algorithm").equalTo(fs.clusterAlgorithm()))
              .join(
                  labels,
                  scala.jdk.javaapi.CollectionConverters.asScala(List.of("panel", "metacluster"))
                      .toSeq(),
                  "left")
              .select(
                  col("sample_id"),
                  col("panel"),
                  METACLUSTER.apply(col("metacluster")).as("feature"),
                  lit("pct_of_sample").as("statistic"),
                  lit("metacluster").as("kind"),
                  lit(FeatureScale.percent().label()).as("scale"),
                  col("label").as("population"),
                  col("pct_of_sample").as("value")));
      if (!fs.clusterMedians().isEmpty() && lake.exists(spark, "cluster_sample_medians")) {
        List<Row> wanted = new ArrayList<>();
        fs.clusterMedians()
            .forEach(
                (panel, cols) ->
                    cols.forEach(
                        c ->
                            wanted.add(
                                RowFactory.create(
                                    panel, c, medianScales.get(panel).get(c).label()))));
        Dataset<Row> w =
            spark.createDataFrame(
                wanted,
                new StructType()
                    .add("panel", DataTypes.StringType)
                    .add("column", DataTypes.StringType)
                    .add("scale", DataTypes.StringType));
        parts.add(
            lake.read(spark, "cluster_sample_medians")
                .filter(col("algorithm").equalTo(fs.clusterAlgorithm()))
                .join(
                    functions.broadcast(w),
                    scala.jdk.javaapi.CollectionConverters.asScala(List.of("panel", "column"))
                        .toSeq())
                .join(
                    labels,
                    scala.jdk.javaapi.CollectionConverters.asScala(List.of("panel", "metacluster"))
                        .toSeq(),
                    "left")
                .select(
                    col("sample_id"),
                    col("panel"),
                    METACLUSTER.apply(col("metacluster")).as("feature"),
                    MARKER_MEDIAN.apply(col("column")).as("statistic"),
                    lit("metacluster").as("kind"),
                    col("scale"),
                    col("label").as("population"),
                    col("median").as("value")));
      }
    }
    Dataset<Row> all = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      all = all.unionByName(parts.get(i));
    }
    return all;
  }

  /**
   * The input of the {@code differential} table: every row of {@code immunophenotype} (patient_id,
   * cohort, visit, panel, feature, statistic, kind, scale, value) with the events its value rests
   * on, from {@code populations} and {@code cluster_abundance}: {@code events} the population's
   * own (a ratio's numerator), {@code parent_events} the parent's for pct_of_parent, the sample's
   * for pct_of_total and metacluster abundances, a ratio's denominator, the population's (or
   * metacluster's) own for marker medians and absolute counts; null where unknown. One row per patient × visit × feature.
   *
   * @param immuno the written {@code immunophenotype}
   */
  static Dataset<Row> differentialInput(
      SparkSession spark, Lake lake, AggregateConfig agg, Dataset<Row> immuno) {
    List<String> keys = List.of("patient_id", "visit", "panel");
    Dataset<Row> meta = lake.read(spark, "samples").select("sample_id", "patient_id", "visit");
    Dataset<Row> pops =
        lake.read(spark, "populations")
            .join(meta, "sample_id")
            .select(
                "patient_id",
                "visit",
                "panel",
                "population",
                "population_name",
                "count",
                "parent_count",
                "total_count");
    Dataset<Row> base =
        immuno.select(
            "patient_id",
            "cohort",
            "visit",
            "panel",
            "feature",
            "statistic",
            "kind",
            "scale",
            "population",
            "value");
    List<String> out =
        List.of(
            "patient_id",
            "cohort",
            "visit",
            "panel",
            "feature",
            "statistic",
            "kind",
            "scale",
            "value",
            "events",
            "parent_events");
    List<String> pathKeys = new ArrayList<>(keys);
    pathKeys.add("population");
    Dataset<Row> byPath =
        base.filter(col("kind").isin("population", "marker_median", "absolute_count"))
            .join(
                pops.drop("population_name"),
                scala.jdk.javaapi.CollectionConverters.asScala(pathKeys).toSeq(),
                "left")
            .withColumn("events", col("count"))
            .withColumn(
                "parent_events",
                when(
                        col("kind")
                            .equalTo("population")
                            .and(col("statistic").equalTo("pct_of_parent")),
                        col("parent_count"))
                    .when(col("kind").equalTo("population"), col("total_count"))
                    .otherwise(col("count")));
    List<String> numKeys = new ArrayList<>(keys);
    numKeys.add("num_name");
    List<String> denKeys = new ArrayList<>(keys);
    denKeys.add("den_name");
    Dataset<Row> ratios =
        base.filter(col("kind").equalTo("ratio"))
            .withColumn(
                "num_name", functions.element_at(functions.split(col("population"), "/"), 1))
            .withColumn(
                "den_name", functions.element_at(functions.split(col("population"), "/"), 2))
            .join(
                pops.select(
                    col("patient_id"),
                    col("visit"),
                    col("panel"),
                    col("population_name").as("num_name"),
                    col("count").as("events")),
                scala.jdk.javaapi.CollectionConverters.asScala(numKeys).toSeq(),
                "left")
            .join(
                pops.select(
                    col("patient_id"),
                    col("visit"),
                    col("panel"),
                    col("population_name").as("den_name"),
                    col("count").as("parent_events")),
                scala.jdk.javaapi.CollectionConverters.asScala(denKeys).toSeq(),
                "left");
    Dataset<Row> all =
        byPath
            .select(out.stream().map(functions::col).toArray(org.apache.spark.sql.Column[]::new))
            .unionByName(
                ratios.select(
                    out.stream().map(functions::col).toArray(org.apache.spark.sql.Column[]::new)));
    String algorithm = agg.features().clusterAlgorithm();
    Dataset<Row> clusterBase = base.filter(col("kind").equalTo("metacluster"));
    if (algorithm != null && lake.exists(spark, "cluster_abundance")) {
      Dataset<Row> abundance =
          lake.read(spark, "cluster_abundance")
              .filter(col("algorithm").equalTo(algorithm))
              .join(meta, "sample_id");
      Dataset<Row> totals =
          abundance.groupBy("sample_id").agg(functions.sum("count").as("parent_events"));
      List<String> featureKeys = new ArrayList<>(keys);
      featureKeys.add("feature");
      clusterBase =
          clusterBase
              .join(
                  abundance
                      .join(totals, "sample_id")
                      .select(
                          col("patient_id"),
                          col("visit"),
                          col("panel"),
                          METACLUSTER.apply(col("metacluster")).as("feature"),
                          col("count").as("events"),
                          col("parent_events")),
                  scala.jdk.javaapi.CollectionConverters.asScala(featureKeys).toSeq(),
                  "left")
              // a metacluster's marker median rests on the metacluster's own events
              .withColumn(
                  "parent_events",
                  when(col("statistic").equalTo("pct_of_sample"), col("parent_events"))
                      .otherwise(col("events")));
    } else {
      clusterBase =
          clusterBase
              .withColumn("events", lit(null).cast("long"))
              .withColumn("parent_events", lit(null).cast("long"));
    }
    Dataset<Row> other =
        base.filter(
                functions.not(
                    col("kind")
                        .isin(
                            "population",
                            "marker_median",
                            "absolute_count",
                            "ratio",
                            "metacluster")))
            .withColumn("events", lit(null).cast("long"))
            .withColumn("parent_events", lit(null).cast("long"));
    for (Dataset<Row> d : List.of(clusterBase, other)) {
      all =
          all.unionByName(
              d.select(
                  out.stream().map(functions::col).toArray(org.apache.spark.sql.Column[]::new)));
    }
    return all.dropDuplicates("patient_id", "visit", "panel", "feature", "statistic");
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
            .withColumn("is_related", IS_RELATED.apply(col("related")))
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

  /** {@link AggregateConfig.AbsoluteCounts#cellsPerMicrolitre} of (lab value, count, ref count). */
  private static UserDefinedFunction cellsPerMicrolitre(AggregateConfig.AbsoluteCounts a) {
    return functions
        .udf(
            (UDF3<Double, Long, Long, Double>)
                (lab, count, ref) ->
                    lab == null || count == null || ref == null
                        ? null
                        : a.cellsPerMicrolitre(lab, count, ref),
            DataTypes.DoubleType)
        .withName("cells_per_ul");
  }

  private static Double nul(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static double nan(Double v) {
    return v == null ? Double.NaN : v;
  }
}
