package org.cytolake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cytolake.config.DifferentialConfig.Endpoint;
import org.cytolake.config.DifferentialConfig.Model;
import org.cytolake.stats.DfMethod;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DifferentialConfig}: conf/differential.yaml's loader, defaults and validation. */
class DifferentialConfigTest {
  static final Path SHIPPED = ConfDirs.SHIPPED;
  static final Set<String> COHORTS = Set.of("RA", "SLE");

  static CytolakeConfig conf(Path dir, String... yaml) throws IOException {
    return ConfDirs.load(dir, DifferentialConfig.FILE, yaml);
  }

  @Test
  void theShippedFileIsTheDefaults() {
    DifferentialConfig c = DifferentialConfig.load(CytolakeConfig.load(SHIPPED), COHORTS, "ALL");
    DifferentialConfig d = DifferentialConfig.defaults(c.file(), "ALL");
    assertEquals(new Endpoint("P1", "Treg", "pct_of_parent", "D8", "ALL"), c.primary());
    assertEquals(d.primary(), c.primary());
    assertEquals(
        List.of(
            d.familyBy(),
            d.minEvents(),
            d.minPatients(),
            d.minEffectRatio(),
            d.minEffectChange(),
            d.covariates(),
            d.lmmDf()),
        List.of(
            c.familyBy(),
            c.minEvents(),
            c.minPatients(),
            c.minEffectRatio(),
            c.minEffectChange(),
            c.covariates(),
            c.lmmDf()));
    assertEquals(DfMethod.SATTERTHWAITE, c.lmmDf());
    for (String kind : DifferentialConfig.KINDS) {
      assertEquals(Model.LMM, c.model(kind));
    }
  }

  @Test
  void theStimCytofExampleLoads() {
    Path dir = SharedData.projectDir().resolve("examples/stim-cytof/conf");
    DifferentialConfig c = DifferentialConfig.load(CytolakeConfig.load(dir), Set.of("HD"), "ALL");
    assertEquals(new Endpoint("PBMC", "B", "median_ps6", "stim", "ALL"), c.primary());
  }

  @Test
  void anAbsentFileGivesTheDefaults(@TempDir Path dir) throws Exception {
    DifferentialConfig c = DifferentialConfig.load(conf(dir), COHORTS, "POOLED");
    assertEquals(DifferentialConfig.defaults(dir.resolve(DifferentialConfig.FILE), "POOLED"), c);
  }

  /** Absent file, a study without panel P1: no primary endpoint rather than a failure. */
  @Test
  void anAbsentFileOfAnotherStudyHasNoPrimary() {
    Path dir = SharedData.projectDir().resolve("examples/stim-cytof/conf");
    // a copy of the example's panels and visits without its differential.yaml
    CytolakeConfig example = CytolakeConfig.load(dir);
    CytolakeConfig without =
        new CytolakeConfig(
            dir.resolve("elsewhere"), example.settings(), example.panels(), example.visits());
    assertNull(DifferentialConfig.load(without, Set.of("HD"), "ALL").primary());
  }

  @Test
  void keysAndNone(@TempDir Path dir) throws Exception {
    DifferentialConfig c =
        DifferentialConfig.load(
            conf(
                dir,
                "differential:",
                "  primary: none",
                "  family-by: [visit, cohort]",
                "  min-events: 200",
                "  covariates: [age, sex]",
                "  models: {population: negative-binomial}",
                "  min-effect: {ratio: 1.25}",
                "  lmm-df: between-within"),
            COHORTS,
            "ALL");
    assertEquals(DfMethod.BETWEEN_WITHIN, c.lmmDf());
    assertNull(c.primary());
    assertEquals(List.of("visit", "cohort"), c.familyBy());
    assertEquals(200, c.minEvents());
    assertEquals(1.25, c.minEffectRatio());
    assertEquals(DifferentialConfig.MIN_EFFECT_CHANGE_DEFAULT, c.minEffectChange());
    assertEquals(List.of("age", "sex"), c.covariates());
    assertEquals(Model.NEGATIVE_BINOMIAL, c.model("population"));
    assertEquals(Model.LMM, c.model("ratio"));
  }

  @Test
  void everyProblemIsReportedAtOnceNamingFileAndKey(@TempDir Path dir) throws Exception {
    CytolakeConfig conf =
        conf(
            dir,
            "differential:",
            "  primary: {panel: P9, feature: Treg, visit: D1, cohort: XX, colour: red}",
            "  family-by: [panel, week]",
            "  min-events: many",
            "  min-patients: 0",
            "  min-effect: {ratio: 0.5, change: -1, size: 2}",
            "  covariates: [weight]",
            "  models: {ratio: binomial, population: glm, cells: lmm}",
            "  lmm-df: kenward-roger",
            "  extra: 1");
    ConfigException e =
        assertThrows(ConfigException.class, () -> DifferentialConfig.load(conf, COHORTS, "ALL"));
    String f = dir.resolve("differential.yaml") + ": differential.";
    List<String> expected =
        List.of(
            f + "extra: unknown key",
            f + "primary.colour: unknown key",
            f + "primary.panel: 'P9' is not in panels.yaml",
            f + "primary.visit: 'D1' is the baseline",
            f + "primary.cohort: 'XX' is neither the pooled cohort 'ALL' nor a cohort",
            f + "family-by: 'week' is not one of",
            f + "min-events: 'many' is not a whole number",
            f + "min-patients: 0 is not a whole number >= 1",
            f + "min-effect.size: unknown key",
            f + "min-effect.ratio: 0.5 is not a finite number >= 1",
            f + "min-effect.change: -1.0 is not a finite number >= 0",
            f + "covariates: 'weight' is not one of",
            f + "models.ratio: binomial models counted events",
            f + "models.population: 'glm' is not a model",
            f + "models.cells: 'cells' is not a feature kind",
            f + "lmm-df: 'kenward-roger' is not a df method (satterthwaite, between-within)");
    for (String x : expected) {
      assertTrue(
          e.problems().stream().anyMatch(p -> p.startsWith(x)),
          "missing: " + x + "\nin: " + e.problems());
    }
    assertEquals(expected.size(), e.problems().size(), String.join("\n", e.problems()));
  }

  @Test
  void withoutCohortsYamlAnyCohortCodeIsAccepted(@TempDir Path dir) throws Exception {
    DifferentialConfig c =
        DifferentialConfig.load(
            conf(dir, "differential:", "  primary: {cohort: Psoriasis}"), Set.of(), "ALL");
    assertEquals(new Endpoint("P1", "Treg", "pct_of_parent", "D8", "Psoriasis"), c.primary());
    assertEquals(Map.of(), c.models());
  }
}
