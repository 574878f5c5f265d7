package org.cytolake.clustering;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stored forms of a {@link ClusterModel}: one row of the lake's {@code cluster_models} table
 * (schemas/cluster_models.schema.json; scalar columns, lists as JSON text) and a directory holding
 * {@value #FILE} (for {@code cluster-fcs --export-model DIR} / {@code --model DIR}). Both round-trip exactly:
 * doubles are written as the shortest text that reads back to the same bits, a NaN distance as null.
 *
 * <p>Reading checks, in order: the format name and version ({@value #FORMAT}, {@value #FORMAT_VERSION}), then
 * every field, reporting all missing or mistyped fields at once ("Cannot read cluster model 'SOURCE': ..."), then
 * the model's own rules ({@link ClusterModel}'s constructor).
 */
public final class ClusterModelFormat {
  /** The file of a model directory. */
  public static final String FILE = "cluster-model.json";

  /** The {@code format} of {@value #FILE}. */
  public static final String FORMAT = "cytolake-cluster-model";

  /** The {@code format_version} this class writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /** The columns of {@code cluster_models}, in contract order. */
  public static final List<String> COLUMNS =
      List.of(
          "panel",
          "algorithm",
          "version",
          "params",
          "seed",
          "conf_fingerprint",
          "columns",
          "codebook",
          "node_metaclusters",
          "labels",
          "training_samples",
          "created_run_id");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ClusterModelFormat() {}

  /** The model as one {@code cluster_models} row: column name → value (String, Integer or Long), contract order. */
  public static Map<String, Object> toRow(ClusterModel model) {
    ClusterModel.Provenance p = model.provenance();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("panel", p.panel());
    row.put("algorithm", p.algorithm());
    row.put("version", p.version());
    row.put("params", text(params(p)));
    row.put("seed", p.seed());
    row.put("conf_fingerprint", p.confFingerprint());
    row.put("columns", text(strings(model.columns())));
    row.put("codebook", text(codebook(model)));
    row.put("node_metaclusters", text(ints(model.nodeToMetacluster())));
    row.put("labels", text(strings(model.labels())));
    row.put("training_samples", text(training(model)));
    row.put("created_run_id", p.createdRun());
    return row;
  }

  /**
   * The model of one {@code cluster_models} row.
   *
   * @param row column name → value, as {@link #toRow} gives it (numbers of any {@link Number} type)
   * @param source what the row is, for messages (e.g. {@code cluster_models P1 flowsom v2})
   */
  public static ClusterModel fromRow(Map<String, Object> row, String source) {
    List<String> missing = COLUMNS.stream().filter(c -> row.get(c) == null).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot read cluster model '"
              + source
              + "': columns "
              + missing
              + " are missing or null");
    }
    ObjectNode o = NODES.objectNode();
    o.put("format", FORMAT);
    o.put("format_version", FORMAT_VERSION);
    o.put("panel", row.get("panel").toString());
    o.put("algorithm", row.get("algorithm").toString());
    o.put("version", ((Number) row.get("version")).intValue());
    o.put("seed", ((Number) row.get("seed")).longValue());
    o.put("conf_fingerprint", row.get("conf_fingerprint").toString());
    o.put("created_run_id", row.get("created_run_id").toString());
    List<String> problems = new ArrayList<>();
    for (String c :
        List.of(
            "params", "columns", "codebook", "node_metaclusters", "labels", "training_samples")) {
      try {
        o.set(c, JSON.readTree(row.get(c).toString()));
      } catch (JsonProcessingException e) {
        problems.add("column " + c + " is not JSON (" + e.getOriginalMessage() + ")");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot read cluster model '" + source + "': " + String.join("; ", problems));
    }
    return fromJson(o, source);
  }

  /** The model as the JSON document of {@value #FILE}. */
  public static ObjectNode toJson(ClusterModel model) {
    ClusterModel.Provenance p = model.provenance();
    ObjectNode o = NODES.objectNode();
    o.put("format", FORMAT);
    o.put("format_version", FORMAT_VERSION);
    o.put("panel", p.panel());
    o.put("algorithm", p.algorithm());
    o.put("version", p.version());
    o.put("seed", p.seed());
    o.put("conf_fingerprint", p.confFingerprint());
    o.put("created_run_id", p.createdRun());
    o.set("params", params(p));
    o.set("columns", strings(model.columns()));
    o.set("codebook", codebook(model));
    o.set("node_metaclusters", ints(model.nodeToMetacluster()));
    o.set("labels", strings(model.labels()));
    o.set("training_samples", training(model));
    return o;
  }

  /**
   * The model of a {@value #FILE} document.
   *
   * @throws IllegalArgumentException naming {@code source}: another format or version, or every missing or
   *     mistyped field, or the model's own problems
   */
  public static ClusterModel fromJson(JsonNode o, String source) {
    String prefix = "Cannot read cluster model '" + source + "': ";
    if (!o.isObject() || !FORMAT.equals(o.path("format").asText(null))) {
      throw new IllegalArgumentException(
          prefix
              + "format is "
              + (o.isObject() ? o.get("format") : o.getNodeType())
              + ", not \""
              + FORMAT
              + "\"");
    }
    if (o.path("format_version").asInt(-1) != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          prefix
              + "format_version is "
              + o.get("format_version")
              + " but this "
              + "cytolake reads "
              + FORMAT_VERSION);
    }
    List<String> problems = new ArrayList<>();
    String panel = text(o, "panel", problems);
    String algorithm = text(o, "algorithm", problems);
    int version = Math.toIntExact(integral(o, "version", problems));
    long seed = integral(o, "seed", problems);
    String fingerprint = text(o, "conf_fingerprint", problems);
    String run = text(o, "created_run_id", problems);
    TreeMap<String, String> params = new TreeMap<>();
    JsonNode pn = o.get("params");
    if (pn == null || !pn.isObject()) {
      problems.add("params is not an object");
    } else {
      pn.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
    }
    List<String> columns = stringList(o, "columns", problems);
    List<String> labels = stringList(o, "labels", problems);
    double[][] codebook = new double[0][];
    JsonNode cb = o.get("codebook");
    if (cb == null || !cb.isArray()) {
      problems.add("codebook is not an array");
    } else {
      codebook = new double[cb.size()][];
      for (int j = 0; j < cb.size(); j++) {
        JsonNode node = cb.get(j);
        codebook[j] = new double[node.isArray() ? node.size() : 0];
        if (!node.isArray()) {
          problems.add("codebook[" + j + "] is not an array");
        }
        for (int d = 0; d < codebook[j].length; d++) {
          if (!node.get(d).isNumber()) {
            problems.add("codebook[" + j + "][" + d + "] is not a number: " + node.get(d));
          }
          codebook[j][d] = node.get(d).asDouble();
        }
      }
    }
    int[] meta = new int[0];
    JsonNode mn = o.get("node_metaclusters");
    if (mn == null || !mn.isArray()) {
      problems.add("node_metaclusters is not an array");
    } else {
      meta = new int[mn.size()];
      for (int j = 0; j < meta.length; j++) {
        if (!mn.get(j).isIntegralNumber()) {
          problems.add("node_metaclusters[" + j + "] is not an integer: " + mn.get(j));
        }
        meta[j] = mn.get(j).asInt();
      }
    }
    List<ClusterModel.TrainingSample> training = new ArrayList<>();
    JsonNode tn = o.get("training_samples");
    if (tn == null || !tn.isArray()) {
      problems.add("training_samples is not an array");
    } else {
      for (int i = 0; i < tn.size(); i++) {
        JsonNode t = tn.get(i);
        String at = "training_samples[" + i + "].";
        List<String> here = new ArrayList<>();
        String id = text(t, "sample_id", here);
        long events = integral(t, "events", here);
        double median = number(t.get("median_distance"), at + "median_distance", here);
        List<Double> perMeta = new ArrayList<>();
        JsonNode pm = t.get("metacluster_median_distance");
        if (pm == null || !pm.isArray()) {
          here.add("metacluster_median_distance is not an array");
        } else {
          for (int m = 0; m < pm.size(); m++) {
            perMeta.add(number(pm.get(m), at + "metacluster_median_distance[" + m + "]", here));
          }
        }
        here.stream()
            .map(h -> h.startsWith("training_samples[") ? h : at + h)
            .forEach(problems::add);
        if (here.isEmpty()) {
          training.add(new ClusterModel.TrainingSample(id, events, median, perMeta));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(prefix + String.join("; ", problems));
    }
    try {
      return new ClusterModel(
          new ClusterModel.Provenance(version, panel, algorithm, params, seed, fingerprint, run),
          columns,
          codebook,
          meta,
          labels,
          training);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(prefix + e.getMessage(), e);
    }
  }

  /** Writes {@code model} to {@code dir}/{@value #FILE} (pretty-printed), creating the directory. */
  public static Path write(ClusterModel model, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE);
    Files.writeString(
        file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(model)) + "\n");
    return file;
  }

  /**
   * Reads the model of {@code dir}/{@value #FILE}.
   *
   * @throws IOException if the file is missing (naming it) or unreadable
   * @throws IllegalArgumentException if it is not valid JSON or not a valid model, naming the file
   */
  public static ClusterModel read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          file.toString(), null, "Cannot read cluster model: no " + FILE + " in '" + dir + "'");
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot read cluster model '"
              + file
              + "': not JSON ("
              + e.getOriginalMessage()
              + " at line "
              + e.getLocation().getLineNr()
              + ")",
          e);
    }
    return fromJson(tree, file.toString());
  }

  private static ObjectNode params(ClusterModel.Provenance p) {
    ObjectNode o = NODES.objectNode();
    p.parameters().forEach(o::put);
    return o;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode a = NODES.arrayNode();
    values.forEach(a::add);
    return a;
  }

  private static ArrayNode ints(int[] values) {
    ArrayNode a = NODES.arrayNode();
    for (int v : values) {
      a.add(v);
    }
    return a;
  }

  private static ArrayNode codebook(ClusterModel model) {
    ArrayNode a = NODES.arrayNode();
    for (double[] code : model.codebook()) {
      ArrayNode c = a.addArray();
      for (double v : code) {
        c.add(v);
      }
    }
    return a;
  }

  private static ArrayNode training(ClusterModel model) {
    ArrayNode a = NODES.arrayNode();
    for (ClusterModel.TrainingSample t : model.training()) {
      ObjectNode o = a.addObject();
      o.put("sample_id", t.sampleId());
      o.put("events", t.events());
      if (Double.isNaN(t.medianDistance())) {
        o.putNull("median_distance");
      } else {
        o.put("median_distance", t.medianDistance());
      }
      ArrayNode pm = o.putArray("metacluster_median_distance");
      t.metaclusterMedianDistance().forEach(d -> putNumber(pm, d));
    }
    return a;
  }

  private static void putNumber(ArrayNode a, double v) {
    if (Double.isNaN(v)) {
      a.addNull();
    } else {
      a.add(v);
    }
  }

  private static String text(JsonNode n) {
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write JSON", e);
    }
  }

  private static String text(JsonNode o, String field, List<String> problems) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      problems.add(field + " is " + (v == null ? "missing" : "not text: " + v));
      return "";
    }
    return v.asText();
  }

  private static long integral(JsonNode o, String field, List<String> problems) {
    JsonNode v = o.get(field);
    if (v == null || !v.isIntegralNumber()) {
      problems.add(field + " is " + (v == null ? "missing" : "not an integer: " + v));
      return 0;
    }
    return v.asLong();
  }

  private static double number(JsonNode v, String field, List<String> problems) {
    if (v == null || !(v.isNumber() || v.isNull())) {
      problems.add(field + " is " + (v == null ? "missing" : "not a number: " + v));
      return Double.NaN;
    }
    return v.isNull() ? Double.NaN : v.asDouble();
  }

  private static List<String> stringList(JsonNode o, String field, List<String> problems) {
    JsonNode v = o.get(field);
    if (v == null || !v.isArray()) {
      problems.add(field + " is not an array");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        problems.add(field + "[" + i + "] is not text: " + v.get(i));
      }
      out.add(v.get(i).asText());
    }
    return out;
  }
}
