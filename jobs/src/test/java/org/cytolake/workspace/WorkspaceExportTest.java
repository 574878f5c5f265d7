package org.cytolake.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.GateEvaluator;
import org.cytolake.gating.GatingMlReader;
import org.cytolake.gating.GatingMlWriter;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/** A workspace sample's strategy exported as Gating-ML 2.0 and read back gates as FlowJo did. */
class WorkspaceExportTest {

  private static GatingStrategy reread(GatingStrategy s) throws Exception {
    String xml = GatingMlWriter.toXml(s);
    return GatingMlReader.read(
        new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "written");
  }

  @Test
  void flowJoWorkspaceStrategyRoundTrips() throws Exception {
    Path d = SharedData.sharedOrSkip("real/flowjo/flowkit/simple_line_example");
    Workspace ws = WorkspaceReader.read(d.resolve("single_ellipse_51_events.wsp"));
    GatingStrategy s = ws.samples().get(0).strategy();
    GatingStrategy back = reread(s);
    EventTable events = EventTable.read(d.resolve("data_set_simple_line_100.fcs"));
    assertEquals(51, GateEvaluator.evaluate(back, events).count("ellipse1"));
  }
}
