package org.cytolake.jobs;

import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.cytolake.aggregate.AdverseEvents;
import org.cytolake.aggregate.AggregateConfig;
import org.cytolake.aggregate.FeatureNames;
import org.cytolake.aggregate.FeatureScale;

/**
 * The {@code aggregate} core's rules (a formula, a name, a verdict) as Spark UDFs, for the frames
 * of the aggregate job ({@link AggregateFrames}, {@link SampleFeatures}, {@link
 * DifferentialInputFrame}): each UDF calls the core's method, so the rule has one home and unit
 * tests reach it without Spark.
 */
final class AggregateUdfs {
  /** {@link FeatureScale#change} of (scale label, value, baseline); null when either is. */
  static final UserDefinedFunction CHANGE =
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
  static final UserDefinedFunction FOLD_CHANGE =
      functions
          .udf(
              (UDF3<String, Double, Double, Double>)
                  (scale, value, baseline) ->
                      nul(FeatureScale.parse(scale).foldChange(nan(value), nan(baseline))),
              DataTypes.DoubleType)
          .withName("fold_change");

  /** {@link FeatureScale#linearRatio} of (scale label, value, baseline); null when undefined. */
  static final UserDefinedFunction LINEAR_RATIO =
      functions
          .udf(
              (UDF3<String, Double, Double, Double>)
                  (scale, value, baseline) ->
                      nul(FeatureScale.parse(scale).linearRatio(nan(value), nan(baseline))),
              DataTypes.DoubleType)
          .withName("linear_ratio");

  /** {@link FeatureNames#column(String, String, String)} of (panel, feature, statistic). */
  static final UserDefinedFunction WIDE_COLUMN =
      functions
          .udf((UDF3<String, String, String, String>) FeatureNames::column, DataTypes.StringType)
          .asNonNullable()
          .withName("wide_column");

  /** {@link AggregateConfig.AbsoluteCounts#counted} of (population path, reference path). */
  static final UserDefinedFunction COUNTED =
      functions
          .udf(
              (UDF2<String, String, Boolean>) AggregateConfig.AbsoluteCounts::counted,
              DataTypes.BooleanType)
          .asNonNullable()
          .withName("counted");

  /** {@link AggregateConfig.Ratio#value} of (numerator count, denominator count). */
  static final UserDefinedFunction RATIO =
      functions
          .udf(
              (UDF2<Long, Long, Double>)
                  (num, den) ->
                      num == null || den == null ? null : AggregateConfig.Ratio.value(num, den),
              DataTypes.DoubleType)
          .withName("ratio");

  /** {@link FeatureNames#markerMedian} of an events column. */
  static final UserDefinedFunction MARKER_MEDIAN =
      functions
          .udf(
              (UDF1<String, String>) c -> c == null ? null : FeatureNames.markerMedian(c),
              DataTypes.StringType)
          .withName("marker_median");

  /** {@link FeatureNames#metacluster} of a metacluster number. */
  static final UserDefinedFunction METACLUSTER =
      functions
          .udf(
              (UDF1<Integer, String>) m -> m == null ? null : FeatureNames.metacluster(m),
              DataTypes.StringType)
          .withName("metacluster");

  /** {@link AdverseEvents#isRelated} of {@code adverse_events.related}. */
  static final UserDefinedFunction IS_RELATED =
      functions
          .udf((UDF1<String, Boolean>) AdverseEvents::isRelated, DataTypes.BooleanType)
          .asNonNullable()
          .withName("is_related");

  private AggregateUdfs() {}

  /** {@link AggregateConfig.AbsoluteCounts#cellsPerMicrolitre} of (lab value, count, ref count). */
  static UserDefinedFunction cellsPerMicrolitre(AggregateConfig.AbsoluteCounts a) {
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
