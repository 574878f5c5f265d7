package org.cytolake.gating;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Small Gating-ML documents and event tables written by the tests themselves. */
final class GatingTestSupport {
  private GatingTestSupport() {}

  static final String HEAD =
      "<gating:Gating-ML"
          + " xmlns:gating=\"http://www.isac-net.org/std/Gating-ML/v2.0/gating\""
          + " xmlns:transforms=\"http://www.isac-net.org/std/Gating-ML/v2.0/transformations\""
          + " xmlns:data-type=\"http://www.isac-net.org/std/Gating-ML/v2.0/datatypes\">";
  static final String TAIL = "</gating:Gating-ML>";

  /** A document of these top-level elements. */
  static GatingStrategy parse(String body) throws GatingMlException {
    try {
      return GatingMlReader.read(
          new ByteArrayInputStream((HEAD + body + TAIL).getBytes(StandardCharsets.UTF_8)),
          "test.xml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A gating:dimension on an FCS channel. */
  static String dim(String name, String attrs) {
    return "<gating:dimension gating:compensation-ref=\"uncompensated\" "
        + attrs
        + ">"
        + "<data-type:fcs-dimension data-type:name=\""
        + name
        + "\"/></gating:dimension>";
  }

  static String vertex(double x, double y) {
    return "<gating:vertex><gating:coordinate data-type:value=\""
        + x
        + "\"/>"
        + "<gating:coordinate data-type:value=\""
        + y
        + "\"/></gating:vertex>";
  }

  /** A polygon gate on channels x and y through the vertices (x0, y0), (x1, y1), .... */
  static String polygon(String id, double... xy) {
    StringBuilder b =
        new StringBuilder("<gating:PolygonGate gating:id=\"" + id + "\">")
            .append(dim("x", ""))
            .append(dim("y", ""));
    for (int i = 0; i < xy.length; i += 2) {
      b.append(vertex(xy[i], xy[i + 1]));
    }
    return b.append("</gating:PolygonGate>").toString();
  }

  /** Events with channels x and y, given as (x, y) pairs. */
  static EventTable xy(double... pairs) {
    return new EventTable("test.fcs", List.of("x", "y"), pairs.length / 2, pairs.clone(), null);
  }

  /** The 0/1 membership of a population, as a string of one digit per event. */
  static String bits(GatingResult r, String population) {
    StringBuilder sb = new StringBuilder();
    for (int e = 0; e < r.events(); e++) {
      sb.append(r.contains(population, e) ? '1' : '0');
    }
    return sb.toString();
  }
}
