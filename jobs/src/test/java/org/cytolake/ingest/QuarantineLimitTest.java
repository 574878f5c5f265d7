package org.cytolake.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QuarantineLimitTest {
  private final QuarantineLimit half = new QuarantineLimit(0.5);

  @Test
  void everyFileQuarantinedIsDegradedNamingTheCountAndTheTopReasons() {
    String why =
        half.exceeded(
                List.of(
                    new QuarantineLimit.Share("FCS files", 16, 16),
                    new QuarantineLimit.Share("FCS events", 0, 0)),
                Map.of("TRUNCATED_DATA", 16L))
            .orElseThrow();
    assertEquals(
        "16 of 16 FCS files quarantined (100%): more than "
            + "ingest.max-quarantined-fraction 0.5; top reasons TRUNCATED_DATA=16 (see the "
            + "quarantine table)",
        why);
  }

  @Test
  void theShareAtTheLimitSucceedsAndJustAboveItDoesNot() {
    assertEquals(
        Optional.empty(),
        half.exceeded(List.of(new QuarantineLimit.Share("FCS files", 5, 10)), Map.of()));
    assertTrue(
        half.exceeded(List.of(new QuarantineLimit.Share("FCS files", 6, 10)), Map.of())
            .isPresent());
    // separable samples: 7 of 102 files and 49 of 2,453 records
    assertEquals(
        Optional.empty(),
        half.exceeded(
            List.of(
                new QuarantineLimit.Share("FCS files", 7, 102),
                new QuarantineLimit.Share("clinical records", 49, 2453)),
            Map.of("X", 56L)));
  }

  @Test
  void anyShareOverTheLimitCountsAndOnlyThoseAreNamed() {
    String why =
        half.exceeded(
                List.of(
                    new QuarantineLimit.Share("FCS files", 1, 10),
                    new QuarantineLimit.Share("FCS events", 900, 1000),
                    new QuarantineLimit.Share("clinical records", 0, 10)),
                Map.of("A", 1L, "B", 5L, "C", 3L, "D", 4L))
            .orElseThrow();
    assertTrue(why.startsWith("900 of 1000 FCS events quarantined (90%)"), why);
    assertTrue(!why.contains("FCS files") && !why.contains("clinical"), why);
    assertTrue(why.contains("top reasons B=5, D=4, C=3 ("), why);
  }

  @Test
  void noInputIsNotDegradedAndALimitOfZeroToleratesNothing() {
    assertEquals(
        Optional.empty(),
        half.exceeded(List.of(new QuarantineLimit.Share("FCS files", 0, 0)), Map.of()));
    assertTrue(
        new QuarantineLimit(0)
            .exceeded(List.of(new QuarantineLimit.Share("FCS files", 1, 1000)), Map.of())
            .isPresent());
    assertEquals(
        Optional.empty(),
        new QuarantineLimit(1)
            .exceeded(List.of(new QuarantineLimit.Share("FCS files", 10, 10)), Map.of()));
  }

  @Test
  void impossibleNumbersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new QuarantineLimit(1.5));
    assertThrows(IllegalArgumentException.class, () -> new QuarantineLimit(Double.NaN));
    assertThrows(
        IllegalArgumentException.class, () -> new QuarantineLimit.Share("FCS files", 3, 2));
  }
}
