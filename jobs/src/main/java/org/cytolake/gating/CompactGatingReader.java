package org.cytolake.gating;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.cytometry.transform.TransformSpec;

/**
 * Reads the compact YAML (or JSON) form of a gating strategy into the same {@link GatingStrategy} as
 * {@link GatingMlReader}: one line per idea, for strategies written by hand in {@code conf/gating/}.
 *
 * <pre>
 * compensation: FCS                  # default compensation-ref of every dimension (default: uncompensated)
 * transforms:                        # id: a TransformSpec, or {spec, boundMin, boundMax}, or a ratio
 *   lgc: logicle:T=262144,W=0.5,M=4.5,A=0
 *   capped: {spec: "linear:T=1000,A=0", boundMax: 0.5}
 *   rat: {ratio: [FL2-H, FL2-A], A: 1, B: 0, C: -1}
 * matrices:                          # spectrum matrices, as in Gating-ML
 *   S: {fluorochromes: [F1, F2], detectors: [x, y, z], spectra: [[1, 1, 0], [0, 1, 1]], invertedAlready: false}
 * gates:                             # in order; parent before or after the child
 *   - {id: cd3, rectangle: [{dim: CD3, transform: lgc, min: 0.4}]}
 *   - {id: cd4, parent: cd3, polygon: {dims: [CD4, CD8], vertices: [[0, 0], [1, 0], [1, 1]]}}
 *   - {id: e, ellipsoid: {dims: [A, B], mean: [0, 0], covariance: [[1, 0], [0, 1]], distanceSquare: 1}}
 *   - {id: q, quadrant: {dividers: [{id: d1, dim: CD4, values: [0.5]}], quadrants: {pos: {d1: 1}, neg: {d1: 0}}}}
 *   - {id: dn, and: [cd3, "!cd4"]}   # also or: [...], not: ref; "!" marks use-as-complement
 * </pre>
 *
 * A dimension is a name, or {@code {dim: NAME | ratio: TRANSFORM_ID, transform: ID, compensation: REF, min, max}}.
 * A rectangle's min or max may be found per sample instead ({@link AdaptiveThresholdSpec}, {@link
 * AdaptiveThreshold}): {@code {dim: cd127, max: {auto: valley, window: [0.5, 4.5], bounds: [1.9, 3.0],
 * fallback: 2.45}}} (optional minCount, maxValleyRatio, adjust), or {@code {dim: cd25, min: {auto: tail,
 * reference: GATE_ID, quantile: 0.99, fallback: 2.0}}} (optional bounds, minCount).
 * Every problem is reported at once, each naming the gate (or transform) and the key.
 */
public final class CompactGatingReader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FORMAT = "compact gating";

  private final String source;
  private final List<String> problems = new ArrayList<>();
  private String defaultCompensation = Dimension.UNCOMPENSATED;

  private CompactGatingReader(String source) {
    this.source = source;
  }

  /** Reads a {@code .yaml}/{@code .yml} or {@code .json} file. */
  public static GatingStrategy read(Path file) throws GatingMlException, IOException {
    String text = Files.readString(file);
    boolean json = file.getFileName().toString().toLowerCase().endsWith(".json");
    return read(text, file.toString(), json);
  }

  /** Reads the text of a document; {@code json} picks the parser. */
  public static GatingStrategy read(String text, String source, boolean json)
      throws GatingMlException {
    JsonNode root;
    try {
      root = (json ? JSON : YAML).readTree(text);
    } catch (JsonProcessingException e) {
      throw new GatingMlException(
          FORMAT,
          source,
          List.of("not well-formed " + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage()));
    }
    return new CompactGatingReader(source).read(root);
  }

  private GatingStrategy read(JsonNode root) throws GatingMlException {
    if (root == null || !root.isObject()) {
      throw new GatingMlException(FORMAT, source, List.of("the document is not a mapping"));
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!List.of("compensation", "transforms", "matrices", "gates").contains(key)) {
        problems.add(
            "unknown top-level key '"
                + key
                + "' (known: compensation, transforms, matrices, gates)");
      }
    }
    if (root.hasNonNull("compensation")) {
      defaultCompensation = root.get("compensation").asText();
    }
    List<Transformation> transforms = new ArrayList<>();
    fields(root.get("transforms"))
        .forEach(
            (id, node) ->
                guard("transform '" + id + "'", () -> transforms.add(transform(id, node))));
    List<SpectrumMatrix> matrices = new ArrayList<>();
    fields(root.get("matrices"))
        .forEach((id, node) -> guard("matrix '" + id + "'", () -> matrices.add(matrix(id, node))));
    List<Gate> gates = new ArrayList<>();
    JsonNode list = root.get("gates");
    if (list == null || !list.isArray() || list.isEmpty()) {
      problems.add("'gates' must be a non-empty list");
    } else {
      for (int i = 0; i < list.size(); i++) {
        JsonNode g = list.get(i);
        String id = g.hasNonNull("id") ? g.get("id").asText() : null;
        String where = "gates[" + i + "]" + (id == null ? "" : " '" + id + "'");
        if (id == null) {
          problems.add(where + ": no id");
          continue;
        }
        guard(where, () -> gates.add(gate(id, g)));
      }
    }
    if (problems.isEmpty()) {
      try {
        return GatingStrategy.of(gates, transforms, matrices);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    throw new GatingMlException(FORMAT, source, problems);
  }

  /** Runs a step, turning a thrown problem into a reported one that names {@code where}. */
  private void guard(String where, Runnable step) {
    try {
      step.run();
    } catch (IllegalArgumentException e) {
      problems.add(where + ": " + e.getMessage());
    }
  }

  private Transformation transform(String id, JsonNode node) {
    if (node.isTextual()) {
      return new Transformation(
          id,
          TransformSpec.parse(node.asText()),
          null,
          Double.NEGATIVE_INFINITY,
          Double.POSITIVE_INFINITY);
    }
    double lo = node.has("boundMin") ? num(node, "boundMin") : Double.NEGATIVE_INFINITY;
    double hi = node.has("boundMax") ? num(node, "boundMax") : Double.POSITIVE_INFINITY;
    if (node.has("ratio")) {
      List<String> of = strings(node.get("ratio"), "ratio");
      if (of.size() != 2) {
        throw new IllegalArgumentException("ratio needs 2 channels, not " + of.size());
      }
      return new Transformation(
          id,
          null,
          new Ratio(of.get(0), of.get(1), num(node, "A"), num(node, "B"), num(node, "C")),
          lo,
          hi);
    }
    if (!node.hasNonNull("spec")) {
      throw new IllegalArgumentException(
          "needs a spec (e.g. logicle:T=262144,W=0.5,M=4.5,A=0) or a ratio");
    }
    Transform t = TransformSpec.parse(node.get("spec").asText());
    return new Transformation(id, t, null, lo, hi);
  }

  private SpectrumMatrix matrix(String id, JsonNode node) {
    SpectrumMatrix m =
        new SpectrumMatrix(
            id,
            strings(node.get("fluorochromes"), "fluorochromes"),
            strings(node.get("detectors"), "detectors"),
            numbers2(node.get("spectra"), "spectra"),
            node.path("invertedAlready").asBoolean(false));
    m.unmixing(); // throws when singular
    return m;
  }

  private Gate gate(String id, JsonNode g) {
    String parent = g.hasNonNull("parent") ? g.get("parent").asText() : null;
    List<String> kinds = new ArrayList<>();
    for (String k : List.of("rectangle", "polygon", "ellipsoid", "quadrant", "and", "or", "not")) {
      if (g.has(k)) {
        kinds.add(k);
      }
    }
    if (kinds.size() != 1) {
      throw new IllegalArgumentException(
          "needs exactly one of rectangle, polygon, ellipsoid, quadrant, and, or, "
              + "not; it has "
              + (kinds.isEmpty() ? "none" : String.join(", ", kinds)));
    }
    String kind = kinds.get(0);
    JsonNode body = g.get(kind);
    switch (kind) {
      case "rectangle":
        {
          if (!body.isArray() || body.isEmpty()) {
            throw new IllegalArgumentException(
                "rectangle must be a list of dimensions with min and/or max");
          }
          List<Dimension> dims = new ArrayList<>();
          double[] min = new double[body.size()];
          double[] max = new double[body.size()];
          List<RectangleGate.AutoLimit> auto = new ArrayList<>();
          for (int i = 0; i < body.size(); i++) {
            JsonNode d = body.get(i);
            dims.add(dimension(d));
            if (!d.hasNonNull("min") && !d.hasNonNull("max")) {
              throw new IllegalArgumentException(
                  "rectangle dimension " + (i + 1) + " has neither min nor max");
            }
            min[i] = limit(d, i, false, auto);
            max[i] = limit(d, i, true, auto);
          }
          return new RectangleGate(id, parent, dims, min, max, auto);
        }
      case "polygon":
        {
          double[][] v = numbers2(body.get("vertices"), "vertices");
          double[] x = new double[v.length];
          double[] y = new double[v.length];
          for (int i = 0; i < v.length; i++) {
            if (v[i].length != 2) {
              throw new IllegalArgumentException(
                  "vertex " + (i + 1) + " has " + v[i].length + " coordinates, not 2");
            }
            x[i] = v[i][0];
            y[i] = v[i][1];
          }
          return new PolygonGate(id, parent, dimensions(body.get("dims")), x, y);
        }
      case "ellipsoid":
        {
          EllipsoidGate e =
              new EllipsoidGate(
                  id,
                  parent,
                  dimensions(body.get("dims")),
                  numbers(body.get("mean"), "mean"),
                  numbers2(body.get("covariance"), "covariance"),
                  num(body, "distanceSquare"));
          e.inverseCovariance(); // throws when singular
          return e;
        }
      case "quadrant":
        {
          List<QuadrantGate.Divider> dividers = new ArrayList<>();
          JsonNode ds = body.get("dividers");
          if (ds == null || !ds.isArray()) {
            throw new IllegalArgumentException("quadrant needs a list of dividers");
          }
          for (JsonNode d : ds) {
            if (!d.hasNonNull("id")) {
              throw new IllegalArgumentException("a divider has no id");
            }
            double[] values = numbers(d.get("values"), "values");
            dividers.add(new QuadrantGate.Divider(d.get("id").asText(), dimension(d), values));
          }
          List<QuadrantGate.Quadrant> quadrants = new ArrayList<>();
          fields(body.get("quadrants"))
              .forEach(
                  (qid, pos) -> {
                    Map<String, Double> positions = new LinkedHashMap<>();
                    fields(pos)
                        .forEach(
                            (div, loc) -> {
                              if (dividers.stream().noneMatch(d -> d.id().equals(div))) {
                                throw new IllegalArgumentException(
                                    "quadrant '"
                                        + qid
                                        + "' names divider '"
                                        + div
                                        + "' which the gate does not have");
                              }
                              if (!loc.isNumber()) {
                                throw new IllegalArgumentException(
                                    "quadrant '"
                                        + qid
                                        + "' location on '"
                                        + div
                                        + "' is not a number: "
                                        + loc);
                              }
                              positions.put(div, loc.asDouble());
                            });
                    quadrants.add(new QuadrantGate.Quadrant(qid, positions));
                  });
          if (quadrants.isEmpty()) {
            throw new IllegalArgumentException("quadrant needs a mapping of quadrants");
          }
          return new QuadrantGate(id, parent, dividers, quadrants);
        }
      default:
        {
          List<BooleanGate.Reference> refs = new ArrayList<>();
          for (String r :
              kind.equals("not") && body.isTextual()
                  ? List.of(body.asText())
                  : strings(body, kind)) {
            boolean complement = r.startsWith("!");
            refs.add(new BooleanGate.Reference(complement ? r.substring(1) : r, complement));
          }
          return new BooleanGate(
              id, parent, BooleanGate.Operator.valueOf(kind.toUpperCase()), refs);
        }
    }
  }

  /**
   * A rectangle's min or max on dimension {@code i}: a number, absent (open), or an {@code auto}
   * mapping ({@link AdaptiveThresholdSpec}), whose fallback is returned and which is added to {@code
   * auto}.
   */
  private static double limit(
      JsonNode d, int i, boolean upper, List<RectangleGate.AutoLimit> auto) {
    String key = upper ? "max" : "min";
    JsonNode v = d.get(key);
    if (v == null || v.isNull()) {
      return upper ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }
    if (!v.isObject()) {
      return num(d, key);
    }
    String where = "rectangle dimension " + (i + 1) + " '" + label(d) + "' " + key;
    try {
      AdaptiveThresholdSpec spec = autoSpec(v);
      auto.add(new RectangleGate.AutoLimit(i, upper, spec));
      return spec.fallback();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static String label(JsonNode d) {
    return d.hasNonNull("dim") ? d.get("dim").asText() : d.path("ratio").asText("?");
  }

  private static final List<String> AUTO_KEYS =
      List.of(
          "auto",
          "window",
          "bounds",
          "fallback",
          "minCount",
          "maxValleyRatio",
          "adjust",
          "reference",
          "quantile");

  /**
   * {@code {auto: valley, window: [lo, hi], bounds: [lo, hi], fallback: x, minCount: n,
   * maxValleyRatio: r, adjust: a}} or {@code {auto: tail, reference: ID, quantile: q, bounds: [lo,
   * hi], fallback: x, minCount: n}}.
   */
  private static AdaptiveThresholdSpec autoSpec(JsonNode v) {
    for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!AUTO_KEYS.contains(k)) {
        throw new IllegalArgumentException(
            "unknown key '" + k + "' (known: " + String.join(", ", AUTO_KEYS) + ")");
      }
    }
    String method = v.path("auto").asText("");
    if (!method.equals("valley") && !method.equals("tail")) {
      throw new IllegalArgumentException(
          "auto must be valley or tail, not " + (v.has("auto") ? v.get("auto") : "absent"));
    }
    if (!v.has("fallback")) {
      throw new IllegalArgumentException(
          "auto: " + method + " needs a fallback (the fixed threshold used when none is found)");
    }
    double fallback = num(v, "fallback");
    int minCount =
        v.has("minCount") ? integer(v, "minCount") : AdaptiveThresholdSpec.MIN_COUNT_DEFAULT;
    if (method.equals("valley")) {
      for (String k : List.of("reference", "quantile")) {
        if (v.has(k)) {
          throw new IllegalArgumentException(k + " applies only to auto: tail");
        }
      }
      if (!v.has("window")) {
        throw new IllegalArgumentException("auto: valley needs a window: [lo, hi]");
      }
      double[] window = pair(v, "window");
      double[] bounds = v.has("bounds") ? pair(v, "bounds") : window;
      return new AdaptiveThresholdSpec(
          AdaptiveThresholdSpec.Method.VALLEY,
          window[0],
          window[1],
          bounds[0],
          bounds[1],
          null,
          Double.NaN,
          fallback,
          minCount,
          v.has("maxValleyRatio")
              ? num(v, "maxValleyRatio")
              : AdaptiveThresholdSpec.MAX_VALLEY_RATIO_DEFAULT,
          v.has("adjust") ? num(v, "adjust") : AdaptiveThresholdSpec.ADJUST_DEFAULT);
    }
    for (String k : List.of("window", "maxValleyRatio", "adjust")) {
      if (v.has(k)) {
        throw new IllegalArgumentException(k + " applies only to auto: valley");
      }
    }
    if (!v.hasNonNull("reference") || !v.get("reference").isTextual()) {
      throw new IllegalArgumentException("auto: tail needs a reference (a population id)");
    }
    if (!v.has("quantile")) {
      throw new IllegalArgumentException("auto: tail needs a quantile in (0, 1)");
    }
    double[] bounds =
        v.has("bounds")
            ? pair(v, "bounds")
            : new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
    return new AdaptiveThresholdSpec(
        AdaptiveThresholdSpec.Method.TAIL,
        Double.NaN,
        Double.NaN,
        bounds[0],
        bounds[1],
        v.get("reference").asText(),
        num(v, "quantile"),
        fallback,
        minCount,
        AdaptiveThresholdSpec.MAX_VALLEY_RATIO_DEFAULT,
        AdaptiveThresholdSpec.ADJUST_DEFAULT);
  }

  private static double[] pair(JsonNode node, String key) {
    double[] p = numbers(node.get(key), key);
    if (p.length != 2 || !(p[0] < p[1])) {
      throw new IllegalArgumentException(
          key + " must be [lo, hi] with lo < hi, not " + node.get(key));
    }
    return p;
  }

  private static int integer(JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException(key + " must be an integer, not " + v);
    }
    return v.asInt();
  }

  private List<Dimension> dimensions(JsonNode list) {
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException("dims must be a list");
    }
    List<Dimension> out = new ArrayList<>();
    list.forEach(d -> out.add(dimension(d)));
    return out;
  }

  private Dimension dimension(JsonNode d) {
    if (d.isTextual()) {
      return Dimension.fcs(d.asText(), null, defaultCompensation);
    }
    String comp =
        d.hasNonNull("compensation") ? d.get("compensation").asText() : defaultCompensation;
    String transform = d.hasNonNull("transform") ? d.get("transform").asText() : null;
    if (d.hasNonNull("dim") == d.hasNonNull("ratio")) {
      throw new IllegalArgumentException(
          "a dimension needs exactly one of dim (a channel) and ratio (a ratio "
              + "transform id): "
              + d);
    }
    return d.hasNonNull("dim")
        ? Dimension.fcs(d.get("dim").asText(), transform, comp)
        : new Dimension(null, d.get("ratio").asText(), transform, comp);
  }

  private static Map<String, JsonNode> fields(JsonNode node) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (node != null && node.isObject()) {
      node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    } else if (node != null && !node.isNull()) {
      throw new IllegalArgumentException("expected a mapping, not " + node);
    }
    return out;
  }

  private static double num(JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || !v.isNumber()) {
      throw new IllegalArgumentException(
          key + " must be a number, not " + (v == null ? "absent" : v));
    }
    return v.asDouble();
  }

  private static List<String> strings(JsonNode node, String key) {
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException(key + " must be a list");
    }
    List<String> out = new ArrayList<>();
    node.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static double[] numbers(JsonNode node, String key) {
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException(key + " must be a list of numbers");
    }
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) {
      if (!node.get(i).isNumber()) {
        throw new IllegalArgumentException(
            key + " value " + (i + 1) + " is not a number: " + node.get(i));
      }
      out[i] = node.get(i).asDouble();
    }
    return out;
  }

  private static double[][] numbers2(JsonNode node, String key) {
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException(key + " must be a list of lists of numbers");
    }
    double[][] out = new double[node.size()][];
    for (int i = 0; i < out.length; i++) {
      JsonNode row = node.get(i);
      if (!row.isArray()) {
        throw new IllegalArgumentException(key + " row " + (i + 1) + " is not a list: " + row);
      }
      out[i] = new double[row.size()];
      for (int j = 0; j < row.size(); j++) {
        if (!row.get(j).isNumber()) {
          throw new IllegalArgumentException(
              key + " value " + (j + 1) + " of row " + (i + 1) + " is not a number: " + row.get(j));
        }
        out[i][j] = row.get(j).asDouble();
      }
    }
    return out;
  }
}
