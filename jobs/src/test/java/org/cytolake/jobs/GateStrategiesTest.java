package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped conf/gating strategies, without Spark. */
class GateStrategiesTest {
  @Test
  void everyPanelHasAStrategyOnItsOwnColumns() throws Exception {
    Path conf = SharedData.projectDir().resolve("conf");
    Map<String, String> s = GateJob.loadStrategies(conf.resolve("gating"),
        CytolakeConfig.load(conf));
    assertEquals(List.of("P1", "P2", "P3"), List.copyOf(s.keySet()));
    GatingStrategy p1 = CompactGatingReader.read(s.get("P1"), "P1", false);
    assertEquals("cells/singlets/live/lymphocytes/T/CD4/Treg", GateJob.path(p1, "Treg"));
    assertTrue(p1.populations().contains("_lineage"));
  }

  @Test
  void aDimensionThatIsNotAColumnIsReportedWithFileAndColumns(@TempDir Path dir)
      throws Exception {
    Path conf = SharedData.projectDir().resolve("conf");
    Files.createDirectories(dir.resolve("gating"));
    Files.writeString(dir.resolve("gating/P1.yaml"),
        "gates:\n  - {id: x, rectangle: [{dim: cd14, min: 1}]}\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GateJob.loadStrategies(dir.resolve("gating"), CytolakeConfig.load(conf)));
    assertTrue(e.getMessage().contains("P1.yaml") && e.getMessage().contains("cd14"),
        e.getMessage());
  }
}
