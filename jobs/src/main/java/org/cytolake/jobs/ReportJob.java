package org.cytolake.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.aggregate.AggregateConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.Settings;
import org.cytolake.differential.DifferentialAnalysis;
import org.cytolake.lake.Lake;
import org.cytolake.plot.clusters.MarkerScale;
import org.cytolake.report.ClusterPictures;
import org.cytolake.report.CohortSummaryView;
import org.cytolake.report.Effects;
import org.cytolake.report.GatingQc;
import org.cytolake.report.Heatmaps;
import org.cytolake.report.Heatmaps.ClusterMedians;
import org.cytolake.report.PrimaryPopulation;
import org.cytolake.report.QuarantineEntry;
import org.cytolake.report.ReportModel;
import org.cytolake.report.ReportModel.CohortSummary;
import org.cytolake.report.ReportModel.Heatmap;
import org.cytolake.report.ReportModel.PrimaryPlot;
import org.cytolake.report.ReportModel.SampleEvents;
import org.cytolake.report.ReportRenderer;
import org.cytolake.report.RunSummary;
import org.cytolake.report.RunSummaryJson;
import org.cytolake.tables.Pseudonymizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTML report of one run: reads the small tables of the lake, builds a {@link ReportModel}
 * and writes {@code <lake>/_reports/<run id>/index.html} (through the Hadoop FileSystem API).
 *
 * <ol>
 *   <li>Load conf/ (visit order, the primary population and its panel's gating strategy, the
 *       panels' lineage markers, the pseudonymisation key).
 *   <li>QC: events and warnings per sample from {@code samples}; quarantined inputs from the
 *       restricted {@code quarantine} table, sanitised ({@link QuarantineEntry}: no paths,
 *       messages, values or records).
 *   <li>The primary population ({@code report.primary-population} of
 *       {@code report.primary-panel}, resolved by {@link PrimaryPopulation}) as % of its parent:
 *       {@code populations} joined to {@code samples} (visit) and {@code patients} (cohort).
 *   <li>Heatmaps: {@code clusters}' lineage marker medians per panel and algorithm
 *       ({@link Heatmaps}), each marker scaled between its 1st and 99th percentile over the
 *       panel's events; the cluster pictures of each flowsom panel ({@link ClusterPicturePages}).
 *   <li>{@code cohort_summary}: the primary population's rows and the largest changes
 *       ({@link CohortSummaryView}), when the table exists.
 *   <li>Render and write the page.
 * </ol>
 *
 * Steps 1-5 make a {@link Page}; step 6 ({@link #write}) renders it with a run summary, so a
 * caller that learns the run's outcome later (the nightly run) writes the page again with its
 * final summary without reading the lake twice. Only the driver holds data here, and only small
 * tables (one row per sample, metacluster, quarantined input or cohort summary row); the events
 * tables are read on Spark only for the cluster pictures (percentiles, a stratified subsample).
 */
public final class ReportJob {
  private static final Logger LOG = LoggerFactory.getLogger(ReportJob.class);
  private static final int STEPS = 8;

  private ReportJob() {}

  /**
   * @param lake lake root (any Hadoop path)
   * @param conf configuration directory
   * @param schemas directory of the table contracts
   * @param runId the run the report belongs to, or null for a new id
   * @param summary a run summary JSON (any Hadoop path) to show at the top, or null
   */
  public record Options(String lake, Path conf, Path schemas, String runId, String summary) {}

  /**
   * @param path the written page
   * @param samples samples shown
   * @param quarantined quarantined inputs shown
   * @param cohorts cohorts with a plot of the primary population
   * @param heatmaps heatmaps drawn
   * @param cohortSummaryRows rows of cohort_summary, or -1 when it was not computed
   */
  public record Result(
      String runId,
      String path,
      int samples,
      int quarantined,
      int cohorts,
      int heatmaps,
      long cohortSummaryRows) {}

  /** A report read from the lake, not yet written: its model and where its page goes. */
  public record Page(ReportModel model, String path) {}

  /** Builds the report from the lake and writes its page. */
  public static Result run(SparkSession spark, Options o) throws IOException {
    return write(spark, build(spark, o));
  }

  /** Steps 1-6: reads conf/, the lake and the run summary (when given) into a page. */
  public static Page build(SparkSession spark, Options o) throws IOException {
    return build(RunContext.open(spark, o.lake(), o.conf(), o.schemas(), o.runId()), o.summary());
  }

  /**
   * Steps 1-6 within a run.
   *
   * @param runSummary a run summary JSON to show (any Hadoop path), or null
   */
  public static Page build(RunContext ctx, String runSummary) throws IOException {
    SparkSession spark = ctx.spark();
    JobRun run = ctx.run();
    step(spark, run, 1, "load configuration");
    CytolakeConfig config = ctx.config();
    Comparator<String> byVisit = config.visits().order();
    Pseudonymizer keys =
        Pseudonymizer.fromEnvironment(config.settings().get(Settings.PSEUDONYM_SALT_ENV));
    List<String> visitOrder = config.visits().codes();
    PrimaryPopulation primary = PrimaryPopulation.of(config);
    Lake lake = ctx.lake();

    step(spark, run, 2, "QC: samples and quarantine");
    List<SampleEvents> samples = new ArrayList<>();
    if (lake.exists(spark, "samples")) {
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
    }
    samples.sort(SampleEvents.order(byVisit));
    List<QuarantineEntry> quarantine = new ArrayList<>();
    if (lake.exists(spark, "quarantine")) {
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
    }
    quarantine.sort(QuarantineEntry.ORDER);

    step(spark, run, 3, primary.title() + " by cohort and visit");
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
                  lake.read(spark, "samples").select("sample_id", "patient_id", "visit"),
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
    PrimaryPlot plot = PrimaryPlot.of(primary, values, withCohorts, byVisit);

    step(spark, run, 4, "metacluster x lineage marker heatmaps and cluster pictures");
    Map<String, List<MarkerScale>> scales = ClusterPicturePages.scales(spark, lake, config);
    List<Heatmap> heatmaps =
        lake.exists(spark, "clusters")
            ? Heatmaps.of(
                clusters(spark, lake), config.panels(), ClusterPicturePages.bounds(scales))
            : List.of();
    List<ClusterPictures> clusterPictures = ClusterPicturePages.of(spark, lake, config, scales);

    step(spark, run, 5, "gating QC: parent densities with gates, % of parent outliers");
    List<GatingQc> gatingQc = GatingQcPages.of(spark, lake, config, ctx.conf());

    step(spark, run, 6, "cohort_summary");
    CohortSummary cohortSummary = null;
    if (lake.exists(spark, "cohort_summary")) {
      List<String> warnings = new ArrayList<>();
      String pooled = AggregateConfig.pooledOrDefault(ctx.conf(), warnings);
      warnings.forEach(w -> LOG.warn("report: {}", w));
      cohortSummary =
          CohortSummaryView.of(cohortSummaryRows(spark, lake), primary, visitOrder, pooled);
    }
    step(spark, run, 7, "differential: volcano plots and the primary feature's trajectories");
    Effects effects = null;
    if (lake.exists(spark, "differential")) {
      List<String> warnings = new ArrayList<>();
      String pooled = AggregateConfig.pooledOrDefault(ctx.conf(), warnings);
      effects = effects(spark, lake, primary, config.visits().baseline(), pooled, byVisit);
    }
    RunSummary summary = runSummary == null ? null : readSummary(spark, runSummary);
    spark.sparkContext().setJobDescription(null);
    ReportModel model =
        new ReportModel(
            run.runId(),
            Instant.now(),
            lake.root(),
            summary,
            samples,
            quarantine,
            plot,
            heatmaps,
            cohortSummary,
            effects,
            gatingQc,
            clusterPictures);
    return new Page(model, lake.reportPage(run.runId()));
  }

  /** Step 6: renders the page with the summary it has and writes it. */
  public static Result write(SparkSession spark, Page page) throws IOException {
    ReportModel model = page.model();
    LOG.info("report {} {}/{}: render and write the page", model.runId(), STEPS, STEPS);
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(page.path());
    FileSystem fs = p.getFileSystem(Lake.hadoopConf(spark));
    try (OutputStream out = fs.create(p, true)) {
      out.write(ReportRenderer.render(model).getBytes(StandardCharsets.UTF_8));
    }
    Result result =
        new Result(
            model.runId(),
            page.path(),
            model.samples().size(),
            model.quarantine().size(),
            model.primary().series().size(),
            model.heatmaps().size(),
            model.cohortSummary() == null ? -1 : model.cohortSummary().totalRows());
    LOG.info("report {}: {}", model.runId(), result);
    return result;
  }

  /**
   * Writes the page again with another run summary (any Hadoop path): the nightly run's final
   * one, whose status and warnings the page then shows.
   */
  public static Result write(SparkSession spark, Page page, String summary) throws IOException {
    return write(
        spark, new Page(page.model().withSummary(readSummary(spark, summary)), page.path()));
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

  /**
   * The effect plots: the tested pooled model rows of {@code differential} (Wilcoxon rows left
   * out) with their population from {@code immunophenotype}, and the primary endpoint's feature
   * (its row's family is primary) per patient and visit from {@code immunophenotype}.
   */
  static Effects effects(
      SparkSession spark,
      Lake lake,
      PrimaryPopulation report,
      String baseline,
      String pooled,
      Comparator<String> byVisit)
      throws IOException {
    Column c = functions.col("cohort");
    Dataset<Row> immuno =
        lake.exists(spark, "immunophenotype") ? lake.read(spark, "immunophenotype") : null;
    Dataset<Row> diff =
        lake.read(spark, "differential")
            .filter(
                c.equalTo(pooled)
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
    List<Effects.EffectPoint> points = new ArrayList<>();
    Effects.EffectPoint primary = null;
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
      Effects.EffectPoint p =
          new Effects.EffectPoint(
              r.getString(0),
              r.getString(1),
              r.getString(2),
              r.getString(3),
              r.getString(4),
              r.getString(5),
              r.isNullAt(6) ? Double.NaN : r.getDouble(6),
              r.isNullAt(7) ? Double.NaN : r.getDouble(7),
              DifferentialAnalysis.PRIMARY_FAMILY.equals(r.getString(8)));
      points.add(p);
      if (p.primary()) {
        primary = p;
      }
    }
    if (primary == null) {
      // an untested primary endpoint still has its trajectories
      List<Row> any =
          lake.read(spark, "differential")
              .filter(functions.col("family").equalTo(DifferentialAnalysis.PRIMARY_FAMILY))
              .select("panel", "feature", "statistic", "visit", "scale")
              .limit(1)
              .collectAsList();
      if (!any.isEmpty()) {
        Row r = any.get(0);
        primary =
            new Effects.EffectPoint(
                r.getString(0),
                r.getString(1),
                r.getString(2),
                null,
                r.getString(3),
                r.getString(4),
                Double.NaN,
                Double.NaN,
                true);
      }
    }
    Effects.Trajectories trajectories = null;
    if (primary != null && immuno != null) {
      Dataset<Row> f =
          immuno.filter(
              functions
                  .col("panel")
                  .equalTo(primary.panel())
                  .and(functions.col("feature").equalTo(primary.feature()))
                  .and(functions.col("statistic").equalTo(primary.statistic())));
      List<Effects.Trajectories.Value> values = new ArrayList<>();
      String scale = null;
      for (Row r : f.select("cohort", "patient_id", "visit", "value", "scale").collectAsList()) {
        if (!r.isNullAt(3)) {
          values.add(
              new Effects.Trajectories.Value(
                  r.getString(0), r.getString(1), r.getString(2), r.getDouble(3)));
        }
        scale = r.getString(4);
      }
      boolean isReportPopulation =
          primary.panel().equals(report.panel())
              && primary.feature().equals(report.name())
              && primary.statistic().equals("pct_of_parent");
      String title =
          isReportPopulation
              ? report.title()
              : primary.feature() + " " + primary.statistic().replace('_', ' ');
      String axis = title + " (" + primary.panel() + ", " + (scale == null ? "?" : scale) + ")";
      trajectories = Effects.Trajectories.of(primary, title, axis, values, byVisit);
    }
    return new Effects(baseline, pooled, Effects.volcanoes(points, byVisit), trajectories);
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

  private static RunSummary readSummary(SparkSession spark, String path) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    FileSystem fs = p.getFileSystem(Lake.hadoopConf(spark));
    try (InputStream in = fs.open(p)) {
      return RunSummaryJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), path);
    }
  }

  private static void step(SparkSession spark, JobRun run, int n, String what) {
    String d = "report " + n + "/" + STEPS + ": " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info("{} [{}]", d, run.runId());
  }
}
