package org.cytolake.gating;

import static org.cytolake.gating.GatingTestSupport.bits;
import static org.cytolake.gating.GatingTestSupport.dim;
import static org.cytolake.gating.GatingTestSupport.parse;
import static org.cytolake.gating.GatingTestSupport.polygon;
import static org.cytolake.gating.GatingTestSupport.xy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import org.cytolake.fcs.Spillover;
import org.junit.jupiter.api.Test;

/** Boundary semantics of every gate type, Boolean gates and parent chaining, on events written here. */
class GateSemanticsTest {

  @Test
  void rectangleRangesAreMinInclusiveMaxExclusive() throws Exception {
    GatingStrategy s =
        parse(
            "<gating:RectangleGate gating:id=\"R\">"
                + dim("x", "gating:min=\"1\" gating:max=\"2\"")
                + "</gating:RectangleGate>");
    GatingResult r = GateFcs.apply(s, xy(0.999, 0, 1, 0, 1.5, 0, 1.9999, 0, 2, 0, Double.NaN, 0));
    assertEquals("011100", bits(r, "R"));
  }

  @Test
  void rectangleOpenRangesAndNonFiniteValues() throws Exception {
    GatingStrategy s =
        parse(
            "<gating:RectangleGate gating:id=\"Lo\">"
                + dim("x", "gating:max=\"2\"")
                + "</gating:RectangleGate><gating:RectangleGate gating:id=\"Hi\">"
                + dim("x", "gating:min=\"2\"")
                + "</gating:RectangleGate>");
    GatingResult r =
        GateFcs.apply(
            s, xy(Double.NEGATIVE_INFINITY, 0, 1, 0, 2, 0, 1e300, 0, Double.POSITIVE_INFINITY, 0));
    assertEquals("11000", bits(r, "Lo"));
    // an open max is +infinity, exclusive: +infinity itself is outside
    assertEquals("00110", bits(r, "Hi"));
  }

  @Test
  void rectangleNeedsEveryDimension() throws Exception {
    GatingStrategy s =
        parse(
            "<gating:RectangleGate gating:id=\"R\">"
                + dim("x", "gating:min=\"0\" gating:max=\"1\"")
                + dim("y", "gating:min=\"0\" gating:max=\"1\"")
                + "</gating:RectangleGate>");
    assertEquals("1000", bits(GateFcs.apply(s, xy(0.5, 0.5, 0.5, 1, 1, 0.5, -1, -1)), "R"));
  }

  @Test
  void polygonEvenOddWithBoundaryInside() throws Exception {
    // a triangle (0,0) (4,0) (0,4): the edges and vertices are inside
    GatingStrategy s = parse(polygon("P", 0, 0, 4, 0, 0, 4));
    GatingResult r =
        GateFcs.apply(
            s, xy(1, 1, 2, 2, 0, 2, 2, 0, 0, 0, 4, 0, 3, 3, -1, 1, 1, -0.001, Double.NaN, 1));
    assertEquals("1111110000", bits(r, "P"));
  }

  @Test
  void selfIntersectingPolygonUsesTheEvenOddRule() throws Exception {
    // a bow tie: (0,0) (2,2) (2,0) (0,2); the two triangles are in, the points left and right of
    // the crossing out
    GatingStrategy s = parse(polygon("B", 0, 0, 2, 2, 2, 0, 0, 2));
    GatingResult r = GateFcs.apply(s, xy(0.2, 1, 1.8, 1, 1, 0.2, 1, 1.8));
    assertEquals("1100", bits(r, "B"));
  }

  @Test
  void ellipsoidBoundaryIsInside() throws Exception {
    // circle of radius 2 about (1, 1): covariance identity, distanceSquare 4
    GatingStrategy s =
        parse(
            "<gating:EllipsoidGate gating:id=\"E\">"
                + dim("x", "")
                + dim("y", "")
                + "<gating:mean><gating:coordinate data-type:value=\"1\"/><gating:coordinate data-type:value=\"1\"/>"
                + "</gating:mean><gating:covarianceMatrix>"
                + "<gating:row><gating:entry data-type:value=\"1\"/><gating:entry data-type:value=\"0\"/></gating:row>"
                + "<gating:row><gating:entry data-type:value=\"0\"/><gating:entry data-type:value=\"1\"/></gating:row>"
                + "</gating:covarianceMatrix><gating:distanceSquare data-type:value=\"4\"/></gating:EllipsoidGate>");
    GatingResult r = GateFcs.apply(s, xy(1, 1, 3, 1, 1, -1, 3.0001, 1, 2.5, 2.5));
    assertEquals("11100", bits(r, "E"));
  }

  @Test
  void quadrantsPartitionAtDividersMinInclusive() throws Exception {
    GatingStrategy s =
        parse(
            "<gating:QuadrantGate gating:id=\"Q\">"
                + "<gating:divider gating:id=\"dx\" gating:compensation-ref=\"uncompensated\">"
                + "<data-type:fcs-dimension data-type:name=\"x\"/><gating:value>1</gating:value><gating:value>3</gating:value>"
                + "</gating:divider>"
                + "<gating:divider gating:id=\"dy\" gating:compensation-ref=\"uncompensated\">"
                + "<data-type:fcs-dimension data-type:name=\"y\"/><gating:value>0</gating:value></gating:divider>"
                + quadrant("LowNeg", 0, -1)
                + quadrant("MidPos", 2, 5)
                + quadrant("HighAny", 10, Double.NaN)
                + "</gating:QuadrantGate>");
    assertEquals(List.of("LowNeg", "MidPos", "HighAny"), s.populations());
    GatingResult r =
        GateFcs.apply(
            s, xy(0.5, -1, 1, 0, 1, -0.1, 3, -5, 3, 5, 2.9, 0, Double.POSITIVE_INFINITY, 1));
    assertEquals("1000000", bits(r, "LowNeg"));
    assertEquals("0100010", bits(r, "MidPos"));
    // no position on dy: any y; +infinity is in no interval
    assertEquals("0001100", bits(r, "HighAny"));
  }

  private static String quadrant(String id, double x, double y) {
    return "<gating:Quadrant gating:id=\""
        + id
        + "\">"
        + "<gating:position gating:divider_ref=\"dx\" gating:location=\""
        + x
        + "\"/>"
        + (Double.isNaN(y)
            ? ""
            : "<gating:position gating:divider_ref=\"dy\" gating:location=\"" + y + "\"/>")
        + "</gating:Quadrant>";
  }

  @Test
  void booleanGatesAndComplements() throws Exception {
    String a =
        "<gating:RectangleGate gating:id=\"A\">"
            + dim("x", "gating:min=\"0\"")
            + "</gating:RectangleGate>";
    String b =
        "<gating:RectangleGate gating:id=\"B\">"
            + dim("y", "gating:min=\"0\"")
            + "</gating:RectangleGate>";
    GatingStrategy s =
        parse(
            a
                + b
                + bool("And", "and", "A", "B")
                + bool("Or", "or", "A", "B")
                + bool("Not", "not", "A")
                + bool("AndNotB", "and", "A", "B!")
                + bool("NotNot", "not", "A!")
                + bool("AndOfBoolean", "and", "Or", "Not"));
    GatingResult r = GateFcs.apply(s, xy(1, 1, 1, -1, -1, 1, -1, -1));
    assertEquals("1100", bits(r, "A"));
    assertEquals("1000", bits(r, "And"));
    assertEquals("1110", bits(r, "Or"));
    assertEquals("0011", bits(r, "Not"));
    assertEquals("0100", bits(r, "AndNotB"));
    assertEquals("1100", bits(r, "NotNot"));
    assertEquals("0010", bits(r, "AndOfBoolean"));
  }

  /** A Boolean gate; a reference ending in '!' is used as complement. */
  private static String bool(String id, String op, String... refs) {
    StringBuilder sb =
        new StringBuilder("<gating:BooleanGate gating:id=\"" + id + "\"><gating:" + op + ">");
    for (String ref : refs) {
      boolean c = ref.endsWith("!");
      sb.append("<gating:gateReference gating:ref=\"")
          .append(c ? ref.substring(0, ref.length() - 1) : ref)
          .append("\"")
          .append(c ? " gating:use-as-complement=\"true\"" : "")
          .append("/>");
    }
    return sb.append("</gating:").append(op).append("></gating:BooleanGate>").toString();
  }

  @Test
  void childrenAreAndedWithTheirParentsWhateverTheDocumentOrder() throws Exception {
    // the grandchild comes first in the document; each level narrows x
    GatingStrategy s =
        parse(
            "<gating:RectangleGate gating:id=\"C2\" gating:parent_id=\"C1\">"
                + dim("y", "gating:min=\"0\"")
                + "</gating:RectangleGate>"
                + "<gating:RectangleGate gating:id=\"C1\" gating:parent_id=\"Top\">"
                + dim("x", "gating:max=\"5\"")
                + "</gating:RectangleGate>"
                + "<gating:RectangleGate gating:id=\"Top\">"
                + dim("x", "gating:min=\"1\"")
                + "</gating:RectangleGate>");
    GatingResult r = GateFcs.apply(s, xy(0, 1, 2, 1, 2, -1, 6, 1));
    assertEquals("0111", bits(r, "Top"));
    assertEquals("0110", bits(r, "C1"));
    assertEquals("0100", bits(r, "C2"));
    for (String child : List.of("C1", "C2")) {
      BitSet c = r.events(child);
      c.andNot(r.events(s.parentOf(child).orElseThrow()));
      assertTrue(c.isEmpty(), child + " is a subset of its parent");
    }
  }

  @Test
  void transformsBoundsAndRatios() throws Exception {
    GatingStrategy s =
        parse(
            "<transforms:transformation transforms:id=\"lin\">"
                + "<transforms:flin transforms:T=\"10\" transforms:A=\"0\"/></transforms:transformation>"
                + "<transforms:transformation transforms:id=\"capped\" transforms:boundMax=\"0.5\">"
                + "<transforms:flin transforms:T=\"10\" transforms:A=\"0\"/></transforms:transformation>"
                + "<transforms:transformation transforms:id=\"ratio\">"
                + "<transforms:fratio transforms:A=\"2\" transforms:B=\"1\" transforms:C=\"0\">"
                + "<data-type:fcs-dimension data-type:name=\"x\"/><data-type:fcs-dimension data-type:name=\"y\"/>"
                + "</transforms:fratio></transforms:transformation>"
                + "<gating:RectangleGate gating:id=\"L\">"
                + dim("x", "gating:transformation-ref=\"lin\" gating:min=\"0.5\"")
                + "</gating:RectangleGate>"
                + "<gating:RectangleGate gating:id=\"Cap\">"
                + dim("x", "gating:transformation-ref=\"capped\" gating:min=\"0.5\"")
                + "</gating:RectangleGate>"
                + "<gating:RectangleGate gating:id=\"Rat\"><gating:dimension gating:min=\"4\" gating:max=\"5\">"
                + "<data-type:new-dimension data-type:transformation-ref=\"ratio\"/></gating:dimension>"
                + "</gating:RectangleGate>");
    // ratio 2 (x - 1) / y: event 1 gives 4, event 2 gives 18, event 3 gives 2 (y 0 gives infinity)
    GatingResult r = GateFcs.apply(s, xy(5, 2, 10, 1, 2, 1, 7, 0));
    assertEquals("1101", bits(r, "L"));
    // bounded at 0.5: values above the bound become 0.5, still ≥ min 0.5
    assertEquals("1101", bits(r, "Cap"));
    assertEquals("1000", bits(r, "Rat"));
  }

  @Test
  void compensationFromTheFileAndFromANonSquareSpectrumMatrix() throws Exception {
    // the file's spillover: 10% of x is seen in y; a true (10, 5) is observed as (10, 6)
    Spillover spill =
        new Spillover("$SPILLOVER", List.of("x", "y"), new double[][] {{1, 0.1}, {0, 1}});
    EventTable t =
        new EventTable("t.fcs", List.of("x", "y", "z"), 1, new double[] {10, 6, 3}, spill);
    // two fluorochromes on three detectors: observed = (2, 1) x S = (2*1 + 1*0, 2*1 + 1*1, 2*0 +
    // 1*1) = (2, 3, 1)
    EventTable u = new EventTable("u.fcs", List.of("x", "y", "z"), 1, new double[] {2, 3, 1}, null);
    String matrix =
        "<transforms:spectrumMatrix transforms:id=\"S\"><transforms:fluorochromes>"
            + "<data-type:fcs-dimension data-type:name=\"F1\"/><data-type:fcs-dimension data-type:name=\"F2\"/>"
            + "</transforms:fluorochromes><transforms:detectors>"
            + "<data-type:fcs-dimension data-type:name=\"x\"/><data-type:fcs-dimension data-type:name=\"y\"/>"
            + "<data-type:fcs-dimension data-type:name=\"z\"/></transforms:detectors>"
            + "<transforms:spectrum><transforms:coefficient transforms:value=\"1\"/>"
            + "<transforms:coefficient transforms:value=\"1\"/><transforms:coefficient transforms:value=\"0\"/>"
            + "</transforms:spectrum><transforms:spectrum><transforms:coefficient transforms:value=\"0\"/>"
            + "<transforms:coefficient transforms:value=\"1\"/><transforms:coefficient transforms:value=\"1\"/>"
            + "</transforms:spectrum></transforms:spectrumMatrix>";
    GatingStrategy s =
        parse(
            matrix
                + "<gating:RectangleGate gating:id=\"Y\"><gating:dimension gating:compensation-ref=\"FCS\""
                + " gating:min=\"4.999\" gating:max=\"5.001\"><data-type:fcs-dimension data-type:name=\"y\"/>"
                + "</gating:dimension></gating:RectangleGate>"
                + "<gating:RectangleGate gating:id=\"F\"><gating:dimension gating:compensation-ref=\"S\""
                + " gating:min=\"1.999\" gating:max=\"2.001\"><data-type:fcs-dimension data-type:name=\"F1\"/>"
                + "</gating:dimension><gating:dimension gating:compensation-ref=\"S\""
                + " gating:min=\"0.999\" gating:max=\"1.001\"><data-type:fcs-dimension data-type:name=\"F2\"/>"
                + "</gating:dimension></gating:RectangleGate>");
    assertEquals("1", bits(GateFcs.apply(s, t), "Y"));
    assertEquals("1", bits(GateFcs.apply(s, u), "F"));
  }
}
