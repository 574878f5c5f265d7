package org.cytolake.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything one run's HTML report shows, as plain immutable values: no Spark, no I/O. Built by
 * {@code org.cytolake.jobs.ReportJob} from the lake and rendered by {@link ReportRenderer}.
 *
 * @param runId the run the report belongs to
 * @param generatedAt when the report was built (UTC)
 * @param lake the lake root the tables were read from
 * @param summary the run's summary (step timings, counts), or null when none was given
 * @param samples events per ingested sample (QC)
 * @param quarantine quarantined inputs, already sanitised for analysts
 * @param tregVisits the visit order of the Treg plots (visits without data are left out)
 * @param treg Treg % of CD4 per cohort and visit, one small plot per cohort
 * @param heatmaps metacluster × marker medians, one heatmap per panel and algorithm
 * @param cohortSummary the {@code cohort_summary} table, or null when it was not computed
 */
public record ReportModel(String runId, Instant generatedAt, String lake, RunSummary summary,
    List<SampleEvents> samples, List<QuarantineEntry> quarantine, List<String> tregVisits,
    List<CohortSeries> treg, List<Heatmap> heatmaps, DataTable cohortSummary) {

  public ReportModel {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(generatedAt, "generatedAt");
    Objects.requireNonNull(lake, "lake");
    samples = List.copyOf(samples);
    quarantine = List.copyOf(quarantine);
    tregVisits = List.copyOf(tregVisits);
    treg = List.copyOf(treg);
    heatmaps = List.copyOf(heatmaps);
  }

  /** One ingested sample: its pseudonymous id, panel, visit, event count and QC status. */
  public record SampleEvents(String sampleId, String panel, String visit, long events,
      String qcStatus) {
    public SampleEvents {
      Objects.requireNonNull(sampleId, "sampleId");
      Objects.requireNonNull(panel, "panel");
    }
  }

  /**
   * Treg % of CD4 of one cohort: one point per sample, grouped by visit.
   *
   * @param cohort cohort name
   * @param points one per sample
   */
  public record CohortSeries(String cohort, List<Point> points) {
    public CohortSeries {
      Objects.requireNonNull(cohort, "cohort");
      points = List.copyOf(points);
    }

    /** The values at one visit, in point order. */
    public List<Double> values(String visit) {
      return points.stream().filter(p -> p.visit().equals(visit)).map(Point::value).toList();
    }
  }

  /** One sample's value at a visit. */
  public record Point(String visit, double value) {
    public Point {
      Objects.requireNonNull(visit, "visit");
    }
  }

  /**
   * Medians of the markers in each metacluster of one clustering.
   *
   * @param panel panel code
   * @param algorithm clustering algorithm (flowsom, kmeans, ...)
   * @param markers column order
   * @param rows one per metacluster
   */
  public record Heatmap(String panel, String algorithm, List<String> markers,
      List<HeatmapRow> rows) {
    public Heatmap {
      Objects.requireNonNull(panel, "panel");
      Objects.requireNonNull(algorithm, "algorithm");
      markers = List.copyOf(markers);
      rows = List.copyOf(rows);
      for (HeatmapRow r : rows) {
        if (r.medians().size() != markers.size()) {
          throw new IllegalArgumentException("Cannot build heatmap " + panel + "/" + algorithm
              + ": metacluster " + r.metacluster() + " has " + r.medians().size()
              + " medians for " + markers.size() + " markers");
        }
      }
    }
  }

  /**
   * One metacluster: its number, phenotype label, size and the median of each marker (NaN where
   * missing).
   */
  public record HeatmapRow(int metacluster, String label, long size, List<Double> medians) {
    public HeatmapRow {
      medians = List.copyOf(medians);
    }
  }

  /** A generic table: column names and rows of already formatted cells (null for empty). */
  public record DataTable(List<String> columns, List<List<String>> rows, long totalRows) {
    public DataTable {
      columns = List.copyOf(columns);
      rows = rows.stream()
          .map(r -> java.util.Collections.unmodifiableList(new java.util.ArrayList<>(r)))
          .toList();
      for (List<String> r : rows) {
        if (r.size() != columns.size()) {
          throw new IllegalArgumentException("Cannot build table: a row has " + r.size()
              + " cells for " + columns.size() + " columns");
        }
      }
      if (totalRows < rows.size()) {
        throw new IllegalArgumentException("Cannot build table: totalRows " + totalRows
            + " is less than the " + rows.size() + " rows given");
      }
    }
  }
}
