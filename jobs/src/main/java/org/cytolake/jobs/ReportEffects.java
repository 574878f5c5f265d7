package org.cytolake.jobs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.differential.DifferentialAnalysis;
import org.cytolake.lake.Lake;
import org.cytolake.report.Effects;
import org.cytolake.report.Effects.EffectPoint;
import org.cytolake.report.PrimaryPopulation;

/**
 * What {@link ReportJob} reads for the effect plots ({@link Effects}): the tested pooled model rows
 * of {@code differential} (Wilcoxon rows left out) with their population from {@code
 * immunophenotype}, and the primary endpoint's feature per patient and visit from {@code
 * immunophenotype}. The primary endpoint ({@link Effects#primary}), the trajectories' title and
 * axis ({@link Effects.Trajectories#of(EffectPoint, PrimaryPopulation, String, List, Comparator)})
 * and the volcano grouping are the report package's.
 */
final class ReportEffects {
  private ReportEffects() {}

  /** The effect plots of a lake that has {@code differential}. */
  static Effects read(
      SparkSession spark,
      Lake lake,
      PrimaryPopulation report,
      String baseline,
      String pooled,
      Comparator<String> byVisit) {
    Dataset<Row> immuno =
        lake.exists(spark, "immunophenotype") ? lake.read(spark, "immunophenotype") : null;
    List<EffectPoint> points = points(spark, lake, immuno, pooled);
    EffectPoint primary = Effects.primary(points);
    if (primary == null) {
      primary = untestedPrimary(spark, lake); // an untested primary endpoint still has trajectories
    }
    Effects.Trajectories trajectories =
        primary == null || immuno == null ? null : trajectories(immuno, primary, report, byVisit);
    return new Effects(baseline, pooled, Effects.volcanoes(points, byVisit), trajectories);
  }

  /** The tested pooled model rows, ordered by panel, feature, statistic and visit. */
  private static List<EffectPoint> points(
      SparkSession spark, Lake lake, Dataset<Row> immuno, String pooled) {
    Dataset<Row> diff =
        lake.read(spark, "differential")
            .filter(
                functions
                    .col("cohort")
                    .equalTo(pooled)
                    .and(functions.col("tested"))
                    .and(functions.col("model").notEqual(DifferentialAnalysis.WILCOXON)));
    if (immuno != null) {
      diff =
          diff.join(
              immuno.select("panel", "feature", "statistic", "population").distinct(),
              new String[] {"panel", "feature", "statistic"},
              "left");
    } else {
      diff = diff.withColumn("population", functions.lit(null).cast("string"));
    }
    List<EffectPoint> points = new ArrayList<>();
    for (Row r :
        diff.select(
                "panel",
                "feature",
                "statistic",
                "population",
                "visit",
                "scale",
                "estimate",
                "q",
                "family")
            .orderBy("panel", "feature", "statistic", "visit")
            .collectAsList()) {
      points.add(
          new EffectPoint(
              r.getString(0),
              r.getString(1),
              r.getString(2),
              r.getString(3),
              r.getString(4),
              r.getString(5),
              r.isNullAt(6) ? Double.NaN : r.getDouble(6),
              r.isNullAt(7) ? Double.NaN : r.getDouble(7),
              DifferentialAnalysis.PRIMARY_FAMILY.equals(r.getString(8))));
    }
    return points;
  }

  /** Any row of the primary family, tested or not, or null when there is none. */
  private static EffectPoint untestedPrimary(SparkSession spark, Lake lake) {
    List<Row> any =
        lake.read(spark, "differential")
            .filter(functions.col("family").equalTo(DifferentialAnalysis.PRIMARY_FAMILY))
            .select("panel", "feature", "statistic", "visit", "scale")
            .limit(1)
            .collectAsList();
    if (any.isEmpty()) {
      return null;
    }
    Row r = any.get(0);
    return EffectPoint.untestedPrimary(
        r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4));
  }

  /** The endpoint's feature per patient and visit; the scale is that of its rows. */
  private static Effects.Trajectories trajectories(
      Dataset<Row> immuno,
      EffectPoint primary,
      PrimaryPopulation report,
      Comparator<String> byVisit) {
    Column feature =
        functions
            .col("panel")
            .equalTo(primary.panel())
            .and(functions.col("feature").equalTo(primary.feature()))
            .and(functions.col("statistic").equalTo(primary.statistic()));
    List<Effects.Trajectories.Value> values = new ArrayList<>();
    String scale = null;
    for (Row r :
        immuno
            .filter(feature)
            .select("cohort", "patient_id", "visit", "value", "scale")
            .collectAsList()) {
      if (!r.isNullAt(3)) {
        values.add(
            new Effects.Trajectories.Value(
                r.getString(0), r.getString(1), r.getString(2), r.getDouble(3)));
      }
      scale = r.getString(4);
    }
    return Effects.Trajectories.of(primary, report, scale, values, byVisit);
  }
}
