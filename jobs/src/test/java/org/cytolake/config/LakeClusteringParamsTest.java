package org.cytolake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cytolake.som.Metaclustering;
import org.cytolake.som.PhenotypeRule;
import org.cytolake.som.PhenotypeRules;
import org.cytolake.som.SomParams;
import org.junit.jupiter.api.Test;

/** The SOM, metaclustering and phenotype rules of the lake's clustering, built from conf/clustering.yaml. */
class LakeClusteringParamsTest {
  static final ClusteringConfig DEFAULTS = ClusteringConfig.defaults(Path.of("clustering.yaml"));

  @Test
  void theFilesDefaultsAreFlowSomsButForK() {
    assertEquals(SomParams.defaults(), DEFAULTS.somParams());
    assertEquals(
        Metaclustering.defaults().withK(ClusteringConfig.METACLUSTERS_DEFAULT),
        DEFAULTS.metaclustering());
    assertEquals(15, DEFAULTS.metaclustering().k());
    assertEquals(0, Metaclustering.defaults().k());
  }

  @Test
  void gridKAndSeedComeFromTheFile() {
    ClusteringConfig c =
        new ClusteringConfig(
            Path.of("clustering.yaml"), 4, 6, 0, 0, 9, 1.0, 2.0, Map.of(), Map.of());
    assertEquals(SomParams.defaults().withGrid(4, 6).withSeed(9), c.somParams());
    assertEquals(Metaclustering.defaults().withK(0).withSeed(9), c.metaclustering());
    assertEquals(
        SomParams.defaults().withSeed(5), DEFAULTS.withOverrides(null, 5L, null).somParams());
  }

  @Test
  void phenotypeRulesOfAPanel() {
    PhenotypeRule t = PhenotypeRule.parse("T", "cd3+", List.of("cd3"));
    ClusteringConfig c =
        new ClusteringConfig(
            Path.of("clustering.yaml"),
            10,
            10,
            15,
            0,
            1,
            1.5,
            3.0,
            Map.of("P1", List.of(t)),
            Map.of());
    assertEquals(new PhenotypeRules(1.5, 3.0, List.of(t)), c.phenotypeRules("P1"));
    assertEquals(new PhenotypeRules(1.5, 3.0, List.of()), c.phenotypeRules("P2"));
    assertEquals("T", c.phenotypeRules("P1").label(Map.of("cd3", 1.5)));
    assertEquals(PhenotypeRules.UNLABELED, c.phenotypeRules("P1").label(Map.of("cd3", 1.4)));
  }
}
