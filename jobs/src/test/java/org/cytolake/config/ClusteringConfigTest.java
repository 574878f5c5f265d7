package org.cytolake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cytolake.scoring.ReferencePopulations;
import org.cytolake.som.PhenotypeRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ClusteringConfig}: conf/clustering.yaml's one loader, its defaults and its one validator. */
class ClusteringConfigTest {
  static final Path SHIPPED = ConfDirs.SHIPPED;

  /** A conf directory with the shipped panels and visits and this clustering.yaml (none for null). */
  static CytolakeConfig conf(Path dir, String... clusteringYaml) throws IOException {
    return ConfDirs.load(dir, ClusteringConfig.FILE, clusteringYaml);
  }

  @Test
  void theShippedFileLoads() {
    ClusteringConfig c = ClusteringConfig.load(CytolakeConfig.load(SHIPPED));
    assertEquals(
        List.of(10, 10, 15, 0, 1L),
        List.of(c.xdim(), c.ydim(), c.metaclusters(), c.samplePerFile(), c.seed()));
    assertEquals(List.of("P1", "P2", "P3"), List.copyOf(c.rules().keySet()));
    assertEquals("Treg", c.rules("P1").get(0).label());
    assertEquals(
        PhenotypeRule.parse(
            "Treg", "cd3+ cd4+ cd25hi cd127lo", List.of("cd3", "cd4", "cd25", "cd127")),
        c.rules("P1").get(0));
    assertEquals("T", c.reference("P3").get("cells/singlets/live/leukocytes/lymphocytes/T"));
    assertEquals(List.of(), c.rules("P9"));
    assertEquals(Map.of(), c.reference("P9"));
  }

  @Test
  void anAbsentFileGivesTheDefaults(@TempDir Path dir) throws Exception {
    ClusteringConfig c = ClusteringConfig.load(conf(dir));
    assertEquals(ClusteringConfig.defaults(dir.resolve("clustering.yaml")), c);
    assertEquals(
        List.of(10, 10, 15, 0, 1L, 2.0, 3.5),
        List.of(
            c.xdim(),
            c.ydim(),
            c.metaclusters(),
            c.samplePerFile(),
            c.seed(),
            c.positive(),
            c.high()));
  }

  @Test
  void anAbsentKeyTakesItsDefault(@TempDir Path dir) throws Exception {
    ClusteringConfig c =
        ClusteringConfig.load(conf(dir, "clustering:", "  seed: 7", "  metaclusters: 0"));
    assertEquals(ClusteringConfig.defaults(c.file()).withOverrides(null, 7L, 0), c);
  }

  @Test
  void commandLineValuesReplaceTheFilesOnlyWhereGiven() {
    ClusteringConfig c = ClusteringConfig.defaults(Path.of("clustering.yaml"));
    ClusteringConfig o = c.withOverrides(1000, null, 0);
    assertEquals(List.of(1000, 1L, 0), List.of(o.samplePerFile(), o.seed(), o.metaclusters()));
    assertEquals(c, c.withOverrides(null, null, null));
  }

  @Test
  void everyProblemIsReportedAtOnceNamingFileAndKey(@TempDir Path dir) throws Exception {
    CytolakeConfig config =
        conf(
            dir,
            "clustering:",
            "  xdim: 2.5",
            "  seed: one",
            "  positive: high",
            "  sample-per-file: -5",
            "  rules:",
            "    P1:",
            "      - {label: T}",
            "      - {label: X, phenotype: \"cd3* cd99+\"}",
            "    P9:",
            "      - {label: T, phenotype: \"cd3+\"}",
            "  reference:",
            "    P1: {'cells/': T, cells/live: ' '}",
            "    P2: [oops]");
    ConfigException e = assertThrows(ConfigException.class, () -> ClusteringConfig.load(config));
    String file = dir.resolve("clustering.yaml") + ": clustering.";
    List<String> expected =
        List.of(
            file + "xdim: '2.5' is not a whole number",
            file + "seed: 'one' is not a whole number",
            file + "positive: 'high' is not a number",
            file + "rules.P1[0]: needs a label and a phenotype",
            file + "rules.P1[1].phenotype: Cannot parse phenotype rule 'X': token 'cd3*'",
            file + "rules.P9: panel 'P9' is not in panels.yaml [P1, P2, P3]",
            file + "sample-per-file: -5 is negative",
            file
                + "reference.P1: Cannot read reference populations: prefixes must be non-blank paths without a "
                + "trailing '/' and names non-blank, but got ['cells/' -> 'T', 'cells/live' -> ' ']",
            file + "reference.P2: must map population path prefixes to reference populations");
    assertEquals(expected.size(), e.problems().size(), e.getMessage());
    for (int i = 0; i < expected.size(); i++) {
      assertTrue(
          e.problems().get(i).startsWith(expected.get(i)),
          expected.get(i) + "\nin\n" + e.getMessage());
    }
    assertTrue(e.problems().get(4).contains("'cd99'"), e.getMessage());
  }

  @Test
  void referenceProblemAcceptsPathsAndNames() {
    assertEquals(null, ReferencePopulations.problem(Map.of("a/b", "B", "a", "A")));
    assertTrue(ReferencePopulations.problem(Map.of("", "A")).contains("'' -> 'A'"));
  }
}
