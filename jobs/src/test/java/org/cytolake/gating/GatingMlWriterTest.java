package org.cytolake.gating;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * Round trips through {@link GatingMlWriter}: the five Gating-ML 2.0 compliance documents (every gate and
 * transformation type) written and read back give the same document again and the same counts.
 */
class GatingMlWriterTest {

  private static GatingStrategy reread(GatingStrategy s) throws Exception {
    String xml = GatingMlWriter.toXml(s);
    return GatingMlReader.read(
        new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "written");
  }

  @Test
  void complianceDocumentsRoundTrip() throws Exception {
    Path dir = SharedData.sharedOrSkip("gatingml2-compliance/isac-gml2");
    List<EventTable> files =
        List.of(
            EventTable.read(dir.resolve("FCSFiles/data1.fcs")),
            EventTable.read(dir.resolve("FCSFiles/data2.fcs")),
            EventTable.read(dir.resolve("FCSFiles/9399_1_3_NKR.fcs")));
    int compared = 0;
    for (String f : List.of("gates1.xml", "gates2.xml", "gates3.xml", "gates4.xml", "gates5.xml")) {
      GatingStrategy s = GatingMlReader.read(dir.resolve("Gating-MLFiles/" + f));
      GatingStrategy back = reread(s);
      assertEquals(GatingMlWriter.toXml(s), GatingMlWriter.toXml(back), f);
      assertEquals(s.populations(), back.populations(), f);
      for (EventTable events : files) {
        GatingResult a;
        try {
          a = GateEvaluator.evaluate(s, events);
        } catch (IllegalArgumentException notThisFile) {
          continue;
        }
        GatingResult b = GateEvaluator.evaluate(back, events);
        for (String p : s.populations()) {
          assertEquals(a.count(p), b.count(p), f + " " + p);
        }
        compared++;
        break;
      }
    }
    assertEquals(5, compared);
  }
}
