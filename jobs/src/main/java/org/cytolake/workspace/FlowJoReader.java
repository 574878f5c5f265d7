package org.cytolake.workspace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cytolake.cytometry.transform.Asinh;
import org.cytolake.cytometry.transform.FlowJoBiex;
import org.cytolake.cytometry.transform.Linear;
import org.cytolake.cytometry.transform.Log;
import org.cytolake.cytometry.transform.Logicle;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.gating.BooleanGate;
import org.cytolake.gating.Dimension;
import org.cytolake.gating.EllipsoidGate;
import org.cytolake.gating.Gate;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.PolygonGate;
import org.cytolake.gating.RectangleGate;
import org.cytolake.gating.SpectrumMatrix;
import org.cytolake.gating.Transformation;
import org.w3c.dom.Element;

/**
 * Reads FlowJo workspaces: FlowJo 10 / X ({@code .wsp}, {@code <Workspace version="20.0">}, gates as embedded
 * Gating-ML 2.0 elements) and FlowJo 9 for Mac ({@code <Workspace version="2.0">}, FlowJo's own
 * {@code PolygonGate}/{@code Polygon}/{@code PolyRect}/{@code Range}/{@code Ellipse}).
 *
 * <p>What FlowJo stores and how it is read:
 *
 * <ul>
 *   <li>Per sample {@code <SampleNode>} holds the population tree ({@code <Population>}, and in FlowJo 10 the
 *       Boolean {@code <AndNode>}, {@code <OrNode>}, {@code <NotNode>} whose {@code <Dependent name>} are population
 *       paths from the sample root). Population ids in the strategy are those paths.
 *   <li>Compensation: FlowJo 10 writes the sample's matrix as {@code transforms:spilloverMatrix} with a prefix
 *       ({@code Comp-}); a gate dimension named prefix + channel is the compensated channel. FlowJo 9 names the matrix
 *       by the sample's {@code compensationID} and writes compensated channels as {@code <channel>}.
 *   <li>Transforms (FlowJo 10, per axis in the sample's {@code <Transformations>}): {@code biex} (width, neg, pos,
 *       maxRange) as FlowJo's own lookup table ({@link FlowJoBiex}); {@code logicle},
 *       {@code fasinh}, {@code log}; {@code linear} (minRange, maxRange) as Gating-ML flin onto 0..1. Rectangles and polygons are stored in data units and evaluated on the transformed axes, so a
 *       polygon edge is straight where FlowJo draws it; ellipses are stored in display units (transformed value ×
 *       {@code length}, 256; on a linear axis too) by foci and edge points (the first two the ends of the major axis).
 *   <li>Groups ({@code <Groups>/<GroupNode>}) may carry a gating template; a sample with no gates of its own takes
 *       the templates of the groups listing it ({@code <SampleRef sampleID>}), on its own transforms.
 *   <li>A FlowJo 10 gate with {@code eventsInside="0"} selects the parent's events outside its shape: the shape
 *       becomes a helper gate ({@link #outsideHelper}) and the population a Boolean not of it.
 *   <li>FlowJo 9 stores vertices in data units; gates are evaluated on FlowJo's display channels through the
 *       workspace's calibration tables ({@link DisplayScale}, values beyond a table on its end channels; see the
 *       README's workspace section for the parity this reaches on the reference workspace).
 * </ul>
 */
final class FlowJoReader {
  private static final String ROOT = "";

  private final String source;
  private final Element root;
  private final boolean v10;

  FlowJoReader(String source, Element root) {
    this.source = source;
    this.root = root;
    String version = root.getAttribute("version");
    this.v10 = !version.startsWith("2.") && !version.startsWith("1.");
  }

  Workspace read() throws WorkspaceException {
    List<WorkspaceSample> samples = new ArrayList<>();
    Map<String, Element> matrices9 = new LinkedHashMap<>();
    Element mats = Xml.child(root, "CompensationMatrices");
    if (mats != null) {
      for (Element m : Xml.children(mats, "CompensationMatrix")) {
        matrices9.put(m.getAttribute("name"), m);
      }
    }
    Element list = Xml.child(root, "SampleList");
    if (list == null) {
      throw new WorkspaceException(
          "Cannot read FlowJo workspace '" + source + "': it has no <SampleList>");
    }
    List<Element> ordered9 = new ArrayList<>(matrices9.values());
    Map<String, List<Element>> templates = templates();
    for (Element sample : Xml.children(list, "Sample")) {
      samples.add(readSample(sample, ordered9, templates));
    }
    String format = "FlowJo " + root.getAttribute("flowJoVersion");
    return new Workspace(source, format, samples);
  }

  /**
   * Sample id → the {@code <GroupNode>}s that carry a gating template (populations of their own: in
   * FlowJo 10 under {@code <Subpopulations>}, in FlowJo 9 directly) and list the sample among their
   * {@code <SampleRef>}s, in document order.
   */
  private Map<String, List<Element>> templates() {
    Map<String, List<Element>> out = new LinkedHashMap<>();
    Element groups = Xml.child(root, "Groups");
    if (groups == null) {
      return out;
    }
    for (Element g : Xml.children(groups, "GroupNode")) {
      if (populationNodes(g).isEmpty()) {
        continue;
      }
      Element group = Xml.child(g, "Group");
      Element refs = group == null ? null : Xml.child(group, "SampleRefs");
      if (refs == null) {
        continue;
      }
      for (Element r : Xml.children(refs, "SampleRef")) {
        List<Element> gs = out.computeIfAbsent(r.getAttribute("sampleID"), k -> new ArrayList<>());
        if (!gs.contains(g)) {
          gs.add(g);
        }
      }
    }
    return out;
  }

  /** The population and Boolean nodes directly under a sample or group node (or a population). */
  private List<Element> populationNodes(Element parent) {
    Element holder = v10 ? Xml.child(parent, "Subpopulations") : parent;
    List<Element> out = new ArrayList<>();
    if (holder != null) {
      for (Element child : Xml.children(holder, null)) {
        String tag = child.getTagName();
        if (tag.equals("Population")
            || tag.equals("AndNode")
            || tag.equals("OrNode")
            || tag.equals("NotNode")) {
          out.add(child);
        }
      }
    }
    return out;
  }

  private WorkspaceSample readSample(
      Element sample, List<Element> matrices9, Map<String, List<Element>> templates)
      throws WorkspaceException {
    Element node = Xml.child(sample, "SampleNode");
    if (node == null) {
      throw new WorkspaceException(
          "Cannot read FlowJo workspace '" + source + "': a <Sample> has no <SampleNode>");
    }
    String id = node.getAttribute("sampleID");
    String name = node.getAttribute("name");
    String where = "FlowJo workspace '" + source + "', sample '" + name + "' (id " + id + ")";
    Element ds = Xml.child(sample, "DataSet");
    String fcsName = name;
    if (ds != null && !ds.getAttribute("uri").isEmpty()) {
      String uri = ds.getAttribute("uri");
      fcsName =
          java.net.URLDecoder.decode(
              uri.substring(uri.lastIndexOf('/') + 1), java.nio.charset.StandardCharsets.UTF_8);
    }
    Context ctx = new Context(where);
    if (v10) {
      readTransforms10(sample, ctx);
      Element sm = Xml.child(sample, "transforms:spilloverMatrix");
      if (sm != null) {
        ctx.matrix = spillover10(sm, where);
        ctx.prefix = sm.getAttribute("prefix");
        ctx.suffix = sm.getAttribute("suffix");
      }
    } else {
      String compId = sample.getAttribute("compensationID");
      if (!compId.isEmpty() && !compId.equals("0") && !matrices9.isEmpty()) {
        int k = Integer.parseInt(compId) - 1;
        if (k < 0 || k >= matrices9.size()) {
          throw new WorkspaceException(
              "Cannot read " + where + ": compensationID " + compId + " names no matrix");
        }
        Element m = matrices9.get(k);
        ctx.matrix = spillover9(m, where);
        ctx.prefix = m.getAttribute("prefix");
        ctx.suffix = m.getAttribute("suffix");
      }
      scales9(sample, ctx);
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    readChildren(node, ROOT, ctx, counts);
    List<String> templateGroups = new ArrayList<>();
    if (ctx.gates.isEmpty()) {
      // A sample without gates of its own takes its groups' templates, evaluated on its own
      // transforms and compensation. FlowJo keeps one gate per population path in a sample (a
      // sample in two groups shows both groups' gates in its tree), so the templates are joined by
      // path, the first group's gate kept where two define the same one. A template's counts are
      // not the sample's and are not read.
      for (Element g : templates.getOrDefault(id, List.of())) {
        java.util.Set<String> had = new java.util.HashSet<>();
        ctx.gates.forEach(x -> had.add(x.id()));
        int before = ctx.gates.size();
        readChildren(g, ROOT, ctx, new LinkedHashMap<>());
        List<Gate> added = new ArrayList<>(ctx.gates.subList(before, ctx.gates.size()));
        ctx.gates.subList(before, ctx.gates.size()).clear();
        added.stream().filter(x -> !had.contains(x.id())).forEach(ctx.gates::add);
        templateGroups.add(g.getAttribute("name"));
      }
    }
    List<SpectrumMatrix> ms = ctx.matrix == null || !v10 ? List.of() : List.of(ctx.matrix);
    GatingStrategy strategy;
    try {
      strategy = GatingStrategy.of(ctx.gates, new ArrayList<>(ctx.transforms.values()), ms);
    } catch (IllegalArgumentException e) {
      throw new WorkspaceException("Cannot read " + where + ": " + e.getMessage(), e);
    }
    long events = Xml.longAttr(node, "count", -1);
    Map<String, DisplayScale> used = new LinkedHashMap<>();
    for (var g : ctx.gates) {
      for (Dimension d : g.dimensions()) {
        DisplayScale sc = v10 ? null : ctx.scales.get(d.name());
        if (sc != null) {
          used.put(d.name(), sc);
        }
      }
    }
    return new WorkspaceSample(
        id, name, fcsName, events, strategy, counts, v10 ? null : ctx.matrix, used, templateGroups);
  }

  /** Per-sample state while reading its tree. */
  private static final class Context {
    final String where;
    final Map<String, Transformation> transforms = new LinkedHashMap<>();
    final Map<String, Double> lengths = new HashMap<>();

    /** Parameter → {scale, offset} from FlowJo's display 0..1 to the evaluated axis, where they differ. */
    final Map<String, double[]> shifts = new HashMap<>();

    final List<Gate> gates = new ArrayList<>();
    final Map<String, DisplayScale> scales = new HashMap<>();
    SpectrumMatrix matrix;
    String prefix = "";
    String suffix = "";

    Context(String where) {
      this.where = where;
    }

    /** "Cannot read {@code where}, gate '{@code path}': {@code problem}". */
    WorkspaceException gateError(String path, String problem) {
      return new WorkspaceException("Cannot read " + where + ", gate '" + path + "': " + problem);
    }

    /** {@link #gateError(String, String)} for a gate the model rejects, with the model's message. */
    WorkspaceException gateError(String path, IllegalArgumentException cause) {
      return new WorkspaceException(
          "Cannot read " + where + ", gate '" + path + "': " + cause.getMessage(), cause);
    }
  }

  private void readChildren(
      Element parent, String parentPath, Context ctx, Map<String, Long> counts)
      throws WorkspaceException {
    for (Element child : populationNodes(parent)) {
      String tag = child.getTagName();
      String name = child.getAttribute("name");
      String path = parentPath.isEmpty() ? name : parentPath + "/" + name;
      String parentId = parentPath.isEmpty() ? null : parentPath;
      if (child.hasAttribute("count") && !child.getAttribute("count").isEmpty()) {
        long c = Xml.longAttr(child, "count", -1);
        if (c >= 0) {
          counts.put(path, c);
        }
      }
      if (tag.equals("Population")) {
        ctx.gates.add(v10 ? gate10(child, path, parentId, ctx) : gate9(child, path, parentId, ctx));
      } else {
        ctx.gates.add(booleanGate(child, tag, path, parentId, ctx));
      }
      readChildren(child, path, ctx, counts);
    }
  }

  private Gate booleanGate(Element node, String tag, String path, String parentId, Context ctx)
      throws WorkspaceException {
    Element deps = Xml.child(node, "Dependents");
    List<BooleanGate.Reference> refs = new ArrayList<>();
    if (deps != null) {
      for (Element d : Xml.children(deps, "Dependent")) {
        refs.add(new BooleanGate.Reference(d.getAttribute("name"), false));
      }
    }
    BooleanGate.Operator op =
        switch (tag) {
          case "AndNode" -> BooleanGate.Operator.AND;
          case "OrNode" -> BooleanGate.Operator.OR;
          default -> BooleanGate.Operator.NOT;
        };
    try {
      return new BooleanGate(path, parentId, op, refs);
    } catch (IllegalArgumentException e) {
      throw ctx.gateError(path, e);
    }
  }

  // ---- FlowJo 10 ----

  private void readTransforms10(Element sample, Context ctx) throws WorkspaceException {
    Element ts = Xml.child(sample, "Transformations");
    if (ts == null) {
      return;
    }
    for (Element t : Xml.children(ts, null)) {
      Element p = Xml.child(t, "data-type:parameter");
      if (p == null) {
        continue;
      }
      String param = p.getAttribute("data-type:name");
      String type = t.getTagName().replace("transforms:", "");
      Transform tr;
      try {
        tr =
            switch (type) {
              case "linear" -> {
                double lo = Xml.doubleAttr(t, "transforms:minRange", 0);
                double hi = Xml.doubleAttr(t, "transforms:maxRange", 262144);
                if (lo > 0) {
                  // flin cannot start above 0: evaluate on x / maxRange; ellipses are moved onto it
                  // below.
                  ctx.shifts.put(param, new double[] {(hi - lo) / hi, lo / hi});
                  yield new Linear(hi, 0);
                }
                yield new Linear(hi, -lo);
              }
              case "biex" ->
                  biex(
                      Xml.doubleAttr(t, "transforms:width", -10),
                      Xml.doubleAttr(t, "transforms:neg", 0),
                      Xml.doubleAttr(t, "transforms:pos", 4.5),
                      Xml.doubleAttr(t, "transforms:maxRange", 262144));
              case "logicle" ->
                  new Logicle(
                      Xml.doubleAttr(t, "transforms:T", 262144),
                      Xml.doubleAttr(t, "transforms:W", 0.5),
                      Xml.doubleAttr(t, "transforms:M", 4.5),
                      Xml.doubleAttr(t, "transforms:A", 0));
              case "fasinh" ->
                  new Asinh(
                      Xml.doubleAttr(t, "transforms:T", 262144),
                      Xml.doubleAttr(t, "transforms:M", 4.5),
                      Xml.doubleAttr(t, "transforms:A", 0));
              case "log" -> {
                double decades = Xml.doubleAttr(t, "transforms:decades", 4.5);
                double offset = Xml.doubleAttr(t, "transforms:offset", 1);
                yield new Log(offset * Math.pow(10, decades), decades);
              }
              default ->
                  throw new WorkspaceException(
                      "Cannot read "
                          + ctx.where
                          + ": parameter '"
                          + param
                          + "' has unknown transform '"
                          + t.getTagName()
                          + "' (known: linear, biex, logicle, fasinh, log)");
            };
      } catch (IllegalArgumentException e) {
        throw new WorkspaceException(
            "Cannot read "
                + ctx.where
                + ": transform of parameter '"
                + param
                + "': "
                + e.getMessage(),
            e);
      }
      if (tr != null) {
        String tid = "xf:" + param;
        ctx.transforms.put(
            param,
            new Transformation(tid, tr, null, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
        ctx.lengths.put(param, Xml.doubleAttr(t, "transforms:length", 256));
      }
    }
  }

  private static SpectrumMatrix spillover10(Element sm, String where) throws WorkspaceException {
    List<String> detectors = new ArrayList<>();
    Element params = Xml.child(sm, "data-type:parameters");
    if (params != null) {
      for (Element p : Xml.children(params, "data-type:parameter")) {
        detectors.add(p.getAttribute("data-type:name"));
      }
    }
    double[][] s = new double[detectors.size()][detectors.size()];
    for (Element row : Xml.children(sm, "transforms:spillover")) {
      int i = detectors.indexOf(row.getAttribute("data-type:parameter"));
      for (Element c : Xml.children(row, "transforms:coefficient")) {
        int j = detectors.indexOf(c.getAttribute("data-type:parameter"));
        if (i < 0 || j < 0) {
          throw new WorkspaceException(
              "Cannot read "
                  + where
                  + ": spillover names a parameter outside the matrix: '"
                  + row.getAttribute("data-type:parameter")
                  + "'/'"
                  + c.getAttribute("data-type:parameter")
                  + "'");
        }
        s[i][j] = Xml.doubleAttr(c, "transforms:value", 0);
      }
    }
    String prefix = sm.getAttribute("prefix");
    String suffix = sm.getAttribute("suffix");
    return matrix(sm.getAttribute("transforms:id"), detectors, s, prefix, suffix);
  }

  private static SpectrumMatrix matrix(
      String id, List<String> detectors, double[][] s, String prefix, String suffix) {
    List<String> fluorochromes = detectors.stream().map(d -> prefix + d + suffix).toList();
    return new SpectrumMatrix(id.isEmpty() ? "comp" : id, fluorochromes, detectors, s, false);
  }

  private Gate gate10(Element pop, String path, String parentId, Context ctx)
      throws WorkspaceException {
    Element g = Xml.child(pop, "Gate");
    Element shape = g == null ? null : Xml.firstChild(g);
    if (shape == null) {
      throw ctx.gateError(path, "it has no gate element");
    }
    // eventsInside="0": the population is the parent's events outside the shape. FlowKit reads it
    // so (wsp_utils: '0' for events outside, the gate's use_complement); CytoML sets the gate's
    // negate flag, which cytolib applies by flipping the shape's membership before the parent's.
    boolean complement = "0".equals(shape.getAttribute("eventsInside"));
    String shapeId = complement ? outsideHelper(path) : path;
    List<Element> dimEls = Xml.children(shape, "gating:dimension");
    List<String> names = new ArrayList<>();
    for (Element d : dimEls) {
      Element fd = Xml.child(d, "data-type:fcs-dimension");
      if (fd == null) {
        throw ctx.gateError(path, "a dimension without fcs-dimension");
      }
      names.add(fd.getAttribute("data-type:name"));
    }
    List<Dimension> dims = new ArrayList<>();
    List<Transformation> xfs = new ArrayList<>();
    for (String n : names) {
      Transformation t = transformFor(n, ctx);
      xfs.add(t);
      dims.add(Dimension.fcs(n, t == null ? null : t.id(), compRef(n, ctx)));
    }
    String tag = shape.getTagName().replace("gating:", "");
    Gate gate;
    try {
      gate =
          switch (tag) {
            case "RectangleGate" -> {
              double[] min = new double[dims.size()];
              double[] max = new double[dims.size()];
              for (int i = 0; i < dims.size(); i++) {
                Element d = dimEls.get(i);
                min[i] = t(xfs.get(i), Xml.doubleAttr(d, "gating:min", Double.NEGATIVE_INFINITY));
                max[i] = t(xfs.get(i), Xml.doubleAttr(d, "gating:max", Double.POSITIVE_INFINITY));
              }
              yield new RectangleGate(shapeId, parentId, dims, min, max);
            }
            case "PolygonGate" -> {
              List<Element> vs = Xml.children(shape, "gating:vertex");
              double[] x = new double[vs.size()];
              double[] y = new double[vs.size()];
              for (int i = 0; i < vs.size(); i++) {
                List<Element> cs = Xml.children(vs.get(i), "gating:coordinate");
                x[i] = t(xfs.get(0), Xml.doubleAttr(cs.get(0), "data-type:value", Double.NaN));
                y[i] = t(xfs.get(1), Xml.doubleAttr(cs.get(1), "data-type:value", Double.NaN));
              }
              yield new PolygonGate(shapeId, parentId, dims, x, y);
            }
            case "EllipsoidGate" -> ellipse10(shape, shapeId, parentId, dims, names, ctx);
            default -> throw ctx.gateError(path, "unknown gate type '" + shape.getTagName() + "'");
          };
    } catch (IllegalArgumentException e) {
      throw ctx.gateError(path, e);
    }
    if (!complement) {
      return gate;
    }
    ctx.gates.add(gate);
    try {
      return new BooleanGate(
          path,
          parentId,
          BooleanGate.Operator.NOT,
          List.of(new BooleanGate.Reference(shapeId, false)));
    } catch (IllegalArgumentException e) {
      throw ctx.gateError(path, e);
    }
  }

  /**
   * The helper gate ({@link GatingStrategy#HELPER_PREFIX}) holding the shape of an outside gate
   * ({@code eventsInside="0"}) at {@code path}: the population is then a Boolean not of it under the
   * same parent, i.e. the parent's events outside the shape (Gating-ML 2.0 section 5.2.5).
   */
  static String outsideHelper(String path) {
    return GatingStrategy.HELPER_PREFIX + "shape of " + path;
  }

  /**
   * FlowJo's biex axis: its own 4,096-channel lookup table ({@link FlowJoBiex}), not a Logicle curve (a Logicle with
   * T = maxRange, W = log10(-width) / 2, M = pos, A = neg is 0.19 % off FlowJo's exported table on average, up to
   * 9 % near zero).
   */
  static FlowJoBiex biex(double width, double neg, double pos, double maxRange) {
    return new FlowJoBiex(width, neg, pos, maxRange);
  }

  private static double t(Transformation t, double v) {
    return t == null || Double.isInfinite(v) ? v : t.scale().apply(v);
  }

  private Gate ellipse10(
      Element shape,
      String path,
      String parentId,
      List<Dimension> dims,
      List<String> names,
      Context ctx) {
    EllipsoidGate e =
        ellipse(
            path,
            parentId,
            dims,
            points(shape, "gating:foci", names, ctx),
            points(shape, "gating:edge", names, ctx));
    double[] scale = new double[2];
    double[] offset = new double[2];
    boolean moved = false;
    for (int k = 0; k < 2; k++) {
      double[] so = ctx.shifts.getOrDefault(key(names.get(k), ctx), new double[] {1, 0});
      scale[k] = so[0];
      offset[k] = so[1];
      moved |= so[0] != 1 || so[1] != 0;
    }
    if (!moved) {
      return e;
    }
    double[] mean = e.mean();
    double[][] cov = e.covariance();
    for (int i = 0; i < 2; i++) {
      mean[i] = mean[i] * scale[i] + offset[i];
      for (int j = 0; j < 2; j++) {
        cov[i][j] *= scale[i] * scale[j];
      }
    }
    return new EllipsoidGate(e.id(), e.parentId(), dims, mean, cov, e.distanceSquare());
  }

  /** The vertices under one child of an ellipse, display units scaled back to the transform's 0..1. */
  private static double[][] points(Element shape, String tag, List<String> names, Context ctx) {
    List<Element> vs = Xml.children(Xml.child(shape, tag), "gating:vertex");
    double[][] p = new double[vs.size()][2];
    for (int i = 0; i < vs.size(); i++) {
      List<Element> cs = Xml.children(vs.get(i), "gating:coordinate");
      for (int k = 0; k < 2; k++) {
        double v = Xml.doubleAttr(cs.get(k), "data-type:value", Double.NaN);
        Double len = ctx.lengths.get(key(names.get(k), ctx));
        p[i][k] = len == null ? v : v / len;
      }
    }
    return p;
  }

  /**
   * An ellipse as FlowJo stores it: its foci, and edge points of which the first two are the ends of the major axis
   * (the others lie on the curve but need not be the ends of the minor axis). Semi-major a is half the distance
   * between those ends, the centre is midway between the foci (distance 2c apart) and semi-minor b = sqrt(a² - c²).
   */
  static EllipsoidGate ellipse(
      String id, String parentId, List<Dimension> dims, double[][] foci, double[][] edge) {
    if (foci.length != 2 || edge.length < 2) {
      throw new IllegalArgumentException(
          "an ellipse needs 2 foci and at least 2 edge points, not "
              + foci.length
              + " and "
              + edge.length);
    }
    double cx = (foci[0][0] + foci[1][0]) / 2;
    double cy = (foci[0][1] + foci[1][1]) / 2;
    double ux = foci[0][0] - foci[1][0];
    double uy = foci[0][1] - foci[1][1];
    double c = Math.hypot(ux, uy) / 2;
    double a = Math.hypot(edge[0][0] - edge[1][0], edge[0][1] - edge[1][1]) / 2;
    if (c == 0) {
      ux = 1;
      uy = 0;
    } else {
      ux /= 2 * c;
      uy /= 2 * c;
    }
    double b2 = a * a - c * c;
    if (!(b2 > 0)) {
      throw new IllegalArgumentException(
          "its foci are " + 2 * c + " apart but its major axis is " + 2 * a + " long");
    }
    double vx = -uy;
    double vy = ux;
    double a2 = a * a;
    double[][] cov = {
      {a2 * ux * ux + b2 * vx * vx, a2 * ux * uy + b2 * vx * vy},
      {a2 * ux * uy + b2 * vx * vy, a2 * uy * uy + b2 * vy * vy}
    };
    return new EllipsoidGate(id, parentId, dims, new double[] {cx, cy}, cov, 1);
  }

  /**
   * An ellipse from the ends of its two axes, (x0, y0)-(x1, y1) and (x2, y2)-(x3, y3), as FlowJo 9 stores it (in
   * display units once read).
   */
  static EllipsoidGate ellipseFromAxes(
      String id, String parentId, List<Dimension> dims, double[] x, double[] y) {
    if (x.length != 4) {
      throw new IllegalArgumentException("an ellipse needs 4 axis ends, not " + x.length);
    }
    double cx = (x[0] + x[1] + x[2] + x[3]) / 4;
    double cy = (y[0] + y[1] + y[2] + y[3]) / 4;
    double a = Math.hypot(x[0] - x[1], y[0] - y[1]) / 2;
    double b = Math.hypot(x[2] - x[3], y[2] - y[3]) / 2;
    double ux = (x[0] - x[1]) / (2 * a);
    double uy = (y[0] - y[1]) / (2 * a);
    double vx = -uy;
    double vy = ux;
    double a2 = a * a;
    double b2 = b * b;
    double[][] cov = {
      {a2 * ux * ux + b2 * vx * vx, a2 * ux * uy + b2 * vx * vy},
      {a2 * ux * uy + b2 * vx * vy, a2 * uy * uy + b2 * vy * vy}
    };
    return new EllipsoidGate(id, parentId, dims, new double[] {cx, cy}, cov, 1);
  }

  /** The transform key for a dimension name: itself, or without the compensation prefix and suffix. */
  private static String key(String name, Context ctx) {
    if (ctx.transforms.containsKey(name)) {
      return name;
    }
    String raw = strip(name, ctx);
    return raw;
  }

  private static String strip(String name, Context ctx) {
    if (!ctx.prefix.isEmpty() || !ctx.suffix.isEmpty()) {
      if (name.startsWith(ctx.prefix)
          && name.endsWith(ctx.suffix)
          && name.length() > ctx.prefix.length() + ctx.suffix.length()) {
        return name.substring(ctx.prefix.length(), name.length() - ctx.suffix.length());
      }
    }
    return name;
  }

  private static Transformation transformFor(String name, Context ctx) {
    return ctx.transforms.get(key(name, ctx));
  }

  private static String compRef(String name, Context ctx) {
    if (ctx.matrix != null && ctx.matrix.fluorochromes().contains(name)) {
      return ctx.matrix.id();
    }
    return Dimension.UNCOMPENSATED;
  }

  // ---- FlowJo 9 ----

  private static SpectrumMatrix spillover9(Element m, String where) throws WorkspaceException {
    List<String> detectors = new ArrayList<>();
    for (Element ch : Xml.children(m, "Channel")) {
      detectors.add(ch.getAttribute("name"));
    }
    double[][] s = new double[detectors.size()][detectors.size()];
    for (Element ch : Xml.children(m, "Channel")) {
      int i = detectors.indexOf(ch.getAttribute("name"));
      for (Element v : Xml.children(ch, "ChannelValue")) {
        int j = detectors.indexOf(v.getAttribute("name"));
        if (j < 0) {
          throw new WorkspaceException(
              "Cannot read "
                  + where
                  + ": compensation matrix '"
                  + m.getAttribute("name")
                  + "' has a value for channel '"
                  + v.getAttribute("name")
                  + "' outside it");
        }
        s[i][j] = Xml.doubleAttr(v, "value", 0);
      }
    }
    return matrix(
        m.getAttribute("name"), detectors, s, m.getAttribute("prefix"), m.getAttribute("suffix"));
  }

  /**
   * FlowJo 9's display axes: a log parameter ({@code log="1"}) is drawn on calibration table number
   * {@code calibrationIndex} (1-based, in {@code <CalibrationTables>} order); its compensated form on the table named
   * matrix name + space + compensated name, where the workspace has one.
   */
  private void scales9(Element sample, Context ctx) throws WorkspaceException {
    List<DisplayScale> tables = new ArrayList<>();
    Map<String, DisplayScale> byName = new HashMap<>();
    Element cal = Xml.child(root, "CalibrationTables");
    for (Element t : Xml.children(cal, "Table")) {
      try {
        DisplayScale sc = DisplayScale.parse(t.getAttribute("name"), t.getTextContent());
        tables.add(sc);
        byName.put(sc.name(), sc);
      } catch (IllegalArgumentException e) {
        throw new WorkspaceException(
            "Cannot read FlowJo workspace '" + source + "': " + e.getMessage(), e);
      }
    }
    for (Element p : Xml.descendants(sample, "Parameter")) {
      if (!"1".equals(p.getAttribute("log"))) {
        continue;
      }
      String name = p.getAttribute("name");
      int k = (int) Xml.longAttr(p, "calibrationIndex", 0);
      if (k == 0) {
        ctx.scales.put(name, logScale(name, p));
        continue;
      }
      if (k < 1 || k > tables.size()) {
        throw new WorkspaceException(
            "Cannot read "
                + ctx.where
                + ": parameter '"
                + name
                + "' has calibrationIndex "
                + k
                + " but the workspace has "
                + tables.size()
                + " calibration tables");
      }
      ctx.scales.put(name, tables.get(k - 1));
      if (ctx.matrix != null) {
        String comp = ctx.prefix + name + ctx.suffix;
        DisplayScale own = byName.get(ctx.matrix.id() + " " + comp);
        ctx.scales.put(comp, own != null ? own : tables.get(k - 1));
      }
    }
  }

  /**
   * A FlowJo 9 log axis without a calibration table: channel c of {@code range} shows lowValue ·
   * 10^(c / range · decades).
   */
  private static DisplayScale logScale(String name, Element p) {
    double range = Xml.doubleAttr(p, "range", 4096);
    double low = Xml.doubleAttr(p, "lowValue", 1);
    double decades = Xml.doubleAttr(p, "decades", 4);
    int n = (int) range + 1;
    double[] c = new double[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      c[i] = i;
      v[i] = low * Math.pow(10, i / range * decades);
    }
    return new DisplayScale(name, c, v);
  }

  private static double d9(Context ctx, String name, double v) {
    DisplayScale sc = ctx.scales.get(name);
    return sc == null ? v : sc.apply(v);
  }

  private Gate gate9(Element pop, String path, String parentId, Context ctx)
      throws WorkspaceException {
    Element pg = Xml.child(pop, "PolygonGate");
    if (pg == null) {
      throw ctx.gateError(path, "it has no <PolygonGate>");
    }
    Element shape = null;
    for (Element c : Xml.children(pg, null)) {
      if (List.of("Polygon", "PolyRect", "Range", "Ellipse").contains(c.getTagName())) {
        shape = c;
        break;
      }
    }
    if (shape == null) {
      throw ctx.gateError(path, "no gate shape");
    }
    String xName = shape.getAttribute("xAxisName");
    String yName = shape.getAttribute("yAxisName");
    Element poly = Xml.child(shape, "Polygon");
    List<Element> vs = poly == null ? List.of() : Xml.children(poly, "Vertex");
    double[] x = new double[vs.size()];
    double[] y = new double[vs.size()];
    for (int i = 0; i < vs.size(); i++) {
      x[i] = Xml.doubleAttr(vs.get(i), "x", Double.NaN);
      y[i] = Xml.doubleAttr(vs.get(i), "y", Double.NaN);
    }
    for (int i = 0; i < x.length; i++) {
      x[i] = d9(ctx, xName, x[i]);
      y[i] = d9(ctx, yName, y[i]);
    }
    Dimension dx = Dimension.fcs(xName, null, Dimension.UNCOMPENSATED);
    try {
      return switch (shape.getTagName()) {
        case "Range" -> {
          double lo = Math.min(x[0], x[1]);
          double hi = Math.max(x[0], x[1]);
          yield new RectangleGate(
              path, parentId, List.of(dx), new double[] {lo}, new double[] {hi});
        }
        case "Polygon", "PolyRect" ->
            new PolygonGate(
                path,
                parentId,
                List.of(dx, Dimension.fcs(yName, null, Dimension.UNCOMPENSATED)),
                x,
                y);
        case "Ellipse" -> {
          yield ellipseFromAxes(
              path,
              parentId,
              List.of(dx, Dimension.fcs(yName, null, Dimension.UNCOMPENSATED)),
              x,
              y);
        }
        default -> throw ctx.gateError(path, "unknown gate type '" + shape.getTagName() + "'");
      };
    } catch (IllegalArgumentException e) {
      throw ctx.gateError(path, e);
    }
  }
}
