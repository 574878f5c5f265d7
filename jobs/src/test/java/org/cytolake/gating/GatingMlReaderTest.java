package org.cytolake.gating;

import static org.cytolake.gating.GatingTestSupport.dim;
import static org.cytolake.gating.GatingTestSupport.parse;
import static org.cytolake.gating.GatingTestSupport.xy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the reader builds, and how it reports a bad document: every problem, with element and gate id. */
class GatingMlReaderTest {

  @Test
  void readsGatesTransformsAndMatricesByLocalName() throws Exception {
    // other prefixes for the same namespaces are fine
    String doc =
        "<g:Gating-ML xmlns:g=\"http://www.isac-net.org/std/Gating-ML/v2.0/gating\""
            + " xmlns:t=\"http://www.isac-net.org/std/Gating-ML/v2.0/transformations\""
            + " xmlns:d=\"http://www.isac-net.org/std/Gating-ML/v2.0/datatypes\">"
            + "<t:transformation t:id=\"L\"><t:logicle t:T=\"262144\" t:W=\"0.5\" t:M=\"4.5\" t:A=\"0\"/>"
            + "</t:transformation>"
            + "<g:RectangleGate g:id=\"R\"><d:custom_info>ignored</d:custom_info>"
            + "<g:dimension g:compensation-ref=\"FCS\" g:transformation-ref=\"L\" g:min=\"0.2\">"
            + "<d:fcs-dimension d:name=\"CD4\"/></g:dimension></g:RectangleGate></g:Gating-ML>";
    GatingStrategy s =
        GatingMlReader.read(new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)), "t");
    RectangleGate r = (RectangleGate) s.gates().get("R");
    assertEquals(List.of(Dimension.fcs("CD4", "L", "FCS")), r.dimensions());
    assertEquals(0.2, r.min()[0]);
    assertEquals(Double.POSITIVE_INFINITY, r.max()[0]);
    assertEquals("logicle", s.transformations().get("L").type());
  }

  @Test
  void reportsEveryProblemWithElementAndGateId() {
    GatingMlException e =
        assertThrows(
            GatingMlException.class,
            () ->
                parse(
                    "<gating:RectangleGate gating:id=\"R1\">"
                        + dim("x", "gating:min=\"abc\"")
                        + "</gating:RectangleGate>"
                        + "<gating:PolygonGate gating:id=\"P1\">"
                        + dim("x", "")
                        + dim("y", "")
                        + "<gating:vertex><gating:coordinate data-type:value=\"1\"/></gating:vertex></gating:PolygonGate>"
                        + "<transforms:transformation transforms:id=\"T1\">"
                        + "<transforms:flog transforms:T=\"-1\" transforms:M=\"4\"/></transforms:transformation>"));
    String m = e.getMessage();
    assertTrue(m.startsWith("Cannot read Gating-ML file 'test.xml': "), m);
    assertTrue(m.contains("RectangleGate 'R1': gating:dimension min is not a number: 'abc'"), m);
    assertTrue(m.contains("PolygonGate 'P1': vertex 1 has 1 coordinates, not 2"), m);
    assertTrue(m.contains("transformation 'T1': Cannot create log transform"), m);
    assertEquals(3, e.problems().size(), m);
  }

  @Test
  void reportsDanglingReferencesAndCycles() {
    GatingMlException e =
        assertThrows(
            GatingMlException.class,
            () ->
                parse(
                    "<gating:RectangleGate gating:id=\"A\" gating:parent_id=\"Nope\">"
                        + dim("x", "gating:min=\"0\" gating:transformation-ref=\"Missing\"")
                        + "</gating:RectangleGate>"
                        + "<gating:RectangleGate gating:id=\"B\">"
                        + "<gating:dimension gating:compensation-ref=\"NoMatrix\" gating:min=\"0\">"
                        + "<data-type:fcs-dimension data-type:name=\"x\"/></gating:dimension></gating:RectangleGate>"
                        + "<gating:BooleanGate gating:id=\"C\"><gating:and><gating:gateReference gating:ref=\"A\"/>"
                        + "<gating:gateReference gating:ref=\"Ghost\"/></gating:and></gating:BooleanGate>"));
    String m = e.getMessage();
    assertTrue(m.contains("RectangleGate 'A' has parent_id 'Nope' which is no gate"), m);
    assertTrue(m.contains("RectangleGate 'A' dimension 'x' has transformation-ref 'Missing'"), m);
    assertTrue(m.contains("RectangleGate 'B' dimension 'x' has compensation-ref 'NoMatrix'"), m);
    assertTrue(m.contains("BooleanGate 'C' refers to gate 'Ghost' which does not exist"), m);

    GatingMlException cycle =
        assertThrows(
            GatingMlException.class,
            () ->
                parse(
                    "<gating:RectangleGate gating:id=\"A\" gating:parent_id=\"B\">"
                        + dim("x", "gating:min=\"0\"")
                        + "</gating:RectangleGate><gating:RectangleGate gating:id=\"B\" gating:parent_id=\"A\">"
                        + dim("x", "gating:min=\"0\"")
                        + "</gating:RectangleGate>"));
    assertTrue(cycle.getMessage().contains("cycle: A -> B -> A"), cycle.getMessage());
  }

  @Test
  void rejectsDuplicateIdsBadBooleansAndMalformedXml() {
    GatingMlException dup =
        assertThrows(
            GatingMlException.class,
            () ->
                parse(
                    "<gating:RectangleGate gating:id=\"A\">"
                        + dim("x", "gating:min=\"0\"")
                        + "</gating:RectangleGate>"
                        + "<gating:RectangleGate gating:id=\"A\">"
                        + dim("x", "gating:min=\"1\"")
                        + "</gating:RectangleGate>"));
    assertTrue(dup.getMessage().contains("gate id 'A' is used more than once"), dup.getMessage());

    GatingMlException not =
        assertThrows(
            GatingMlException.class,
            () ->
                parse(
                    "<gating:RectangleGate gating:id=\"A\">"
                        + dim("x", "gating:min=\"0\"")
                        + "</gating:RectangleGate>"
                        + "<gating:BooleanGate gating:id=\"N\"><gating:not><gating:gateReference gating:ref=\"A\"/>"
                        + "<gating:gateReference gating:ref=\"A\"/></gating:not></gating:BooleanGate>"));
    assertTrue(
        not.getMessage()
            .contains("BooleanGate 'N': Cannot create boolean gate 'N': not needs exactly 1"),
        not.getMessage());

    GatingMlException xml =
        assertThrows(
            GatingMlException.class,
            () ->
                GatingMlReader.read(
                    new ByteArrayInputStream("<gating:Gating-ML".getBytes(StandardCharsets.UTF_8)),
                    "broken.xml"));
    assertTrue(
        xml.getMessage()
            .startsWith("Cannot read Gating-ML file 'broken.xml': not well-formed XML at line 1"),
        xml.getMessage());

    GatingMlException root =
        assertThrows(
            GatingMlException.class,
            () ->
                GatingMlReader.read(
                    new ByteArrayInputStream("<svg/>".getBytes(StandardCharsets.UTF_8)), "x.xml"));
    assertTrue(
        root.getMessage().contains("the root element is <svg>, not <Gating-ML>"),
        root.getMessage());
  }

  @Test
  void reportsSingularMatricesAndIncompleteQuadrantsAtReadTime() {
    GatingMlException e =
        assertThrows(
            GatingMlException.class,
            () ->
                parse(
                    "<gating:EllipsoidGate gating:id=\"E\">"
                        + dim("x", "")
                        + dim("y", "")
                        + "<gating:mean><gating:coordinate data-type:value=\"0\"/><gating:coordinate data-type:value=\"0\"/>"
                        + "</gating:mean><gating:covarianceMatrix>"
                        + "<gating:row><gating:entry data-type:value=\"1\"/><gating:entry data-type:value=\"2\"/></gating:row>"
                        + "<gating:row><gating:entry data-type:value=\"2\"/><gating:entry data-type:value=\"4\"/></gating:row>"
                        + "</gating:covarianceMatrix><gating:distanceSquare data-type:value=\"1\"/></gating:EllipsoidGate>"
                        + "<gating:QuadrantGate gating:id=\"Q\"><gating:divider gating:id=\"d\">"
                        + "<data-type:fcs-dimension data-type:name=\"x\"/><gating:value>1</gating:value></gating:divider>"
                        + "<gating:Quadrant gating:id=\"Q1\"><gating:position gating:divider_ref=\"d\"/></gating:Quadrant>"
                        + "<gating:Quadrant gating:id=\"Q2\"><gating:position gating:divider_ref=\"other\""
                        + " gating:location=\"0\"/></gating:Quadrant></gating:QuadrantGate>"));
    String m = e.getMessage();
    assertTrue(
        m.contains(
            "EllipsoidGate 'E': Cannot use ellipsoid gate 'E': its covariance matrix is singular"),
        m);
    assertTrue(m.contains("Quadrant 'Q1' has a position on divider 'd' without a location"), m);
    assertTrue(
        m.contains("Quadrant 'Q2' has a position on divider 'other' which the gate does not have"),
        m);
  }

  @Test
  void refusesDoctypes() {
    String doc =
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
            + "<gating:Gating-ML xmlns:gating=\"g\">&e;</gating:Gating-ML>";
    assertThrows(
        GatingMlException.class,
        () ->
            GatingMlReader.read(
                new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)), "evil.xml"));
  }

  @Test
  void aChannelTheFileLacksIsNamed() throws Exception {
    GatingStrategy s =
        parse(
            "<gating:RectangleGate gating:id=\"R\">"
                + dim("CD99", "gating:min=\"0\"")
                + "</gating:RectangleGate>");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GateFcs.apply(s, xy(1, 1)));
    assertEquals(
        "Cannot apply gate 'R' to 'test.fcs': it has no channel 'CD99' (channels: x, y)",
        e.getMessage());
  }
}
