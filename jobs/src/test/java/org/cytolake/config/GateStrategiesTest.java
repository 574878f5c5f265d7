package org.cytolake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.GatingMlException;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped conf/gating strategies and their loader {@link GatingConfig}, without Spark. */
class GateStrategiesTest {
  @Test
  void everyPanelHasAStrategyOnItsOwnColumns() throws Exception {
    Path conf = SharedData.projectDir().resolve("conf");
    Map<String, String> s =
        GatingConfig.load(conf.resolve("gating"), CytolakeConfig.load(conf)).texts();
    assertEquals(List.of("P1", "P2", "P3"), List.copyOf(s.keySet()));
    GatingStrategy p1 = CompactGatingReader.read(s.get("P1"), "P1", false);
    assertEquals("cells/singlets/live/lymphocytes/T/CD4/Treg", p1.path("Treg"));
    assertTrue(p1.populations().contains("_lineage"));
  }

  @Test
  void aDimensionThatIsNotAColumnIsReportedWithFileAndColumns(@TempDir Path dir) throws Exception {
    Path conf = SharedData.projectDir().resolve("conf");
    Files.createDirectories(dir.resolve("gating"));
    Files.writeString(
        dir.resolve("gating/P1.yaml"), "gates:\n  - {id: x, rectangle: [{dim: cd14, min: 1}]}\n");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GatingConfig.load(dir.resolve("gating"), CytolakeConfig.load(conf)));
    assertTrue(
        e.getMessage().contains("P1.yaml") && e.getMessage().contains("cd14"), e.getMessage());
  }

  @Test
  void theParsedStrategiesAndThePanelsWithoutOneAreKept(@TempDir Path dir) throws Exception {
    Path conf = SharedData.projectDir().resolve("conf");
    CytolakeConfig config = CytolakeConfig.load(conf);
    GatingConfig shipped = GatingConfig.load(config);
    assertEquals(conf.resolve("gating"), shipped.dir());
    assertEquals(shipped.texts().keySet(), shipped.strategies().keySet());
    assertEquals(List.of(), shipped.ungated());
    assertEquals(
        CompactGatingReader.read(shipped.texts().get("P2"), "P2", false).populations(),
        shipped.strategies().get("P2").populations());

    Files.createDirectories(dir.resolve("gating"));
    Files.copy(conf.resolve("gating/P2.yaml"), dir.resolve("gating/P2.yaml"));
    GatingConfig one = GatingConfig.load(dir.resolve("gating"), config);
    assertEquals(List.of("P2"), List.copyOf(one.texts().keySet()));
    assertEquals(List.of("P1", "P3"), one.ungated());
    assertEquals(
        List.of("P1", "P2", "P3"), GatingConfig.load(dir.resolve("none"), config).ungated());
  }

  @Test
  void everyProblemOfEveryStrategyIsReportedAtOnce(@TempDir Path dir) throws Exception {
    Path conf = SharedData.projectDir().resolve("conf");
    Files.createDirectories(dir.resolve("gating"));
    Files.writeString(
        dir.resolve("gating/P1.yaml"), "gates:\n  - {id: x, rectangle: [{dim: cd14, min: 1}]}\n");
    Files.writeString(dir.resolve("gating/P2.yaml"), "gates: [oops\n");
    Files.writeString(dir.resolve("gating/P9.yaml"), "gates: []\n");
    Files.writeString(dir.resolve("gating/P3.xml"), "<not-a-workspace/>\n");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GatingConfig.load(dir.resolve("gating"), CytolakeConfig.load(conf)));
    String m = e.getMessage();
    assertTrue(m.startsWith("Cannot gate: 4 problem(s) in the gating strategies:"), m);
    assertTrue(m.contains("P3.xml") && m.contains("<not-a-workspace>"), m);
    assertTrue(m.contains("P1.yaml") && m.contains("cd14"), m);
    assertTrue(m.contains("P2.yaml") && m.contains("YAML"), m);
    assertTrue(m.contains("P9.yaml: panel 'P9' is not in panels.yaml"), m);
  }

  @Test
  void oneStrategyIsReadWithoutItsColumnsBeingChecked(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("gating"));
    Files.writeString(
        dir.resolve("gating/P1.yaml"), "gates:\n  - {id: x, rectangle: [{dim: cd14, min: 1}]}\n");
    Files.writeString(dir.resolve("gating/P2.yaml"), "gates: [oops\n");
    Optional<GatingStrategy> p1 = GatingConfig.read(dir, "P1");
    assertEquals(List.of("x"), p1.orElseThrow().populations());
    assertEquals(Optional.empty(), GatingConfig.read(dir, "P3"));
    GatingMlException e = assertThrows(GatingMlException.class, () -> GatingConfig.read(dir, "P2"));
    assertTrue(e.getMessage().contains("P2.yaml"), e.getMessage());
  }
}
