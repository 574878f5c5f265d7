package org.cytolake.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The training samples of a new model version: baseline by default, or as selected. */
class TrainingSelectionTest {
  private static final Map<String, String> VISITS = new LinkedHashMap<>();

  static {
    VISITS.put("S3", "M3");
    VISITS.put("S1", "D1");
    VISITS.put("S2", "D1");
    VISITS.put("S4", "M6");
  }

  @Test
  void theDefaultIsTheBaselineVisitsSamples() {
    TrainingSelection.Choice c = TrainingSelection.BASELINE.choose(VISITS, "D1");
    assertEquals(List.of("S1", "S2"), c.samples());
    assertFalse(c.fallback());
    assertEquals("the baseline visit (2 samples)", c.description());
  }

  @Test
  void withoutABaselineSampleTheDefaultTakesEverySampleAndSaysSo() {
    TrainingSelection.Choice c =
        TrainingSelection.BASELINE.choose(Map.of("S3", "M3", "S4", "M6"), "D1");
    assertEquals(List.of("S3", "S4"), c.samples());
    assertTrue(c.fallback());
    assertTrue(c.description().contains("none of baseline visit D1"), c.description());
  }

  @Test
  void visitsSamplesAndAllSelectWhatTheyName() {
    assertEquals(
        List.of("S3", "S4"),
        TrainingSelection.parse("visit=M3, M6").choose(VISITS, "D1").samples());
    assertEquals(
        List.of("S2", "S4"),
        TrainingSelection.parse("sample=S4,S2").choose(VISITS, "D1").samples());
    assertEquals(4, TrainingSelection.parse("all").choose(VISITS, "D1").samples().size());
    assertEquals("visit=M3,M6", TrainingSelection.parse("visit=M3,M6").toString());
  }

  @Test
  void aSelectionThatMatchesNothingIsAnErrorNamingWhatIsThere() {
    IllegalArgumentException v =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainingSelection.parse("visit=M9").choose(VISITS, "D1"));
    assertTrue(v.getMessage().contains("visit=M9") && v.getMessage().contains("[D1, M3, M6]"));
    IllegalArgumentException s =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainingSelection.parse("sample=S1,S9").choose(VISITS, "D1"));
    assertTrue(s.getMessage().contains("[S9]"), s.getMessage());
    IllegalArgumentException p =
        assertThrows(IllegalArgumentException.class, () -> TrainingSelection.parse("D1"));
    assertTrue(p.getMessage().contains("'D1'") && p.getMessage().contains("visit=V1"));
  }
}
