package org.cytolake.normalise;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of table {@code normalisation_models}: a quantile of a batch's reference (or of the goal,
 * batch {@code *}) for one column of one model version. {@link #of} and {@link #model} convert a
 * {@link NormalisationModel} to rows and back.
 *
 * @param value null where the column has no signal in the batch's reference
 * @param samples ';'-joined reference samples, null on goal rows
 * @param events reference events, null on goal rows
 */
public record ModelRow(
    String panel,
    int version,
    String parameters,
    String batch,
    String source,
    String column,
    int quantile,
    double probability,
    Double value,
    String samples,
    Long events) {

  /** The batch of the goal rows. */
  public static final String GOAL_BATCH = "*";

  public static final String GOAL = "goal";
  public static final String GOAL_POOLED = "goal-pooled";

  /** The rows of a model: goal rows first, then each batch's. */
  public static List<ModelRow> of(NormalisationModel m) {
    List<ModelRow> out = new ArrayList<>();
    goalRows(m, GOAL, m.goal(), out);
    if (m.pooledGoal() != null) {
      goalRows(m, GOAL_POOLED, m.pooledGoal(), out);
    }
    for (BatchQuantiles b : m.batches().values()) {
      for (int c = 0; c < m.columns().size(); c++) {
        for (int k = 0; k < m.probabilities().length; k++) {
          out.add(
              new ModelRow(
                  m.panel(),
                  m.version(),
                  m.parameters(),
                  b.batch(),
                  b.source().text(),
                  m.columns().get(c),
                  k + 1,
                  m.probabilities()[k],
                  b.quantiles()[c] == null ? null : b.quantiles()[c][k],
                  String.join(";", b.samples()),
                  b.events()));
        }
      }
    }
    return out;
  }

  private static void goalRows(
      NormalisationModel m, String source, double[][] goal, List<ModelRow> out) {
    for (int c = 0; c < m.columns().size(); c++) {
      for (int k = 0; k < m.probabilities().length; k++) {
        out.add(
            new ModelRow(
                m.panel(),
                m.version(),
                m.parameters(),
                GOAL_BATCH,
                source,
                m.columns().get(c),
                k + 1,
                m.probabilities()[k],
                goal[c] == null ? null : goal[c][k],
                null,
                null));
      }
    }
  }

  /**
   * The model of the rows of one panel and version (columns in the order their rows first come).
   * Any row order gives the same model but for that column order.
   *
   * @throws IllegalArgumentException when the rows mix panels or versions, or a quantile is missing
   */
  public static NormalisationModel model(List<ModelRow> rows) {
    return model(rows, List.of());
  }

  /**
   * The model of the rows of one panel and version, its columns in {@code order} (those of them
   * the rows hold), then any other column in the order its rows first come.
   */
  public static NormalisationModel model(List<ModelRow> rows, List<String> order) {
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
      n = Math.max(n, r.quantile());
    }
    double[] probabilities = new double[n];
    Map<String, Map<String, double[]>> values = new TreeMap<>(); // batch|source → column → q
    Map<String, ModelRow> meta = new LinkedHashMap<>();
    for (ModelRow r : rows) {
      probabilities[r.quantile() - 1] = r.probability();
      String key = r.batch() + "\u0000" + r.source();
      meta.putIfAbsent(key, r);
      double[] q =
          values
              .computeIfAbsent(key, x -> new LinkedHashMap<>())
              .computeIfAbsent(
                  r.column(),
                  x -> {
                    double[] a = new double[probabilities.length];
                    Arrays.fill(a, Double.NaN);
                    return a;
                  });
      if (r.quantile() <= q.length) {
        q[r.quantile() - 1] = r.value() == null ? Double.NaN : r.value();
      }
    }
    double[][] goal = null;
    double[][] pooledGoal = null;
    Map<String, BatchQuantiles> batches = new TreeMap<>();
    for (Map.Entry<String, Map<String, double[]>> e : values.entrySet()) {
      ModelRow m = meta.get(e.getKey());
      double[][] q = new double[columns.size()][];
      for (int c = 0; c < columns.size(); c++) {
        double[] v = e.getValue().get(columns.get(c));
        q[c] = v == null || Arrays.stream(v).anyMatch(Double::isNaN) ? null : v;
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
      goal = new double[columns.size()][];
    }
    return new NormalisationModel(
        first.panel(),
        first.version(),
        first.parameters(),
        columns,
        probabilities,
        goal,
        pooledGoal,
        batches);
  }
}
