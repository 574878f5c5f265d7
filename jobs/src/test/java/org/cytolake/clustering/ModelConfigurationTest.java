package org.cytolake.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.SortedMap;
import org.cytolake.som.Metaclustering;
import org.cytolake.som.PhenotypeRule;
import org.cytolake.som.PhenotypeRules;
import org.cytolake.som.SomParams;
import org.junit.jupiter.api.Test;

/** {@link ModelConfiguration}: what a cluster model's fingerprint covers, without Spark (moved out of ClusterJob). */
class ModelConfigurationTest {
  static final List<String> COLS = List.of("cd3", "cd19");
  static final PhenotypeRules RULES =
      new PhenotypeRules(2.0, 3.5, List.of(PhenotypeRule.parse("T", "cd3+", COLS)));

  static SortedMap<String, String> entries(long seed, PhenotypeRules rules) {
    return ModelConfiguration.entries(
        "flowsom", COLS, SomParams.defaults(), Metaclustering.defaults(), 15, 2000, seed, rules);
  }

  @Test
  void everyFittingParameterAndTheRulesAreEntries() {
    SortedMap<String, String> c = entries(7, RULES);
    assertEquals(
        List.of(
            "algorithm",
            "columns",
            "metaclustering",
            "metaclusters",
            "phenotypes",
            "sample_per_file",
            "seed",
            "som"),
        List.copyOf(c.keySet()));
    assertEquals("flowsom", c.get("algorithm"));
    assertEquals("cd3,cd19", c.get("columns"));
    assertEquals(SomParams.defaults().toString(), c.get("som"));
    assertEquals(Metaclustering.defaults().toString(), c.get("metaclustering"));
    assertEquals("15", c.get("metaclusters"));
    assertEquals("2000", c.get("sample_per_file"));
    assertEquals("7", c.get("seed"));
    assertEquals(RULES.toString(), c.get("phenotypes"));
  }

  @Test
  void aChangedSeedOrRuleChangesTheFingerprint() {
    String fp = ClusterModel.fingerprint(entries(7, RULES));
    assertEquals(fp, ClusterModel.fingerprint(entries(7, RULES)));
    assertNotEquals(fp, ClusterModel.fingerprint(entries(8, RULES)));
    assertNotEquals(
        fp, ClusterModel.fingerprint(entries(7, new PhenotypeRules(2.0, 3.5, List.of()))));
  }
}
