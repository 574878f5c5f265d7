package org.cytolake.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
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
    Dataset<Row> meta = PatientSamples.read(spark, lake).select("sample_id", "patient_id", "visit");
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
    List<String> feature =
        List.of("patient_id", "cohort", "visit", "panel", "feature", "statistic", "kind", "scale");
    Dataset<Row> base = immuno.select(columns(feature, "population", "value"));
    Column[] outColumns = columns(feature, "value", "events", "parent_events");
    Dataset<Row> byPath =
        base.filter(col("kind").isin("population", "marker_median", "absolute_count"))
            .join(pops.drop("population_name"), joinKeys(keys, "population"), "left")
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
    Dataset<Row> ratios =
        base.filter(col("kind").equalTo("ratio"))
            .withColumn(
                "num_name", functions.element_at(functions.split(col("population"), "/"), 1))
            .withColumn(
                "den_name", functions.element_at(functions.split(col("population"), "/"), 2))
            .join(counts(pops, "num_name", "events"), joinKeys(keys, "num_name"), "left")
            .join(counts(pops, "den_name", "parent_events"), joinKeys(keys, "den_name"), "left");
    Dataset<Row> all = byPath.select(outColumns).unionByName(ratios.select(outColumns));
    String algorithm = agg.features().clusterAlgorithm();
    Dataset<Row> clusterBase = base.filter(col("kind").equalTo("metacluster"));
    if (algorithm != null && lake.exists(spark, "cluster_abundance")) {
      Dataset<Row> abundance =
          lake.read(spark, "cluster_abundance")
              .filter(col("algorithm").equalTo(algorithm))
              .join(meta, "sample_id");
      Dataset<Row> totals =
          abundance.groupBy("sample_id").agg(functions.sum("count").as("parent_events"));
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
                  joinKeys(keys, "feature"),
                  "left")
              // a metacluster's marker median rests on the metacluster's own events
              .withColumn(
                  "parent_events",
                  when(col("statistic").equalTo("pct_of_sample"), col("parent_events"))
                      .otherwise(col("events")));
    } else {
      clusterBase = withoutEvents(clusterBase);
    }
    Dataset<Row> other =
        withoutEvents(
            base.filter(
                functions.not(
                    col("kind")
                        .isin(
                            "population",
                            "marker_median",
                            "absolute_count",
                            "ratio",
                            "metacluster"))));
    for (Dataset<Row> d : List.of(clusterBase, other)) {
      all = all.unionByName(d.select(outColumns));
    }
    return all.dropDuplicates("patient_id", "visit", "panel", "feature", "statistic");
  }

  /** The columns {@code names} and then {@code more}. */
  private static Column[] columns(List<String> names, String... more) {
    List<Column> out = new ArrayList<>();
    names.forEach(n -> out.add(col(n)));
    for (String n : more) {
      out.add(col(n));
    }
    return out.toArray(new Column[0]);
  }

  /** {@code keys} and one more, as join columns. */
  private static String[] joinKeys(List<String> keys, String key) {
    List<String> out = new ArrayList<>(keys);
    out.add(key);
    return out.toArray(new String[0]);
  }

  /** Each population's count per patient, visit and panel, its name as {@code name}. */
  private static Dataset<Row> counts(Dataset<Row> pops, String name, String count) {
    return pops.select(
        col("patient_id"),
        col("visit"),
        col("panel"),
        col("population_name").as(name),
        col("count").as(count));
  }

  /** Rows whose events are unknown: {@code events} and {@code parent_events} null. */
  private static Dataset<Row> withoutEvents(Dataset<Row> d) {
    return d.withColumn("events", lit(null).cast("long"))
        .withColumn("parent_events", lit(null).cast("long"));
  }
}
