package org.cytolake.jobs;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.gating.ResolvedThreshold;
import org.cytolake.lake.Lake;

/**
 * The rows of {@code gate_thresholds} of one panel, with each sample's acquisition date and batch
 * from {@code samples}: what {@code plot} draws a sample's data-adaptive limits at and the report's
 * gating QC shows across samples. A few rows per sample, so they are collected to the driver. No
 * table (no strategy with data-adaptive limits was gated): no rows.
 */
final class GateThresholdRows {
  private GateThresholdRows() {}

  /**
   * One {@code gate_thresholds} row.
   *
   * @param threshold its gate is the gate's path, as the table names it ({@link
   *     org.cytolake.plot.GateThresholds#byGateId} maps it to the gate's id)
   * @param acquisitionDate the sample's {@code samples.acquisition_date}, or null
   * @param batch the sample's {@code samples.batch}, or null
   */
  record Entry(
      String sampleId, ResolvedThreshold threshold, LocalDate acquisitionDate, String batch) {}

  /**
   * The rows of the panel, of these samples only (null: all), ordered by sample, gate, dimension
   * and side.
   */
  static List<Entry> read(SparkSession spark, Lake lake, String panel, Collection<String> samples) {
    List<Entry> out = new ArrayList<>();
    if (!lake.exists(spark, "gate_thresholds")) {
      return out;
    }
    Dataset<Row> t =
        lake.read(spark, "gate_thresholds").where(functions.col("panel").equalTo(panel));
    if (samples != null) {
      t = t.where(functions.col("sample_id").isin(samples.toArray()));
    }
    Dataset<Row> s =
        lake.read(spark, "samples")
            .where(functions.col("panel").equalTo(panel))
            .select("sample_id", "acquisition_date", "batch")
            .dropDuplicates("sample_id");
    for (Row r :
        t.join(s, t.col("sample_id").equalTo(s.col("sample_id")), "left")
            .select(
                t.col("sample_id"),
                t.col("gate"),
                t.col("dimension"),
                t.col("side"),
                t.col("threshold"),
                t.col("method"),
                t.col("fallback_used"),
                t.col("detail"),
                functions.date_format(s.col("acquisition_date"), "yyyy-MM-dd"),
                s.col("batch"))
            .orderBy("sample_id", "gate", "dimension", "side")
            .collectAsList()) {
      out.add(
          new Entry(
              r.getString(0),
              new ResolvedThreshold(
                  r.getString(1),
                  r.getString(2),
                  r.getString(3),
                  r.getDouble(4),
                  r.getString(5),
                  r.getBoolean(6),
                  r.getString(7)),
              r.isNullAt(8) ? null : LocalDate.parse(r.getString(8)),
              r.isNullAt(9) ? null : r.getString(9)));
    }
    return out;
  }
}
