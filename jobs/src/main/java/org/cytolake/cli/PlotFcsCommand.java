package org.cytolake.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.cytometry.transform.TransformSpec;
import org.cytolake.fcs.FcsFormatException;
import org.cytolake.gating.GateFcs;
import org.cytolake.gating.GatingMlException;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.plot.FcsPlot;
import org.cytolake.plot.PlotChecks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cytolake plot-fcs}: a density plot or histogram of one FCS file, without a lake. */
@Command(
    name = "plot-fcs",
    mixinStandardHelpOptions = true,
    description = {
      "Draw a 2D density (--x and --y) or a 1D histogram (--x only) of one FCS file's first data "
          + "set to PNG or SVG, as a check before configuring a study: no lake, no Spark.",
      "Events are read as gate-fcs reads them (linearized: $PnE, divided by $PnG), compensated "
          + "with the file's $SPILLOVER/SPILL when it has one (--no-compensation: not), then "
          + "--transform is applied to the plotted channels. With --gating, --population keeps "
          + "the events of one population (evaluated as gate-fcs does, with the document's own "
          + "compensation and transforms) and --gates draws the document's gates whose "
          + "dimensions are the plotted channels, mapped from their own transform onto the axes'. "
          + "Ranges are the 0.1%% and 99.9%% quantiles of the plotted values widened by 5%% on "
          + "each side unless --x-range / --y-range fix them.",
      "Exit status: 0 written; 3 malformed FCS or gating file; 1 other failure (an unknown "
          + "channel or population is named on stderr with the valid ones); 2 bad command line."
    })
public final class PlotFcsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--fcs", required = true, paramLabel = "FILE", description = "The FCS file.")
  Path fcs;

  @Option(
      names = "--x",
      required = true,
      paramLabel = "C",
      description = "The x channel: $PnN, or $PnS (the marker).")
  String x;

  @Option(
      names = "--y",
      paramLabel = "C",
      description = "The y channel ($PnN or $PnS); without it, a histogram of --x.")
  String y;

  @Option(
      names = "--transform",
      paramLabel = "SPEC",
      defaultValue = "none",
      description =
          "Transform of both axes, as in conf/panels.yaml: none, asinh:cofactor=150, "
              + "logicle:T=262144,W=0.5,M=4.5,A=0, ... (default: ${DEFAULT-VALUE}).")
  String transform;

  @Option(names = "--x-transform", paramLabel = "SPEC", description = "Transform of x only.")
  String xTransform;

  @Option(names = "--y-transform", paramLabel = "SPEC", description = "Transform of y only.")
  String yTransform;

  @Option(
      names = "--no-compensation",
      description = "Do not compensate with the file's spillover matrix.")
  boolean noCompensation;

  @Option(
      names = "--gating",
      paramLabel = "FILE",
      description = "A Gating-ML 2.0 document (.xml) or the compact form (.yaml, .yml, .json).")
  Path gating;

  @Option(
      names = "--population",
      paramLabel = "PATH",
      description = "Only the events of this population of --gating (its id or path).")
  String population;

  @Option(names = "--gates", description = "Draw the outlines of --gating's gates on the axes.")
  boolean gates;

  @Mixin PlotImageOptions image;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    for (Path p : gating == null ? java.util.List.of(fcs) : java.util.List.of(fcs, gating)) {
      if (!Files.isRegularFile(p)) {
        err.println("Cannot read '" + p + "': no such file");
        err.flush();
        return CliErrors.EXIT_FAILED;
      }
    }
    PlotChecks.checkBins(image.bins);
    Transform both = TransformSpec.parse(transform);
    Transform tx = xTransform == null ? both : TransformSpec.parse(xTransform);
    Transform ty = yTransform == null ? both : TransformSpec.parse(yTransform);
    int[] wh = image.size();
    GatingStrategy strategy = null;
    if (gating != null) {
      try {
        strategy = GateFcs.readStrategy(gating);
      } catch (GatingMlException e) {
        err.println(e.getMessage().replace('\n', ' '));
        err.flush();
        return CliErrors.EXIT_BAD_INPUT;
      }
    }
    FcsPlot.Result r;
    try {
      r =
          FcsPlot.run(
              new FcsPlot.Options(
                  fcs,
                  x,
                  y,
                  tx,
                  ty,
                  !noCompensation,
                  strategy,
                  gating == null ? null : gating.getFileName().toString(),
                  population,
                  gates,
                  image.bins,
                  image.xRange(),
                  image.yRange(),
                  image.out(),
                  wh[0],
                  wh[1]));
    } catch (FcsFormatException e) {
      err.println(e.getMessage().replace('\n', ' '));
      err.flush();
      return CliErrors.EXIT_BAD_INPUT;
    }
    var w = spec.commandLine().getOut();
    w.printf(
        Locale.ROOT,
        "plot-fcs %s: %s%s: %,d events (%,d outside the range, %,d missing), %s; gates drawn %s"
            + " -> %s%n",
        fcs.getFileName(),
        r.xChannel(),
        r.yChannel() == null ? "" : " vs " + r.yChannel(),
        r.events(),
        r.outside(),
        r.missing(),
        r.compensated() ? "compensated" : "not compensated",
        r.gatesDrawn(),
        r.out());
    for (String t : r.thresholdLines()) {
      w.printf(Locale.ROOT, "plot-fcs %s: gate %s%n", fcs.getFileName(), t);
    }
    w.flush();
    return 0;
  }
}
