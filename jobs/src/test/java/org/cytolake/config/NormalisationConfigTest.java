package org.cytolake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cytolake.normalise.BatchRule;
import org.cytolake.normalise.Goal;
import org.cytolake.normalise.LakeNormParams;
import org.cytolake.normalise.MissingControl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NormalisationConfig}: conf/normalisation.yaml, its defaults and every problem at once. */
class NormalisationConfigTest {
  static final Path SHIPPED = ConfDirs.SHIPPED;

  /** A conf directory with the shipped panels and visits and this normalisation.yaml (if any). */
  static CytolakeConfig conf(Path dir, String... yaml) throws IOException {
    return ConfDirs.load(dir, NormalisationConfig.FILE, yaml);
  }

  /** The configuration of a conf directory whose normalisation.yaml names P1 alone, with these keys. */
  static NormalisationConfig loadP1(Path dir, String... keys) throws IOException {
    List<String> yaml = new ArrayList<>(List.of("normalisation:", "  P1:"));
    for (String k : keys) {
      yaml.add("    " + k);
    }
    return NormalisationConfig.load(conf(dir, yaml.toArray(String[]::new)));
  }

  static void assertProblems(Path dir, List<String> expected, ConfigException e) {
    String file = dir.resolve(NormalisationConfig.FILE) + ": normalisation.";
    assertEquals(expected.size(), e.problems().size(), e.getMessage());
    for (int i = 0; i < expected.size(); i++) {
      assertTrue(
          e.problems().get(i).startsWith(file + expected.get(i)),
          file + expected.get(i) + "\nin\n" + e.getMessage());
    }
  }

  @Test
  void anAbsentFileNormalisesNoPanel(@TempDir Path dir) throws Exception {
    NormalisationConfig c = NormalisationConfig.load(conf(dir));
    assertEquals(Map.of(), c.panels());
    assertNull(c.panel("P1"));
    assertEquals(dir.resolve("normalisation.yaml"), c.file());
  }

  @Test
  void aPanelNamedWithoutKeysTakesEveryDefault(@TempDir Path dir) throws Exception {
    CytolakeConfig config = conf(dir, "normalisation:", "  P2: {}");
    NormalisationConfig c = NormalisationConfig.load(config);
    assertEquals(List.of("P2"), List.copyOf(c.panels().keySet()));
    assertNull(c.panel("P1"));
    assertEquals(
        LakeNormParams.builder(config.panel("P2").lineageColumns())
            .quantiles(99)
            .goal(new Goal.BatchMean())
            .batches(new BatchRule(BatchRule.Kind.ACQUISITION_DATE, List.of()))
            .missingControl(MissingControl.QUARANTINE)
            .pooledEventsPerSample(20_000)
            .minControlEvents(1_000)
            .confounders(List.of("visit"))
            .clustering(null)
            .somEventsPerBatch(LakeNormParams.SOM_EVENTS_PER_BATCH_DEFAULT)
            .referencePopulation(null)
            .build(),
        c.panel("P2"));
  }

  @Test
  void everyKeyIsRead(@TempDir Path dir) throws Exception {
    NormalisationConfig c =
        loadP1(
            dir,
            "columns: [cd4, cd3]",
            "quantiles: 9",
            "goal: '2015-09-14'",
            "batches: setup-period",
            "setup-changes: ['2015-09-14', '2016-01-04']",
            "missing-control: pooled",
            "pooled-events-per-sample: 500",
            "min-control-events: 200",
            "confounders: []");
    assertEquals(
        LakeNormParams.builder(List.of("cd4", "cd3"))
            .quantiles(9)
            .goal(new Goal.Batch("2015-09-14"))
            .batches(
                new BatchRule(
                    BatchRule.Kind.SETUP_PERIOD,
                    List.of(LocalDate.parse("2015-09-14"), LocalDate.parse("2016-01-04"))))
            .missingControl(MissingControl.POOLED)
            .pooledEventsPerSample(500)
            .minControlEvents(200)
            .confounders(List.of())
            .build(),
        c.panel("P1"));
    assertEquals(
        "columns=cd4,cd3 quantiles=9 goal=2015-09-14 batches=setup-period 2015-09-14 2016-01-04"
            + " missing-control=pooled pooled-events-per-sample=500 min-control-events=200",
        c.panel("P1").describe());
  }

  @Test
  void everyProblemIsReportedAtOnceNamingFileAndKey(@TempDir Path dir) throws Exception {
    CytolakeConfig config =
        conf(
            dir,
            "normalisation:",
            "  P9: {}",
            "  P1:",
            "    columns: [cd3, cd99]",
            "    quantiles: many",
            "    batches: by-day",
            "    setup-changes: ['2015-13-01']",
            "    missing-control: drop",
            "    confounders: [visit, site]",
            "  P2:",
            "    batches: setup-period",
            "  P3:",
            "    columns: cd3");
    ConfigException e = assertThrows(ConfigException.class, () -> NormalisationConfig.load(config));
    assertProblems(
        dir,
        List.of(
            "P9: panel 'P9' is not in panels.yaml [P1, P2, P3]",
            "P1.columns: 'cd99' is not a column of panel P1 [fsc_a,",
            "P1.quantiles: 'many' is not a whole number",
            "P1.batches: 'by-day' is not acquisition-date, setup-period or manifest",
            "P1.setup-changes: '2015-13-01' is not an ISO date (yyyy-MM-dd)",
            "P1.missing-control: 'drop' is not quarantine or pooled",
            "P1.confounders: 'site' is not one of [visit]",
            "P2.setup-changes: batches: setup-period needs at least one date",
            "P3.columns: must be a list"),
        e);
  }

  @Test
  void valuesTheParametersRefuseAreReportedTogether(@TempDir Path dir) throws Exception {
    CytolakeConfig config =
        conf(
            dir,
            "normalisation:",
            "  P1:",
            "    batches: setup-period",
            "    setup-changes: ['2016-01-04', '2015-09-14']",
            "    quantiles: 1",
            "  P2:",
            "    columns: [cd3, cd3]",
            "    min-control-events: 0");
    ConfigException e = assertThrows(ConfigException.class, () -> NormalisationConfig.load(config));
    assertProblems(
        dir,
        List.of(
            "P1.setup-changes: Cannot use setup changes [2016-01-04, 2015-09-14]: they must be"
                + " distinct and ascending",
            "P1: Cannot configure normalisation: quantiles must be at least 2, not 1",
            "P2: Cannot configure normalisation: column 'cd3' is listed twice;"
                + " min-control-events must be at least 1, not 0"),
        e);
  }

  @Test
  void aBlankGoalAnUnknownKeyOrAPanelThatIsNotAMappingIsAProblem(@TempDir Path dir)
      throws Exception {
    CytolakeConfig config =
        conf(
            dir,
            "normalisation:",
            "  P1:",
            "    goal: ' '",
            "    missing_control: pooled",
            "  P2: pooled");
    ConfigException e = assertThrows(ConfigException.class, () -> NormalisationConfig.load(config));
    assertProblems(
        dir,
        List.of(
            "P1.missing_control: unknown key (known: [columns, quantiles, goal, batches,"
                + " setup-changes, missing-control, pooled-events-per-sample, min-control-events,"
                + " confounders, clusters, min-cluster-events, som-events-per-batch, seed,"
                + " reference-population])",
            "P1.goal: ' ' is not batch-mean, a batch's name or quantiles:FILE",
            "P2: must map keys to values"),
        e);
  }

  @Test
  void aGoalFileIsReadRelativeToTheConfDirectoryAndChecked(@TempDir Path root) throws Exception {
    Path dir = java.nio.file.Files.createDirectories(root.resolve("one"));
    Path two = java.nio.file.Files.createDirectories(root.resolve("two"));
    java.nio.file.Files.write(
        dir.resolve("goal-P1.csv"),
        List.of(
            "column,probability,value",
            "cd4,0.25,1",
            "cd4,0.5,2",
            "cd4,0.75,3",
            "cd3,0.25,1",
            "cd3,0.5,2",
            "cd3,0.75,3"));
    NormalisationConfig c =
        loadP1(dir, "columns: [cd4, cd3]", "quantiles: 3", "goal: quantiles:goal-P1.csv");
    Goal.Given g = (Goal.Given) c.panel("P1").goal();
    assertEquals(2.0, g.quantiles().of("cd3", 0)[1]);
    assertTrue(c.panel("P1").describe().contains(" goal=quantiles:goal-P1.csv@"));
    java.nio.file.Files.copy(dir.resolve("goal-P1.csv"), two.resolve("goal-P1.csv"));
    CytolakeConfig bad =
        conf(
            two,
            "normalisation:",
            "  P1:",
            "    columns: [cd4, cd8]",
            "    quantiles: 3",
            "    goal: quantiles:goal-P1.csv",
            "  P2:",
            "    goal: quantiles:absent.csv");
    ConfigException e = assertThrows(ConfigException.class, () -> NormalisationConfig.load(bad));
    assertProblems(
        two,
        List.of(
            "P1: Cannot configure normalisation: goal quantiles 'goal-P1.csv' have no rows for"
                + " column 'cd8'",
            "P2.goal: 'quantiles:absent.csv' is not batch-mean, a batch's name or quantiles:FILE"
                + " (goal file '"
                + two.resolve("absent.csv")
                + "' does not exist)"),
        e);
  }
}
