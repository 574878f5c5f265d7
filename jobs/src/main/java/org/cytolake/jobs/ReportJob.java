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
import org.apache.spark.sql.SparkSession;
import org.cytolake.aggregate.AggregateConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.Settings;
import org.cytolake.lake.Lake;
import org.cytolake.plot.clusters.MarkerScale;
import org.cytolake.report.AcquisitionQcView;
import org.cytolake.report.BatchNormalisation;
import org.cytolake.report.ClusterPictures;
import org.cytolake.report.CohortSummaryView;
import org.cytolake.report.Effects;
import org.cytolake.report.GatingQc;
import org.cytolake.report.Heatmaps;
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
 *   <li>QC: events and warnings per sample from {@code samples}; what acquisition QC flagged
 *       ({@code sample_qc} with the samples' acquisition dates, {@link AcquisitionQcView}:
 *       flagged over {@code qc.warn-share}); quarantined inputs from the restricted {@code
 *       quarantine} table, sanitised ({@link QuarantineEntry}: no paths, messages, values or
 *       records).
 *   <li>The primary population ({@code report.primary-population} of
 *       {@code report.primary-panel}, resolved by {@link PrimaryPopulation}) as % of its parent:
 *       {@code populations} joined to {@code samples} (visit) and {@code patients} (cohort).
 *   <li>Heatmaps: {@code clusters}' lineage marker medians per panel and algorithm
 *       ({@link Heatmaps}), each marker scaled between its 1st and 99th percentile over the
 *       panel's events; the cluster pictures of each flowsom panel ({@link ClusterPicturePages}).
 *   <li>{@code cohort_summary}: the primary population's rows and the largest changes
 *       ({@link CohortSummaryView}), when the table exists.
 *   <li>{@code differential}: volcano plots and the primary feature's trajectories.
 *   <li>Batch normalisation, only when the lake has {@code normalisation_samples} ({@link
 *       NormalisationPages}): per normalised panel its model, samples by status and the control
 *       aliquots' medians by date, raw and normalised.
 *   <li>Render and write the page.
 * </ol>
 *
 * Steps 1-8 make a {@link Page}; step 9 ({@link #write}) renders it with a run summary, so a
 * caller that learns the run's outcome later (the nightly run) writes the page again with its
 * final summary without reading the lake twice. Only the driver holds data here, and only small
 * tables (one row per sample, metacluster, quarantined input or cohort summary row); the events
 * tables are never read but for the gating QC's binned densities ({@link GatingQcPages}), the
 * cluster pictures (percentiles, a stratified subsample) and the control aliquots' medians. The reads are {@link ReportTables} and
 * {@link ReportEffects}; the rules that shape their rows are the report package's.
 */
public final class ReportJob {
  private static final Logger LOG = LoggerFactory.getLogger(ReportJob.class);
  private static final int STEPS = 9;

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

  /** Steps 1-8: reads conf/, the lake and the run summary (when given) into a page. */
  public static Page build(SparkSession spark, Options o) throws IOException {
    return build(RunContext.open(spark, o.lake(), o.conf(), o.schemas(), o.runId()), o.summary());
  }

  /**
   * Steps 1-8 within a run.
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
    PrimaryPopulation primary = PrimaryPopulation.of(config);
    Lake lake = ctx.lake();

    step(spark, run, 2, "QC: samples, acquisition QC and quarantine");
    List<SampleEvents> samples = ReportTables.samples(spark, lake, byVisit);
    List<AcquisitionQcView.SampleQc> sampleQc = ReportTables.sampleQc(spark, lake);
    AcquisitionQcView acquisitionQc =
        sampleQc == null
            ? null
            : AcquisitionQcView.of(
                sampleQc,
                config.settings().getDouble(Settings.QC_WARN_SHARE),
                QcEvents.cleanOnly(config.settings()),
                byVisit);
    List<QuarantineEntry> quarantine = ReportTables.quarantine(spark, lake, keys);

    step(spark, run, 3, primary.title() + " by cohort and visit");
    PrimaryPlot plot = ReportTables.primary(spark, lake, primary, byVisit);

    step(spark, run, 4, "metacluster x lineage marker heatmaps and cluster pictures");
    Map<String, List<MarkerScale>> scales = ClusterPicturePages.scales(spark, lake, config);
    List<Heatmap> heatmaps =
        lake.exists(spark, "clusters")
            ? Heatmaps.of(
                ReportTables.clusters(spark, lake),
                config.panels(),
                ClusterPicturePages.bounds(scales))
            : List.of();
    List<ClusterPictures> clusterPictures = ClusterPicturePages.of(spark, lake, config, scales);

    step(spark, run, 5, "gating QC: parent densities with gates, % of parent outliers");
    List<GatingQc> gatingQc = GatingQcPages.of(spark, lake, config, ctx.conf());

    step(spark, run, 6, "cohort_summary");
    boolean aggregated = lake.exists(spark, "cohort_summary");
    boolean tested = lake.exists(spark, "differential");
    String pooled = aggregated || tested ? pooled(ctx) : null;
    CohortSummary cohortSummary = null;
    if (aggregated) {
      cohortSummary =
          CohortSummaryView.of(
              ReportTables.cohortSummaryRows(spark, lake),
              primary,
              config.visits().codes(),
              pooled);
    }
    step(spark, run, 7, "differential: volcano plots and the primary feature's trajectories");
    Effects effects = null;
    if (tested) {
      effects =
          ReportEffects.read(spark, lake, primary, config.visits().baseline(), pooled, byVisit);
    }
    step(spark, run, 8, "batch normalisation: control aliquots' medians, raw and normalised");
    List<BatchNormalisation> normalisation = NormalisationPages.of(spark, lake, config);
    RunSummary summary = runSummary == null ? null : readSummary(spark, runSummary);
    spark.sparkContext().setJobDescription(null);
    ReportModel model =
        ReportModel.builder()
            .runId(run.runId())
            .generatedAt(Instant.now())
            .lake(lake.root())
            .summary(summary)
            .samples(samples)
            .acquisitionQc(acquisitionQc)
            .quarantine(quarantine)
            .primary(plot)
            .heatmaps(heatmaps)
            .cohortSummary(cohortSummary)
            .effects(effects)
            .gatingQc(gatingQc)
            .clusterPictures(clusterPictures)
            .normalisation(normalisation)
            .build();
    return new Page(model, lake.reportPage(run.runId()));
  }

  /** Step 9: renders the page with the summary it has and writes it. */
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

  /** The pooled cohort's code ({@link AggregateConfig#pooledOrDefault}), its warnings logged. */
  private static String pooled(RunContext ctx) {
    List<String> warnings = new ArrayList<>();
    String pooled = AggregateConfig.pooledOrDefault(ctx.conf(), warnings);
    warnings.forEach(w -> LOG.warn("report: {}", w));
    return pooled;
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
