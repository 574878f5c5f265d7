package org.cytolake.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cytolake.gating.EventTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workspaces the test writes itself: the model read, and errors that name workspace, sample, gate and value. */
class WorkspaceReaderTest {
  @TempDir Path tmp;

  private static String wsp(String transform, String channel) {
    return """
        <Workspace version="20.0" flowJoVersion="10.6.2"
            xmlns:gating="g" xmlns:transforms="t" xmlns:data-type="d">
         <SampleList><Sample>
          <DataSet uri="file:/x/a%20b.fcs" sampleID="1"/>
          <Transformations>
           <transforms:TRANSFORM transforms:length="256" transforms:maxRange="262144"
               transforms:neg="0" transforms:width="-10" transforms:pos="4.5">
            <data-type:parameter data-type:name="A"/>
           </transforms:TRANSFORM>
          </Transformations>
          <SampleNode name="a b.fcs" count="4" sampleID="1"><Subpopulations>
           <Population name="R" count="2"><Gate gating:id="g1">
            <gating:RectangleGate gating:id="g1">
             <gating:dimension gating:min="10" gating:max="100">
              <data-type:fcs-dimension data-type:name="CHANNEL"/></gating:dimension>
            </gating:RectangleGate></Gate>
            <Subpopulations>
             <NotNode name="not R" count="0"><Dependents><Dependent name="R"/></Dependents></NotNode>
            </Subpopulations>
           </Population>
          </Subpopulations></SampleNode>
         </Sample></SampleList>
        </Workspace>
        """
        .replace("TRANSFORM", transform)
        .replace("CHANNEL", channel);
  }

  private Workspace read(String text) throws Exception {
    Path f = tmp.resolve("w.wsp");
    Files.writeString(f, text);
    return WorkspaceReader.read(f);
  }

  private static EventTable events() {
    return new EventTable(
        "a b.fcs", List.of("A", "B"), 4, new double[] {5, 0, 20, 0, 50, 0, 200, 0}, null);
  }

  @Test
  void readsHierarchyCountsAndBooleans() throws Exception {
    Workspace ws = read(wsp("biex", "A"));
    WorkspaceSample s = ws.samples().get(0);
    assertEquals("a b.fcs", s.fcsName());
    assertEquals(List.of("R", "R/not R"), s.strategy().populations());
    assertEquals(2L, s.storedCounts().get("R"));
    var counts = WorkspaceGating.counts(s, events());
    assertEquals(2, counts.get("R"));
    assertEquals(0, counts.get("R/not R"));
  }

  @Test
  void unknownTransformNamesWorkspaceSampleParameterAndValue() {
    WorkspaceException e = assertThrows(WorkspaceException.class, () -> read(wsp("miracle", "A")));
    String m = e.getMessage();
    assertTrue(
        m.contains("w.wsp") && m.contains("a b.fcs") && m.contains("'A'") && m.contains("miracle"),
        m);
  }

  @Test
  void gateOnMissingChannelNamesSampleGateAndChannel() throws Exception {
    WorkspaceSample s = read(wsp("biex", "Nope-A")).samples().get(0);
    WorkspaceException e =
        assertThrows(WorkspaceException.class, () -> WorkspaceGating.counts(s, events()));
    String m = e.getMessage();
    assertTrue(m.contains("a b.fcs") && m.contains("'R'") && m.contains("'Nope-A'"), m);
  }

  @Test
  void slashInChannelNameMatchesFlowJosUnderscore() throws Exception {
    WorkspaceSample s = read(wsp("biex", "A_B")).samples().get(0);
    EventTable t = new EventTable("f.fcs", List.of("A/B"), 2, new double[] {50, 500}, null);
    assertEquals(1, WorkspaceGating.counts(s, t).get("R"));
  }

  @Test
  void otherRootIsRefused() {
    WorkspaceException e = assertThrows(WorkspaceException.class, () -> read("<Gating-ML/>"));
    assertTrue(
        e.getMessage().contains("w.wsp") && e.getMessage().contains("Gating-ML"), e.getMessage());
  }

  @Test
  void divaBiexScaledCoordinatesAreDisplayChannelsOfDivasBiex() throws Exception {
    // An interval drawn from display channel 2,048 to the top on a biex-scaled log axis of scale
    // value 157.
    String xml =
        """
        <bdfacs version="Version 6.1.3"><experiment name="E"><specimen name="S"><tube name="T">
         <data_filename>t.fcs</data_filename>
         <instrument_settings><use_auto_biexp_scale>true</use_auto_biexp_scale>
          <parameter name="PE-A"><is_log>true</is_log><comp_biexp_scale>157</comp_biexp_scale>
           <manual_biexp_scale>0</manual_biexp_scale></parameter>
         </instrument_settings>
         <gates>
          <gate fullname="All Events" type="EventSource_Classifier"><num_events>3</num_events></gate>
          <gate fullname="All Events\\P1" type="Region_Classifier"><num_events>1</num_events>
           <parent>All Events</parent>
           <region xparm="PE-A" type="INTERVAL_REGION"><points>
            <point x="2048" y="0"/><point x="4096" y="0"/></points></region>
           <is_x_parameter_scaled>true</is_x_parameter_scaled><is_x_parameter_log>true</is_x_parameter_log>
           <x_parameter_scale_value>157</x_parameter_scale_value>
          </gate>
         </gates>
        </tube></specimen></experiment></bdfacs>
        """;
    Path f = tmp.resolve("diva.xml");
    Files.writeString(f, xml);
    WorkspaceSample s = WorkspaceReader.read(f).samples().get(0);
    // W = (4.5 - log10(262144 / 157)) / 2, as CytoML's generate_trans derives it.
    double w = (4.5 - Math.log10(262144.0 / 157)) / 2;
    assertEquals(w, DivaReader.biex(157).W(), 1e-12);
    assertEquals(0, DivaReader.biex(0).W());
    double middle = DivaReader.biex(157).inverse(0.5);
    EventTable t =
        new EventTable(
            "t.fcs", List.of("PE-A"), 3, new double[] {middle * 0.99, middle * 1.01, 3e5}, null);
    assertEquals(1, WorkspaceGating.counts(s, t).get("P1"));
  }

  @Test
  void calibrationTableEndsHoldValuesBeyondThem() {
    DisplayScale d = new DisplayScale("t", new double[] {0, 1, 2}, new double[] {-10, 0, 100});
    assertEquals(0, d.apply(-50));
    assertEquals(2, d.apply(1e6));
    assertEquals(1.5, d.apply(50), 1e-12);
    assertEquals(0.5, d.apply(-5), 1e-12);
  }

  /**
   * FlowJo 10's {@code eventsInside="0"}: the parent's events outside the shape. Events (A, B):
   * R = 10 <= A < 100 holds (20, 1), (50, 7), (30, 9); "B out" = R's events outside 0 <= B < 5 is
   * (50, 7) and (30, 9), not (200, 50), which is outside the shape but not in R; a top-level
   * outside gate "not R" is every event outside R.
   */
  @Test
  void anOutsideGateIsItsParentsEventsOutsideTheShape() throws Exception {
    String rect =
        """
        <gating:RectangleGate eventsInside="{in}" gating:id="{id}">
         <gating:dimension gating:min="{min}" gating:max="{max}">
          <data-type:fcs-dimension data-type:name="{ch}"/></gating:dimension>
        </gating:RectangleGate>""";
    String text =
        """
        <Workspace version="20.0" flowJoVersion="10.6.2"
            xmlns:gating="g" xmlns:transforms="t" xmlns:data-type="d">
         <SampleList><Sample>
          <DataSet uri="file:/x/o.fcs" sampleID="1"/>
          <SampleNode name="o.fcs" count="6" sampleID="1"><Subpopulations>
           <Population name="R" count="3"><Gate gating:id="g1">R_GATE</Gate>
            <Subpopulations>
             <Population name="B out" count="2"><Gate gating:id="g2">B_GATE</Gate></Population>
            </Subpopulations>
           </Population>
           <Population name="not R" count="3"><Gate gating:id="g3">NOT_R_GATE</Gate></Population>
          </Subpopulations></SampleNode>
         </Sample></SampleList>
        </Workspace>
        """
            .replace("R_GATE", gate(rect, "1", "g1", "10", "100", "A"))
            .replace("B_GATE", gate(rect, "0", "g2", "0", "5", "B"))
            .replace("NOT_R_GATE", gate(rect, "0", "g3", "10", "100", "A"));
    WorkspaceSample s = read(text).samples().get(0);
    EventTable t =
        new EventTable(
            "o.fcs",
            List.of("A", "B"),
            6,
            new double[] {5, 0, 20, 1, 50, 7, 200, 50, 150, 2, 30, 9},
            null);
    var counts = WorkspaceGating.counts(s, t);
    assertEquals(List.of("R", "R/B out", "not R"), List.copyOf(counts.keySet()));
    assertEquals(3, counts.get("R"));
    assertEquals(2, counts.get("R/B out"));
    assertEquals(3, counts.get("not R"));
    assertEquals(
        List.of(2, 5), WorkspaceGating.apply(s, t).events("R/B out").stream().boxed().toList());
    assertEquals(2L, s.storedCounts().get("R/B out"));
    // Gating-ML holds it: the helper shape and a Boolean not of it under the same parent
    var xml = org.cytolake.gating.GatingMlWriter.toXml(s.strategy());
    var back =
        org.cytolake.gating.GatingMlReader.read(
            new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            "written");
    var r = org.cytolake.gating.GateEvaluator.evaluate(back, t);
    assertEquals(2, r.count("R/B out"));
    assertEquals(3, r.count("not R"));
    assertEquals(List.of("R", "R/B out", "not R"), back.reportedPopulations());
  }

  private static String gate(
      String rect, String inside, String id, String min, String max, String channel) {
    return rect.replace("{in}", inside)
        .replace("{id}", id)
        .replace("{min}", min)
        .replace("{max}", max)
        .replace("{ch}", channel);
  }
}
