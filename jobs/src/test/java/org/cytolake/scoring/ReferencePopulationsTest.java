package org.cytolake.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReferencePopulationsTest {
  private final ReferencePopulations ref =
      new ReferencePopulations(
          Map.of(
              "live/lymphocytes/T",
              "T",
              "live/lymphocytes/T/CD4/Treg",
              "Treg",
              "live/granulocytes",
              "granulocytes"));

  @Test
  void longestSegmentAlignedPrefixWins() {
    assertEquals("T", ref.populationOf("live/lymphocytes/T"));
    assertEquals("T", ref.populationOf("live/lymphocytes/T/CD8/naive"));
    assertEquals("Treg", ref.populationOf("live/lymphocytes/T/CD4/Treg/aTreg/Helios+"));
    assertEquals("granulocytes", ref.populationOf("live/granulocytes"));
  }

  @Test
  void unmatchedAndUnlabeledPathsAreLeftOut() {
    assertNull(ref.populationOf("live/lymphocytes/Tother"));
    assertNull(ref.populationOf("debris"));
    assertNull(ref.populationOf("Unlabeled"));
    assertNull(ref.populationOf(null));
  }

  @Test
  void identityKeepsPathsButNotUnassigned() {
    assertEquals("a/b", ReferencePopulations.identity().populationOf("a/b"));
    assertNull(ReferencePopulations.identity().populationOf("unassigned"));
  }

  @Test
  void rejectsTrailingSlashAndBlankNames() {
    assertThrows(IllegalArgumentException.class, () -> new ReferencePopulations(Map.of("a/", "x")));
    assertThrows(IllegalArgumentException.class, () -> new ReferencePopulations(Map.of("a", " ")));
  }
}
