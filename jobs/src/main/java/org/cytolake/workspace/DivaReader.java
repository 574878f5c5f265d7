package org.cytolake.workspace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cytolake.gating.Dimension;
import org.cytolake.gating.Gate;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.PolygonGate;
import org.cytolake.gating.RectangleGate;
import org.w3c.dom.Element;

/**
 * Reads a BD FACSDiva XML experiment export ({@code <bdfacs>}): every {@code <tube>} with a
 * {@code <data_filename>} is a sample; its {@code <gates>} are {@code Region_Classifier}s whose {@code fullname}
 * ({@code All Events\P1\P2}) gives the hierarchy and whose {@code num_events} is DIVA's count. Regions:
 * {@code RECTANGLE_REGION} and {@code POLYGON_REGION} (points, evaluated as a polygon) and {@code INTERVAL_REGION}
 * (a range on x). A coordinate on an axis that is log but not biexponentially scaled ({@code is_x_parameter_log}
 * true, {@code is_x_parameter_scaled} false) is written as log10 of the value and read back as 10^v; any other is
 * in data units. Fluorescence values are compensated with the file's own spillover, which DIVA writes from the
 * experiment's matrix. Population paths drop DIVA's root, {@code All Events}.
 */
final class DivaReader {
  private static final String ROOT = "All Events";

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
        gates.add(region(g, region, path, parent));
      } catch (IllegalArgumentException e) {
        throw new WorkspaceException(
            "Cannot read " + where + ", gate '" + path + "': " + e.getMessage(), e);
      }
    }
    GatingStrategy strategy;
    try {
      strategy = GatingStrategy.of(gates, List.of(), List.of());
    } catch (IllegalArgumentException e) {
      throw new WorkspaceException("Cannot read " + where + ": " + e.getMessage(), e);
    }
    return new WorkspaceSample(name, name, file, events, strategy, counts, null, Map.of());
  }

  private static Gate region(Element g, Element region, String path, String parent) {
    String type = region.getAttribute("type");
    boolean xLog10 =
        "true".equals(Xml.text(g, "is_x_parameter_log"))
            && !"true".equals(Xml.text(g, "is_x_parameter_scaled"));
    boolean yLog10 =
        "true".equals(Xml.text(g, "is_y_parameter_log"))
            && !"true".equals(Xml.text(g, "is_y_parameter_scaled"));
    List<Element> pts = Xml.children(Xml.child(region, "points"), "point");
    double[] x = new double[pts.size()];
    double[] y = new double[pts.size()];
    for (int i = 0; i < pts.size(); i++) {
      x[i] = Xml.doubleAttr(pts.get(i), "x", Double.NaN);
      y[i] = Xml.doubleAttr(pts.get(i), "y", Double.NaN);
      if (xLog10) {
        x[i] = Math.pow(10, x[i]);
      }
      if (yLog10) {
        y[i] = Math.pow(10, y[i]);
      }
    }
    Dimension dx = Dimension.fcs(region.getAttribute("xparm"), null, Dimension.FCS);
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
              List.of(dx, Dimension.fcs(region.getAttribute("yparm"), null, Dimension.FCS)),
              x,
              y);
      default -> throw new IllegalArgumentException("unknown region type '" + type + "'");
    };
  }
}
