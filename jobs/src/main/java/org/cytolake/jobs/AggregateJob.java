package org.cytolake.jobs;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.aggregate.AggregateConfig;
import org.cytolake.aggregate.ClinicalResponse;
import org.cytolake.aggregate.CohortDefinition;
import org.cytolake.aggregate.CohortSummary;
import org.cytolake.aggregate.FeatureNames;
import org.cytolake.aggregate.FeatureScale;
import org.cytolake.aggregate.Observation;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.VisitSchedule;
import org.cytolake.tables.TableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregation per disease cohort: turns the gated populations, marker medians and metacluster
 * abundances of every sample into analysis-ready tables per patient and cohort, and summarises the
 * clinical scores and adverse events.
 *
 * <ol>
 *   <li>Load conf/ ({@code cohorts.yaml}, {@code features.yaml}, {@code visits.yaml}) and the
 *       contracts.
 *   <li>Build every sample's features (populations, absolute counts, marker medians, ratios,
 *       metaclusters), each with its {@link FeatureScale} (a marker median in the units of its
 *       channel's transform in {@code panels.yaml}), attach patient, cohort and visit, and the
 *       baseline value of the same feature; change, fold change (non-negative quantities only)
 *       and linear ratio (intensities only) by the scale's rules: write {@code immunophenotype}.
 *   <li>Pivot to one row per patient × visit: write {@code immunophenotype_wide}.
 *   <li>Summarise per cohort (and pooled) × visit × feature with {@link CohortSummary} on the
 *       driver (the table is patients × visits × features: thousands of rows, not events): write
 *       {@code cohort_summary}.
 *   <li>Score response per patient × visit by the cohort's rule: write {@code clinical_response}.
 *   <li>Count adverse events per cohort × term × grade: write {@code safety_summary}.
 * </ol>
 *
 * All five tables are replaced on every run.
 */
public final class AggregateJob {
  private static final Logger LOG = LoggerFactory.getLogger(AggregateJob.class);
  private static final int STEPS = 6;
  /** {@code adverse_events.related} values that mean "not related"; any other non-null is related. */
  static final List<String> NOT_RELATED = List.of("NOT RELATED", "UNRELATED", "NONE", "N");
  /** {@link FeatureScale#foldChange} of (scale label, value, baseline); null when undefined. */
  private static final UserDefinedFunction FOLD_CHANGE = functions.udf(
      (UDF3<String, Double, Double, Double>) (scale, value, baseline) -> nul(
          FeatureScale.parse(scale).foldChange(nan(value), nan(baseline))),
      DataTypes.DoubleType).withName("fold_change");
  /** {@link FeatureScale#linearRatio} of (scale label, value, baseline); null when undefined. */
  private static final UserDefinedFunction LINEAR_RATIO = functions.udf(
      (UDF3<String, Double, Double, Double>) (scale, value, baseline) -> nul(
          FeatureScale.parse(scale).linearRatio(nan(value), nan(baseline))),
      DataTypes.DoubleType).withName("linear_ratio");

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
   */
  public record Result(String runId, long patients, long features, long immunophenotypeRows,
      long wideRows, long cohortSummaryRows, long clinicalResponseRows, long safetyRows,
      List<String> unknownDiseases, String summaryPath) {}

  public static Result run(SparkSession spark, Options o) throws IOException {
    JobRun run = JobRun.start(o.runId());
    step(spark, run, 1, "load configuration");
    CytolakeConfig config = CytolakeConfig.load(o.conf());
    AggregateConfig agg = AggregateConfig.load(o.conf());
    Map<String, Map<String, FeatureScale>> medianScales = FeatureScale.markerMedians(
        o.conf().resolve("features.yaml"), config.panels(), agg.features().medians());
    VisitSchedule visits = config.visits();
    String baseline = visits.baseline();
    Lake lake = Lake.of(o.lake(), o.schemas(), config.settings());
    for (String t : List.of("samples", "patients", "populations")) {
      if (!lake.exists(spark, t)) {
        throw new IllegalStateException("Cannot aggregate lake '" + o.lake() + "': table " + t
            + " is missing (run ingest-clinical, ingest-fcs and gate first)");
      }
    }

    Dataset<Row> patients = patientCohorts(spark, lake, agg);
    // Without cohorts.yaml every disease is a cohort of its own, as documented: nothing to warn.
    List<String> unknown = agg.cohorts().isEmpty() ? List.of()
        : patients.filter(col("known").equalTo(false)).select("disease")
        .distinct().orderBy("disease").collectAsList().stream().map(r -> r.getString(0))
        .toList();
    if (!unknown.isEmpty()) {
      LOG.warn("aggregate {}: diseases {} are in no cohort of {}; their patients keep the disease"
          + " as cohort and get no clinical response", run.runId(), unknown,
          o.conf().resolve("cohorts.yaml"));
    }

    step(spark, run, 2, "build immunophenotype");
    Dataset<Row> sampleMeta = lake.read(spark, "samples")
        .select("sample_id", "patient_id", "visit", "study_day", "panel")
        .join(patients.select("patient_id", "cohort"), "patient_id");
    Dataset<Row> perSample = sampleFeatures(spark, lake, agg, medianScales);
    Dataset<Row> values = perSample.join(sampleMeta.drop("panel"), "sample_id")
        .withColumn("wide_column", wideColumn());
    Dataset<Row> base = values.filter(col("visit").equalTo(baseline))
        .select(col("patient_id"), col("panel"), col("feature"), col("statistic"),
            col("value").as("baseline_value"));
    Dataset<Row> immuno = values.join(base, scala.jdk.javaapi.CollectionConverters.asScala(
            List.of("patient_id", "panel", "feature", "statistic")).toSeq(), "left")
        .withColumn("change", col("value").minus(col("baseline_value")))
        .withColumn("fold_change", FOLD_CHANGE.apply(col("scale"), col("value"),
            col("baseline_value")))
        .withColumn("linear_ratio", LINEAR_RATIO.apply(col("scale"), col("value"),
            col("baseline_value")))
        .withColumn("aggregate_run_id", lit(run.runId()));
    TableSchema immunoContract = lake.schema("immunophenotype");
    lake.write(immuno, immunoContract, SaveMode.Overwrite);
    Dataset<Row> written = lake.read(spark, "immunophenotype").cache();

    step(spark, run, 3, "write immunophenotype_wide");
    List<String> wideColumns = written.select("wide_column").distinct().orderBy("wide_column")
        .collectAsList().stream().map(r -> r.getString(0)).toList();
    checkWideNames(written);
    Dataset<Row> wide = written
        .groupBy("patient_id", "cohort", "visit")
        .pivot("wide_column", new ArrayList<>(wideColumns))
        .agg(functions.first("value"))
        .join(written.groupBy("patient_id", "visit").agg(functions.min("study_day")
            .as("study_day")), scala.jdk.javaapi.CollectionConverters.asScala(
                List.of("patient_id", "visit")).toSeq())
        .withColumn("aggregate_run_id", lit(run.runId()));
    lake.write(wide, TableSchema.wide(o.schemas(), "immunophenotype_wide", wideColumns),
        SaveMode.Overwrite);

    step(spark, run, 4, "write cohort_summary");
    List<Observation> obs = new ArrayList<>();
    for (Row r : written.select("patient_id", "cohort", "visit", "panel", "feature", "statistic",
        "scale", "value", "baseline_value").collectAsList()) {
      obs.add(new Observation(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
          r.getString(4), r.getString(5), FeatureScale.parse(r.getString(6)),
          r.isNullAt(7) ? Double.NaN : r.getDouble(7),
          r.isNullAt(8) ? Double.NaN : r.getDouble(8)));
    }
    List<CohortSummary.Row> summary = CohortSummary.summarise(obs, baseline, agg.pooled(),
        visits.codes());
    TableSchema summaryContract = lake.schema("cohort_summary");
    List<Row> summaryRows = new ArrayList<>();
    for (CohortSummary.Row s : summary) {
      summaryRows.add(RowFactory.create(s.cohort(), s.visit(),
          visits.find(s.visit()).map(VisitSchedule.Visit::studyDay).orElse(null),
          s.feature().panel(), s.feature().feature(), s.feature().statistic(),
          s.scale().label(), FeatureNames.column(s.feature()), s.values().n(),
          nul(s.values().mean()), nul(s.values().sd()), nul(s.values().median()),
          nul(s.values().q1()), nul(s.values().q3()), s.nPaired(), nul(s.medianChange()),
          s.nRatio(), nul(s.medianFoldChange()), nul(s.medianLinearRatio()), s.nNonzero(),
          nul(s.wilcoxonV()), nul(s.p()), s.exact(), nul(s.q()), run.runId()));
    }
    lake.write(spark.createDataFrame(summaryRows, summaryContract.sparkSchema()),
        summaryContract, SaveMode.Overwrite);

    step(spark, run, 5, "write clinical_response");
    long responseRows = writeClinicalResponse(spark, lake, agg, patients, visits, run);

    step(spark, run, 6, "write safety_summary");
    long safetyRows = writeSafety(spark, lake, agg, patients, run);

    long nPatients = written.select("patient_id").distinct().count();
    String summaryPath = lake.root() + "/_runs/" + run.runId() + "/aggregate.json";
    Result result = new Result(run.runId(), nPatients, wideColumns.size(), written.count(),
        lake.read(spark, "immunophenotype_wide").count(), summaryRows.size(), responseRows,
        safetyRows, unknown, summaryPath);
    written.unpersist();
    JobRun.writeSummary(summaryPath, result, Lake.hadoopConf(spark));
    LOG.info("aggregate {}: {} patient(s), {} feature(s), {} immunophenotype row(s), {} "
        + "cohort_summary row(s), {} clinical_response row(s), {} safety_summary row(s)",
        run.runId(), nPatients, wideColumns.size(), result.immunophenotypeRows(),
        summaryRows.size(), responseRows, safetyRows);
    spark.sparkContext().setJobDescription(null);
    return result;
  }

  /** patient_id, disease, cohort (code, or the disease when unknown), known. */
  static Dataset<Row> patientCohorts(SparkSession spark, Lake lake, AggregateConfig agg) {
    List<Row> map = new ArrayList<>();
    for (CohortDefinition c : agg.cohorts().values()) {
      map.add(RowFactory.create(c.code(), c.code()));
      for (String d : c.diseases()) {
        map.add(RowFactory.create(d, c.code()));
      }
    }
    Dataset<Row> codes = spark.createDataFrame(map, new StructType()
        .add("disease", DataTypes.StringType, false).add("code", DataTypes.StringType, false))
        .dropDuplicates("disease");
    return lake.read(spark, "patients").select(col("patient_id"), col("cohort").as("disease"))
        .join(functions.broadcast(codes), "disease", "left")
        .withColumn("known", col("code").isNotNull())
        .withColumn("cohort", coalesce(col("code"), col("disease")))
        .drop("code");
  }

  /**
   * Every feature of every sample: sample_id, panel, feature, statistic, kind, scale (the
   * {@link FeatureScale#label()}), population, value.
   *
   * @param medianScales per panel and events column, the scale of its marker medians
   */
  static Dataset<Row> sampleFeatures(SparkSession spark, Lake lake, AggregateConfig agg,
      Map<String, Map<String, FeatureScale>> medianScales) {
    AggregateConfig.FeatureSettings fs = agg.features();
    Dataset<Row> pops = lake.read(spark, "populations");
    List<Dataset<Row>> parts = new ArrayList<>();
    for (String stat : List.of("pct_of_parent", "pct_of_total")) {
      parts.add(pops.select(col("sample_id"), col("panel"), col("population_name").as("feature"),
          lit(stat).as("statistic"), lit("population").as("kind"),
          lit(FeatureScale.percent().label()).as("scale"), col("population"),
          col(stat).as("value")));
    }
    if (fs.absolute() != null && lake.exists(spark, "labs")) {
      AggregateConfig.AbsoluteCounts a = fs.absolute();
      Dataset<Row> ref = pops.filter(col("population_name").equalTo(a.population()))
          .select(col("sample_id"), col("population").as("ref_path"),
              col("count").as("ref_count"));
      Dataset<Row> lab = lake.read(spark, "labs").filter(col("test_code").equalTo(a.labTest())
              .and(col("value").isNotNull()))
          .groupBy("patient_id", "visit").agg(functions.avg("value").as("lab_value"));
      Dataset<Row> meta = lake.read(spark, "samples").select("sample_id", "patient_id", "visit");
      parts.add(pops.join(ref, "sample_id")
          .filter(col("population").equalTo(col("ref_path"))
              .or(col("population").startsWith(functions.concat(col("ref_path"), lit("/")))))
          .join(meta, "sample_id").join(lab, scala.jdk.javaapi.CollectionConverters.asScala(
              List.of("patient_id", "visit")).toSeq())
          .select(col("sample_id"), col("panel"), col("population_name").as("feature"),
              lit("count_per_ul").as("statistic"), lit("absolute_count").as("kind"),
              lit(FeatureScale.count().label()).as("scale"), col("population"),
              when(col("ref_count").gt(0), col("lab_value").multiply(a.factor())
                  .multiply(col("count")).divide(col("ref_count"))).as("value")));
    }
    if (!fs.medians().isEmpty() && lake.exists(spark, "population_medians")) {
      List<Row> wanted = new ArrayList<>();
      fs.medians().forEach((panel, byPop) -> byPop.forEach((pop, cols) -> cols.forEach(
          c -> wanted.add(RowFactory.create(panel, pop, c,
              medianScales.get(panel).get(c).label())))));
      Dataset<Row> w = spark.createDataFrame(wanted, new StructType()
          .add("panel", DataTypes.StringType).add("population_name", DataTypes.StringType)
          .add("column", DataTypes.StringType).add("scale", DataTypes.StringType));
      Dataset<Row> med = lake.read(spark, "population_medians")
          .withColumn("population_name", functions.element_at(
              functions.split(col("population"), "/"), -1));
      parts.add(med.join(functions.broadcast(w), scala.jdk.javaapi.CollectionConverters.asScala(
              List.of("panel", "population_name", "column")).toSeq())
          .select(col("sample_id"), col("panel"), col("population_name").as("feature"),
              functions.concat(lit("median_"), col("column")).as("statistic"),
              lit("marker_median").as("kind"), col("scale"), col("population"),
              col("median").as("value")));
    }
    for (AggregateConfig.Ratio r : fs.ratios()) {
      Dataset<Row> num = pops.filter(col("panel").equalTo(r.panel())
          .and(col("population_name").equalTo(r.numerator())))
          .select(col("sample_id"), col("count").as("num"));
      Dataset<Row> den = pops.filter(col("panel").equalTo(r.panel())
          .and(col("population_name").equalTo(r.denominator())))
          .select(col("sample_id"), col("count").as("den"));
      parts.add(num.join(den, "sample_id").select(col("sample_id"), lit(r.panel()).as("panel"),
          lit(r.name()).as("feature"), lit("ratio").as("statistic"), lit("ratio").as("kind"),
          lit(FeatureScale.countRatio().label()).as("scale"),
          lit(r.numerator() + "/" + r.denominator()).as("population"),
          when(col("den").gt(0), col("num").cast(DataTypes.DoubleType).divide(col("den")))
              .as("value")));
    }
    if (fs.clusterAlgorithm() != null && lake.exists(spark, "cluster_abundance")
        && lake.exists(spark, "clusters")) {
      Dataset<Row> labels = lake.read(spark, "clusters")
          .filter(col("algorithm").equalTo(fs.clusterAlgorithm()))
          .select("panel", "metacluster", "label");
      parts.add(lake.read(spark, "cluster_abundance")
          .filter(col("algorithm").equalTo(fs.clusterAlgorithm()))
          .join(labels, scala.jdk.javaapi.CollectionConverters.asScala(
              List.of("panel", "metacluster")).toSeq(), "left")
          .select(col("sample_id"), col("panel"),
              functions.format_string("mc%02d", col("metacluster")).as("feature"),
              lit("pct_of_sample").as("statistic"), lit("metacluster").as("kind"),
              lit(FeatureScale.percent().label()).as("scale"), col("label").as("population"), col("pct_of_sample").as("value")));
    }
    Dataset<Row> all = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      all = all.unionByName(parts.get(i));
    }
    return all;
  }

  /** The wide column name of each row, as {@link FeatureNames#column(String, String, String)}. */
  static Column wideColumn() {
    Column raw = functions.concat_ws("_", col("panel"), col("feature"), col("statistic"));
    Column s = functions.lower(raw);
    s = functions.regexp_replace(s, "\\+", "_pos_");
    s = functions.regexp_replace(s, "-", "_neg_");
    s = functions.regexp_replace(s, "[^a-z0-9]+", "_");
    s = functions.regexp_replace(s, "^_+|_+$", "");
    return when(s.rlike("^[a-z]"), s).otherwise(functions.concat(lit("f_"), s));
  }

  /** Fails when two features share a wide column (checked by the same rule in Java). */
  private static void checkWideNames(Dataset<Row> immuno) {
    List<Observation.FeatureKey> keys = new ArrayList<>();
    for (Row r : immuno.select("panel", "feature", "statistic", "wide_column").distinct()
        .collectAsList()) {
      Observation.FeatureKey k = new Observation.FeatureKey(r.getString(0), r.getString(1),
          r.getString(2));
      if (!FeatureNames.column(k).equals(r.getString(3))) {
        throw new IllegalStateException("Cannot name wide column of " + k + ": Spark gave '"
            + r.getString(3) + "', FeatureNames '" + FeatureNames.column(k) + "'");
      }
      keys.add(k);
    }
    FeatureNames.columns(keys);
  }

  private static long writeClinicalResponse(SparkSession spark, Lake lake, AggregateConfig agg,
      Dataset<Row> patients, VisitSchedule visits, JobRun run) {
    String baseline = visits.baseline();
    TableSchema contract = lake.schema("clinical_response");
    List<Row> rows = new ArrayList<>();
    if (lake.exists(spark, "disease_scores")) {
      Map<String, CohortDefinition> byCode = agg.cohorts();
      List<Row> scores = lake.read(spark, "disease_scores")
          .filter(col("value").isNotNull())
          .join(patients.filter(col("known")).select("patient_id", "cohort"), "patient_id")
          .select("patient_id", "cohort", "test_code", "visit", "study_day", "value")
          .collectAsList().stream()
          .sorted(java.util.Comparator.comparing((Row r) -> r.getString(0))
              .thenComparing(r -> r.getString(3), visits.order()))
          .toList();
      Map<String, Double> baselines = new HashMap<>();
      for (Row r : scores) {
        if (r.getString(3).equals(baseline)) {
          baselines.put(r.getString(0) + "\u0000" + r.getString(2), r.getDouble(5));
        }
      }
      for (Row r : scores) {
        CohortDefinition c = byCode.get(r.getString(1));
        if (c == null || c.scoreTest() == null || !c.scoreTest().equals(r.getString(2))) {
          continue;
        }
        double b = baselines.getOrDefault(r.getString(0) + "\u0000" + r.getString(2),
            Double.NaN);
        ClinicalResponse cr = ClinicalResponse.of(c, r.getString(0), r.getString(3),
            r.isNullAt(4) ? null : r.getInt(4), r.getDouble(5), b, baseline);
        rows.add(RowFactory.create(cr.patientId(), cr.cohort(), cr.visit(), cr.studyDay(),
            cr.scoreTest(), cr.value(), nul(cr.baseline()), nul(cr.change()),
            nul(cr.pctChange()), cr.responder(), cr.rule(), run.runId()));
      }
    }
    lake.write(spark.createDataFrame(rows, contract.sparkSchema()), contract, SaveMode.Overwrite);
    return rows.size();
  }

  private static long writeSafety(SparkSession spark, Lake lake, AggregateConfig agg,
      Dataset<Row> patients, JobRun run) {
    TableSchema contract = lake.schema("safety_summary");
    Dataset<Row> denominators = patients.groupBy("cohort").agg(functions.countDistinct(
        "patient_id").as("cohort_patients"));
    denominators = denominators.unionByName(patients.agg(functions.countDistinct("patient_id")
        .as("cohort_patients")).withColumn("cohort", lit(agg.pooled())));
    Dataset<Row> out;
    if (lake.exists(spark, "adverse_events")) {
      Column related = col("related").isNotNull().and(functions.not(functions.upper(
          functions.trim(col("related"))).isin(NOT_RELATED.toArray())));
      Dataset<Row> ae = lake.read(spark, "adverse_events")
          .join(patients.select("patient_id", "cohort"), "patient_id")
          .withColumn("term", coalesce(col("decoded_term"), col("term")))
          .withColumn("is_related", related)
          .withColumn("is_serious", coalesce(col("serious"), lit(false)));
      ae = ae.unionByName(ae.withColumn("cohort", lit(agg.pooled())));
      out = ae.groupBy("cohort", "term", "grade").agg(
              functions.countDistinct("patient_id").as("patients"),
              functions.count(lit(1)).as("events"),
              functions.sum(when(col("is_related"), 1).otherwise(0)).cast("long")
                  .as("related_events"),
              functions.countDistinct(when(col("is_related"), col("patient_id")))
                  .as("related_patients"),
              functions.sum(when(col("is_serious"), 1).otherwise(0)).cast("long")
                  .as("serious_events"))
          .join(denominators, "cohort")
          .withColumn("pct_patients", col("patients").multiply(100.0)
              .divide(col("cohort_patients")))
          .withColumn("aggregate_run_id", lit(run.runId()))
          .orderBy("cohort", "term", "grade");
    } else {
      out = spark.createDataFrame(List.of(), contract.sparkSchema());
    }
    lake.write(out, contract, SaveMode.Overwrite);
    return lake.read(spark, "safety_summary").count();
  }

  private static Double nul(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static double nan(Double v) {
    return v == null ? Double.NaN : v;
  }

  private static void step(SparkSession spark, JobRun run, int n, String what) {
    String d = "aggregate " + n + "/" + STEPS + ": " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info("{} [{}]", d, run.runId());
  }
}
