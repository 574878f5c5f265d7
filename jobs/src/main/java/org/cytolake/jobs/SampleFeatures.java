package org.cytolake.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.aggregate.AggregateConfig;
import org.cytolake.aggregate.FeatureScale;
import org.cytolake.lake.Lake;

/**
 * Every feature of every sample, for {@link AggregateFrames#immunophenotype}: gated populations'
 * percentages, absolute counts, marker medians, count ratios and metacluster abundances.
 */
final class SampleFeatures {
  private SampleFeatures() {}

  /**
   * Every feature of every sample: sample_id, panel, feature, statistic, kind, scale (the
   * {@link FeatureScale#label()}), population, value.
   *
   * @param medianScales per panel and events column, the scale of its marker medians
   */
  static Dataset<Row> of(
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
      Dataset<Row> meta =
          PatientSamples.read(spark, lake).select("sample_id", "patient_id", "visit");
      parts.add(
          pops.join(ref, "sample_id")
              .filter(AggregateUdfs.COUNTED.apply(col("population"), col("ref_path")))
              .join(meta, "sample_id")
              .join(lab, new String[] {"patient_id", "visit"})
              .select(
                  col("sample_id"),
                  col("panel"),
                  col("population_name").as("feature"),
                  lit("count_per_ul").as("statistic"),
                  lit("absolute_count").as("kind"),
                  lit(FeatureScale.count().label()).as("scale"),
                  col("population"),
                  AggregateUdfs.cellsPerMicrolitre(a)
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
          med.join(functions.broadcast(w), new String[] {"panel", "population_name", "column"})
              .select(
                  col("sample_id"),
                  col("panel"),
                  col("population_name").as("feature"),
                  AggregateUdfs.MARKER_MEDIAN.apply(col("column")).as("statistic"),
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
                  AggregateUdfs.RATIO.apply(col("num"), col("den")).as("value")));
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
              .join(labels, new String[] {"panel", "metacluster"}, "left")
              .select(
                  metaclusterFeature(
                      lit("pct_of_sample"),
                      lit(FeatureScale.percent().label()),
                      col("pct_of_sample"))));
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
                .join(functions.broadcast(w), new String[] {"panel", "column"})
                .join(labels, new String[] {"panel", "metacluster"}, "left")
                .select(
                    metaclusterFeature(
                        AggregateUdfs.MARKER_MEDIAN.apply(col("column")),
                        col("scale"),
                        col("median"))));
      }
    }
    Dataset<Row> all = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      all = all.unionByName(parts.get(i));
    }
    return all;
  }

  /** The columns of a metacluster's feature: its statistic, scale and value per sample. */
  private static Column[] metaclusterFeature(Column statistic, Column scale, Column value) {
    return new Column[] {
      col("sample_id"),
      col("panel"),
      AggregateUdfs.METACLUSTER.apply(col("metacluster")).as("feature"),
      statistic.as("statistic"),
      lit("metacluster").as("kind"),
      scale.as("scale"),
      col("label").as("population"),
      value.as("value")
    };
  }
}
