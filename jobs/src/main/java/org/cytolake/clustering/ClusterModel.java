package org.cytolake.clustering;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.cytolake.som.PhenotypeRules;
import org.cytolake.som.SomModel;
import org.cytolake.stats.Quantiles;

/**
 * A fitted clustering of one panel, kept so that later samples can be mapped onto it instead of refitting: its
 * provenance (version, panel, algorithm, parameters, seed, configuration fingerprint, the run that created it),
 * the training samples with their event counts and quantisation distances, the codebook (one code vector per
 * node over the clustering columns), the metacluster of every node and the label of every metacluster.
 * Immutable and thread-safe.
 *
 * <p>Mapping ({@link #map}) is the assignment training uses ({@link SomModel#bmu(double[], int, double[], int)}:
 * the nearest node by squared Euclidean distance, the lowest index on ties), then the node's metacluster, so the
 * training events map to exactly their training nodes. The quantisation distance of an event is the Euclidean
 * distance to its node's code vector (in the columns' transformed units).
 *
 * <p>Misfit ({@link #misfit}): a sample fits the model when the median quantisation distance of its events is at
 * most {@code (1 + margin)} times the largest median distance of a training sample. The limit is relative to the
 * upper end of the training range, not its width, so that a model trained on one sample, or on samples alike,
 * still tolerates sampling noise. The same rule per metacluster (the sample's median distance there against the
 * training samples' largest there) names the metaclusters that absorbed the misfit: those where the sample's
 * events sit farther from their nodes than any training sample's did.
 */
public final class ClusterModel {
  /** Default of the misfit margin: a sample is flagged 25% beyond the training samples' largest median distance. */
  public static final double MISFIT_MARGIN_DEFAULT = 0.25;

  /**
   * Where a model comes from.
   *
   * @param version 1 for a panel and algorithm's first model, then one more for every refit
   * @param panel panel code of conf/panels.yaml (cluster-fcs: any name)
   * @param algorithm flowsom, kmeans or bisecting-kmeans
   * @param parameters the fit's parameters, name → value text, sorted by name
   * @param seed seed of the fit
   * @param confFingerprint fingerprint of the configuration the model was fitted under ({@link #fingerprint}); a
   *     change means the model no longer answers the configuration
   * @param createdRun run that fitted the model
   */
  public record Provenance(
      int version,
      String panel,
      String algorithm,
      SortedMap<String, String> parameters,
      long seed,
      String confFingerprint,
      String createdRun) {
    public Provenance {
      Objects.requireNonNull(panel, "panel");
      Objects.requireNonNull(algorithm, "algorithm");
      Objects.requireNonNull(confFingerprint, "confFingerprint");
      Objects.requireNonNull(createdRun, "createdRun");
      parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
      if (version < 1) {
        throw new IllegalArgumentException(
            "Cannot create cluster model of panel "
                + panel
                + ": version must be"
                + " >= 1 but is "
                + version);
      }
    }

    /** The same provenance with another version and creating run. */
    public Provenance withVersion(int newVersion, String newRun) {
      return new Provenance(
          newVersion, panel, algorithm, parameters, seed, confFingerprint, newRun);
    }
  }

  /**
   * One training sample: its events trained on and their quantisation distances.
   *
   * @param sampleId the sample
   * @param events its events the model was trained on
   * @param medianDistance the median quantisation distance of those events
   * @param metaclusterMedianDistance per metacluster, the median distance of those of its events the metacluster
   *     holds; NaN where it holds none
   */
  public record TrainingSample(
      String sampleId, long events, double medianDistance, List<Double> metaclusterMedianDistance) {
    public TrainingSample {
      Objects.requireNonNull(sampleId, "sampleId");
      metaclusterMedianDistance = List.copyOf(metaclusterMedianDistance);
    }

    /**
     * A sample's summary from its medians as a distributed job computes them.
     *
     * @param byMetacluster metacluster → the median distance of the sample's events there; a metacluster
     *     without events is absent
     * @param metaclusters the model's metaclusters: the list holds NaN for every one absent
     */
    public static TrainingSample of(
        String sampleId,
        long events,
        double medianDistance,
        Map<Integer, Double> byMetacluster,
        int metaclusters) {
      List<Double> perMeta = new ArrayList<>(Collections.nCopies(metaclusters, Double.NaN));
      byMetacluster.forEach(perMeta::set);
      return new TrainingSample(sampleId, events, medianDistance, perMeta);
    }
  }

  /**
   * The events of one block mapped onto the model; the arrays are the caller's.
   *
   * @param nodes the node of every event
   * @param metaclusters the metacluster of every event
   * @param distances the quantisation distance of every event
   */
  public record Mapping(int[] nodes, int[] metaclusters, double[] distances) {
    public int events() {
      return nodes.length;
    }
  }

  /**
   * A metacluster that absorbed a sample's misfit.
   *
   * @param metacluster the metacluster
   * @param label its label
   * @param events the sample's events in it
   * @param medianDistance their median quantisation distance
   * @param limit {@code (1 + margin)} × the largest median distance of a training sample there (0 when no
   *     training event fell there: every event of the sample there is beyond the training)
   */
  public record Absorption(
      int metacluster, String label, long events, double medianDistance, double limit) {}

  /**
   * How one sample fits the model.
   *
   * @param sampleId the sample
   * @param events its events
   * @param medianDistance their median quantisation distance
   * @param trainingMin the smallest median distance of a training sample
   * @param trainingMax the largest
   * @param limit {@code (1 + margin)} × trainingMax
   * @param flagged whether medianDistance exceeds the limit
   * @param absorbedBy the metaclusters whose median distance exceeds their own limit, most events first (may be
   *     non-empty for a sample that is not flagged: a local misfit)
   */
  public record Misfit(
      String sampleId,
      long events,
      double medianDistance,
      double trainingMin,
      double trainingMax,
      double limit,
      boolean flagged,
      List<Absorption> absorbedBy) {
    public Misfit {
      absorbedBy = List.copyOf(absorbedBy);
    }
  }

  private final Provenance provenance;
  private final List<String> columns;
  private final int dims;
  private final double[] codebook;
  private final int[] nodeToMetacluster;
  private final List<String> labels;
  private final List<TrainingSample> training;

  /**
   * @param columns the clustering columns, in codebook order
   * @param codebook one code vector per node, each of columns.size() finite values (copied)
   * @param nodeToMetacluster the metacluster of every node, 0 .. labels.size() − 1 (copied)
   * @param labels the label of every metacluster
   * @param training the training samples, distinct ids, each with labels.size() metacluster distances
   * @throws IllegalArgumentException naming every problem at once
   */
  public ClusterModel(
      Provenance provenance,
      List<String> columns,
      double[][] codebook,
      int[] nodeToMetacluster,
      List<String> labels,
      List<TrainingSample> training) {
    this.provenance = Objects.requireNonNull(provenance, "provenance");
    this.columns = List.copyOf(columns);
    this.labels = List.copyOf(labels);
    this.training = List.copyOf(training);
    this.dims = this.columns.size();
    List<String> problems = new ArrayList<>();
    if (dims == 0) {
      problems.add("no columns");
    }
    if (new HashSet<>(this.columns).size() != dims) {
      problems.add("columns " + this.columns + " repeat a name");
    }
    if (codebook.length == 0) {
      problems.add("no nodes");
    }
    if (nodeToMetacluster.length != codebook.length) {
      problems.add(
          nodeToMetacluster.length + " node metaclusters for " + codebook.length + " nodes");
    }
    double[] flat = new double[codebook.length * Math.max(dims, 1)];
    for (int j = 0; j < codebook.length; j++) {
      if (codebook[j].length != dims) {
        problems.add(
            "node " + j + " has " + codebook[j].length + " values for " + dims + " columns");
        continue;
      }
      for (int d = 0; d < dims; d++) {
        if (!Double.isFinite(codebook[j][d])) {
          problems.add("node " + j + ", column '" + this.columns.get(d) + "' is " + codebook[j][d]);
        }
        flat[j * dims + d] = codebook[j][d];
      }
    }
    int k = this.labels.size();
    for (int j = 0; j < nodeToMetacluster.length; j++) {
      if (nodeToMetacluster[j] < 0 || nodeToMetacluster[j] >= k) {
        problems.add(
            "node "
                + j
                + " is in metacluster "
                + nodeToMetacluster[j]
                + " but there are "
                + k
                + " labels");
      }
    }
    if (this.training.isEmpty()) {
      problems.add("no training samples");
    }
    Set<String> ids = new HashSet<>();
    for (TrainingSample t : this.training) {
      if (!ids.add(t.sampleId())) {
        problems.add("training sample '" + t.sampleId() + "' is listed twice");
      }
      if (t.metaclusterMedianDistance().size() != k) {
        problems.add(
            "training sample '"
                + t.sampleId()
                + "' has "
                + t.metaclusterMedianDistance().size()
                + " metacluster distances for "
                + k
                + " metaclusters");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot create cluster model of panel "
              + provenance.panel()
              + " ("
              + provenance.algorithm()
              + ", version "
              + provenance.version()
              + "): "
              + String.join("; ", problems));
    }
    this.codebook = flat;
    this.nodeToMetacluster = nodeToMetacluster.clone();
  }

  /**
   * A model with its training samples summarised from their events: each sample's events are mapped and their
   * distances summarised ({@link #summarise}).
   *
   * @param trainingEvents the events trained on, per sample (row-major, columns.size() values each), in the
   *     order the model lists them
   */
  public static ClusterModel of(
      Provenance provenance,
      List<String> columns,
      double[][] codebook,
      int[] nodeToMetacluster,
      List<String> labels,
      Map<String, double[]> trainingEvents) {
    List<TrainingSample> placeholder =
        trainingEvents.keySet().stream()
            .map(id -> new TrainingSample(id, 0, 0, Collections.nCopies(labels.size(), 0.0)))
            .toList();
    ClusterModel unsummarised =
        new ClusterModel(provenance, columns, codebook, nodeToMetacluster, labels, placeholder);
    List<TrainingSample> training = new ArrayList<>();
    trainingEvents.forEach(
        (id, events) -> {
          int n = events.length / Math.max(columns.size(), 1);
          training.add(unsummarised.summarise(id, unsummarised.map(events, n)));
        });
    return new ClusterModel(provenance, columns, codebook, nodeToMetacluster, labels, training);
  }

  /**
   * A model whose labels and training samples are still to come from mapping events onto it: every metacluster
   * {@link PhenotypeRules#UNLABELED} and one placeholder training sample ({@code -}, no events, NaN distances).
   * Only for mapping: its misfit rule has no training to go by.
   */
  public static ClusterModel unsummarised(
      Provenance provenance,
      List<String> columns,
      double[][] codebook,
      int[] nodeToMetacluster,
      int metaclusters) {
    return new ClusterModel(
        provenance,
        columns,
        codebook,
        nodeToMetacluster,
        Collections.nCopies(metaclusters, PhenotypeRules.UNLABELED),
        List.of(new TrainingSample("-", 0, 0, Collections.nCopies(metaclusters, Double.NaN))));
  }

  /** This model with {@code newLabels}, one per metacluster (e.g. from mapping every event onto a new fit). */
  public ClusterModel withLabels(List<String> newLabels) {
    return new ClusterModel(
        provenance, columns, codebook(), nodeToMetacluster(), newLabels, training);
  }

  public Provenance provenance() {
    return provenance;
  }

  /** The events the model was trained on, all training samples together. */
  public long trainingEvents() {
    return training.stream().mapToLong(TrainingSample::events).sum();
  }

  public int version() {
    return provenance.version();
  }

  public List<String> columns() {
    return columns;
  }

  public int nodes() {
    return nodeToMetacluster.length;
  }

  public int metaclusters() {
    return labels.size();
  }

  /** A copy of the codebook, one code vector per node. */
  public double[][] codebook() {
    double[][] out = new double[nodes()][];
    for (int j = 0; j < out.length; j++) {
      out[j] = Arrays.copyOfRange(codebook, j * dims, (j + 1) * dims);
    }
    return out;
  }

  /** A copy of the metacluster of every node. */
  public int[] nodeToMetacluster() {
    return nodeToMetacluster.clone();
  }

  public List<String> labels() {
    return labels;
  }

  public List<TrainingSample> training() {
    return training;
  }

  /** The training samples' ids, in model order. */
  public List<String> trainingSampleIds() {
    return training.stream().map(TrainingSample::sampleId).toList();
  }

  /**
   * Maps {@code n} events stored row-major in {@code events} ({@link #columns} order) onto the model.
   *
   * @throws IllegalArgumentException if the array is too short or a value is not finite (naming event and column)
   */
  public Mapping map(double[] events, int n) {
    if (n < 0 || (long) n * dims > events.length) {
      throw new IllegalArgumentException(
          "Cannot map events onto cluster model of panel "
              + provenance.panel()
              + ": "
              + n
              + " events of "
              + dims
              + " columns need "
              + (long) n * dims
              + " values but the array has "
              + events.length);
    }
    int[] nodes = new int[n];
    int[] metaclusters = new int[n];
    double[] distances = new double[n];
    for (int e = 0; e < n; e++) {
      int o = e * dims;
      for (int d = 0; d < dims; d++) {
        if (!Double.isFinite(events[o + d])) {
          throw new IllegalArgumentException(
              "Cannot map event "
                  + e
                  + " onto cluster model of panel "
                  + provenance.panel()
                  + ": column '"
                  + columns.get(d)
                  + "' is "
                  + events[o + d]);
        }
      }
      int node = SomModel.bmu(codebook, dims, events, o);
      nodes[e] = node;
      metaclusters[e] = nodeToMetacluster[node];
      distances[e] = Math.sqrt(SomModel.squaredDistance(codebook, dims, node, events, o));
    }
    return new Mapping(nodes, metaclusters, distances);
  }

  /** The quantisation distance of one event (length columns.size()): the distance to its node's code vector. */
  public double distance(double[] event) {
    if (event.length != dims) {
      throw new IllegalArgumentException(
          "Cannot map event onto cluster model of panel "
              + provenance.panel()
              + ": it has "
              + event.length
              + " values but the model has "
              + dims
              + " columns");
    }
    return map(event, 1).distances()[0];
  }

  /** One sample's events ({@code mapping}) summarised as a training sample of this model. */
  public TrainingSample summarise(String sampleId, Mapping mapping) {
    int k = metaclusters();
    int n = mapping.events();
    double[][] byMeta = new double[k][];
    int[] fill = new int[k];
    for (int m : mapping.metaclusters()) {
      fill[m]++;
    }
    for (int m = 0; m < k; m++) {
      byMeta[m] = new double[fill[m]];
      fill[m] = 0;
    }
    for (int e = 0; e < n; e++) {
      int m = mapping.metaclusters()[e];
      byMeta[m][fill[m]++] = mapping.distances()[e];
    }
    List<Double> perMeta = new ArrayList<>();
    for (int m = 0; m < k; m++) {
      perMeta.add(
          Quantiles.medianInPlace(byMeta[m], byMeta[m].length, Quantiles.NaNs.ORDERED_LAST));
    }
    return new TrainingSample(
        sampleId, n, Quantiles.median(mapping.distances(), Quantiles.NaNs.ORDERED_LAST), perMeta);
  }

  /** {@link #misfit(String, Mapping, double)} of {@code n} row-major events. */
  public Misfit misfit(String sampleId, double[] events, int n, double margin) {
    return misfit(sampleId, map(events, n), margin);
  }

  /**
   * How a sample, whose events are {@code mapping}, fits the model (the rule is the class's).
   *
   * @param margin the share beyond the training samples' largest median distance that is still a fit, >= 0
   */
  public Misfit misfit(String sampleId, Mapping mapping, double margin) {
    if (!(margin >= 0) || Double.isInfinite(margin)) {
      throw new IllegalArgumentException(
          "Cannot test sample '"
              + sampleId
              + "' for misfit: margin must be a"
              + " number >= 0 but is "
              + margin);
    }
    long[] counts = new long[metaclusters()];
    for (int m : mapping.metaclusters()) {
      counts[m]++;
    }
    return misfit(summarise(sampleId, mapping), counts, margin);
  }

  /**
   * How a sample fits the model, from its summary (the median distance of its events, overall and per metacluster,
   * as {@link #summarise} gives it, or as a distributed job computes it) and its events per metacluster; the rule is
   * the class's.
   *
   * @param s the sample's summary ({@link TrainingSample#events} its events)
   * @param counts its events in every metacluster
   * @param margin the share beyond the training samples' largest median distance that is still a fit, >= 0
   */
  public Misfit misfit(TrainingSample s, long[] counts, double margin) {
    if (!(margin >= 0) || Double.isInfinite(margin)) {
      throw new IllegalArgumentException(
          "Cannot test sample '"
              + s.sampleId()
              + "' for misfit: margin must be a"
              + " number >= 0 but is "
              + margin);
    }
    if (counts.length != metaclusters() || s.metaclusterMedianDistance().size() != metaclusters()) {
      throw new IllegalArgumentException(
          "Cannot test sample '"
              + s.sampleId()
              + "' for misfit: "
              + counts.length
              + " counts and "
              + s.metaclusterMedianDistance().size()
              + " distances for "
              + metaclusters()
              + " metaclusters");
    }
    String sampleId = s.sampleId();
    double min = training.stream().mapToDouble(TrainingSample::medianDistance).min().orElseThrow();
    double max = training.stream().mapToDouble(TrainingSample::medianDistance).max().orElseThrow();
    double limit = (1 + margin) * max;
    List<Absorption> absorbed = new ArrayList<>();
    for (int m = 0; m < metaclusters(); m++) {
      if (counts[m] == 0) {
        continue;
      }
      double trainedMax = 0;
      for (TrainingSample t : training) {
        double d = t.metaclusterMedianDistance().get(m);
        if (!Double.isNaN(d)) {
          trainedMax = Math.max(trainedMax, d);
        }
      }
      double mLimit = (1 + margin) * trainedMax;
      double d = s.metaclusterMedianDistance().get(m);
      if (d > mLimit) {
        absorbed.add(new Absorption(m, labels.get(m), counts[m], d, mLimit));
      }
    }
    absorbed.sort(
        Comparator.comparingLong(Absorption::events)
            .reversed()
            .thenComparingInt(Absorption::metacluster));
    return new Misfit(
        sampleId,
        s.events(),
        s.medianDistance(),
        min,
        max,
        limit,
        s.medianDistance() > limit,
        absorbed);
  }

  /**
   * A fingerprint of a configuration: the SHA-256, in hex, of its entries as sorted {@code name=value} lines.
   * Equal configurations give equal fingerprints whatever the map's order.
   */
  public static String fingerprint(Map<String, String> configuration) {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(configuration)
        .forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterModel m
        && m.provenance.equals(provenance)
        && m.columns.equals(columns)
        && Arrays.equals(m.codebook, codebook)
        && Arrays.equals(m.nodeToMetacluster, nodeToMetacluster)
        && m.labels.equals(labels)
        && m.training.equals(training);
  }

  @Override
  public int hashCode() {
    return Objects.hash(provenance, columns, Arrays.hashCode(codebook), labels);
  }

  @Override
  public String toString() {
    return "ClusterModel["
        + provenance.panel()
        + " "
        + provenance.algorithm()
        + " v"
        + provenance.version()
        + ", "
        + nodes()
        + " nodes, "
        + metaclusters()
        + " metaclusters, "
        + training.size()
        + " training samples]";
  }
}
