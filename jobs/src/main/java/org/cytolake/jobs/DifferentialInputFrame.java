package org.cytolake.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.aggregate.AggregateConfig;
import org.cytolake.lake.Lake;

/** The per-sample input of the {@code differential} table ({@link AggregateDifferential}). */
final class DifferentialInputFrame {
  private DifferentialInputFrame() {}

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
  static Dataset<Row> of(SparkSession spark, Lake lake, AggregateConfig agg, Dataset<Row> immuno) {
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
                          AggregateUdfs.METACLUSTER.apply(col("metacluster")).as("feature"),
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
}
