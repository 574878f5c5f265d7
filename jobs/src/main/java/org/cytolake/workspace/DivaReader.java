package org.cytolake.workspace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cytolake.cytometry.transform.Logicle;
import org.cytolake.gating.Dimension;
import org.cytolake.gating.Gate;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.PolygonGate;
import org.cytolake.gating.RectangleGate;
import org.cytolake.gating.Transformation;
import org.w3c.dom.Element;

/**
 * Reads a BD FACSDiva XML experiment export ({@code <bdfacs>}): every {@code <tube>} with a
 * {@code <data_filename>} is a sample; its {@code <gates>} are {@code Region_Classifier}s whose {@code fullname}
 * ({@code All Events\P1\P2}) gives the hierarchy and whose {@code num_events} is DIVA's count. Regions:
 * {@code RECTANGLE_REGION} and {@code POLYGON_REGION} (points, evaluated as a polygon) and {@code INTERVAL_REGION}
 * (a range on x). Coordinates, per axis:
 *
 * <ul>
 *   <li>scaled ({@code is_x_parameter_scaled} true) on a parameter the tube displays as log ({@code <is_log>} in
 *       its {@code <instrument_settings>}): DIVA's biexponential display channel, 0..4,096. DIVA's biex display is a
 *       Logicle with T = 262,144, M = 4.5, A = 0 and W = (4.5 - log10(262,144 / r)) / 2 (at least 0), r being the
 *       axis's biex scale value (facts from CytoML's {@code .parseDivaWorkspace} / {@code generate_trans}; CytoML's
 *       test on the PE_2 export reaches DIVA's counts within a mean relative difference of 0.0018). A vertex is the
 *       data value at channel / 4,096 on the gate's own scale ({@code x_parameter_scale_value}); the gate is
 *       evaluated on the tube's scale for that parameter ({@code comp_biexp_scale}, or {@code manual_biexp_scale}
 *       when {@code use_auto_biexp_scale} is false), so its edges are straight where DIVA draws them;
 *   <li>scaled on a linear parameter: channel / 4,096 of 262,144, in data units;
 *   <li>not scaled on a log axis: log10 of the value, read back as 10^v;
 *   <li>otherwise data units.
 * </ul>
 *
 * <p>Fluorescence values are compensated with the file's own spillover, which DIVA writes from the experiment's
 * matrix. Population paths drop DIVA's root, {@code All Events}.
 */
final class DivaReader {
  private static final String ROOT = "All Events";

  /** DIVA's biex display: top of scale, decades, and the channels a scaled coordinate is written in. */
  private static final double TOP = 262_144;

  private static final double DECADES = 4.5;
  private static final double DISPLAY_CHANNELS = 4096;

  private final String source;
  private final Element root;

  DivaReader(String source, Element root) {
    this.source = source;
    this.root = root;
  }

  Workspace read() throws WorkspaceException {
    List<WorkspaceSample> samples = new ArrayList<>();
    for (Element tube : Xml.descendants(root, "tube")) {
      String file = Xml.text(tube, "data_filename");
      Element gates = Xml.child(tube, "gates");
      if (file == null || file.isEmpty() || gates == null) {
        continue;
      }
      samples.add(readTube(tube, file, gates));
    }
    return new Workspace(source, "FACSDiva " + root.getAttribute("version"), samples);
  }

  private WorkspaceSample readTube(Element tube, String file, Element gatesEl)
      throws WorkspaceException {
    String name = tube.getAttribute("name");
    String where = "FACSDiva export '" + source + "', tube '" + name + "' (" + file + ")";
    List<Gate> gates = new ArrayList<>();
    Map<String, Long> counts = new LinkedHashMap<>();
    long events = -1;
    java.util.Set<String> skipped = new java.util.HashSet<>();
    Map<String, Double> logScales = logScales(tube, where);
    Map<String, Transformation> transforms = new LinkedHashMap<>();
    for (Element g : Xml.children(gatesEl, "gate")) {
      String full = g.getAttribute("fullname");
      String n = Xml.text(g, "num_events");
      long count = n == null ? -1 : Long.parseLong(n);
      if (full.equals(ROOT)) {
        events = count;
        continue;
      }
      String path = full.startsWith(ROOT + "\\") ? full.substring(ROOT.length() + 1) : full;
      path = path.replace('\\', '/');
      int slash = path.lastIndexOf('/');
      String parent = slash < 0 ? null : path.substring(0, slash);
      Element region = Xml.child(g, "region");
      if (region == null
          || region.getAttribute("type").equals("BINNER_REGION")
          || (parent != null && skipped.contains(parent))) {
        skipped.add(path);
        continue;
      }
      if (count >= 0) {
        counts.put(path, count);
      }
      try {
        gates.add(region(g, region, path, parent, logScales, transforms));
      } catch (IllegalArgumentException e) {
        throw new WorkspaceException(
            "Cannot read " + where + ", gate '" + path + "': " + e.getMessage(), e);
      }
    }
    GatingStrategy strategy;
    try {
      strategy = GatingStrategy.of(gates, List.copyOf(transforms.values()), List.of());
    } catch (IllegalArgumentException e) {
      throw new WorkspaceException("Cannot read " + where + ": " + e.getMessage(), e);
    }
    return new WorkspaceSample(
        name, name, file, events, strategy, counts, null, Map.of(), List.of());
  }

  /**
   * The tube's log-displayed parameters and their biex scale values: {@code comp_biexp_scale}, or
   * {@code manual_biexp_scale} when the tube's {@code use_auto_biexp_scale} is false.
   */
  private static Map<String, Double> logScales(Element tube, String where)
      throws WorkspaceException {
    Map<String, Double> out = new LinkedHashMap<>();
    Element settings = Xml.child(tube, "instrument_settings");
    if (settings == null) {
      return out;
    }
    String node =
        "false".equals(Xml.text(settings, "use_auto_biexp_scale"))
            ? "manual_biexp_scale"
            : "comp_biexp_scale";
    for (Element p : Xml.children(settings, "parameter")) {
      if ("true".equals(Xml.text(p, "is_log"))) {
        String r = Xml.text(p, node);
        try {
          out.put(p.getAttribute("name"), r == null ? 0 : Math.abs(Double.parseDouble(r.strip())));
        } catch (NumberFormatException e) {
          throw new WorkspaceException(
              "Cannot read "
                  + where
                  + ": parameter '"
                  + p.getAttribute("name")
                  + "' has "
                  + node
                  + " '"
                  + r
                  + "', not a number",
              e);
        }
      }
    }
    return out;
  }

  /** DIVA's biex display for a biex scale value r: Logicle T = 262,144, M = 4.5, A = 0, W from r. */
  static Logicle biex(double r) {
    double w = r > 0 ? Math.max(0, (DECADES - Math.log10(TOP / r)) / 2) : 0;
    return new Logicle(TOP, w, DECADES, 0);
  }

  /** One axis of a region: its coordinates as the gate evaluates them, and its dimension. */
  private static Dimension axis(
      Element g,
      String xy,
      String param,
      double[] c,
      Map<String, Double> logScales,
      Map<String, Transformation> transforms) {
    boolean log = "true".equals(Xml.text(g, "is_" + xy + "_parameter_log"));
    boolean scaled = "true".equals(Xml.text(g, "is_" + xy + "_parameter_scaled"));
    String tid = null;
    if (scaled && logScales.containsKey(param)) {
      String drawnScale = Xml.text(g, xy + "_parameter_scale_value");
      Logicle tube = biex(logScales.get(param));
      // A gate that does not say the scale it was drawn on is taken as drawn on the tube's.
      Logicle drawn =
          drawnScale == null ? tube : biex(Math.abs(Double.parseDouble(drawnScale.strip())));
      tid = "diva-biex:" + param;
      transforms.putIfAbsent(
          param,
          new Transformation(tid, tube, null, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
      for (int i = 0; i < c.length; i++) {
        c[i] = tube.apply(drawn.inverse(c[i] / DISPLAY_CHANNELS));
      }
    } else if (scaled) {
      for (int i = 0; i < c.length; i++) {
        c[i] = c[i] / DISPLAY_CHANNELS * TOP;
      }
    } else if (log) {
      for (int i = 0; i < c.length; i++) {
        c[i] = Math.pow(10, c[i]);
      }
    }
    return Dimension.fcs(param, tid, Dimension.FCS);
  }

  private static Gate region(
      Element g,
      Element region,
      String path,
      String parent,
      Map<String, Double> logScales,
      Map<String, Transformation> transforms) {
    String type = region.getAttribute("type");
    List<Element> pts = Xml.children(Xml.child(region, "points"), "point");
    double[] x = new double[pts.size()];
    double[] y = new double[pts.size()];
    for (int i = 0; i < pts.size(); i++) {
      x[i] = Xml.doubleAttr(pts.get(i), "x", Double.NaN);
      y[i] = Xml.doubleAttr(pts.get(i), "y", Double.NaN);
    }
    Dimension dx = axis(g, "x", region.getAttribute("xparm"), x, logScales, transforms);
    return switch (type) {
      case "INTERVAL_REGION" ->
          new RectangleGate(
              path,
              parent,
              List.of(dx),
              new double[] {Math.min(x[0], x[1])},
              new double[] {Math.max(x[0], x[1])});
      case "RECTANGLE_REGION", "POLYGON_REGION" ->
          new PolygonGate(
              path,
              parent,
              List.of(dx, axis(g, "y", region.getAttribute("yparm"), y, logScales, transforms)),
              x,
              y);
      default -> throw new IllegalArgumentException("unknown region type '" + type + "'");
    };
  }
}
