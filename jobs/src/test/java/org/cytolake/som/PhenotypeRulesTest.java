package org.cytolake.som;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PhenotypeRulesTest {
  static final List<String> COLS = List.of("cd3", "cd4", "cd25", "cd127");

  final PhenotypeRules rules =
      new PhenotypeRules(
          2.0,
          3.5,
          List.of(
              PhenotypeRule.parse("Treg", "cd3+ cd4+ cd25hi cd127lo", COLS),
              PhenotypeRule.parse("CD4 T", "cd3+ cd4+", COLS)));

  @Test
  void firstMatchingRuleNamesTheCluster() {
    assertEquals("Treg", rules.label(Map.of("cd3", 4.0, "cd4", 3.0, "cd25", 3.6, "cd127", 2.5)));
    assertEquals("CD4 T", rules.label(Map.of("cd3", 4.0, "cd4", 3.0, "cd25", 3.4, "cd127", 2.5)));
    assertEquals(
        PhenotypeRules.UNLABELED,
        rules.label(Map.of("cd3", 1.0, "cd4", 3.0, "cd25", 0.0, "cd127", 0.0)));
  }
}
