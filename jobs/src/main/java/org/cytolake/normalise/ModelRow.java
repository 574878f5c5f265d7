package org.cytolake.normalise;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cytolake.som.SomModel;

/**
 * One row of table {@code normalisation_models}: a quantile of a batch's reference (or of the goal,
 * batch {@code *}) for one column (and cluster, of a clustered model) of one model version, or,
 * source {@code som}, one value of the clustered model's SOM codebook. {@link #of} and {@link
 * #model} convert a {@link NormalisationModel} to rows and back.
 *
 * @param cluster the cluster (1-based) of a clustered model's quantile rows, the node's cluster on
 *     SOM rows; null for an unclustered model
 * @param quantile k = 1..n on quantile rows; the node (1-based) on SOM rows
 * @param probability k / (n + 1); null on SOM rows
 * @param value null where the column has no signal in the batch's reference (or too few events in
 *     the cluster)
 * @param samples ';'-joined reference samples, null on goal and SOM rows
 * @param events reference events, null on goal and SOM rows
 */
public record ModelRow(
    String panel,
    int version,
    String parameters,
    String batch,
    String source,
    Integer cluster,
    String column,
    int quantile,
    Double probability,
    Double value,
    String samples,
    Long events) {

  /** The batch of the goal (and SOM) rows. */
  public static final String GOAL_BATCH = "*";

  public static final String GOAL = "goal";
  public static final String GOAL_POOLED = "goal-pooled";
  public static final String SOM = "som";

  /** The rows of a model: goal rows first, then each batch's, then the SOM's. */
  public static List<ModelRow> of(NormalisationModel m) {
    List<ModelRow> out = new ArrayList<>();
    quantileRows(m, GOAL_BATCH, GOAL, m.goal(), null, null, out);
    if (m.pooledGoal() != null) {
      quantileRows(m, GOAL_BATCH, GOAL_POOLED, m.pooledGoal(), null, null, out);
    }
    for (BatchQuantiles b : m.batches().values()) {
      quantileRows(
          m,
          b.batch(),
          b.source().text(),
          b.quantiles(),
          String.join(";", b.samples()),
          b.events(),
          out);
    }
    LakeClusters c = m.clustering();
    if (c != null) {
      double[] codebook = c.som().codebook();
      int[] nodeToCluster = c.nodeToCluster();
      int dims = m.columns().size();
      for (int node = 0; node < nodeToCluster.length; node++) {
        for (int d = 0; d < dims; d++) {
          out.add(
              new ModelRow(
                  m.panel(),
                  m.version(),
                  m.parameters(),
                  GOAL_BATCH,
                  SOM,
                  nodeToCluster[node] + 1,
                  m.columns().get(d),
                  node + 1,
                  null,
                  codebook[node * dims + d],
                  null,
                  null));
        }
      }
    }
    return out;
  }

  /** One row per slot and quantile of one batch's (or goal's) quantiles. */
  private static void quantileRows(
      NormalisationModel m,
      String batch,
      String source,
      double[][] quantiles,
      String samples,
      Long events,
      List<ModelRow> out) {
    int n = m.columns().size();
    for (int slot = 0; slot < m.slots(); slot++) {
      for (int k = 0; k < m.probabilities().length; k++) {
        out.add(
            new ModelRow(
                m.panel(),
                m.version(),
                m.parameters(),
                batch,
                source,
                m.clustering() == null ? null : slot / n + 1,
                m.columns().get(slot % n),
                k + 1,
                m.probabilities()[k],
                quantiles[slot] == null ? null : quantiles[slot][k],
                samples,
                events));
      }
    }
  }

  /**
   * The unclustered model of the rows of one panel and version (columns in the order their rows
   * first come). Any row order gives the same model but for that column order.
   *
   * @throws IllegalArgumentException when the rows mix panels or versions, or a quantile is missing
   */
  public static NormalisationModel model(List<ModelRow> rows) {
    return model(rows, List.of(), null);
  }

  /**
   * The model of the rows of one panel and version, its columns in {@code order} (those of them
   * the rows hold), then any other column in the order its rows first come.
   *
   * @param clustering the clustering the version was made with (its SOM rows are read with it), or
   *     null for an unclustered version
   * @throws IllegalArgumentException when the rows mix panels or versions, or hold SOM rows or
   *     clusters an unclustered version cannot have
   */
  public static NormalisationModel model(
      List<ModelRow> rows, List<String> order, ClusterNormParams clustering) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("Cannot read a normalisation model from no rows");
    }
    ModelRow first = rows.get(0);
    List<String> columns = new ArrayList<>();
    for (String c : order) {
      if (rows.stream().anyMatch(r -> r.column().equals(c))) {
        columns.add(c);
      }
    }
    int n = 0;
    int nodes = 0;
    for (ModelRow r : rows) {
      if (!r.panel().equals(first.panel()) || r.version() != first.version()) {
        throw new IllegalArgumentException(
            "Cannot read a normalisation model: rows of panel "
                + first.panel()
                + " version "
                + first.version()
                + " and of panel "
                + r.panel()
                + " version "
                + r.version());
      }
      if (!columns.contains(r.column())) {
        columns.add(r.column());
      }
      if (r.source().equals(SOM)) {
        nodes = Math.max(nodes, r.quantile());
      } else {
        n = Math.max(n, r.quantile());
      }
      if (clustering == null && (r.cluster() != null || r.source().equals(SOM))) {
        throw new IllegalArgumentException(
            "Cannot read normalisation model "
                + first.panel()
                + " v"
                + first.version()
                + ": its rows are per cluster but no clustering was given to read them with");
      }
    }
    int clusters = clustering == null || nodes == 0 ? 1 : clustering.clusters();
    int dims = columns.size();
    double[] probabilities = new double[n];
    double[] codebook = new double[nodes * dims];
    int[] nodeToCluster = new int[nodes];
    Map<String, double[][]> values = new TreeMap<>(); // batch|source → slot → q
    Map<String, ModelRow> meta = new LinkedHashMap<>();
    for (ModelRow r : rows) {
      int c = columns.indexOf(r.column());
      if (r.source().equals(SOM)) {
        codebook[(r.quantile() - 1) * dims + c] = r.value();
        nodeToCluster[r.quantile() - 1] = r.cluster() - 1;
        continue;
      }
      probabilities[r.quantile() - 1] = r.probability();
      String key = r.batch() + "\u0000" + r.source();
      meta.putIfAbsent(key, r);
      int slot = (r.cluster() == null ? 0 : r.cluster() - 1) * dims + c;
      double[][] q = values.computeIfAbsent(key, x -> new double[clusters * dims][]);
      if (q[slot] == null) {
        q[slot] = new double[probabilities.length];
        Arrays.fill(q[slot], Double.NaN);
      }
      if (r.quantile() <= q[slot].length) {
        q[slot][r.quantile() - 1] = r.value() == null ? Double.NaN : r.value();
      }
    }
    double[][] goal = null;
    double[][] pooledGoal = null;
    Map<String, BatchQuantiles> batches = new TreeMap<>();
    for (Map.Entry<String, double[][]> e : values.entrySet()) {
      ModelRow m = meta.get(e.getKey());
      double[][] q = e.getValue();
      for (int s = 0; s < q.length; s++) {
        if (q[s] != null && Arrays.stream(q[s]).anyMatch(Double::isNaN)) {
          q[s] = null;
        }
      }
      switch (m.source()) {
        case GOAL -> goal = q;
        case GOAL_POOLED -> pooledGoal = q;
        default -> {
          BatchQuantiles.Source source =
              BatchQuantiles.Source.valueOf(m.source().toUpperCase(java.util.Locale.ROOT));
          List<String> samples =
              m.samples() == null || m.samples().isEmpty()
                  ? List.of()
                  : List.of(m.samples().split(";"));
          batches.put(
              m.batch(),
              new BatchQuantiles(
                  m.batch(), source, samples, m.events() == null ? 0 : m.events(), q));
        }
      }
    }
    if (goal == null) {
      goal = new double[clusters * dims][];
    }
    LakeClusters lakeClusters =
        clustering == null || nodes == 0
            ? null // unclustered, or a clustered version made before any batch had a control
            : new LakeClusters(
                clustering, new SomModel(clustering.som(), dims, codebook), nodeToCluster);
    return new NormalisationModel(
        first.panel(),
        first.version(),
        first.parameters(),
        columns,
        probabilities,
        goal,
        pooledGoal,
        batches,
        lakeClusters);
  }
}
