package org.cytolake.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cytolake.ingest.SampleQc;

/**
 * Everything one run's HTML report shows, as plain immutable values: no Spark, no I/O. Built by
 * {@code org.cytolake.jobs.ReportJob} from the lake and rendered by {@link ReportRenderer}. The
 * canonical constructor takes every part; {@link #builder} names them, and leaves out the parts a
 * report does not have.
 *
 * @param runId the run the report belongs to
 * @param generatedAt when the report was built (UTC)
 * @param lake the lake root the tables were read from
 * @param summary the run's summary (status, warnings, step timings, counts), or null when none
 *     was given
 * @param samples events per ingested sample (QC)
 * @param acquisitionQc what acquisition QC ({@code sample_qc}) flagged, or null when the lake has
 *     no {@code sample_qc} (the report then has no such section)
 * @param quarantine quarantined inputs, already sanitised for analysts
 * @param primary the primary population as % of its parent, one small plot per cohort
 * @param heatmaps metacluster × lineage marker medians, one heatmap per panel and algorithm
 * @param cohortSummary what the report shows of {@code cohort_summary}, or null when it was not
 *     computed
 * @param effects the effect plots of {@code differential}, or null when it was not computed
 * @param gatingQc the gating QC page of each gated panel (empty when none was built)
 * @param clusterPictures the cluster pictures of each clustered panel (empty when none)
 * @param normalisation the batch normalisation of each normalised panel, or null when the lake
 *     has no {@code normalisation_samples} (the report then has no such section)
 */
public record ReportModel(
    String runId,
    Instant generatedAt,
    String lake,
    RunSummary summary,
    List<SampleEvents> samples,
    AcquisitionQcView acquisitionQc,
    List<QuarantineEntry> quarantine,
    PrimaryPlot primary,
    List<Heatmap> heatmaps,
    CohortSummary cohortSummary,
    Effects effects,
    List<GatingQc> gatingQc,
    List<ClusterPictures> clusterPictures,
    List<BatchNormalisation> normalisation) {

  public ReportModel {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(generatedAt, "generatedAt");
    Objects.requireNonNull(lake, "lake");
    Objects.requireNonNull(primary, "primary");
    samples = List.copyOf(samples);
    quarantine = List.copyOf(quarantine);
    heatmaps = List.copyOf(heatmaps);
    gatingQc = gatingQc == null ? List.of() : List.copyOf(gatingQc);
    clusterPictures = clusterPictures == null ? List.of() : List.copyOf(clusterPictures);
    normalisation = normalisation == null ? null : List.copyOf(normalisation);
  }

  /** The same report with another run summary (e.g. the run's final one). */
  public ReportModel withSummary(RunSummary s) {
    return toBuilder().summary(s).build();
  }

  /**
   * A builder of a report: run id, generation time, lake and primary plot are required; every
   * other part defaults to what a lake without it shows (no summary, no samples, quarantine,
   * heatmaps, gating QC or cluster pictures; acquisition QC, cohort summary, effects and batch
   * normalisation not computed).
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every part of this report. */
  public Builder toBuilder() {
    return new Builder()
        .runId(runId)
        .generatedAt(generatedAt)
        .lake(lake)
        .summary(summary)
        .samples(samples)
        .acquisitionQc(acquisitionQc)
        .quarantine(quarantine)
        .primary(primary)
        .heatmaps(heatmaps)
        .cohortSummary(cohortSummary)
        .effects(effects)
        .gatingQc(gatingQc)
        .clusterPictures(clusterPictures)
        .normalisation(normalisation);
  }

  /** Sets the parts of a {@link ReportModel} by name; {@link #build} checks them. */
  public static final class Builder {
    private String runId;
    private Instant generatedAt;
    private String lake;
    private RunSummary summary;
    private List<SampleEvents> samples = List.of();
    private AcquisitionQcView acquisitionQc;
    private List<QuarantineEntry> quarantine = List.of();
    private PrimaryPlot primary;
    private List<Heatmap> heatmaps = List.of();
    private CohortSummary cohortSummary;
    private Effects effects;
    private List<GatingQc> gatingQc = List.of();
    private List<ClusterPictures> clusterPictures = List.of();
    private List<BatchNormalisation> normalisation;

    private Builder() {}

    public Builder runId(String v) {
      runId = v;
      return this;
    }

    public Builder generatedAt(Instant v) {
      generatedAt = v;
      return this;
    }

    public Builder lake(String v) {
      lake = v;
      return this;
    }

    public Builder summary(RunSummary v) {
      summary = v;
      return this;
    }

    public Builder samples(List<SampleEvents> v) {
      samples = v;
      return this;
    }

    public Builder acquisitionQc(AcquisitionQcView v) {
      acquisitionQc = v;
      return this;
    }

    public Builder quarantine(List<QuarantineEntry> v) {
      quarantine = v;
      return this;
    }

    public Builder primary(PrimaryPlot v) {
      primary = v;
      return this;
    }

    public Builder heatmaps(List<Heatmap> v) {
      heatmaps = v;
      return this;
    }

    public Builder cohortSummary(CohortSummary v) {
      cohortSummary = v;
      return this;
    }

    public Builder effects(Effects v) {
      effects = v;
      return this;
    }

    public Builder gatingQc(List<GatingQc> v) {
      gatingQc = v;
      return this;
    }

    public Builder clusterPictures(List<ClusterPictures> v) {
      clusterPictures = v;
      return this;
    }

    public Builder normalisation(List<BatchNormalisation> v) {
      normalisation = v;
      return this;
    }

    /**
     * The report.
     *
     * @throws NullPointerException naming the first required part not set
     */
    public ReportModel build() {
      return new ReportModel(
          runId,
          generatedAt,
          lake,
          summary,
          samples,
          acquisitionQc,
          quarantine,
          primary,
          heatmaps,
          cohortSummary,
          effects,
          gatingQc,
          clusterPictures,
          normalisation);
    }
  }

  /**
   * One ingested sample: its pseudonymous id, panel, visit, event count and the warnings ingest
   * recorded ({@code samples.qc_warnings}: reader codes and label mismatches).
   */
  public record SampleEvents(
      String sampleId, String panel, String visit, long events, List<String> warnings) {
    public SampleEvents {
      Objects.requireNonNull(sampleId, "sampleId");
      Objects.requireNonNull(panel, "panel");
      warnings = List.copyOf(warnings);
    }

    /** QC OK: no warning that may affect the data ({@link SampleQc}); benign ones may remain. */
    public boolean qcOk() {
      return warnings.stream().noneMatch(SampleQc::affectsData);
    }

    /** The warnings of {@code samples.qc_warnings}: "; "-separated, null or blank for none. */
    public static List<String> warnings(String qcWarnings) {
      return qcWarnings == null || qcWarnings.isBlank()
          ? List.of()
          : List.of(qcWarnings.split(";\\s*"));
    }

    /** The report's order: by panel, visit (in {@code visitOrder}) and sample id. */
    public static Comparator<SampleEvents> order(Comparator<String> visitOrder) {
      return Comparator.comparing(SampleEvents::panel)
          .thenComparing(SampleEvents::visit, visitOrder)
          .thenComparing(SampleEvents::sampleId);
    }
  }

  /**
   * The primary population as % of its parent, per cohort and visit.
   *
   * @param population what is plotted: panel, name and parent name (titles and axes)
   * @param visits the visit order of the plots (visits without data are left out)
   * @param series one per cohort
   */
  public record PrimaryPlot(
      PrimaryPopulation population, List<String> visits, List<CohortSeries> series) {
    /** The one cohort of the plots when the lake has no {@code patients} table. */
    public static final String ALL_PATIENTS = "all patients";

    /** The cohort of a sample whose patient is not in {@code patients}. */
    public static final String UNKNOWN_COHORT = "unknown cohort";

    public PrimaryPlot {
      Objects.requireNonNull(population, "population");
      visits = List.copyOf(visits);
      series = List.copyOf(series);
    }

    /**
     * One population value of one sample of the primary panel, as the lake has it.
     *
     * @param population the population path
     * @param cohort the patient's cohort, or null when it has none
     * @param visit the sample's visit
     * @param pctOfParent the population's % of its parent
     */
    public record SampleValue(String population, String cohort, String visit, double pctOfParent) {}

    /**
     * The plot of {@code population} from the values of its panel's samples: those of the
     * population, one series per cohort (by name; {@value #UNKNOWN_COHORT} for a sample whose
     * patient has none, or one series {@value #ALL_PATIENTS} when {@code withCohorts} is false),
     * points by visit and value, and the visits that have points, in {@code visitOrder}.
     */
    public static PrimaryPlot of(
        PrimaryPopulation population,
        List<SampleValue> values,
        boolean withCohorts,
        Comparator<String> visitOrder) {
      Map<String, List<Point>> byCohort = new TreeMap<>();
      for (SampleValue v : values) {
        if (population.matches(v.population())) {
          String cohort =
              !withCohorts ? ALL_PATIENTS : v.cohort() == null ? UNKNOWN_COHORT : v.cohort();
          byCohort
              .computeIfAbsent(cohort, k -> new ArrayList<>())
              .add(new Point(v.visit(), v.pctOfParent()));
        }
      }
      List<CohortSeries> series = new ArrayList<>();
      Set<String> plotVisits = new TreeSet<>(visitOrder);
      for (Map.Entry<String, List<Point>> e : byCohort.entrySet()) {
        List<Point> points = new ArrayList<>(e.getValue());
        points.sort(
            Comparator.comparing(Point::visit, visitOrder).thenComparingDouble(Point::value));
        points.forEach(p -> plotVisits.add(p.visit()));
        series.add(new CohortSeries(e.getKey(), points));
      }
      return new PrimaryPlot(population, List.copyOf(plotVisits), series);
    }
  }

  /**
   * The primary population's % of parent in one cohort: one point per sample, grouped by visit.
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
   * Medians of the lineage markers in each metacluster of one clustering.
   *
   * @param panel panel code
   * @param algorithm clustering algorithm (flowsom, kmeans, ...)
   * @param markers column order (marker names)
   * @param rows one per metacluster
   * @param scaleLo per marker, the value coloured lowest: its 1st percentile over the panel's
   *     events (NaN: the lowest median of the rows)
   * @param scaleHi per marker, the value coloured highest: its 99th percentile (NaN: the highest
   *     median of the rows)
   */
  public record Heatmap(
      String panel,
      String algorithm,
      List<String> markers,
      List<HeatmapRow> rows,
      List<Double> scaleLo,
      List<Double> scaleHi) {

    /** A heatmap coloured between the lowest and highest median of each marker. */
    public Heatmap(String panel, String algorithm, List<String> markers, List<HeatmapRow> rows) {
      this(panel, algorithm, markers, rows, null, null);
    }

    public Heatmap {
      Objects.requireNonNull(panel, "panel");
      Objects.requireNonNull(algorithm, "algorithm");
      markers = List.copyOf(markers);
      rows = List.copyOf(rows);
      List<Double> none = java.util.Collections.nCopies(markers.size(), Double.NaN);
      scaleLo = List.copyOf(scaleLo == null ? none : scaleLo);
      scaleHi = List.copyOf(scaleHi == null ? none : scaleHi);
      if (scaleLo.size() != markers.size() || scaleHi.size() != markers.size()) {
        throw new IllegalArgumentException(
            "Cannot build heatmap "
                + panel
                + "/"
                + algorithm
                + ": "
                + scaleLo.size()
                + " and "
                + scaleHi.size()
                + " scale bounds for "
                + markers.size()
                + " markers");
      }
      for (HeatmapRow r : rows) {
        if (r.medians().size() != markers.size()) {
          throw new IllegalArgumentException(
              "Cannot build heatmap "
                  + panel
                  + "/"
                  + algorithm
                  + ": metacluster "
                  + r.metacluster()
                  + " has "
                  + r.medians().size()
                  + " medians for "
                  + markers.size()
                  + " markers");
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

  /**
   * What the report shows of {@code cohort_summary}: a few ordered tables, not the whole table.
   *
   * @param totalRows rows of the whole table in the lake
   * @param features distinct features (feature, statistic, panel) in it
   * @param tables the tables shown, in order
   */
  public record CohortSummary(long totalRows, long features, List<TitledTable> tables) {
    public CohortSummary {
      tables = List.copyOf(tables);
    }
  }

  /** A table with a title and an optional note under it. */
  public record TitledTable(String title, String note, DataTable table) {
    public TitledTable {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(table, "table");
    }
  }

  /** A generic table: column names and rows of already formatted cells (null for empty). */
  public record DataTable(List<String> columns, List<List<String>> rows, long totalRows) {
    public DataTable {
      columns = List.copyOf(columns);
      rows =
          rows.stream()
              .map(r -> java.util.Collections.unmodifiableList(new java.util.ArrayList<>(r)))
              .toList();
      for (List<String> r : rows) {
        if (r.size() != columns.size()) {
          throw new IllegalArgumentException(
              "Cannot build table: a row has "
                  + r.size()
                  + " cells for "
                  + columns.size()
                  + " columns");
        }
      }
      if (totalRows < rows.size()) {
        throw new IllegalArgumentException(
            "Cannot build table: totalRows "
                + totalRows
                + " is less than the "
                + rows.size()
                + " rows given");
      }
    }
  }
}
