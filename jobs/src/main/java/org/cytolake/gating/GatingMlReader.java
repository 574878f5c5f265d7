package org.cytolake.gating;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.cytolake.cytometry.transform.Asinh;
import org.cytolake.cytometry.transform.Hyperlog;
import org.cytolake.cytometry.transform.Linear;
import org.cytolake.cytometry.transform.Log;
import org.cytolake.cytometry.transform.Logicle;
import org.cytolake.cytometry.transform.Transform;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads a Gating-ML 2.0 document (ISAC, Spidlen et al. 2015) into a {@link GatingStrategy}, with the JDK's DOM
 * parser. Elements and attributes are matched by local name, so the prefixes that FlowJo, Cytobank and FlowKit use
 * ({@code gating:}, {@code transforms:}, {@code data-type:}) and their namespaces are all accepted. Unknown elements
 * (e.g. {@code custom_info}) are ignored. DTDs and external entities are refused.
 *
 * <p>Every problem of the document is collected and reported at once in a {@link GatingMlException}, each naming
 * the element and its gate, transformation or spectrum matrix id.
 */
public final class GatingMlReader {
  private static final String ROOT = "Gating-ML";

  private final String source;
  private final List<String> problems = new ArrayList<>();

  /** Problems before the element being read: an element is built only when it added none. */
  private int mark;

  private GatingMlReader(String source) {
    this.source = source;
  }

  /** Reads a Gating-ML file. */
  public static GatingStrategy read(Path file) throws GatingMlException, IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    }
  }

  /**
   * Reads a Gating-ML document from a stream.
   *
   * @param source the name used in messages
   */
  public static GatingStrategy read(InputStream in, String source)
      throws GatingMlException, IOException {
    Document doc;
    try {
      doc = newBuilder().parse(in, source);
    } catch (SAXParseException e) {
      throw new GatingMlException(
          source,
          "not well-formed XML at line "
              + e.getLineNumber()
              + ", column "
              + e.getColumnNumber()
              + ": "
              + e.getMessage(),
          e);
    } catch (SAXException e) {
      throw new GatingMlException(source, "not well-formed XML: " + e.getMessage(), e);
    }
    return new GatingMlReader(source).read(doc);
  }

  private static DocumentBuilder newBuilder() {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      return b;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("Cannot configure the XML parser: " + e.getMessage(), e);
    }
  }

  private GatingStrategy read(Document doc) throws GatingMlException {
    Element root = doc.getDocumentElement();
    if (!ROOT.equals(local(root))) {
      throw new GatingMlException(
          source,
          List.of(
              "the root element is <"
                  + root.getTagName()
                  + ">, not <"
                  + ROOT
                  + ">: not a Gating-ML 2.0 document"));
    }
    List<Gate> gates = new ArrayList<>();
    List<Transformation> transformations = new ArrayList<>();
    List<SpectrumMatrix> matrices = new ArrayList<>();
    for (Element e : children(root)) {
      String kind = local(e);
      String id = attr(e, "id");
      mark = problems.size();
      try {
        switch (kind) {
          case "RectangleGate" -> add(gates, rectangle(e, id));
          case "PolygonGate" -> add(gates, polygon(e, id));
          case "EllipsoidGate" -> add(gates, ellipsoid(e, id));
          case "QuadrantGate" -> add(gates, quadrant(e, id));
          case "BooleanGate" -> add(gates, bool(e, id));
          case "transformation" -> add(transformations, transformation(e, id));
          case "spectrumMatrix" -> add(matrices, spectrumMatrix(e, id));
          default -> {} // custom_info and other extensions
        }
      } catch (IllegalArgumentException ex) {
        if (problems.size() == mark) {
          problems.add(kind + " '" + id + "': " + ex.getMessage());
        }
      }
    }
    if (problems.isEmpty()) {
      try {
        return GatingStrategy.of(gates, transformations, matrices);
      } catch (IllegalArgumentException ex) {
        problems.add(ex.getMessage());
      }
    }
    throw new GatingMlException(source, problems);
  }

  /** Whether the element being read has added no problem. */
  private boolean clean() {
    return problems.size() == mark;
  }

  private <T> void add(List<T> list, T item) {
    if (item != null) {
      list.add(item);
    }
  }

  private String requireId(Element e, String id) {
    if (id == null || id.isBlank()) {
      problems.add(local(e) + " without an id");
      throw new IllegalArgumentException("no id");
    }
    return id;
  }

  private RectangleGate rectangle(Element e, String id) {
    requireId(e, id);
    List<Dimension> dims = new ArrayList<>();
    List<double[]> limits = new ArrayList<>();
    for (Element d : children(e, "dimension")) {
      dims.add(dimension(d, "RectangleGate", id));
      double min = number(d, "min", Double.NEGATIVE_INFINITY, "RectangleGate", id);
      double max = number(d, "max", Double.POSITIVE_INFINITY, "RectangleGate", id);
      if (attr(d, "min") == null && attr(d, "max") == null) {
        problems.add(
            "RectangleGate '"
                + id
                + "': dimension '"
                + dims.get(dims.size() - 1).label()
                + "' has neither min nor max");
      } else if (min > max) {
        problems.add(
            "RectangleGate '"
                + id
                + "': dimension '"
                + dims.get(dims.size() - 1).label()
                + "' has min "
                + min
                + " above max "
                + max);
      }
      limits.add(new double[] {min, max});
    }
    if (dims.isEmpty()) {
      problems.add("RectangleGate '" + id + "' has no dimension");
    }
    double[] min = limits.stream().mapToDouble(l -> l[0]).toArray();
    double[] max = limits.stream().mapToDouble(l -> l[1]).toArray();
    return clean() ? new RectangleGate(id, attr(e, "parent_id"), dims, min, max) : null;
  }

  /** The {@code dimension}s of gate {@code id} in document order; problems are collected. */
  private List<Dimension> dimensions(Element e, String gateType, String id) {
    List<Dimension> dims = new ArrayList<>();
    for (Element d : children(e, "dimension")) {
      dims.add(dimension(d, gateType, id));
    }
    return dims;
  }

  private PolygonGate polygon(Element e, String id) {
    requireId(e, id);
    List<Dimension> dims = dimensions(e, "PolygonGate", id);
    List<Element> vertices = children(e, "vertex");
    double[] x = new double[vertices.size()];
    double[] y = new double[vertices.size()];
    for (int i = 0; i < vertices.size(); i++) {
      List<Element> coords = children(vertices.get(i), "coordinate");
      if (coords.size() != 2) {
        problems.add(
            "PolygonGate '"
                + id
                + "': vertex "
                + (i + 1)
                + " has "
                + coords.size()
                + " coordinates, not 2");
        continue;
      }
      x[i] = value(coords.get(0), "PolygonGate", id);
      y[i] = value(coords.get(1), "PolygonGate", id);
    }
    return clean() ? new PolygonGate(id, attr(e, "parent_id"), dims, x, y) : null;
  }

  private EllipsoidGate ellipsoid(Element e, String id) {
    requireId(e, id);
    List<Dimension> dims = dimensions(e, "EllipsoidGate", id);
    Element mean = single(e, "mean", "EllipsoidGate", id);
    Element cov = single(e, "covarianceMatrix", "EllipsoidGate", id);
    Element dist = single(e, "distanceSquare", "EllipsoidGate", id);
    if (mean == null || cov == null || dist == null) {
      return null;
    }
    double[] mu =
        children(mean, "coordinate").stream()
            .mapToDouble(c -> value(c, "EllipsoidGate", id))
            .toArray();
    List<Element> rows = children(cov, "row");
    double[][] c = new double[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      c[i] =
          children(rows.get(i), "entry").stream()
              .mapToDouble(x -> value(x, "EllipsoidGate", id))
              .toArray();
    }
    double d2 = value(dist, "EllipsoidGate", id);
    if (!clean()) {
      return null;
    }
    EllipsoidGate gate = new EllipsoidGate(id, attr(e, "parent_id"), dims, mu, c, d2);
    gate.inverseCovariance(); // throws when singular
    return gate;
  }

  private QuadrantGate quadrant(Element e, String id) {
    requireId(e, id);
    List<QuadrantGate.Divider> dividers = new ArrayList<>();
    for (Element d : children(e, "divider")) {
      String did = attr(d, "id");
      if (did == null) {
        problems.add("QuadrantGate '" + id + "': a divider has no id");
        continue;
      }
      Dimension dim = dimension(d, "QuadrantGate", id);
      double[] values =
          children(d, "value").stream().mapToDouble(v -> text(v, "QuadrantGate", id)).toArray();
      dividers.add(new QuadrantGate.Divider(did, dim, values));
    }
    List<QuadrantGate.Quadrant> quadrants = new ArrayList<>();
    for (Element q : children(e, "Quadrant")) {
      String qid = attr(q, "id");
      if (qid == null) {
        problems.add("QuadrantGate '" + id + "': a Quadrant has no id");
        continue;
      }
      Map<String, Double> positions = new LinkedHashMap<>();
      for (Element p : children(q, "position")) {
        String ref = attr(p, "divider_ref");
        String problem =
            ref == null || dividers.stream().noneMatch(d -> d.id().equals(ref))
                ? "which the gate does not have"
                : attr(p, "location") == null ? "without a location" : null;
        if (problem != null) {
          problems.add(
              "QuadrantGate '"
                  + id
                  + "': Quadrant '"
                  + qid
                  + "' has a position on divider '"
                  + ref
                  + "' "
                  + problem);
          continue;
        }
        positions.put(ref, number(p, "location", Double.NaN, "QuadrantGate", id));
      }
      quadrants.add(new QuadrantGate.Quadrant(qid, positions));
    }
    if (quadrants.isEmpty()) {
      problems.add("QuadrantGate '" + id + "' has no Quadrant");
    }
    return clean() ? new QuadrantGate(id, attr(e, "parent_id"), dividers, quadrants) : null;
  }

  private BooleanGate bool(Element e, String id) {
    requireId(e, id);
    List<Element> ops =
        children(e).stream().filter(c -> List.of("and", "or", "not").contains(local(c))).toList();
    if (ops.size() != 1) {
      problems.add(
          "BooleanGate '" + id + "' needs exactly one of and, or, not; it has " + ops.size());
      return null;
    }
    Element op = ops.get(0);
    List<BooleanGate.Reference> refs = new ArrayList<>();
    for (Element r : children(op, "gateReference")) {
      String ref = attr(r, "ref");
      if (ref == null) {
        problems.add("BooleanGate '" + id + "': a gateReference has no ref");
        continue;
      }
      refs.add(new BooleanGate.Reference(ref, "true".equals(attr(r, "use-as-complement"))));
    }
    BooleanGate.Operator operator = BooleanGate.Operator.valueOf(local(op).toUpperCase());
    return clean() ? new BooleanGate(id, attr(e, "parent_id"), operator, refs) : null;
  }

  private Transformation transformation(Element e, String id) {
    requireId(e, id);
    List<Element> kinds =
        children(e).stream().filter(c -> !"custom_info".equals(local(c))).toList();
    if (kinds.size() != 1) {
      problems.add(
          "transformation '"
              + id
              + "' needs exactly one transform element, it has "
              + kinds.size());
      return null;
    }
    Element t = kinds.get(0);
    String where = "transformation";
    double boundMin = number(e, "boundMin", Double.NEGATIVE_INFINITY, where, id);
    double boundMax = number(e, "boundMax", Double.POSITIVE_INFINITY, where, id);
    Transform scale = null;
    Ratio ratio = null;
    switch (local(t)) {
      case "flin" -> scale = new Linear(param(t, "T", id), param(t, "A", id));
      case "flog" -> scale = new Log(param(t, "T", id), param(t, "M", id));
      case "fasinh" -> scale = new Asinh(param(t, "T", id), param(t, "M", id), param(t, "A", id));
      case "logicle" ->
          scale =
              new Logicle(
                  param(t, "T", id), param(t, "W", id), param(t, "M", id), param(t, "A", id));
      case "hyperlog" ->
          scale =
              new Hyperlog(
                  param(t, "T", id), param(t, "W", id), param(t, "M", id), param(t, "A", id));
      case "fratio" -> {
        List<String> names = fcsNames(t, where, id);
        if (names.size() != 2) {
          problems.add(
              "transformation '"
                  + id
                  + "': fratio needs 2 fcs-dimension elements, it has "
                  + names.size());
          return null;
        }
        ratio =
            new Ratio(
                names.get(0),
                names.get(1),
                param(t, "A", id),
                param(t, "B", id),
                param(t, "C", id));
      }
      default -> {
        problems.add("transformation '" + id + "': unknown transform <" + t.getTagName() + ">");
        return null;
      }
    }
    return clean() ? new Transformation(id, scale, ratio, boundMin, boundMax) : null;
  }

  private SpectrumMatrix spectrumMatrix(Element e, String id) {
    requireId(e, id);
    Element fl = single(e, "fluorochromes", "spectrumMatrix", id);
    Element det = single(e, "detectors", "spectrumMatrix", id);
    if (fl == null || det == null) {
      return null;
    }
    List<String> fluorochromes = fcsNames(fl, "spectrumMatrix", id);
    List<String> detectors = fcsNames(det, "spectrumMatrix", id);
    List<Element> spectra = children(e, "spectrum");
    double[][] m = new double[spectra.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] =
          children(spectra.get(i), "coefficient").stream()
              .mapToDouble(c -> number(c, "value", Double.NaN, "spectrumMatrix", id))
              .toArray();
    }
    boolean inverted = "true".equals(attr(e, "matrix-inverted-already"));
    if (!clean()) {
      return null;
    }
    SpectrumMatrix matrix = new SpectrumMatrix(id, fluorochromes, detectors, m, inverted);
    matrix.unmixing(); // throws when singular
    return matrix;
  }

  private Dimension dimension(Element d, String kind, String id) {
    String comp = attr(d, "compensation-ref");
    if (comp == null) {
      comp =
          Dimension
              .UNCOMPENSATED; // FlowKit and flowUtils read an absent reference as uncompensated
    }
    String transform = attr(d, "transformation-ref");
    Element fcs = first(d, "fcs-dimension");
    Element derived = first(d, "new-dimension");
    if (fcs != null) {
      String name = attr(fcs, "name");
      if (name == null || name.isEmpty()) {
        problems.add(kind + " '" + id + "': fcs-dimension without a name");
        throw new IllegalArgumentException("bad dimension");
      }
      return Dimension.fcs(name, transform, comp);
    }
    if (derived != null) {
      String ref = attr(derived, "transformation-ref");
      if (ref == null) {
        problems.add(kind + " '" + id + "': new-dimension without a transformation-ref");
        throw new IllegalArgumentException("bad dimension");
      }
      return new Dimension(null, ref, transform, comp);
    }
    problems.add(
        kind
            + " '"
            + id
            + "': <"
            + d.getTagName()
            + "> has neither fcs-dimension nor new-dimension");
    throw new IllegalArgumentException("bad dimension");
  }

  private List<String> fcsNames(Element parent, String kind, String id) {
    List<String> names = new ArrayList<>();
    for (Element c : children(parent, "fcs-dimension")) {
      String name = attr(c, "name");
      if (name == null) {
        problems.add(kind + " '" + id + "': fcs-dimension without a name");
      } else {
        names.add(name);
      }
    }
    return names;
  }

  private double param(Element t, String name, String id) {
    String v = attr(t, name);
    if (v == null) {
      problems.add(
          "transformation '" + id + "': <" + t.getTagName() + "> has no parameter " + name);
      throw new IllegalArgumentException("missing parameter");
    }
    return parse(v, "transformation", id, t.getTagName() + " " + name);
  }

  private double number(Element e, String name, double absent, String kind, String id) {
    String v = attr(e, name);
    return v == null ? absent : parse(v, kind, id, e.getTagName() + " " + name);
  }

  private double value(Element e, String kind, String id) {
    String v = attr(e, "value");
    if (v == null) {
      problems.add(kind + " '" + id + "': <" + e.getTagName() + "> has no value");
      return Double.NaN;
    }
    return parse(v, kind, id, e.getTagName() + " value");
  }

  private double text(Element e, String kind, String id) {
    return parse(e.getTextContent().trim(), kind, id, e.getTagName());
  }

  private double parse(String v, String kind, String id, String what) {
    try {
      double d = Double.parseDouble(v.trim());
      if (Double.isNaN(d)) {
        problems.add(kind + " '" + id + "': " + what + " is NaN");
      }
      return d;
    } catch (NumberFormatException ex) {
      problems.add(kind + " '" + id + "': " + what + " is not a number: '" + v + "'");
      return Double.NaN;
    }
  }

  private Element single(Element e, String name, String kind, String id) {
    List<Element> found = children(e, name);
    if (found.size() != 1) {
      problems.add(kind + " '" + id + "' needs one " + name + " element, it has " + found.size());
      return null;
    }
    return found.get(0);
  }

  private static Element first(Element e, String name) {
    List<Element> found = children(e, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> children(Element e) {
    List<Element> out = new ArrayList<>();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c) {
        out.add(c);
      }
    }
    return out;
  }

  private static List<Element> children(Element e, String localName) {
    return children(e).stream().filter(c -> localName.equals(local(c))).toList();
  }

  private static String local(Node n) {
    return n.getLocalName() != null ? n.getLocalName() : n.getNodeName();
  }

  /** The attribute with this local name, whatever its prefix; null when absent. */
  private static String attr(Element e, String localName) {
    NamedNodeMap attrs = e.getAttributes();
    for (int i = 0; i < attrs.getLength(); i++) {
      Attr a = (Attr) attrs.item(i);
      if (localName.equals(local(a))) {
        return a.getValue();
      }
    }
    return null;
  }
}
