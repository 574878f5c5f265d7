package org.cytolake.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.cytolake.jobs.PlotJob;
import org.cytolake.jobs.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cytolake plot}: a density plot or histogram of the lake's events. */
@Command(
    name = "plot",
    mixinStandardHelpOptions = true,
    description = {
      "Draw a 2D density (--x and --y; log-scaled colour of events per bin) or a 1D histogram (--x "
          + "only) of a panel's events_<panel> columns (compensated, transformed), to PNG or SVG.",
      "The events are those gate reads (qc_flag = 0 unless qc.use-flagged-events), of one sample, "
          + "visit or cohort (default: all), of one gated population (default: all events). Binning "
          + "runs on Spark; only the bin counts reach the driver. Ranges are the 0.1%% and 99.9%% "
          + "quantiles of the plotted events widened by 5%% on each side, unless --x-range / "
          + "--y-range fix them. The title names panel, markers, selection, population and event "
          + "count; the axes name marker, column and transform. --gates draws the outlines of the "
          + "gates of conf/gating/<panel>.yaml whose every dimension is on an axis.",
      "Exit status: 0 written; 1 failed (an unknown panel, column, sample, visit, cohort or "
          + "population is named on stderr with the valid ones); 2 bad command line."
    })
public final class PlotCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin LakePanelOptions target;

  @Option(
      names = "--x",
      required = true,
      paramLabel = "COL",
      description = "The x column of events_<panel>, or its marker (e.g. cd4 or CD4).")
  String x;

  @Option(
      names = "--y",
      paramLabel = "COL",
      description = "The y column or marker; without it, a histogram of --x.")
  String y;

  @Option(names = "--sample", paramLabel = "ID", description = "Only this sample (sample_id).")
  String sample;

  @Option(names = "--visit", paramLabel = "V", description = "Only the samples of this visit.")
  String visit;

  @Option(
      names = "--cohort",
      paramLabel = "C",
      description = "Only the samples of this cohort's patients (patients.cohort).")
  String cohort;

  @Option(
      names = "--population",
      paramLabel = "PATH",
      description =
          "Only the events of this gated population: its id or path, e.g. Treg or "
              + "cells/singlets/live/lymphocytes/T/CD4/Treg (conf/gating/<panel>.yaml).")
  String population;

  @Option(
      names = "--gates",
      description = "Draw the outlines of the strategy's gates that lie on the plot's axes.")
  boolean gates;

  @Mixin PlotImageOptions image;

  @picocli.CommandLine.Option(
      names = "--raw",
      description =
          "Of a panel normalised between batches (conf/normalisation.yaml), draw the ingested"
              + " values (events_<panel>) instead of the normalised ones (events_norm_<panel>).")
  boolean raw;

  @Override
  public Integer call() throws Exception {
    int[] wh = image.size();
    PlotJob.Options o =
        new PlotJob.Options(
            target.lake.root,
            target.job.confDir(),
            target.job.schemasDir(),
            target.panel,
            x,
            y,
            sample,
            visit,
            cohort,
            population,
            gates,
            image.bins,
            image.xRange(),
            image.yRange(),
            image.out(),
            wh[0],
            wh[1],
            raw);
    SparkSession spark = SparkSessions.getOrCreate("cytolake plot", target.job.master);
    PlotJob.Result r = PlotJob.run(spark, o);
    var w = spec.commandLine().getOut();
    w.printf(
        Locale.ROOT,
        "plot %s: %s%s: %,d events (%,d outside the range, %,d missing), x [%.4g, %.4g)%s; "
            + "gates drawn %s; %.1f s -> %s%n",
        r.panel(),
        r.xColumn(),
        r.yColumn() == null ? "" : " vs " + r.yColumn(),
        r.events(),
        r.outside(),
        r.missing(),
        r.xAxis().lo(),
        r.xAxis().hi(),
        r.yAxis() == null
            ? ""
            : String.format(Locale.ROOT, ", y [%.4g, %.4g)", r.yAxis().lo(), r.yAxis().hi()),
        r.gatesDrawn(),
        r.seconds(),
        r.out());
    for (String t : r.thresholdLines()) {
      w.printf(Locale.ROOT, "plot %s: gate %s%n", r.panel(), t);
    }
    w.flush();
    return 0;
  }
}
