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
}
