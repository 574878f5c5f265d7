package org.cytolake.gating;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cytolake.cytometry.transform.Asinh;
import org.cytolake.cytometry.transform.Hyperlog;
import org.cytolake.cytometry.transform.Linear;
import org.cytolake.cytometry.transform.Log;
import org.cytolake.cytometry.transform.Logicle;
import org.cytolake.cytometry.transform.Transform;

/**
 * Writes a {@link GatingStrategy} as a Gating-ML 2.0 document that {@link GatingMlReader} reads back into an equal
 * strategy: transformations (flin, flog, fasinh, logicle, hyperlog, fratio, with bounds), spectrum matrices, and
 * rectangle, polygon, ellipsoid, quadrant and Boolean gates. Numbers are written with {@link Double#toString}, so
 * they round-trip exactly; an open rectangle limit is left out.
 */
public final class GatingMlWriter {
  private static final String G = "gating:";
  private static final String T = "transforms:";
  private static final String D = "data-type:";

  private GatingMlWriter() {}

  /** Writes the document to a file (UTF-8). */
  public static void write(GatingStrategy s, Path file) throws IOException {
    Files.writeString(file, toXml(s), StandardCharsets.UTF_8);
  }

  /**
   * What the document cannot say: one line per data-adaptive limit ({@link
   * RectangleGate#auto}), which Gating-ML 2.0 has no form for, so its fixed fallback is written.
   * {@link #toXml} writes each as a comment before its gate.
   */
  public static List<String> adaptiveWarnings(GatingStrategy s) {
    List<String> out = new ArrayList<>();
    for (Gate g : s.gates().values()) {
      if (g instanceof RectangleGate r) {
        out.addAll(adaptiveWarnings(r));
      }
    }
    return out;
  }

  private static List<String> adaptiveWarnings(RectangleGate r) {
    List<String> out = new ArrayList<>();
    for (RectangleGate.AutoLimit a : r.auto()) {
      out.add(
          "gate '"
              + r.id()
              + "' "
              + a.side()
              + " on '"
              + r.dimensions().get(a.dimension()).label()
              + "' is found per sample ("
              + a.spec().describe()
              + "); Gating-ML has no such limit: its fallback "
              + num(a.spec().fallback())
              + " is written");
    }
    return out;
  }

  /** Whether a scale transform has a Gating-ML 2.0 form (flin, flog, fasinh, logicle, hyperlog). */
  public static boolean writable(Transform x) {
    return x instanceof Linear
        || x instanceof Log
        || x instanceof Asinh
        || x instanceof Logicle
        || x instanceof Hyperlog;
  }

  /** The document as text. */
  public static String toXml(GatingStrategy s) {
    StringBuilder b = new StringBuilder();
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<gating:Gating-ML")
        .append(" xmlns:gating=\"http://www.isac-net.org/std/Gating-ML/v2.0/gating\"")
        .append(" xmlns:transforms=\"http://www.isac-net.org/std/Gating-ML/v2.0/transformations\"")
        .append(" xmlns:data-type=\"http://www.isac-net.org/std/Gating-ML/v2.0/datatypes\">\n");
    s.transformations().values().forEach(t -> transformation(b, t));
    s.spectrumMatrices().values().forEach(m -> matrix(b, m));
    s.gates().values().forEach(g -> gate(b, g));
    return b.append("</gating:Gating-ML>\n").toString();
  }

  private static void transformation(StringBuilder b, Transformation t) {
    b.append(" <").append(T).append("transformation ").append(T).append("id=").append(q(t.id()));
    if (t.boundMin() != Double.NEGATIVE_INFINITY) {
      b.append(' ').append(T).append("boundMin=").append(q(num(t.boundMin())));
    }
    if (t.boundMax() != Double.POSITIVE_INFINITY) {
      b.append(' ').append(T).append("boundMax=").append(q(num(t.boundMax())));
    }
    b.append(">\n  <").append(T).append(t.type());
    if (t.ratio() != null) {
      Ratio r = t.ratio();
      params(b, "A", r.A(), "B", r.B(), "C", r.C());
      b.append(">\n");
      fcs(b, "   ", r.numerator());
      fcs(b, "   ", r.denominator());
      b.append("  </").append(T).append("fratio>\n");
    } else {
      Transform x = t.scale();
      if (x instanceof Linear l) {
        params(b, "T", l.T(), "A", l.A());
      } else if (x instanceof Log l) {
        params(b, "T", l.T(), "M", l.M());
      } else if (x instanceof Asinh a) {
        params(b, "T", a.T(), "M", a.M(), "A", a.A());
      } else if (x instanceof Logicle l) {
        params(b, "T", l.T(), "W", l.W(), "M", l.M(), "A", l.A());
      } else if (x instanceof Hyperlog h) {
        params(b, "T", h.T(), "W", h.W(), "M", h.M(), "A", h.A());
      } else {
        throw new IllegalArgumentException(
            "Cannot write transformation '"
                + t.id()
                + "' as Gating-ML 2.0: "
                + x.id()
                + " has no Gating-ML form");
      }
      b.append("/>\n");
    }
    b.append(" </").append(T).append("transformation>\n");
  }

  private static void params(StringBuilder b, Object... kv) {
    for (int i = 0; i < kv.length; i += 2) {
      b.append(' ').append(T).append(kv[i]).append('=').append(q(num((Double) kv[i + 1])));
    }
  }

  private static void matrix(StringBuilder b, SpectrumMatrix m) {
    b.append(" <").append(T).append("spectrumMatrix ").append(T).append("id=").append(q(m.id()));
    if (m.invertedAlready()) {
      b.append(' ').append(T).append("matrix-inverted-already=\"true\"");
    }
    b.append(">\n  <").append(T).append("fluorochromes>\n");
    m.fluorochromes().forEach(f -> fcs(b, "   ", f));
    b.append("  </").append(T).append("fluorochromes>\n  <").append(T).append("detectors>\n");
    m.detectors().forEach(d -> fcs(b, "   ", d));
    b.append("  </").append(T).append("detectors>\n");
    for (double[] row : m.coefficients()) {
      b.append("  <").append(T).append("spectrum>");
      for (double v : row) {
        b.append('<')
            .append(T)
            .append("coefficient ")
            .append(T)
            .append("value=")
            .append(q(num(v)))
            .append("/>");
      }
      b.append("</").append(T).append("spectrum>\n");
    }
    b.append(" </").append(T).append("spectrumMatrix>\n");
  }

  private static void fcs(StringBuilder b, String indent, String name) {
    b.append(indent)
        .append('<')
        .append(D)
        .append("fcs-dimension ")
        .append(D)
        .append("name=")
        .append(q(name))
        .append("/>\n");
  }

  private static void open(StringBuilder b, String kind, Gate g) {
    b.append(" <").append(G).append(kind).append(' ').append(G).append("id=").append(q(g.id()));
    if (g.parentId() != null) {
      b.append(' ').append(G).append("parent_id=").append(q(g.parentId()));
    }
    b.append(">\n");
  }

  private static void dimension(StringBuilder b, Dimension d, String limits) {
    b.append("  <")
        .append(G)
        .append("dimension ")
        .append(G)
        .append("compensation-ref=")
        .append(q(d.compensationRef()));
    if (d.transformationRef() != null) {
      b.append(' ').append(G).append("transformation-ref=").append(q(d.transformationRef()));
    }
    b.append(limits).append(">");
    dimensionRef(b, d);
    b.append("</").append(G).append("dimension>\n");
  }

  /** The fcs-dimension or new-dimension element of a dimension. */
  private static void dimensionRef(StringBuilder b, Dimension d) {
    if (d.isDerived()) {
      b.append('<')
          .append(D)
          .append("new-dimension ")
          .append(D)
          .append("transformation-ref=")
          .append(q(d.ratioRef()))
          .append("/>");
    } else {
      b.append('<')
          .append(D)
          .append("fcs-dimension ")
          .append(D)
          .append("name=")
          .append(q(d.name()))
          .append("/>");
    }
  }

  private static void coordinates(StringBuilder b, String tag, double... values) {
    b.append('<').append(G).append(tag).append('>');
    for (double v : values) {
      b.append('<')
          .append(G)
          .append("coordinate ")
          .append(D)
          .append("value=")
          .append(q(num(v)))
          .append("/>");
    }
    b.append("</").append(G).append(tag).append(">");
  }

  private static void gate(StringBuilder b, Gate g) {
    if (g instanceof RectangleGate r) {
      for (String w : adaptiveWarnings(r)) {
        b.append(" <!-- ").append(w.replace("--", "- -")).append(" -->\n");
      }
      open(b, "RectangleGate", r);
      double[] min = r.min();
      double[] max = r.max();
      for (int i = 0; i < min.length; i++) {
        String lim =
            (min[i] == Double.NEGATIVE_INFINITY ? "" : " " + G + "min=" + q(num(min[i])))
                + (max[i] == Double.POSITIVE_INFINITY ? "" : " " + G + "max=" + q(num(max[i])));
        dimension(b, r.dimensions().get(i), lim);
      }
      b.append(" </").append(G).append("RectangleGate>\n");
    } else if (g instanceof PolygonGate p) {
      open(b, "PolygonGate", p);
      p.dimensions().forEach(d -> dimension(b, d, ""));
      double[] x = p.x();
      double[] y = p.y();
      for (int i = 0; i < x.length; i++) {
        b.append("  ");
        coordinates(b, "vertex", x[i], y[i]);
        b.append('\n');
      }
      b.append(" </").append(G).append("PolygonGate>\n");
    } else if (g instanceof EllipsoidGate e) {
      open(b, "EllipsoidGate", e);
      e.dimensions().forEach(d -> dimension(b, d, ""));
      b.append("  ");
      coordinates(b, "mean", e.mean());
      b.append("\n  <").append(G).append("covarianceMatrix>");
      for (double[] row : e.covariance()) {
        b.append('<').append(G).append("row>");
        for (double v : row) {
          b.append('<')
              .append(G)
              .append("entry ")
              .append(D)
              .append("value=")
              .append(q(num(v)))
              .append("/>");
        }
        b.append("</").append(G).append("row>");
      }
      b.append("</")
          .append(G)
          .append("covarianceMatrix>\n  <")
          .append(G)
          .append("distanceSquare ")
          .append(D)
          .append("value=")
          .append(q(num(e.distanceSquare())))
          .append("/>\n");
      b.append(" </").append(G).append("EllipsoidGate>\n");
    } else if (g instanceof QuadrantGate qg) {
      open(b, "QuadrantGate", qg);
      for (QuadrantGate.Divider d : qg.dividers()) {
        b.append("  <")
            .append(G)
            .append("divider ")
            .append(G)
            .append("id=")
            .append(q(d.id()))
            .append(' ')
            .append(G)
            .append("compensation-ref=")
            .append(q(d.dimension().compensationRef()));
        if (d.dimension().transformationRef() != null) {
          b.append(' ')
              .append(G)
              .append("transformation-ref=")
              .append(q(d.dimension().transformationRef()));
        }
        b.append(">");
        dimensionRef(b, d.dimension());
        for (double v : d.values()) {
          b.append('<')
              .append(G)
              .append("value>")
              .append(num(v))
              .append("</")
              .append(G)
              .append("value>");
        }
        b.append("</").append(G).append("divider>\n");
      }
      for (QuadrantGate.Quadrant quad : qg.quadrants()) {
        b.append("  <")
            .append(G)
            .append("Quadrant ")
            .append(G)
            .append("id=")
            .append(q(quad.id()))
            .append('>');
        quad.positions()
            .forEach(
                (ref, loc) ->
                    b.append('<')
                        .append(G)
                        .append("position ")
                        .append(G)
                        .append("divider_ref=")
                        .append(q(ref))
                        .append(' ')
                        .append(G)
                        .append("location=")
                        .append(q(num(loc)))
                        .append("/>"));
        b.append("</").append(G).append("Quadrant>\n");
      }
      b.append(" </").append(G).append("QuadrantGate>\n");
    } else if (g instanceof BooleanGate bg) {
      open(b, "BooleanGate", bg);
      String op = bg.operator().name().toLowerCase(java.util.Locale.ROOT);
      b.append("  <").append(G).append(op).append('>');
      List<BooleanGate.Reference> refs = bg.references();
      for (BooleanGate.Reference r : refs) {
        b.append('<')
            .append(G)
            .append("gateReference ")
            .append(G)
            .append("ref=")
            .append(q(r.ref()));
        if (r.complement()) {
          b.append(' ').append(G).append("use-as-complement=\"true\"");
        }
        b.append("/>");
      }
      b.append("</").append(G).append(op).append(">\n");
      b.append(" </").append(G).append("BooleanGate>\n");
    }
  }

  private static String num(double v) {
    return Double.toString(v);
  }

  private static String q(String s) {
    return '"'
        + s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        + '"';
  }
}
