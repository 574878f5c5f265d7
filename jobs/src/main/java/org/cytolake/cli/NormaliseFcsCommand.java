package org.cytolake.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.cytometry.transform.TransformSpec;
import org.cytolake.fcs.FcsFormatException;
import org.cytolake.normalise.ClusterNormParams;
import org.cytolake.normalise.ClusteredQuantileNormModel;
import org.cytolake.normalise.ClusteredQuantileNormaliser;
import org.cytolake.normalise.Events;
import org.cytolake.normalise.Goal;
import org.cytolake.normalise.NormaliseFcs;
import org.cytolake.normalise.NormaliseFcs.FcsEvents;
import org.cytolake.normalise.NormaliseMetadata;
import org.cytolake.normalise.QuantileNormModel;
import org.cytolake.normalise.QuantileNormParams;
import org.cytolake.normalise.QuantileNormaliser;
import org.cytolake.som.SomParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cytolake normalise-fcs}: batch normalisation of FCS files by quantiles (CytoNorm). */
@Command(
    name = "normalise-fcs",
    mixinStandardHelpOptions = true,
    description = {
      "Normalise FCS files across batches by quantiles, as CytoNorm does without clustering: per "
          + "batch and channel, the quantiles of the batch's training controls (transformed) are "
          + "mapped onto goal quantiles by a monotone spline (R's monoH.FC), which is applied to "
          + "every file of the batch and transformed back.",
      "With --clusters N, CytoNorm's clustering variant: a SOM trained on the pooled controls "
          + "(transformed listed channels) is metaclustered into N clusters, every event goes to "
          + "its nearest node's cluster, and each cluster has its own quantiles, goal and splines. "
          + "A batch with fewer than --min-cluster-events control events in a cluster (or no "
          + "signal in a channel there) is left unnormalised in that cluster, with a warning on "
          + "stderr naming batch, cluster and count.",
      "The metadata CSV has CytoNorm's columns file_name, reference (ref: a training control; "
          + "other: a file to normalise) and batch. Each 'other' file (and with "
          + "--include-controls each 'ref' file too) is written to --out as Norm_<file name>, "
          + "float32, with all its channels and keywords; only the listed channels change.",
      "Exit status: 0 done; 3 bad metadata, channels, transform or FCS file, or controls that "
          + "cannot be trained on (one line on stderr naming every batch, file and channel); 1 "
          + "other failure."
    })
public final class NormaliseFcsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--metadata",
      required = true,
      paramLabel = "FILE.csv",
      description = "CSV with columns file_name, reference (ref|other), batch.")
  Path metadata;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "DIR",
      description = "Directory holding the files named in the metadata.")
  Path input;

  @Option(
      names = "--channels",
      required = true,
      paramLabel = "FILE|C1,C2,...",
      description =
          "The channels ($PnN) to normalise: a file with one per line (or comma separated), or "
              + "a comma-separated list.")
  String channels;

  @Option(
      names = "--transform",
      required = true,
      paramLabel = "SPEC",
      description =
          "The scale of quantiles and splines, e.g. asinh:cofactor=5 for CyTOF (see "
              + "TransformSpec: none, linear, log, asinh, logicle, hyperlog, flowjo-biex).")
  String transform;

  @Option(
      names = "--quantiles",
      paramLabel = "N",
      defaultValue = "" + QuantileNormParams.QUANTILES_DEFAULT,
      description =
          "Quantiles per batch and channel, at k/(N+1), k = 1..N (default: ${DEFAULT-VALUE}).")
  int quantiles;

  @Option(
      names = "--goal",
      paramLabel = "batch-mean|BATCH|quantiles:FILE",
      defaultValue = Goal.BATCH_MEAN,
      description =
          "Map onto the mean of the batches' quantiles, onto one batch's, or onto quantiles "
              + "given in a CSV with fields channel, probability (k/(N+1)), value (transformed "
              + "scale) and, with --clusters, cluster (1..N) (default: ${DEFAULT-VALUE}).")
  String goal;

  @Option(
      names = "--include-controls",
      description =
          "Also write the training controls normalised (CytoNorm only normalises the "
              + "files it is given; by default these are the 'other' files).")
  boolean includeControls;

  @Option(
      names = "--clusters",
      paramLabel = "N",
      description =
          "Per-cluster models (CytoNorm's FlowSOM variant): N metaclusters of a SOM trained on "
              + "the controls (default: none, one model per batch).")
  Integer clusters;

  @Option(
      names = "--xdim",
      paramLabel = "X",
      description = "With --clusters: SOM grid width (default: " + SomParams.XDIM_DEFAULT + ").")
  Integer xdim;

  @Option(
      names = "--ydim",
      paramLabel = "Y",
      description = "With --clusters: SOM grid height (default: " + SomParams.YDIM_DEFAULT + ").")
  Integer ydim;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description =
          "With --clusters: seed of the SOM and the metaclustering (default: "
              + SomParams.SEED_DEFAULT
              + ").")
  Long seed;

  @Option(
      names = "--min-cluster-events",
      paramLabel = "N",
      description =
          "With --clusters: the fewest control events of a batch in a cluster for it to be "
              + "fitted there; below, its events in that cluster are left as they are (default: "
              + ClusterNormParams.MIN_EVENTS_DEFAULT
              + ").")
  Integer minClusterEvents;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output directory (created if absent).")
  Path out;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    try {
      NormaliseMetadata meta = NormaliseMetadata.read(metadata);
      List<String> missing = new ArrayList<>();
      for (NormaliseMetadata.Row r : meta.rows()) {
        if (!Files.isRegularFile(input.resolve(r.fileName()))) {
          missing.add("'" + input.resolve(r.fileName()) + "'");
        }
      }
      if (!missing.isEmpty()) {
        return bad(err, "Cannot normalise: no such file(s) " + String.join(", ", missing));
      }
      Transform t;
      try {
        t = TransformSpec.parse(transform);
      } catch (IllegalArgumentException e) {
        return bad(err, "Cannot use --transform '" + transform + "': " + e.getMessage());
      }
      Goal g;
      try {
        g = Goal.parse(goal, null);
      } catch (IllegalArgumentException e) {
        return bad(err, "Cannot use --goal '" + goal + "': " + e.getMessage());
      }
      QuantileNormParams params = new QuantileNormParams(channelList(channels), t, quantiles, g);
      Map<String, List<Events>> controls = new LinkedHashMap<>();
      for (Map.Entry<String, List<NormaliseMetadata.Row>> b : meta.byBatch().entrySet()) {
        List<Events> list = new ArrayList<>();
        for (NormaliseMetadata.Row r : b.getValue()) {
          if (r.control()) {
            list.add(NormaliseFcs.read(input.resolve(r.fileName())).events());
          }
        }
        controls.put(b.getKey(), list);
      }
      ClusterNormParams clustering = clusterParams();
      QuantileNormModel model = null;
      ClusteredQuantileNormModel clustered = null;
      String describe;
      if (clustering == null) {
        model = new QuantileNormaliser(params).fit(controls);
        describe = params.describe();
      } else {
        clustered = new ClusteredQuantileNormaliser(params, clustering).fit(controls);
        describe = clustered.describe();
        for (String w : clustered.warnings()) {
          err.println("warning: " + w);
        }
        err.flush();
        stdout.println(controlEventsPerCluster(clustered));
      }
      List<String> unfit = new ArrayList<>();
      for (NormaliseMetadata.Row r : meta.rows()) {
        if (!r.control() || includeControls) {
          List<String> has = NormaliseFcs.channels(input.resolve(r.fileName()));
          List<String> lacks = params.channels().stream().filter(c -> !has.contains(c)).toList();
          if (!lacks.isEmpty()) {
            unfit.add("file '" + r.fileName() + "' has no channel(s) " + lacks);
          }
        }
      }
      if (!unfit.isEmpty()) {
        return bad(err, "Cannot normalise: " + String.join("; ", unfit));
      }
      Files.createDirectories(out);
      int written = 0;
      for (NormaliseMetadata.Row r : meta.rows()) {
        if (r.control() && !includeControls) {
          continue;
        }
        FcsEvents in = NormaliseFcs.read(input.resolve(r.fileName()));
        Events normalised =
            clustered == null
                ? model.apply(r.batch(), in.events())
                : clustered.apply(r.batch(), in.events());
        Path target = out.resolve("Norm_" + r.fileName());
        NormaliseFcs.write(
            target, in.dataset(), normalised, "quantile " + describe + " batch=" + r.batch());
        stdout.println(
            "normalised "
                + r.fileName()
                + " (batch "
                + r.batch()
                + ", "
                + normalised.events()
                + " events) -> "
                + target);
        written++;
      }
      stdout.println(
          "normalised "
              + written
              + " file(s) on "
              + params.channels().size()
              + " channel(s), "
              + meta.byBatch().size()
              + " batch(es), "
              + describe);
      stdout.flush();
      return 0;
    } catch (FcsFormatException | IllegalArgumentException e) {
      return bad(err, e.getMessage());
    } catch (IOException e) {
      err.println("Cannot normalise: " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  /** The clustering options, or null without {@code --clusters}; refused naming each option. */
  private ClusterNormParams clusterParams() {
    if (clusters == null) {
      List<String> stray = new ArrayList<>();
      if (xdim != null) {
        stray.add("--xdim " + xdim);
      }
      if (ydim != null) {
        stray.add("--ydim " + ydim);
      }
      if (seed != null) {
        stray.add("--seed " + seed);
      }
      if (minClusterEvents != null) {
        stray.add("--min-cluster-events " + minClusterEvents);
      }
      if (!stray.isEmpty()) {
        throw new IllegalArgumentException(
            "Cannot use " + String.join(", ", stray) + " without --clusters");
      }
      return null;
    }
    SomParams som;
    try {
      som =
          SomParams.defaults()
              .withGrid(
                  xdim == null ? SomParams.XDIM_DEFAULT : xdim,
                  ydim == null ? SomParams.YDIM_DEFAULT : ydim)
              .withSeed(seed == null ? SomParams.SEED_DEFAULT : seed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot use --xdim/--ydim: " + e.getMessage(), e);
    }
    return new ClusterNormParams(
        clusters,
        som,
        minClusterEvents == null ? ClusterNormParams.MIN_EVENTS_DEFAULT : minClusterEvents);
  }

  /** One line: the control events of each batch in each cluster (clusters numbered from 1). */
  private static String controlEventsPerCluster(ClusteredQuantileNormModel m) {
    StringBuilder b = new StringBuilder("control events per cluster");
    for (String batch : m.batches()) {
      b.append("; batch ").append(batch).append(':');
      for (int cl = 0; cl < m.clusters(); cl++) {
        b.append(' ').append(cl + 1).append('=').append(m.controlEvents(batch, cl));
      }
    }
    return b.toString();
  }

  /** A file of channel names (one a line, or comma separated), or a comma-separated list. */
  static List<String> channelList(String value) throws IOException {
    Path p = Path.of(value);
    String text = Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8) : value;
    return Arrays.stream(text.split("[,\\r\\n]+"))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static int bad(PrintWriter err, String message) {
    err.println(message.replace('\n', ' '));
    err.flush();
    return CytolakeCli.EXIT_BAD_INPUT;
  }
}
