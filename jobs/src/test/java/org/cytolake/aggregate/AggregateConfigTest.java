package org.cytolake.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cytolake.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is optional in cohorts.yaml and features.yaml, and what a cohort without it gets. */
class AggregateConfigTest {

  @Test
  void aCohortNeedsOnlyItsDiseases(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("cohorts.yaml"),
        """
        cohorts:
          HD:
            diseases: [Healthy donor]
          RA:
            diseases: [Rheumatoid arthritis]
            score: DAS28CRP
        """);
    AggregateConfig c = AggregateConfig.load(dir);
    CohortDefinition hd = c.cohortOfDisease("Healthy donor");
    assertEquals("HD", hd.code());
    assertNull(hd.scoreTest());
    assertNull(hd.rule());
    assertEquals("ALL", c.pooled());
    // A score without a rule: rows with their change, but no responder flag and no rule text.
    CohortDefinition ra = c.cohorts().get("RA");
    assertEquals("DAS28CRP", ra.scoreTest());
    assertNull(ra.rule());
    ClinicalResponse r = ClinicalResponse.of(ra, "P-1", "M6", 183, 3.1, 5.2, "D1");
    assertNull(r.responder());
    assertNull(r.rule());
    assertEquals(-2.1, r.change(), 1e-12);
    // No score: no response to score.
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClinicalResponse.of(hd, "P-2", "stim", null, 1, 1, "unstim"));
    assertTrue(
        e.getMessage().startsWith("Cannot score the response of cohort HD: "), e.getMessage());
    // features.yaml absent: the gated populations' percentages only.
    assertSame(AggregateConfig.FEATURES_DEFAULT, c.features());
    assertTrue(c.features().medians().isEmpty() && c.features().ratios().isEmpty());
    assertNull(c.features().absolute());
    assertNull(c.features().clusterAlgorithm());
  }

  @Test
  void bothFilesMayBeAbsent(@TempDir Path dir) {
    AggregateConfig c = AggregateConfig.load(dir);
    assertTrue(c.cohorts().isEmpty());
    assertEquals(AggregateConfig.POOLED_DEFAULT, c.pooled());
    assertNull(c.cohortOfDisease("Healthy donor"));
    assertSame(AggregateConfig.FEATURES_DEFAULT, c.features());
  }

  @Test
  void aRuleWithoutAScoreAndUnknownKeysAreNamedByFileAndKey(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("cohorts.yaml");
    Files.writeString(
        f,
        """
        cohorts:
          HD:
            diseases: [Healthy donor]
            responder: {decrease-min: 1}
          RA:
            diseases: [Rheumatoid arthritis]
            scores: DAS28CRP
          SLE:
            diseases: [Systemic lupus erythematosus]
            score: [SLEDAI2K]
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> AggregateConfig.load(dir));
    assertEquals(
        List.of(
            f
                + ": cohorts.HD.score: missing; the responder rule judges the cohort's score (the "
                + "disease_scores.test_code): give one, or leave out the responder rule",
            f + ": cohorts.RA.scores: unknown key (known: [diseases, score, responder])",
            f
                + ": cohorts.SLE.score: must be a disease_scores.test_code (QSTESTCD), not "
                + "'[\"SLEDAI2K\"]'"),
        e.problems());
    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void theReportsPooledCohortIsTheConfiguredOne(@TempDir Path dir) throws Exception {
    List<String> warnings = new ArrayList<>();
    assertEquals("ALL", AggregateConfig.pooledOrDefault(dir, warnings));
    Files.writeString(
        dir.resolve("cohorts.yaml"),
        """
        pooled-cohort: EVERYONE
        cohorts:
          HD:
            diseases: [Healthy donor]
        """);
    assertEquals("EVERYONE", AggregateConfig.pooledOrDefault(dir, warnings));
    assertEquals(List.of(), warnings);
  }

  @Test
  void aReportOverUnreadableCohortsPoolsAsAllAndSaysWhy(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("cohorts.yaml"), "cohorts: [not, a, mapping\n");
    List<String> warnings = new ArrayList<>();
    assertEquals(AggregateConfig.POOLED_DEFAULT, AggregateConfig.pooledOrDefault(dir, warnings));
    assertEquals(1, warnings.size());
    assertTrue(
        warnings
            .get(0)
            .startsWith("cannot read the pooled cohort from " + dir.resolve("cohorts.yaml") + ": "),
        warnings.get(0));
    assertTrue(warnings.get(0).endsWith("; using ALL"), warnings.get(0));
  }

  /** The shipped features.yaml: metacluster marker medians per panel, beside the abundances. */
  @Test
  void metaclusterMarkerMediansAreDeclaredPerPanel() throws Exception {
    AggregateConfig c =
        AggregateConfig.load(org.cytolake.testing.SharedData.projectDir().resolve("conf"));
    assertEquals("flowsom", c.features().clusterAlgorithm());
    assertEquals(
        java.util.Map.of(
            "P1",
            java.util.List.of("cd25", "foxp3", "helios"),
            "P2",
            java.util.List.of("hla_dr", "cd38")),
        c.features().clusterMedians());
    // their scales come with the gated populations' (panels.yaml units), under "metaclusters"
    assertEquals(
        java.util.List.of("cd25", "foxp3", "helios"),
        c.features().allMedians().get("P1").get("metaclusters"));
    assertEquals(
        java.util.List.of("cd25", "foxp3", "helios"),
        c.features().allMedians().get("P1").get("Treg"));
  }

  @Test
  void metaclusterMediansNeedAnAlgorithm(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("features.yaml"), "clusters:\n  medians: {P1: [cd25]}\n");
    Exception e = assertThrows(Exception.class, () -> AggregateConfig.load(dir));
    assertTrue(
        e.getMessage().contains("clusters.medians: needs clusters.algorithm"), e.getMessage());
  }
}
