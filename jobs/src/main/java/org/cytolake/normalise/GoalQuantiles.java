package org.cytolake.normalise;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Goal quantiles given by the user (CytoNorm's third kind of goal, beside the batch mean and one
 * batch): a CSV in long form, one row per column and quantile, with the header fields
 *
 * <ul>
 *   <li>{@code column} (or {@code channel} for {@code normalise-fcs}): the events column or channel;
 *   <li>{@code probability}: the quantile's probability, k / (n + 1) for k = 1..n, n the model's
 *       quantiles;
 *   <li>{@code value}: the goal quantile on the scale the model works on (the lake's stored
 *       arcsinh values; {@code normalise-fcs}'s transformed values);
 *   <li>optionally {@code cluster} (1, 2, …): the goal of one cluster of a clustered model.
 * </ul>
 *
 * <p>This is the shape of the goal rows of table {@code normalisation_models} (batch {@code *},
 * source {@code goal}), so one version's goal can be exported with any SQL engine and given to
 * the next version, or to another study's normalisation. Other fields are ignored.
 *
 * @param source the file's name, for provenance and messages
 * @param digest the first 16 hex digits of the SHA-256 of the file's bytes: a changed file is a
 *     changed goal (and so a new model version)
 * @param probabilities the probabilities, ascending
 * @param clusters 1 when the file has no {@code cluster} field, else the largest cluster named
 * @param values column → per cluster (0-based) the goal quantiles; an entry is null for a cluster
 *     the file does not give for that column
 */
public record GoalQuantiles(
    String source,
    String digest,
    double[] probabilities,
    int clusters,
    Map<String, double[][]> values) {

  /** Probabilities closer than this are the same. */
  private static final double SAME = 1e-9;

  public GoalQuantiles {
    probabilities = probabilities.clone();
    Map<String, double[][]> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(k, v.clone()));
    values = java.util.Collections.unmodifiableMap(copy);
  }

  /** The goal quantiles of a column in a cluster (0-based; 0 when unclustered), or null. */
  public double[] of(String column, int cluster) {
    double[][] v = values.get(column);
    return v == null || cluster >= v.length ? null : v[cluster];
  }

  /**
   * The problems of using these quantiles as the goal of a model of {@code columns}, {@code
   * probabilities} and {@code clusters} clusters (1 = unclustered): a column or cluster the file
   * lacks, probabilities other than the model's. Empty when it fits.
   */
  public List<String> problems(List<String> columns, double[] modelProbabilities, int clusters) {
    List<String> out = new ArrayList<>();
    if (probabilities.length != modelProbabilities.length) {
      out.add(
          "goal quantiles '"
              + source
              + "' give "
              + probabilities.length
              + " quantiles per column, the model takes "
              + modelProbabilities.length);
    } else {
      for (int k = 0; k < probabilities.length; k++) {
        if (Math.abs(probabilities[k] - modelProbabilities[k]) > SAME) {
          out.add(
              "goal quantiles '"
                  + source
                  + "': probability "
                  + probabilities[k]
                  + " is not the model's "
                  + modelProbabilities[k]
                  + " (k / (n + 1), n = "
                  + modelProbabilities.length
                  + ")");
          break;
        }
      }
    }
    if (this.clusters > 1 && clusters == 1) {
      out.add(
          "goal quantiles '"
              + source
              + "' are per cluster (field cluster) but the model is not clustered");
    }
    for (String c : columns) {
      if (!values.containsKey(c)) {
        out.add("goal quantiles '" + source + "' have no rows for column '" + c + "'");
        continue;
      }
      for (int cl = 0; cl < clusters; cl++) {
        if (of(c, this.clusters == 1 ? 0 : cl) == null) {
          out.add(
              "goal quantiles '"
                  + source
                  + "' have no rows for column '"
                  + c
                  + "' in cluster "
                  + (cl + 1));
        }
      }
    }
    return out;
  }

  /**
   * The goal of a model: per column (in {@code columns}' order) the quantiles of {@code cluster}
   * (0-based), or of the file's only cluster when it has none.
   */
  public double[][] goal(List<String> columns, int cluster) {
    double[][] out = new double[columns.size()][];
    for (int c = 0; c < out.length; c++) {
      double[] v = of(columns.get(c), clusters == 1 ? 0 : cluster);
      out[c] = v == null ? null : v.clone();
    }
    return out;
  }

  @Override
  public String toString() {
    return "quantiles:" + source + "@" + digest;
  }

  /**
   * Reads and checks a goal file, naming every bad line at once (file, line, field, value): a
   * missing field, a value that is not a number, a column given twice at one probability,
   * probabilities that differ between columns, decreasing quantiles.
   */
  public static GoalQuantiles read(Path csv) throws IOException {
    byte[] bytes = Files.readAllBytes(csv);
    List<String> lines =
        new String(bytes, StandardCharsets.UTF_8).replace("\uFEFF", "").lines().toList();
    String where = "Cannot read goal quantiles '" + csv + "': ";
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(where + "the file is empty");
    }
    List<String> header =
        Arrays.stream(lines.get(0).split(",", -1))
            .map(h -> h.trim().toLowerCase(Locale.ROOT))
            .toList();
    int col = header.indexOf("column") >= 0 ? header.indexOf("column") : header.indexOf("channel");
    int prob = header.indexOf("probability");
    int val = header.indexOf("value");
    int clu = header.indexOf("cluster");
    List<String> problems = new ArrayList<>();
    if (col < 0) {
      problems.add("line 1 has no field 'column' (or 'channel') (fields: " + header + ")");
    }
    if (prob < 0) {
      problems.add("line 1 has no field 'probability' (fields: " + header + ")");
    }
    if (val < 0) {
      problems.add("line 1 has no field 'value' (fields: " + header + ")");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(where + String.join("; ", problems));
    }
    int need = Math.max(Math.max(col, prob), Math.max(val, clu)) + 1;
    // column → cluster → probability → value
    Map<String, Map<Integer, TreeMap<Double, Double>>> read = new LinkedHashMap<>();
    int clusters = 1;
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      int n = i + 1;
      String[] f = line.split(",", -1);
      if (f.length < need) {
        problems.add("line " + n + " has " + f.length + " fields, not " + header.size());
        continue;
      }
      String c = f[col].trim();
      if (c.isEmpty()) {
        problems.add("line " + n + ": field '" + header.get(col) + "' is blank");
        continue;
      }
      Double p = number(f[prob], n, "probability", problems);
      Double v = number(f[val], n, "value", problems);
      int cluster = 1;
      if (clu >= 0) {
        try {
          cluster = Integer.parseInt(f[clu].trim());
          if (cluster < 1) {
            throw new NumberFormatException();
          }
        } catch (NumberFormatException x) {
          problems.add("line " + n + ": cluster '" + f[clu].trim() + "' is not 1, 2, …");
          continue;
        }
      }
      if (p == null || v == null) {
        continue;
      }
      if (!(p > 0 && p < 1)) {
        problems.add("line " + n + ": probability " + p + " is not between 0 and 1");
        continue;
      }
      clusters = Math.max(clusters, cluster);
      Double before =
          read.computeIfAbsent(c, x -> new TreeMap<>())
              .computeIfAbsent(cluster, x -> new TreeMap<>())
              .put(p, v);
      if (before != null) {
        problems.add(
            "line "
                + n
                + ": column '"
                + c
                + "' cluster "
                + cluster
                + " probability "
                + p
                + " is given twice");
      }
    }
    if (read.isEmpty() && problems.isEmpty()) {
      problems.add("it has no rows");
    }
    double[] probabilities = null;
    Map<String, double[][]> values = new LinkedHashMap<>();
    for (Map.Entry<String, Map<Integer, TreeMap<Double, Double>>> e : read.entrySet()) {
      double[][] byCluster = new double[clusters][];
      for (Map.Entry<Integer, TreeMap<Double, Double>> g : e.getValue().entrySet()) {
        double[] p = g.getValue().keySet().stream().mapToDouble(Double::doubleValue).toArray();
        double[] v = g.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
        String what = "column '" + e.getKey() + "'" + (clu >= 0 ? " cluster " + g.getKey() : "");
        if (probabilities == null) {
          probabilities = p;
        } else if (!sameProbabilities(probabilities, p)) {
          problems.add(
              what
                  + " gives "
                  + p.length
                  + " probabilities that differ from the first column's "
                  + probabilities.length);
          continue;
        }
        for (int k = 1; k < v.length; k++) {
          if (v[k] < v[k - 1]) {
            problems.add(
                what
                    + ": the quantile at probability "
                    + p[k]
                    + " ("
                    + v[k]
                    + ") is below the one at "
                    + p[k - 1]
                    + " ("
                    + v[k - 1]
                    + ")");
            break;
          }
        }
        byCluster[g.getKey() - 1] = v;
      }
      values.put(e.getKey(), byCluster);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(where + String.join("; ", problems));
    }
    return new GoalQuantiles(
        csv.getFileName().toString(), digest(bytes), probabilities, clusters, values);
  }

  private static boolean sameProbabilities(double[] a, double[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int k = 0; k < a.length; k++) {
      if (Math.abs(a[k] - b[k]) > SAME) {
        return false;
      }
    }
    return true;
  }

  private static Double number(String text, int line, String field, List<String> problems) {
    String t = text.trim();
    try {
      double v = Double.parseDouble(t);
      if (!Double.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException x) {
      problems.add("line " + line + ": " + field + " '" + t + "' is not a finite number");
      return null;
    }
  }

  private static String digest(byte[] bytes) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
          .substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
