package org.cytolake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CytolakeConfigTest {
  @Test
  void theShippedConfigurationLoads() {
    CytolakeConfig c = CytolakeConfig.load(SharedData.projectDir().resolve("conf"));
    assertEquals(java.util.List.of("P1", "P2", "P3"), java.util.List.copyOf(c.panels().keySet()));
    assertEquals(14, c.panel("P1").channels().size());
    assertEquals("D1", c.visits().baseline());
    assertTrue(c.panel("P1").spillover().fromFile());
  }

  @Test
  void everyProblemOfEveryFileIsReportedAtOnceWithFileAndKey(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("cytolake.yaml"), String.join("\n",
        "ingest.split-bytes: lots", "no.such.key: 1",
        "ingest.filename-pattern: '(?<patient>x)_(?<visit>y)'"));
    Files.writeString(dir.resolve("panels.yaml"), String.join("\n",
        "panels:",
        "  P1:",
        "    channels:",
        "      - {detector: FSC-A, column: FSC A, transform: none}",
        "      - {detector: PE-A, column: cd25, transform: 'asinh:cofactor=-1'}",
        "    spillover: {source: conf, channels: [PE-A, APC-A], matrix: [[1, 0.1], [0, x]]}",
        "  ../../outside:",
        "    channels:",
        "      - {detector: PE-A, column: cd25, transform: none}"));
    Files.writeString(dir.resolve("visits.yaml"), String.join("\n",
        "baseline: D0", "visits:", "  - {code: D1, study-day: 1}", "  - {code: D8, study-day: 1}"));
    ConfigException e = assertThrows(ConfigException.class, () -> CytolakeConfig.load(dir));
    String m = e.getMessage();
    for (String expected : new String[] {"cytolake.yaml: ingest.split-bytes",
        "no.such.key: unknown key", "needs a named group (?<panel>", "channels[0].column: 'FSC A'",
        "channels[1].transform", "spillover.matrix[1][1]", "visits[1].study-day",
        "baseline: 'D0'", "panel code '../../outside' must be"}) {
      assertTrue(m.contains(expected), "missing '" + expected + "' in:\n" + m);
    }
    assertTrue(e.problems().size() >= 8, m);
  }

  @Test
  void aConfSpilloverOverridesTheFiles(@TempDir Path dir) throws Exception {
    Path home = SharedData.projectDir().resolve("conf");
    Files.copy(home.resolve("cytolake.yaml"), dir.resolve("cytolake.yaml"));
    Files.copy(home.resolve("visits.yaml"), dir.resolve("visits.yaml"));
    Files.writeString(dir.resolve("panels.yaml"), String.join("\n",
        "panels:", "  P9:", "    channels:",
        "      - {detector: PE-A, marker: CD25, column: cd25, transform: none}",
        "      - {detector: APC-A, marker: FOXP3, column: foxp3, transform: none}",
        "    spillover: {source: conf, channels: [PE-A, APC-A], matrix: [[1, 0.1], [0.2, 1]]}"));
    SpilloverSource s = CytolakeConfig.load(dir).panel("P9").spillover();
    assertTrue(s.fromConf());
    assertEquals(0.2, s.matrix()[1][0]);
  }

  @Test
  void theReportsPrimaryPopulationReadsItsOldKeyNamesWhenTheNewOnesAreNotSet(@TempDir Path dir)
      throws Exception {
    Path home = SharedData.projectDir().resolve("conf");
    Files.copy(home.resolve("panels.yaml"), dir.resolve("panels.yaml"));
    Files.copy(home.resolve("visits.yaml"), dir.resolve("visits.yaml"));
    Files.writeString(dir.resolve("cytolake.yaml"), String.join("\n",
        "report.treg-panel: P3", "report.treg-population: B"));
    Settings old = CytolakeConfig.load(dir).settings();
    assertEquals("P3", old.get(Settings.REPORT_PRIMARY_PANEL, Settings.REPORT_TREG_PANEL));
    assertEquals("B", old.get(Settings.REPORT_PRIMARY_POPULATION,
        Settings.REPORT_TREG_POPULATION));
    Files.writeString(dir.resolve("cytolake.yaml"), String.join("\n",
        "report.treg-population: B", "report.primary-population: monocytes"));
    Settings both = CytolakeConfig.load(dir).settings();
    assertEquals("monocytes", both.get(Settings.REPORT_PRIMARY_POPULATION,
        Settings.REPORT_TREG_POPULATION), "the new name wins");
    assertEquals("P1", both.get(Settings.REPORT_PRIMARY_PANEL, Settings.REPORT_TREG_PANEL),
        "default");
  }
}
