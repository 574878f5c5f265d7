package org.cytolake.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cytolake.config.ConfigException;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The responder rules of conf/cohorts.yaml at their boundaries (TRIAL.md section 4). */
class ResponderRuleTest {
  static final AggregateConfig CONF = AggregateConfig.load(SharedData.projectDir().resolve("conf"));

  static Boolean responds(String cohort, double baseline, double value) {
    return CONF.cohorts().get(cohort).rule().responds(baseline, value);
  }

  @Test
  void everyCohortOfTheTrialHasAScoreAndARule() {
    assertEquals(
        java.util.List.of("RA", "AS", "SLE", "PSO", "BEH", "GPA", "TAK", "CD", "UC", "AIH", "PSC"),
        java.util.List.copyOf(CONF.cohorts().keySet()));
    assertEquals("DAS28CRP", CONF.cohorts().get("RA").scoreTest());
    assertEquals("RA", CONF.cohortOfDisease("Rheumatoid arthritis").code());
    assertNull(CONF.cohortOfDisease("Type 1 diabetes"));
    assertEquals("ALL", CONF.pooled());
  }

  @Test
  void raEularGoodOrModerate() {
    assertTrue(responds("RA", 5.0, 3.7)); // decrease 1.3 > 1.2 (good or moderate whatever the end)
    assertTrue(responds("RA", 6.5, 5.0)); // 1.5 > 1.2 though final > 5.1: moderate
    assertTrue(responds("RA", 5.0, 4.3)); // 0.7 > 0.6 and 4.3 <= 5.1: moderate
    assertFalse(responds("RA", 6.0, 5.3)); // 0.7 but final 5.3 > 5.1: none
    assertFalse(responds("RA", 4.0, 3.4)); // decrease exactly 0.6 is not > 0.6
    assertFalse(responds("RA", 4.0, 4.5)); // worse
  }

  @Test
  void percentRules() {
    assertTrue(responds("AS", 6.0, 3.0)); // BASDAI50 at exactly 50%
    assertFalse(responds("AS", 6.0, 3.1));
    assertTrue(responds("PSC", 2.0, 1.6)); // ALP -20%
    assertTrue(responds("PSC", 1.1, 1.0)); // normal (<= 1 x ULN) though only -9%
    assertFalse(responds("PSC", 2.0, 1.7));
    assertTrue(responds("UC", 8, 5)); // -3 points and -37.5%
    assertFalse(responds("UC", 12, 9)); // -3 points but only -25%
    assertFalse(responds("UC", 4, 2)); // -50% but only -2 points
  }

  @Test
  void thresholdRules() {
    assertTrue(responds("GPA", 4, 0));
    assertFalse(responds("GPA", 4, 1));
    assertTrue(responds("TAK", 3, 1));
    assertFalse(responds("TAK", 3, 2));
    assertTrue(responds("CD", 6, 4)); // HBI < 5
    assertFalse(responds("CD", 6, 5)); // 5 is not < 5 and the fall is 1
    assertTrue(responds("CD", 12, 9)); // fall of 3
    assertTrue(responds("SLE", 8, 4));
    assertFalse(responds("SLE", 8, 5));
    assertTrue(responds("BEH", 3, 1));
    assertTrue(responds("AIH", 1.8, 1.0));
    assertFalse(responds("AIH", 1.8, 1.05));
  }

  @Test
  void missingValuesGiveNoVerdict() {
    assertNull(responds("GPA", Double.NaN, 0));
    assertNull(responds("RA", 5, Double.NaN));
  }

  @Test
  void theRuleReadsBack() {
    assertEquals(
        "(decrease > 1.2) or (decrease > 0.6 and value <= 5.1)",
        CONF.cohorts().get("RA").rule().describe());
    assertEquals("decrease >= 3 and % decrease >= 30", CONF.cohorts().get("UC").rule().describe());
  }

  @Test
  void everyProblemIsReportedAtOnce(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("cohorts.yaml"),
        """
        cohorts:
          RA:
            diseases: [Rheumatoid arthritis]
            responder: {decrease-more: 1}
          XX:
            diseases: [Rheumatoid arthritis]
            score: FOO
            responder: {value-max: low}
        """);
    Files.writeString(dir.resolve("features.yaml"), "ratios: [{name: 'a b', panel: P1}]\n");
    ConfigException e = assertThrows(ConfigException.class, () -> AggregateConfig.load(dir));
    String all = String.join("\n", e.problems());
    assertTrue(all.contains("cohorts.RA.score: missing"), all);
    assertTrue(all.contains("cohorts.RA.responder.decrease-more: unknown condition"), all);
    assertTrue(
        all.contains("cohorts.XX.diseases: 'Rheumatoid arthritis' is already in cohort RA"), all);
    assertTrue(all.contains("cohorts.XX.responder.value-max: 'low' is not a number"), all);
    assertTrue(all.contains("ratios[0].name"), all);
    assertTrue(all.contains("ratios[0]: needs panel, numerator and denominator"), all);
  }
}
