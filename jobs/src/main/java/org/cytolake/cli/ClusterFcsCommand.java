package org.cytolake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.parquet.schema.MessageType;
import org.cytolake.clustering.ClusterModel;
import org.cytolake.clustering.ClusterModelFormat;
import org.cytolake.clustering.FcsClustering;
import org.cytolake.clustering.MetaclusterSummary;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.fcs.FcsFormatException;
import org.cytolake.scoring.ClusterScoring;
import org.cytolake.scoring.ReferenceLabels;
import org.cytolake.som.Metaclustering;
import org.cytolake.som.SomParams;
import org.cytolake.tables.LocalParquetWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cytolake cluster-fcs}: FlowSOM-style clustering of FCS files on one machine, without a lake. */
@Command(
    name = "cluster-fcs",
    mixinStandardHelpOptions = true,
    description = {
      "Cluster FCS files with a FlowSOM-class self-organising map and consensus metaclustering, on one "
          + "machine (no Spark, no lake), and optionally score the result against reference labels.",
      "Events are read linearized ($PnE, $PnG), compensated with each file's spillover when "
          + "--compensate is given, then --transform is applied to the --columns. The SOM is trained on "
          + "all events of all files and every event is mapped.",
      "Writes Parquet files (snappy) to --out: events.parquet (file, event_index, node, metacluster; every "
          + "event, file order), nodes.parquet (node, metacluster, codebook value of every channel), "
          + "clusters.parquet (metacluster, size, pct, median of every column after the transform) and "
          + "abundance.parquet (file, metacluster, count, pct of the file), plus summary.json.",
      "--labels: one label per line in event order (quoted or not, no header), or a CSV with header "
          + "file,event_index,label (the generator's truth form; .gz allowed). Scoring as Weber and "
          + "Robinson 2016: events labelled Unlabeled/unassigned are left out, every population is "
          + "matched to one metacluster by the Hungarian method, mean F1 over populations.",
      "--export-model DIR writes the fitted model (codebook, metacluster of every node, parameters, seed, "
          + "training files with their quantisation distances) to DIR/cluster-model.json. --model DIR maps the "
          + "files onto that model instead of training (the model's columns, transform and compensation are "
          + "used) and adds to summary.json, per file, the misfit test: the median distance of its events to "
          + "their nodes against the training files' largest, times 1 + --misfit-margin, and the metaclusters "
          + "that absorbed the misfit.",
      "Exit status: 0 done; 3 malformed FCS file, unknown column or bad labels (one line on "
          + "stderr); 1 other failure."
    })
public final class ClusterFcsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--fcs",
      required = true,
      arity = "1..*",
      paramLabel = "FILE",
      description = "FCS files.")
  List<Path> fcs;

  @Option(
      names = "--columns",
      split = ",",
      paramLabel = "C",
      description =
          "Channels to cluster on, by $PnN, $PnS or 1-based index, comma-separated (required without"
              + " --model).")
  List<String> columns;

  @Option(
      names = "--transform",
      paramLabel = "SPEC",
      description = "none, asinh:COFACTOR, logicle, or any transform spec (default: none).")
  String transform;

  @Option(
      names = "--compensate",
      description = "Compensate with each file's $SPILLOVER/SPILL keyword.")
  Boolean compensate;

  @Option(
      names = "--export-model",
      paramLabel = "DIR",
      description = "Write the fitted model to DIR/cluster-model.json.")
  Path exportModel;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "Map the files onto the model in DIR/cluster-model.json instead of training.")
  Path model;

  @Option(
      names = "--misfit-margin",
      defaultValue = "" + ClusterModel.MISFIT_MARGIN_DEFAULT,
      paramLabel = "M",
      description =
          "With --model: a file is a misfit when the median distance of its events exceeds the training"
              + " files' largest by more than this share (default: ${DEFAULT-VALUE}).")
  double misfitMargin;

  @Option(
      names = "--xdim",
      defaultValue = "10",
      description = "SOM grid width (default: ${DEFAULT-VALUE}).")
  int xdim;

  @Option(
      names = "--ydim",
      defaultValue = "10",
      description = "SOM grid height (default: ${DEFAULT-VALUE}).")
  int ydim;

  @Option(
      names = "--rlen",
      defaultValue = "10",
      description = "SOM epochs (default: ${DEFAULT-VALUE}).")
  int rlen;

  @Option(
      names = "--metaclusters",
      defaultValue = "10",
      description =
          "Number of metaclusters; 0 chooses it by the elbow rule (default: ${DEFAULT-VALUE}).")
  int metaclusters;

  @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--labels",
      paramLabel = "FILE",
      description = "Reference labels to score against.")
  Path labels;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(
      names = "--json",
      description =
          "Print {\"mean_f1\": x, \"per_population\": {...}, \"seconds\": {...}, ...} on standard output.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    for (Path p : fcs) {
      if (!Files.isRegularFile(p)) {
        err.println("Cannot read FCS file '" + p + "': no such file");
        err.flush();
        return 1;
      }
    }
    if (labels != null && !Files.isRegularFile(labels)) {
      err.println("Cannot read labels '" + labels + "': no such file");
      err.flush();
      return 1;
    }
    FcsClustering.Result result;
    ClusterModel stored = null;
    List<String> reference = null;
    try {
      List<String> cols = columns;
      String transformSpec = transform == null ? "none" : transform;
      boolean comp = Boolean.TRUE.equals(compensate);
      if (model != null) {
        if (columns != null || transform != null || compensate != null || exportModel != null) {
          throw new IllegalArgumentException(
              "Cannot map onto cluster model '"
                  + model
                  + "': --columns, "
                  + "--transform, --compensate and --export-model do not go with --model (the model's are used)");
        }
        stored = ClusterModelFormat.read(model);
        Map<String, String> p = stored.provenance().parameters();
        cols = List.of(p.getOrDefault("columns", String.join(",", stored.columns())).split(","));
        transformSpec = p.getOrDefault("transform", "none");
        comp = Boolean.parseBoolean(p.getOrDefault("compensate", "false"));
      } else if (columns == null) {
        throw new IllegalArgumentException(
            "Cannot cluster FCS files: --columns is required without --model");
      }
      if (!(misfitMargin >= 0) || Double.isInfinite(misfitMargin)) {
        throw new IllegalArgumentException(
            "Cannot test files for misfit: --misfit-margin must be a number >= 0"
                + " but is "
                + misfitMargin);
      }
      Transform t = FcsClustering.parseTransform(transformSpec);
      SomParams som = SomParams.defaults().withGrid(xdim, ydim).withRlen(rlen).withSeed(seed);
      Metaclustering meta = Metaclustering.defaults().withK(metaclusters).withSeed(seed);
      FcsClustering clustering = new FcsClustering(cols, t, comp, som, meta);
      result = stored == null ? clustering.run(fcs) : clustering.apply(fcs, stored);
      if (exportModel != null) {
        ClusterModelFormat.write(
            clustering.model(result, "cluster-fcs-" + Instant.now()), exportModel);
      }
      if (labels != null) {
        reference = ReferenceLabels.read(labels, result.files(), result.eventsPerFile());
      }
    } catch (FcsFormatException | IllegalArgumentException e) {
      err.println(e.getMessage().replace('\n', ' '));
      err.flush();
      return CytolakeCli.EXIT_BAD_INPUT;
    } catch (IOException e) {
      err.println("Cannot read input: " + e.getMessage());
      err.flush();
      return 1;
    }
    ObjectNode summary = JsonNodeFactory.instance.objectNode();
    try {
      long t0 = System.nanoTime();
      ClusterScoring.Score score = null;
      if (reference != null) {
        score = ClusterScoring.score(reference, result.metaclusters());
      }
      double scoreSeconds = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      double[][] medians = result.metaclusterMedians();
      int[] sizes = result.metaclusterSizes();
      long t2 = System.nanoTime();
      double summariseSeconds = (t2 - t1) / 1e9;
      Files.createDirectories(out);
      writeEvents(result, out.resolve("events.parquet"));
      writeNodes(result, out.resolve("nodes.parquet"));
      writeClusters(result, medians, sizes, out.resolve("clusters.parquet"));
      writeAbundance(result, out.resolve("abundance.parquet"));
      double writeSeconds = (System.nanoTime() - t2) / 1e9;
      if (score != null) {
        summary.put("mean_f1", score.meanF1());
        ObjectNode per = summary.putObject("per_population");
        score.perPopulation().forEach(per::put);
        ObjectNode matched = summary.putObject("matched_metacluster");
        score.matchedCluster().forEach(matched::put);
        summary.put("scored_events", score.scoredEvents());
      } else {
        summary.putNull("mean_f1");
        summary.putObject("per_population");
      }
      summary.put("events", result.events());
      if (stored != null) {
        summary.set("misfit", misfit(stored, result, misfitMargin));
      }
      summary.put("metaclusters", result.meta().k());
      ObjectNode secs = summary.putObject("seconds");
      result.seconds().forEach(secs::put);
      if (score != null) {
        secs.put("score", scoreSeconds);
      }
      secs.put("summarise", summariseSeconds);
      secs.put("write", writeSeconds);
      Files.writeString(
          out.resolve("summary.json"),
          new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary));
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.flush();
      return CytolakeCli.EXIT_BAD_INPUT;
    } catch (IOException e) {
      err.println("Cannot write '" + out + "': " + e.getMessage());
      err.flush();
      return 1;
    }
    if (json) {
      try {
        stdout.println(new ObjectMapper().writeValueAsString(summary));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    } else {
      stdout.printf(
          Locale.ROOT,
          "%d events, %d metaclusters%s; tables in %s%n",
          result.events(),
          result.meta().k(),
          summary.get("mean_f1").isNull()
              ? ""
              : String.format(Locale.ROOT, ", mean F1 %.4f", summary.get("mean_f1").asDouble()),
          out);
    }
    stdout.flush();
    return 0;
  }

  /**
   * Per file, as {@link ClusterModel#misfit}: {file, events, median_distance, training_min, training_max, limit,
   * flagged, absorbed_by: [{metacluster, label, events, median_distance, limit}]}.
   */
  static ArrayNode misfit(ClusterModel stored, FcsClustering.Result r, double margin) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    int dims = r.channels().size();
    for (int f = 0, e = 0; f < r.files().size(); e += r.eventsPerFile()[f], f++) {
      int n = r.eventsPerFile()[f];
      ClusterModel.Misfit m =
          stored.misfit(
              r.files().get(f).toString(),
              Arrays.copyOfRange(r.values(), e * dims, (e + n) * dims),
              n,
              margin);
      ObjectNode o = out.addObject();
      o.put("file", m.sampleId());
      o.put("events", m.events());
      o.put("median_distance", m.medianDistance());
      o.put("training_min", m.trainingMin());
      o.put("training_max", m.trainingMax());
      o.put("limit", m.limit());
      o.put("flagged", m.flagged());
      ArrayNode absorbed = o.putArray("absorbed_by");
      for (ClusterModel.Absorption a : m.absorbedBy()) {
        absorbed
            .addObject()
            .put("metacluster", a.metacluster())
            .put("label", a.label())
            .put("events", a.events())
            .put("median_distance", a.medianDistance())
            .put("limit", a.limit());
      }
    }
    return out;
  }

  /** Column types of the output tables, for {@link LocalParquetWriter#schema}. */
  private static String[] col(String name, String type) {
    return new String[] {name, type};
  }

  /** The schema of {@code events.parquet}. */
  static final MessageType EVENTS_SCHEMA =
      LocalParquetWriter.schema(
          "events",
          List.of(
              col("file", "string"),
              col("event_index", "long"),
              col("node", "int"),
              col("metacluster", "int")));

  /**
   * {@code events.parquet}: file, event_index, node, metacluster of every event, in file order. Streams from the
   * result's node array: no object per event.
   */
  static void writeEvents(FcsClustering.Result r, Path path) throws IOException {
    int[] map = r.meta().nodeToMetacluster();
    int[] nodes = r.nodes();
    try (LocalParquetWriter w = LocalParquetWriter.open(path, EVENTS_SCHEMA)) {
      int e = 0;
      for (int f = 0; f < r.files().size(); f++) {
        String name = r.files().get(f).toString();
        for (int i = 0; i < r.eventsPerFile()[f]; i++, e++) {
          w.set(0, name).set(1, i).set(2, nodes[e]).set(3, map[nodes[e]]).endRow();
        }
      }
    }
  }

  /** {@code nodes.parquet}: node, metacluster and the codebook value of every channel (column named by $PnN). */
  static void writeNodes(FcsClustering.Result r, Path path) throws IOException {
    int[] map = r.meta().nodeToMetacluster();
    double[][] codes = r.model().codes();
    List<String[]> columns =
        new ArrayList<>(List.of(col("node", "int"), col("metacluster", "int")));
    r.channels().forEach(c -> columns.add(col(c, "double")));
    try (LocalParquetWriter w =
        LocalParquetWriter.open(path, LocalParquetWriter.schema("nodes", columns))) {
      for (int j = 0; j < codes.length; j++) {
        w.set(0, j).set(1, map[j]);
        for (int d = 0; d < codes[j].length; d++) {
          w.set(2 + d, codes[j][d]);
        }
        w.endRow();
      }
    }
  }

  /**
   * {@code clusters.parquet}: metacluster, size, pct (of all events) and the median of every channel after the
   * transform, as {@code median_<$PnS>} ({@code median_<$PnS> (<$PnN>)} where two channels share a $PnS).
   * {@code medians} and {@code sizes} are the result's {@link FcsClustering.Result#metaclusterMedians} and
   * {@link FcsClustering.Result#metaclusterSizes}, taken (and timed) before the write.
   */
  static void writeClusters(FcsClustering.Result r, double[][] medians, int[] sizes, Path path)
      throws IOException {
    List<String[]> columns =
        new ArrayList<>(
            List.of(col("metacluster", "int"), col("size", "long"), col("pct", "double")));
    for (int d = 0; d < r.channels().size(); d++) {
      String marker = r.markers().get(d);
      boolean shared = r.markers().indexOf(marker) != r.markers().lastIndexOf(marker);
      columns.add(
          col("median_" + marker + (shared ? " (" + r.channels().get(d) + ")" : ""), "double"));
    }
    try (LocalParquetWriter w =
        LocalParquetWriter.open(path, LocalParquetWriter.schema("clusters", columns))) {
      for (int c = 0; c < sizes.length; c++) {
        w.set(0, c).set(1, sizes[c]).set(2, MetaclusterSummary.percent(sizes[c], r.events()));
        for (int d = 0; d < medians[c].length; d++) {
          w.set(3 + d, medians[c][d]);
        }
        w.endRow();
      }
    }
  }

  /**
   * {@code abundance.parquet}: file × metacluster, count and pct (of the file's events), zeros included, as the lake's
   * {@code cluster_abundance}.
   */
  static void writeAbundance(FcsClustering.Result r, Path path) throws IOException {
    int[] map = r.meta().nodeToMetacluster();
    int[] nodes = r.nodes();
    int k = r.meta().k();
    MessageType schema =
        LocalParquetWriter.schema(
            "abundance",
            List.of(
                col("file", "string"),
                col("metacluster", "int"),
                col("count", "long"),
                col("pct", "double")));
    try (LocalParquetWriter w = LocalParquetWriter.open(path, schema)) {
      int e = 0;
      for (int f = 0; f < r.files().size(); f++) {
        long[] counts = new long[k];
        int n = r.eventsPerFile()[f];
        for (int i = 0; i < n; i++, e++) {
          counts[map[nodes[e]]]++;
        }
        String name = r.files().get(f).toString();
        for (int c = 0; c < k; c++) {
          w.set(0, name)
              .set(1, c)
              .set(2, counts[c])
              .set(3, MetaclusterSummary.percent(counts[c], n))
              .endRow();
        }
      }
    }
  }
}
