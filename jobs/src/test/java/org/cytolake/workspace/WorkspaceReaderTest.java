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

  /**
   * A FlowJo group's gating template: sample 1 has no gates and is in group G, whose template is
   * R = 10 <= A < 100 with child "B lo" = B < 5; sample 2 is in G too but has its own gate; sample
   * 3 is in no group with a template and keeps none.
   */
  @Test
  void aSampleWithoutGatesTakesItsGroupsTemplate() throws Exception {
    String text =
        """
        <Workspace version="20.0" flowJoVersion="10.6.2"
            xmlns:gating="g" xmlns:transforms="t" xmlns:data-type="d">
         <Groups>
          <GroupNode name="All Samples"><Group><SampleRefs>
           <SampleRef sampleID="1"/><SampleRef sampleID="2"/><SampleRef sampleID="3"/>
          </SampleRefs></Group></GroupNode>
          <GroupNode name="G"><Subpopulations>
            <Population name="R" count="-1"><Gate gating:id="t1">
             <gating:RectangleGate eventsInside="1" gating:id="t1">
              <gating:dimension gating:min="10" gating:max="100">
               <data-type:fcs-dimension data-type:name="A"/></gating:dimension>
             </gating:RectangleGate></Gate>
             <Subpopulations>
              <Population name="B lo" count="-1"><Gate gating:id="t2">
               <gating:RectangleGate eventsInside="1" gating:id="t2">
                <gating:dimension gating:max="5">
                 <data-type:fcs-dimension data-type:name="B"/></gating:dimension>
               </gating:RectangleGate></Gate></Population>
             </Subpopulations>
            </Population>
           </Subpopulations>
           <Group><SampleRefs><SampleRef sampleID="1"/><SampleRef sampleID="2"/></SampleRefs></Group>
          </GroupNode>
         </Groups>
         <SampleList>
          <Sample><DataSet uri="file:/x/one.fcs" sampleID="1"/>
           <SampleNode name="one.fcs" count="6" sampleID="1"/></Sample>
          <Sample><DataSet uri="file:/x/two.fcs" sampleID="2"/>
           <SampleNode name="two.fcs" count="6" sampleID="2"><Subpopulations>
            <Population name="Own" count="1"><Gate gating:id="o1">
             <gating:RectangleGate eventsInside="1" gating:id="o1">
              <gating:dimension gating:min="100">
               <data-type:fcs-dimension data-type:name="A"/></gating:dimension>
             </gating:RectangleGate></Gate></Population>
           </Subpopulations></SampleNode></Sample>
          <Sample><DataSet uri="file:/x/three.fcs" sampleID="3"/>
           <SampleNode name="three.fcs" count="6" sampleID="3"/></Sample>
         </SampleList>
        </Workspace>
        """;
    Workspace ws = read(text);
    EventTable t =
        new EventTable(
            "one.fcs",
            List.of("A", "B"),
            6,
            new double[] {5, 0, 20, 1, 50, 7, 200, 50, 150, 2, 30, 9},
            null);
    WorkspaceSample one = ws.sample("1").orElseThrow();
    assertEquals(List.of("G"), one.templateGroups());
    assertEquals(List.of("R", "R/B lo"), one.strategy().populations());
    assertEquals(java.util.Map.of(), one.storedCounts());
    var counts = WorkspaceGating.counts(one, t);
    assertEquals(3, counts.get("R"));
    assertEquals(1, counts.get("R/B lo"));
    WorkspaceSample two = ws.sample("2").orElseThrow();
    assertEquals(List.of(), two.templateGroups());
    assertEquals(List.of("Own"), two.strategy().populations());
    WorkspaceSample three = ws.sample("3").orElseThrow();
    assertEquals(List.of(), three.strategy().populations());
  }

  /**
   * The workspace's text with the populations of sample {@code id}'s {@code <SampleNode>} taken out
   * (FlowJo 10: its {@code <Subpopulations>}; FlowJo 9: its {@code <Population>}s).
   */
  private static String withoutOwnGates(String text, String id, boolean v10) {
    int node = text.indexOf("<SampleNode", text.indexOf("<SampleList"));
    while (!text.substring(node, text.indexOf(">", node)).contains("sampleID=\"" + id + "\"")) {
      node = text.indexOf("<SampleNode", node + 1);
    }
    int head = text.indexOf(">", node) + 1;
    int close = text.indexOf("</SampleNode>", head);
    String open = v10 ? "<Subpopulations" : "<Population";
    String end = v10 ? "</Subpopulations>" : "</Population>";
    int a = text.indexOf(open, head);
    int b = text.lastIndexOf(end, close) + end.length();
    assertTrue(a > head && b > a && b <= close, "no gates under sample " + id);
    return text.substring(0, a) + text.substring(b);
  }

  /**
   * The shared workspaces' group templates: FlowJo 9.2 A2004's "All Samples" and FlowKit
   * 8_color_ICS's "DEN" hold the same gates as their samples' own trees, so a sample whose own tree
   * is taken out gates as before: A2004 sample 2 with the counts of the parity table on its file,
   * each 8-colour sample with the same Gating-ML.
   */
  @Test
  void theSharedGroupTemplatesGateAsTheSamplesOwnTrees() throws Exception {
    Path a = org.cytolake.testing.SharedData.sharedOrSkip("real/flowjo/fj92-a2004");
    String text = Files.readString(a.resolve("A2004Analysis.xml"));
    WorkspaceSample own =
        WorkspaceReader.read(a.resolve("A2004Analysis.xml")).sample("2").orElseThrow();
    WorkspaceSample fromGroup = read(withoutOwnGates(text, "2", false)).sample("2").orElseThrow();
    assertEquals(List.of("All Samples"), fromGroup.templateGroups());
    assertEquals(19, fromGroup.strategy().populations().size());
    EventTable events = EventTable.read(a.resolve("a2004_O1T2pb05i_A2_A02.fcs"));
    var counts = WorkspaceGating.counts(fromGroup, events);
    System.out.println("A2004 sample 2 from the All Samples template: " + counts);
    assertEquals(WorkspaceGating.counts(own, events), counts);
    assertEquals(34_431, counts.get("Live"));
    assertEquals(1_812, counts.get("Live/Monocytes"));

    Path k = org.cytolake.testing.SharedData.sharedOrSkip("real/flowjo/flowkit/8_color_data_set");
    String ics = Files.readString(k.resolve("8_color_ICS.wsp"));
    Workspace ws = WorkspaceReader.read(k.resolve("8_color_ICS.wsp"));
    for (String id : List.of("1", "2", "3")) {
      WorkspaceSample g = read(withoutOwnGates(ics, id, true)).sample(id).orElseThrow();
      assertEquals(List.of("DEN"), g.templateGroups(), id);
      assertEquals(
          org.cytolake.gating.GatingMlWriter.toXml(ws.sample(id).orElseThrow().strategy()),
          org.cytolake.gating.GatingMlWriter.toXml(g.strategy()),
          id);
    }
  }
}
