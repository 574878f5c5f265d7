package org.cytolake.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.lake.Lake;
import org.cytolake.report.AcquisitionQcView;
import org.cytolake.report.CohortSummaryView;
import org.cytolake.report.GatingQc;
import org.cytolake.report.Heatmaps.ClusterMedians;
import org.cytolake.report.PrimaryPopulation;
import org.cytolake.report.QuarantineEntry;
import org.cytolake.report.ReportModel.PrimaryPlot;
import org.cytolake.report.ReportModel.SampleEvents;
import org.cytolake.tables.Pseudonymizer;

/**
 * What {@link ReportJob} reads of the lake's small tables, each collected to the driver as the
 * report package's values; the rules that shape them (order, sanitising, grouping) live there.
 * {@link ReportEffects} reads {@code differential} and {@code immunophenotype}.
 */
final class ReportTables {
  private ReportTables() {}

  /** Events and QC warnings per sample of {@code samples}, in {@link SampleEvents#order}. */
  static List<SampleEvents> samples(SparkSession spark, Lake lake, Comparator<String> byVisit) {
    List<SampleEvents> samples = new ArrayList<>();
    if (!lake.exists(spark, "samples")) {
      return samples;
    }
    for (Row r :
        lake.read(spark, "samples")
            .select("sample_id", "panel", "visit", "event_count", "qc_warnings")
            .collectAsList()) {
      samples.add(
          new SampleEvents(
              r.getString(0),
              r.getString(1),
              r.getString(2),
              r.isNullAt(3) ? 0 : r.getLong(3),
              SampleEvents.warnings(r.getString(4))));
    }
    samples.sort(SampleEvents.order(byVisit));
    return samples;
  }

  /**
   * The rows of {@code sample_qc} with their samples' acquisition dates ({@code samples}, left
   * joined: a row whose sample is gone keeps no date), for {@link AcquisitionQcView#of}; null when
   * the lake has no {@code sample_qc}.
   */
  static List<AcquisitionQcView.SampleQc> sampleQc(SparkSession spark, Lake lake) {
    if (!lake.exists(spark, IngestFcsJob.SAMPLE_QC)) {
      return null;
    }
    Dataset<Row> qc = lake.read(spark, IngestFcsJob.SAMPLE_QC);
    Column date = functions.lit(null).cast("string");
    if (lake.exists(spark, "samples")) {
      qc =
          qc.join(
              lake.read(spark, "samples").select("sample_id", "acquisition_date"),
              new String[] {"sample_id"},
              "left");
      date = functions.date_format(functions.col("acquisition_date"), "yyyy-MM-dd");
    }
    List<AcquisitionQcView.SampleQc> rows = new ArrayList<>();
    for (Row r :
        qc.select(
                functions.col("sample_id"),
                functions.col("panel"),
                functions.col("visit"),
                date,
                functions.col("status"),
                functions.col("events"),
                functions.col("flagged"),
                functions.col("flagged_share"),
                functions.col("flow_rate_events"),
                functions.col("signal_events"),
                functions.col("margin_events"),
                functions.col("segments"),
                functions.col("notes"))
            .collectAsList()) {
      rows.add(
          new AcquisitionQcView.SampleQc(
              r.getString(0),
              r.getString(1),
              r.getString(2),
              r.isNullAt(3) ? null : java.time.LocalDate.parse(r.getString(3)),
              r.getString(4),
              r.getLong(5),
              r.getLong(6),
              r.getDouble(7),
              r.getLong(8),
              r.getLong(9),
              r.getLong(10),
              r.getString(11),
              r.getString(12)));
    }
    return rows;
  }

  /**
   * The restricted {@code quarantine} table, sanitised ({@link QuarantineEntry#sanitise}) and in
   * {@link QuarantineEntry#ORDER}.
   */
  static List<QuarantineEntry> quarantine(SparkSession spark, Lake lake, Pseudonymizer keys)
      throws IOException {
    List<QuarantineEntry> quarantine = new ArrayList<>();
    if (!lake.exists(spark, "quarantine")) {
      return quarantine;
    }
    for (Row r :
        lake.read(spark, lake.schema("quarantine"))
            .select("job", "reason_code", "source", "locator", "field", "events")
            .collectAsList()) {
      quarantine.add(
          QuarantineEntry.sanitise(
              r.getString(0),
              r.getString(1),
              r.getString(2),
              r.getString(3),
              r.getString(4),
              r.isNullAt(5) ? null : r.getLong(5),
              keys));
    }
    quarantine.sort(QuarantineEntry.ORDER);
    return quarantine;
  }

  /**
   * The primary population's % of parent per sample ({@code populations} of its panel joined to
   * {@code samples} for the visit and, when it exists, {@code patients} for the cohort), plotted
   * by {@link PrimaryPlot#of}.
   */
  static PrimaryPlot primary(
      SparkSession spark, Lake lake, PrimaryPopulation primary, Comparator<String> byVisit) {
    List<PrimaryPlot.SampleValue> values = new ArrayList<>();
    boolean withCohorts = lake.exists(spark, "patients");
    if (lake.exists(spark, "populations") && lake.exists(spark, "samples")) {
      Dataset<Row> pops =
          lake.read(spark, "populations")
              .filter(
                  functions
                      .col("panel")
                      .equalTo(primary.panel())
                      .and(functions.col("pct_of_parent").isNotNull()))
              .select("sample_id", "population", "pct_of_parent")
              .join(
                  PatientSamples.read(spark, lake).select("sample_id", "patient_id", "visit"),
                  "sample_id");
      Column cohort = functions.lit(null).cast("string");
      if (withCohorts) {
        pops =
            pops.join(
                lake.read(spark, "patients").select("patient_id", "cohort"),
                new String[] {"patient_id"},
                "left");
        cohort = functions.col("cohort");
      }
      for (Row r :
          pops.select(
                  functions.col("population"),
                  cohort.as("cohort"),
                  functions.col("visit"),
                  functions.col("pct_of_parent"))
              .collectAsList()) {
        values.add(
            new PrimaryPlot.SampleValue(
                r.getString(0), r.getString(1), r.getString(2), r.getDouble(3)));
      }
    }
    return PrimaryPlot.of(primary, values, withCohorts, byVisit);
  }

  /** Every metacluster of {@code clusters} with its marker medians. */
  static List<ClusterMedians> clusters(SparkSession spark, Lake lake) throws IOException {
    List<ClusterMedians> out = new ArrayList<>();
    for (Row r :
        lake.read(spark, "clusters")
            .select("panel", "algorithm", "metacluster", "label", "size", "marker_medians")
            .collectAsList()) {
      out.add(
          new ClusterMedians(
              r.getString(0),
              r.getString(1),
              r.getInt(2),
              r.isNullAt(3) ? "" : r.getString(3),
              r.isNullAt(4) ? 0 : r.getLong(4),
              ClusterMedians.parseMedians(r.isNullAt(5) ? null : r.getString(5))));
    }
    return out;
  }

  /** Every row of {@code cohort_summary}, the columns the report uses. */
  static List<CohortSummaryView.Row> cohortSummaryRows(SparkSession spark, Lake lake) {
    List<CohortSummaryView.Row> out = new ArrayList<>();
    for (Row r :
        lake.read(spark, "cohort_summary")
            .select(
                "cohort",
                "visit",
                "panel",
                "feature",
                "statistic",
                "n",
                "median",
                "q1",
                "q3",
                "n_paired",
                "median_fold_change",
                "p_value",
                "q_value")
            .collectAsList()) {
      out.add(
          new CohortSummaryView.Row(
              r.getString(0),
              r.getString(1),
              r.getString(2),
              r.getString(3),
              r.getString(4),
              (Integer) r.get(5),
              (Double) r.get(6),
              (Double) r.get(7),
              (Double) r.get(8),
              (Integer) r.get(9),
              (Double) r.get(10),
              (Double) r.get(11),
              (Double) r.get(12)));
    }
    return out;
  }

  /** A panel's % of parent per sample and population ({@code populations}), with the visit. */
  static List<GatingQc.Pct> percentsOfParent(SparkSession spark, Lake lake, String panel) {
    List<GatingQc.Pct> values = new ArrayList<>();
    for (Row r :
        lake.read(spark, "populations")
            .where(functions.col("panel").equalTo(panel))
            .select("sample_id", "population", "pct_of_parent")
            .join(PatientSamples.read(spark, lake).select("sample_id", "visit"), "sample_id")
            .select("sample_id", "visit", "population", "pct_of_parent")
            .collectAsList()) {
      values.add(
          new GatingQc.Pct(
              r.getString(0),
              r.getString(1),
              r.getString(2),
              r.isNullAt(3) ? Double.NaN : r.getDouble(3)));
    }
    return values;
  }

  /** A panel's rows of {@code gating_qc}, none when the table does not exist. */
  static List<GatingQc.Flag> gatingFlags(SparkSession spark, Lake lake, String panel) {
    List<GatingQc.Flag> flags = new ArrayList<>();
    if (lake.exists(spark, "gating_qc")) {
      for (Row r :
          lake.read(spark, "gating_qc")
              .where(functions.col("panel").equalTo(panel))
              .select("sample_id", "population", "flag")
              .collectAsList()) {
        flags.add(new GatingQc.Flag(r.getString(0), r.getString(1), r.getString(2)));
      }
    }
    return flags;
  }
}
