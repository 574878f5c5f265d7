package org.cytolake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
  void everyProblemOfEveryFileIsReportedAtOnceWithFileAndKey(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("cytolake.yaml"),
        String.join(
            "\n",
            "ingest.split-bytes: lots",
            "no.such.key: 1",
            "ingest.filename-pattern: '(?<patient>x)_(?<visit>y)'"));
    Files.writeString(
        dir.resolve("panels.yaml"),
        String.join(
            "\n",
            "panels:",
            "  P1:",
            "    channels:",
            "      - {detector: FSC-A, column: FSC A, transform: none}",
            "      - {detector: PE-A, column: cd25, transform: 'asinh:cofactor=-1'}",
            "    spillover: {source: conf, channels: [PE-A, APC-A], matrix: [[1, 0.1], [0, x]]}",
            "  ../../outside:",
            "    channels:",
            "      - {detector: PE-A, column: cd25, transform: none}"));
    Files.writeString(
        dir.resolve("visits.yaml"),
        String.join(
            "\n",
            "baseline: D0",
            "visits:",
            "  - {code: D1, study-day: 1}",
            "  - {code: D8, study-day: 1}"));
    ConfigException e =
        assertLoadFails(
            dir,
            "cytolake.yaml: ingest.split-bytes",
            "no.such.key: unknown key",
            "needs a named group (?<panel>",
            "channels[0].column: 'FSC A'",
            "channels[1].transform",
            "spillover.matrix[1][1]",
            "visits[1].study-day",
            "baseline: 'D0'",
            "panel code '../../outside' must be");
    assertTrue(e.problems().size() >= 8, e.getMessage());
  }

  @Test
  void everySettingIsCheckedByItsDeclaredType(@TempDir Path dir) throws Exception {
    Path shipped = SharedData.projectDir().resolve("conf");
    for (String f : new String[] {"panels.yaml", "visits.yaml"}) {
      Files.copy(shipped.resolve(f), dir.resolve(f));
    }
    Files.writeString(
        dir.resolve("cytolake.yaml"),
        String.join(
            "\n",
            "ingest.max-quarantined-fraction: 1.5",
            "lake.accept-non-atomic-rename: maybe",
            "gating.min-events: 0",
            "ingest.max-records-per-file: 5M"));
    ConfigException e =
        assertLoadFails(
            dir,
            "ingest.max-quarantined-fraction: must be a fraction from 0 to 1, not 1.5",
            "lake.accept-non-atomic-rename: must be true or false, not 'maybe'",
            "gating.min-events: must be positive, not 0",
            "ingest.max-records-per-file: must be a whole number, not '5M'");
    Files.writeString(
        dir.resolve("cytolake.yaml"),
        String.join(
            "\n", "ingest.max-quarantined-fraction: 0.25", "lake.accept-non-atomic-rename: true"));
    Settings s = CytolakeConfig.load(dir).settings();
    assertEquals(0.25, s.getDouble(Settings.INGEST_MAX_QUARANTINED_FRACTION));
    assertTrue(s.getBoolean(Settings.LAKE_ACCEPT_NON_ATOMIC_RENAME));
    Settings d = Settings.defaults();
    assertEquals(0.5, d.getDouble(Settings.INGEST_MAX_QUARANTINED_FRACTION));
    assertFalse(d.getBoolean(Settings.LAKE_ACCEPT_NON_ATOMIC_RENAME));
  }

  @Test
  void aConfSpilloverOverridesTheFiles(@TempDir Path dir) throws Exception {
    Path home = SharedData.projectDir().resolve("conf");
    Files.copy(home.resolve("cytolake.yaml"), dir.resolve("cytolake.yaml"));
    Files.copy(home.resolve("visits.yaml"), dir.resolve("visits.yaml"));
    Files.writeString(
        dir.resolve("panels.yaml"),
        String.join(
            "\n",
            "panels:",
            "  P9:",
            "    channels:",
            "      - {detector: PE-A, marker: CD25, column: cd25, transform: none}",
            "      - {detector: APC-A, marker: FOXP3, column: foxp3, transform: none}",
            "    spillover: {source: conf, channels: [PE-A, APC-A], matrix: [[1, 0.1], [0.2, 1]]}"));
    SpilloverSource s = CytolakeConfig.load(dir).panel("P9").spillover();
    assertTrue(s.fromConf());
    assertEquals(0.2, s.matrix()[1][0]);
  }

  private static void minimalPanels(Path dir) throws Exception {
    Files.writeString(
        dir.resolve("panels.yaml"),
        String.join(
            "\n",
            "panels:",
            "  M1:",
            "    channels:",
            "      - {detector: Yb176Di, marker: pS6, column: ps6, transform: 'asinh:cofactor=5'}",
            "    spillover: {source: none}"));
    Files.writeString(dir.resolve("cytolake.yaml"), "gating.min-events: 50\n");
  }

  @Test
  void visitsMayBeConditionsWithoutStudyDaysInTheOrderListed(@TempDir Path dir) throws Exception {
    minimalPanels(dir);
    Files.writeString(
        dir.resolve("visits.yaml"),
        String.join(
            "\n",
            "baseline: unstim",
            "visits:",
            "  - {code: unstim}",
            "  - stim",
            "  - {code: stim.2h}"));
    VisitSchedule v = CytolakeConfig.load(dir).visits();
    assertEquals("unstim", v.baseline());
    assertEquals(List.of("unstim", "stim", "stim.2h"), v.codes());
    assertNull(v.studyDay("stim"));
    assertNull(v.find("unstim").orElseThrow().studyDay());
    List<String> sorted =
        new ArrayList<>(Arrays.asList("stim.2h", null, "zz", "stim", "aa", "unstim"));
    sorted.sort(v.order());
    assertEquals(Arrays.asList("unstim", "stim", "stim.2h", "aa", "zz", null), sorted);
  }

  @Test
  void cytolakeYamlIsOptional(@TempDir Path dir) throws Exception {
    minimalPanels(dir);
    Files.delete(dir.resolve("cytolake.yaml"));
    Files.writeString(dir.resolve("visits.yaml"), "baseline: unstim\nvisits: [unstim, stim]\n");
    CytolakeConfig c = CytolakeConfig.load(dir);
    for (Settings.Key k : Settings.KEYS) {
      assertEquals(k.defaultValue(), c.settings().get(k), k.name());
    }
    Files.delete(dir.resolve("visits.yaml"));
    ConfigException e = assertThrows(ConfigException.class, () -> CytolakeConfig.load(dir));
    assertEquals(List.of(dir.resolve("visits.yaml") + ": missing"), e.problems());
  }

  @Test
  void studyDaysWhenGivenMustIncreaseAlongTheList(@TempDir Path dir) throws Exception {
    minimalPanels(dir);
    Files.writeString(
        dir.resolve("visits.yaml"),
        String.join(
            "\n",
            "baseline: D1",
            "visits:",
            "  - {code: D1, study-day: 1}",
            "  - {code: W}",
            "  - {code: D8, study-day: 8}",
            "  - {code: D3, study-day: 3}"));
    ConfigException e = assertThrows(ConfigException.class, () -> CytolakeConfig.load(dir));
    assertEquals(
        List.of(
            dir.resolve("visits.yaml")
                + ": visits[3].study-day: 3 is not after "
                + "study day 8 of visit D8 listed before it (the list is in study order)"),
        e.problems());
    Files.writeString(
        dir.resolve("visits.yaml"),
        String.join(
            "\n",
            "baseline: D1",
            "visits:",
            "  - {code: D1, study-day: 1}",
            "  - {code: W}",
            "  - {code: D8, study-day: 8}"));
    VisitSchedule v = CytolakeConfig.load(dir).visits();
    assertEquals(
        Arrays.asList(1, null, 8), v.visits().stream().map(VisitSchedule.Visit::studyDay).toList());
  }

  @Test
  void badVisitEntriesAreNamedByFileAndKey(@TempDir Path dir) throws Exception {
    minimalPanels(dir);
    Path f = dir.resolve("visits.yaml");
    Files.writeString(
        f,
        String.join(
            "\n",
            "visits:",
            "  - {code: day 1}",
            "  - {code: stim, study_day: 2}",
            "  - {code: late, study-day: 2.5}",
            "  - [x]",
            "  - {code: stim}"));
    ConfigException e = assertThrows(ConfigException.class, () -> CytolakeConfig.load(dir));
    for (String expected :
        new String[] {
          f + ": visits[0].code: 'day 1' must be 1-32 letters, digits, '_', '-' or '.'",
          f + ": visits[1].study_day: unknown key (known: [code, study-day])",
          f + ": visits[2].study-day: must be a whole number, not '2.5'",
          f + ": visits[3]: must be a visit code or {code: ..., study-day: ...}",
          f + ": visits[4].code: 'stim' appears twice",
          f + ": baseline: missing"
        }) {
      assertTrue(
          e.problems().stream().anyMatch(p -> p.startsWith(expected)),
          "missing '" + expected + "' in:\n" + e.getMessage());
    }
  }

  @Test
  void theReportsPrimaryPopulationReadsItsOldKeyNamesWhenTheNewOnesAreNotSet(@TempDir Path dir)
      throws Exception {
    Path home = SharedData.projectDir().resolve("conf");
    Files.copy(home.resolve("panels.yaml"), dir.resolve("panels.yaml"));
    Files.copy(home.resolve("visits.yaml"), dir.resolve("visits.yaml"));
    Files.writeString(
        dir.resolve("cytolake.yaml"),
        String.join("\n", "report.treg-panel: P3", "report.treg-population: B"));
    Settings old = CytolakeConfig.load(dir).settings();
    assertEquals("P3", old.get(Settings.REPORT_PRIMARY_PANEL, Settings.REPORT_TREG_PANEL));
    assertEquals("B", old.get(Settings.REPORT_PRIMARY_POPULATION, Settings.REPORT_TREG_POPULATION));
    Files.writeString(
        dir.resolve("cytolake.yaml"),
        String.join("\n", "report.treg-population: B", "report.primary-population: monocytes"));
    Settings both = CytolakeConfig.load(dir).settings();
    assertEquals(
        "monocytes",
        both.get(Settings.REPORT_PRIMARY_POPULATION, Settings.REPORT_TREG_POPULATION),
        "the new name wins");
    assertEquals(
        "P1", both.get(Settings.REPORT_PRIMARY_PANEL, Settings.REPORT_TREG_PANEL), "default");
  }

  /** Loading {@code dir} fails with a message that mentions each of {@code expected}. */
  static ConfigException assertLoadFails(Path dir, String... expected) {
    ConfigException e = assertThrows(ConfigException.class, () -> CytolakeConfig.load(dir));
    String m = e.getMessage();
    for (String x : expected) {
      assertTrue(m.contains(x), "missing '" + x + "' in:\n" + m);
    }
    return e;
  }
}
