package org.cytolake.clustering;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.cytolake.cytometry.Compensation;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.cytometry.transform.TransformSpec;
import org.cytolake.fcs.FcsDataset;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsParameter;
import org.cytolake.fcs.FcsReader;
import org.cytolake.fcs.Spillover;
import org.cytolake.gating.EventTable;
import org.cytolake.som.Metaclustering;
import org.cytolake.som.PhenotypeRules;
import org.cytolake.som.SomModel;
import org.cytolake.som.SomParams;
import org.cytolake.som.SomTrainer;
import org.cytolake.stats.Quantiles;

/**
 * FlowSOM-style clustering of FCS files held in memory, without Spark or a lake: the named stages
 * read → (compensate) → transform → build SOM → metacluster → map every event, as FlowSOM runs them on one machine.
 *
 * <p>Events are read linearized ({@code $PnE}, {@code $PnG}; {@link EventTable}), optionally compensated with each
 * file's own spillover keyword, then the chosen channels are transformed. Channels are named by {@code $PnN},
 * {@code $PnS} or 1-based index and must resolve in every file (to the same {@code $PnN}). The SOM is trained on
 * all events of all files, as one set ({@link SomTrainer#fit}, deterministic for the seed).
 *
 * @param columns the channels to cluster on, as given by the user
 * @param transform the transform applied to those channels (after compensation)
 * @param compensate whether to compensate with each file's spillover matrix
 * @param som SOM parameters
 * @param metaclustering metaclustering parameters
 */
public record FcsClustering(
    List<String> columns,
    Transform transform,
    boolean compensate,
    SomParams som,
    Metaclustering metaclustering) {

  public FcsClustering {
    columns = List.copyOf(columns);
    Objects.requireNonNull(transform, "transform");
    Objects.requireNonNull(som, "som");
    Objects.requireNonNull(metaclustering, "metaclustering");
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("Cannot cluster FCS files: no columns given");
    }
  }

  /**
   * Parses the command-line transform forms {@code none}, {@code asinh:COFACTOR} (e.g. {@code asinh:150}) and
   * {@code logicle}, plus any full {@link TransformSpec} spec.
   */
  public static Transform parseTransform(String spec) {
    String s = spec.strip();
    if (s.matches("asinh:[0-9.eE+-]+")) {
      return TransformSpec.parse("asinh:cofactor=" + s.substring("asinh:".length()));
    }
    return TransformSpec.parse(s);
  }

  /**
   * The result.
   *
   * @param files the files, in order
   * @param eventsPerFile events of every file
   * @param channels the resolved channel names ($PnN), in codebook order
   * @param markers the $PnS of every channel (or its $PnN when it has none)
   * @param values the transformed clustering values, events × channels, row-major, files one after the other
   * @param model the fitted SOM
   * @param meta the metaclustering of its nodes
   * @param nodes the node of every event
   * @param seconds wall time of each stage, by stage name
   */
  public record Result(
      List<Path> files,
      int[] eventsPerFile,
      List<String> channels,
      List<String> markers,
      double[] values,
      SomModel model,
      Metaclustering.Result meta,
      int[] nodes,
      Map<String, Double> seconds) {

    public int events() {
      return nodes.length;
    }

    /** The metacluster of every event. */
    public int[] metaclusters() {
      int[] map = meta.nodeToMetacluster();
      int[] out = new int[nodes.length];
      for (int e = 0; e < out.length; e++) {
        out[e] = map[nodes[e]];
      }
      return out;
    }

    /**
     * Exact median of every channel (transformed) over the events of every metacluster, by the project's one
     * definition ({@link Quantiles#medianInPlace}); NaN for an empty metacluster: [metacluster][channel].
     */
    public double[][] metaclusterMedians() {
      int[] mc = metaclusters();
      int k = meta.k();
      int dims = channels.size();
      double[][] out = new double[k][dims];
      int[] sizes = metaclusterSizes();
      for (int d = 0; d < dims; d++) {
        double[][] byCluster = new double[k][];
        int[] fill = new int[k];
        for (int c = 0; c < k; c++) {
          byCluster[c] = new double[sizes[c]];
        }
        for (int e = 0; e < mc.length; e++) {
          byCluster[mc[e]][fill[mc[e]]++] = values[e * dims + d];
        }
        for (int c = 0; c < k; c++) {
          out[c][d] =
              Quantiles.medianInPlace(
                  byCluster[c], byCluster[c].length, Quantiles.NaNs.ORDERED_LAST);
        }
      }
      return out;
    }

    /** Events in every metacluster. */
    public int[] metaclusterSizes() {
      int[] sizes = new int[meta.k()];
      for (int m : metaclusters()) {
        sizes[m]++;
      }
      return sizes;
    }
  }

  /**
   * Runs every stage on {@code files}.
   *
   * @throws IllegalArgumentException naming the file and every column that does not resolve, a file without a
   *     spillover keyword when compensating, or (from the trainer) too few distinct events
   * @throws IOException if a file cannot be read (an {@link org.cytolake.fcs.FcsFormatException} when malformed)
   */
  public Result run(List<Path> files) throws IOException {
    Events ev = read(files);
    int dims = columns.size();
    double[] values = ev.values();
    Map<String, Double> seconds = ev.seconds();
    long t1 = System.nanoTime();
    List<double[]> blocks = SomTrainer.split(values, dims, SomTrainer.BLOCK_EVENTS);
    SomModel model = SomTrainer.fit(som, dims, blocks);
    long t2 = System.nanoTime();
    seconds.put("som", (t2 - t1) / 1e9);
    Metaclustering.Result meta = metaclustering.fit(model);
    long t3 = System.nanoTime();
    seconds.put("metacluster", (t3 - t2) / 1e9);
    int[] nodes = SomTrainer.map(model, blocks);
    seconds.put("map", (System.nanoTime() - t3) / 1e9);
    return new Result(
        List.copyOf(files),
        ev.eventsPerFile(),
        ev.channels(),
        ev.markers(),
        values,
        model,
        meta,
        nodes,
        seconds);
  }

  /**
   * Reads, compensates and transforms {@code files} as {@link #run} does, then maps every event onto a stored
   * {@code model} instead of training ({@link ClusterModel#map}); the result's SOM and metaclustering are the
   * model's.
   *
   * @throws IllegalArgumentException when the columns resolve to other channels than the model's columns, or as
   *     {@link #run}
   */
  public Result apply(List<Path> files, ClusterModel model) throws IOException {
    Events ev = read(files);
    if (!ev.channels().equals(model.columns())) {
      throw new IllegalArgumentException(
          "Cannot map FCS file '"
              + files.get(0)
              + "' onto cluster model: columns "
              + columns
              + " resolve to channels "
              + ev.channels()
              + " but the model's columns are "
              + model.columns());
    }
    long t1 = System.nanoTime();
    int dims = columns.size();
    ClusterModel.Mapping mapping = model.map(ev.values(), ev.values().length / dims);
    ev.seconds().put("map", (System.nanoTime() - t1) / 1e9);
    double[] flat = new double[model.nodes() * dims];
    double[][] codes = model.codebook();
    for (int j = 0; j < codes.length; j++) {
      System.arraycopy(codes[j], 0, flat, j * dims, dims);
    }
    int xdim = Integer.parseInt(model.provenance().parameters().getOrDefault("xdim", "0"));
    int ydim = Integer.parseInt(model.provenance().parameters().getOrDefault("ydim", "0"));
    SomParams grid =
        xdim * ydim == model.nodes() ? som.withGrid(xdim, ydim) : som.withGrid(model.nodes(), 1);
    return new Result(
        List.copyOf(files),
        ev.eventsPerFile(),
        ev.channels(),
        ev.markers(),
        ev.values(),
        new SomModel(grid, dims, flat),
        new Metaclustering.Result(model.metaclusters(), model.nodeToMetacluster(), new double[0]),
        mapping.nodes(),
        ev.seconds());
  }

  /**
   * The clustering of {@code result} (from {@link #run}) as a version 1 {@link ClusterModel} of panel
   * {@value #MODEL_PANEL}: parameters are this clustering's (columns, transform, compensation, grid, epochs,
   * metaclusters asked for and chosen, seed), every file is a training sample (by its path as given) with all its
   * events, and every metacluster is {@code unlabeled} (cluster-fcs has no phenotype rules).
   */
  public ClusterModel model(Result result, String createdRun) {
    TreeMap<String, String> params = new TreeMap<>();
    params.put("columns", String.join(",", columns));
    params.put("transform", transform.spec());
    params.put("compensate", Boolean.toString(compensate));
    params.put("xdim", Integer.toString(som.xdim()));
    params.put("ydim", Integer.toString(som.ydim()));
    params.put("rlen", Integer.toString(som.rlen()));
    params.put("metaclusters", Integer.toString(metaclustering.k()));
    params.put("metaclusters_chosen", Integer.toString(result.meta().k()));
    params.put("seed", Long.toString(som.seed()));
    TreeMap<String, String> conf = new TreeMap<>(params);
    conf.put("channels", String.join(",", result.channels()));
    Map<String, double[]> training = new LinkedHashMap<>();
    int dims = columns.size();
    for (int f = 0, e = 0; f < result.files().size(); e += result.eventsPerFile()[f], f++) {
      training.put(
          result.files().get(f).toString(),
          Arrays.copyOfRange(result.values(), e * dims, (e + result.eventsPerFile()[f]) * dims));
    }
    return ClusterModel.of(
        new ClusterModel.Provenance(
            1,
            MODEL_PANEL,
            "flowsom",
            params,
            som.seed(),
            ClusterModel.fingerprint(conf),
            createdRun),
        result.channels(),
        result.model().codes(),
        result.meta().nodeToMetacluster(),
        Collections.nCopies(result.meta().k(), PhenotypeRules.UNLABELED),
        training);
  }

  /** The panel of the models {@link #model} makes. */
  public static final String MODEL_PANEL = "cluster-fcs";

  /** The read stage's output: the transformed clustering values of every file, one after the other. */
  private record Events(
      int[] eventsPerFile,
      List<String> channels,
      List<String> markers,
      double[] values,
      Map<String, Double> seconds) {}

  private Events read(List<Path> files) throws IOException {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("Cannot cluster FCS files: no files given");
    }
    Map<String, Double> seconds = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    int dims = columns.size();
    List<double[]> blocks = new ArrayList<>();
    int[] eventsPerFile = new int[files.size()];
    List<String> channels = null;
    List<String> markers = null;
    for (int f = 0; f < files.size(); f++) {
      Path file = files.get(f);
      List<FcsParameter> params;
      try (FcsFile fcs = FcsReader.open(file)) {
        FcsDataset ds = fcs.first();
        params = ds.parameters();
      }
      int[] idx = resolve(file, params);
      List<String> names = Arrays.stream(idx).mapToObj(i -> params.get(i).id()).toList();
      if (channels == null) {
        channels = names;
        markers =
            Arrays.stream(idx)
                .mapToObj(
                    i -> {
                      String s = params.get(i).label();
                      return s == null || s.isBlank() ? params.get(i).id() : s;
                    })
                .toList();
      } else if (!channels.equals(names)) {
        throw new IllegalArgumentException(
            "Cannot cluster FCS file '"
                + file
                + "': columns "
                + columns
                + " resolve to channels "
                + names
                + " but in '"
                + files.get(0)
                + "' to "
                + channels);
      }
      EventTable table = EventTable.read(file);
      int p = table.channels().size();
      double[] all = table.values().clone();
      if (compensate) {
        Spillover sp = table.spillover();
        if (sp == null) {
          throw new IllegalArgumentException(
              "Cannot compensate FCS file '"
                  + file
                  + "': it has no "
                  + String.join(", ", Spillover.KEYWORDS)
                  + " keyword");
        }
        Compensation.of(sp.channels(), sp.matrix())
            .bind(table.channels())
            .compensate(all, table.events(), p);
      }
      int n = table.events();
      double[] block = new double[n * dims];
      for (int e = 0; e < n; e++) {
        for (int d = 0; d < dims; d++) {
          double v = transform.apply(all[e * p + idx[d]]);
          if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(
                "Cannot cluster FCS file '"
                    + file
                    + "': event "
                    + e
                    + ", channel '"
                    + names.get(d)
                    + "' is "
                    + v
                    + " after the transform (raw "
                    + all[e * p + idx[d]]
                    + ")");
          }
          block[e * dims + d] = v;
        }
      }
      blocks.add(block);
      eventsPerFile[f] = n;
    }
    double[] values = concat(blocks);
    long t1 = System.nanoTime();
    seconds.put("read", (t1 - t0) / 1e9);
    return new Events(eventsPerFile, channels, markers, values, seconds);
  }

  /** Resolves {@link #columns} against a file's parameters: $PnN, then $PnS, then 1-based index. */
  int[] resolve(Path file, List<FcsParameter> params) {
    int[] idx = new int[columns.size()];
    List<String> problems = new ArrayList<>();
    for (int c = 0; c < idx.length; c++) {
      String col = columns.get(c).strip();
      int found = -1;
      for (int i = 0; i < params.size() && found < 0; i++) {
        if (col.equals(params.get(i).name())) {
          found = i;
        }
      }
      for (int i = 0; i < params.size() && found < 0; i++) {
        if (col.equals(params.get(i).label())) {
          found = i;
        }
      }
      if (found < 0 && col.matches("[0-9]+")) {
        int i = Integer.parseInt(col) - 1;
        if (i >= 0 && i < params.size()) {
          found = i;
        }
      }
      if (found < 0) {
        problems.add("'" + col + "' is no $PnN, $PnS or index 1.." + params.size());
      }
      idx[c] = found;
    }
    if (!problems.isEmpty()) {
      List<String> available =
          params.stream()
              .map(
                  p ->
                      p.label() == null || p.label().isBlank()
                          ? p.id()
                          : p.id() + " (" + p.label() + ")")
              .toList();
      throw new IllegalArgumentException(
          "Cannot resolve columns in FCS file '"
              + file
              + "': "
              + String.join("; ", problems)
              + " (channels: "
              + String.join(", ", available)
              + ")");
    }
    return idx;
  }

  private static double[] concat(List<double[]> blocks) {
    long total = 0;
    for (double[] b : blocks) {
      total += b.length;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "Cannot cluster FCS files in memory: "
              + total
              + " values exceed one array; use the Spark job (cytolake cluster)");
    }
    double[] out = new double[(int) total];
    int at = 0;
    for (double[] b : blocks) {
      System.arraycopy(b, 0, out, at, b.length);
      at += b.length;
    }
    return out;
  }
}
