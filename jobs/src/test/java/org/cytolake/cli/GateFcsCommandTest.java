package org.cytolake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cytolake gate-fcs} on the Gating-ML compliance set 1 (data1.fcs, gates1.xml) and on bad inputs. */
class GateFcsCommandTest {

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = CytolakeCli.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void writesMembershipCsvAndJsonCounts(@TempDir Path tmp) throws Exception {
    Path dir = SharedData.sharedOrSkip("gatingml2-compliance/isac-gml2");
    Path xml = dir.resolve("Gating-MLFiles/gates1.xml");
    Path fcs = dir.resolve("FCSFiles/data1.fcs");
    Path csv = tmp.resolve("m.csv");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int rc =
        run(
            o,
            e,
            "gate-fcs",
            "--gating",
            xml.toString(),
            "--fcs",
            fcs.toString(),
            "--out",
            csv.toString(),
            "--json");
    assertEquals(0, rc, e.toString());
    JsonNode json = new ObjectMapper().readTree(o.toString());
    assertEquals(13367, json.get("events").asInt());
    assertEquals(440, json.get("counts").get("Range1").asInt());
    assertEquals(7361, json.get("counts").get("FL2P-FL4N").asInt()); // a quadrant is a population
    assertTrue(!json.get("counts").has("Quadrant1"), "a quadrant gate is not a population itself");

    List<String> lines = Files.readAllLines(csv);
    assertEquals(13368, lines.size());
    List<String> header = Arrays.asList(lines.get(0).split(","));
    int col = header.indexOf("Range1");
    List<String> truth =
        Files.readAllLines(dir.resolve("ExpectedResults/set_1/Results_Range1.txt"));
    for (int i = 0; i < truth.size(); i++) {
      assertEquals(truth.get(i).trim(), lines.get(i + 1).split(",")[col], "event " + i);
    }
  }

  @Test
  void acceptsTheCompactYamlForm(@TempDir Path tmp) throws Exception {
    Path dir = SharedData.sharedOrSkip("gatingml2-compliance/isac-gml2");
    Path yaml =
        Files.writeString(
            tmp.resolve("g.yaml"),
            "gates:\n  - {id: Range1, rectangle: [{dim: FSC-H, min: 100}]}\n  - {id: Out, not: Range1}\n");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    assertEquals(
        0,
        run(
            o,
            e,
            "gate-fcs",
            "--gating",
            yaml.toString(),
            "--fcs",
            dir.resolve("FCSFiles/data1.fcs").toString(),
            "--json"),
        e.toString());
    assertEquals(
        "{\"events\":13367,\"counts\":{\"Range1\":440,\"Out\":12927}}", o.toString().strip());
  }

  @Test
  void badGatingMlOrFcsExitsThreeWithOneLine(@TempDir Path tmp) throws Exception {
    Path dir = SharedData.sharedOrSkip("gatingml2-compliance/isac-gml2");
    Path fcs = dir.resolve("FCSFiles/data1.fcs");
    Path badXml = Files.writeString(tmp.resolve("bad.xml"), "<gating:Gating-ML");
    StringWriter e = new StringWriter();
    assertEquals(
        3,
        run(
            new StringWriter(),
            e,
            "gate-fcs",
            "--gating",
            badXml.toString(),
            "--fcs",
            fcs.toString()));
    assertTrue(
        e.toString().startsWith("Cannot read Gating-ML file '" + badXml + "': not well-formed XML"),
        e.toString());
    assertEquals(1, e.toString().strip().lines().count(), e.toString());

    Path badFcs = Files.write(tmp.resolve("bad.fcs"), Arrays.copyOf(Files.readAllBytes(fcs), 100));
    StringWriter e2 = new StringWriter();
    assertEquals(
        3,
        run(
            new StringWriter(),
            e2,
            "gate-fcs",
            "--gating",
            dir.resolve("Gating-MLFiles/gates1.xml").toString(),
            "--fcs",
            badFcs.toString()));
    assertTrue(e2.toString().startsWith("Cannot read FCS file '"), e2.toString());
    assertEquals(1, e2.toString().strip().lines().count(), e2.toString());

    // a document for other channels: exit 3, naming both files and the missing channel
    StringWriter e3 = new StringWriter();
    assertEquals(
        3,
        run(
            new StringWriter(),
            e3,
            "gate-fcs",
            "--gating",
            dir.resolve("Gating-MLFiles/gates2.xml").toString(),
            "--fcs",
            fcs.toString()));
    assertTrue(e3.toString().contains("it has no channel 'FITC-A'"), e3.toString());
  }

  @Test
  void workspacePrintsCountsByPopulationPath() throws Exception {
    Path d = SharedData.sharedOrSkip("real/flowjo/flowkit/simple_diamond_example");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int rc =
        run(
            o,
            e,
            "gate-fcs",
            "--workspace",
            d.resolve("simple_diamond_example_quad_gate.wsp").toString(),
            "--fcs",
            d.resolve("test_data_diamond_01.fcs").toString(),
            "--json");
    assertEquals(0, rc, e.toString());
    JsonNode j = new ObjectMapper().readTree(o.toString());
    assertEquals("test_data_diamond_01.fcs", j.get("file").asText());
    assertEquals(200000, j.get("events").asInt());
    assertEquals(49671, j.get("counts").get("Q1: channel_A- , channel_B+").asInt());
  }

  @Test
  void workspaceWithUnknownSampleNamesTheSamples() throws Exception {
    Path d = SharedData.sharedOrSkip("real/flowjo/flowkit/simple_diamond_example");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int rc =
        run(
            o,
            e,
            "gate-fcs",
            "--workspace",
            d.resolve("test_data_diamond_biex_rect.wsp").toString(),
            "--fcs",
            d.resolve("test_data_diamond_01.fcs").toString(),
            "--sample",
            "nope");
    assertEquals(CytolakeCli.EXIT_BAD_INPUT, rc);
    assertTrue(
        e.toString().contains("'nope'") && e.toString().contains("test_data_diamond_01.fcs"),
        e.toString());
  }

  /** Issue 20: a data-adaptive limit is found in the FCS file and reported with --json. */
  @Test
  void findsDataAdaptiveLimitsInTheFile(@TempDir Path tmp) throws Exception {
    Path dir = SharedData.sharedOrSkip("gatingml2-compliance/isac-gml2");
    Path yaml =
        Files.writeString(
            tmp.resolve("auto.yaml"),
            String.join(
                "\n",
                "gates:",
                "  - {id: All, rectangle: [{dim: FSC-H, min: -1.0e12}]}",
                "  - id: HiFSC",
                "    rectangle:",
                "      - {dim: FSC-H, min: {auto: tail, reference: All, quantile: 0.9, fallback: 1.0e9}}",
                ""));
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int rc =
        run(
            o,
            e,
            "gate-fcs",
            "--gating",
            yaml.toString(),
            "--fcs",
            dir.resolve("FCSFiles/data1.fcs").toString(),
            "--json");
    assertEquals(0, rc, e.toString());
    JsonNode json = new ObjectMapper().readTree(o.toString());
    int n = json.get("events").asInt();
    JsonNode t = json.get("thresholds").get(0);
    assertEquals("HiFSC", t.get("gate").asText());
    assertEquals("FSC-H", t.get("dimension").asText());
    assertEquals("min", t.get("side").asText());
    assertEquals("tail", t.get("method").asText());
    assertEquals(false, t.get("fallback_used").asBoolean(), t.toString());
    int hi = json.get("counts").get("HiFSC").asInt();
    org.cytolake.gating.EventTable events =
        org.cytolake.gating.EventTable.read(dir.resolve("FCSFiles/data1.fcs"));
    double[] fsc = events.column(events.indexOf("FSC-H"));
    double threshold = t.get("threshold").asDouble();
    assertEquals(Arrays.stream(fsc).filter(v -> v >= threshold).count(), hi);
    // at least the top 10% (values tied with the quantile are in: min-inclusive)
    assertTrue(hi >= 0.1 * n && hi < 0.12 * n, hi + " of " + n + " at " + t);
    assertTrue(e.toString().contains("gate-fcs: gate 'HiFSC' min on 'FSC-H' = "), e.toString());
  }
}
