package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cytolake.config.ClusteringConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.generate.SeparableSamples;
import org.cytolake.scoring.Evaluation;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EvaluateJob} on the whole of separable samples: ingest every panel into a temp lake, cluster with flowsom
 * (conf/clustering.yaml: k = 15, seed 1), then score the clusterings and the gating of conf/gating against
 * {@code truth/event_labels.csv.gz}. Checks that every panel is scored for both, that the number of scored events is
 * the number of labelled events of the ingested files that conf maps to a reference population (counted here from
 * the ledger and the truth file independently of the job), the quality floors, and that most events' metacluster
 * label (conf/clustering.yaml rules) agrees with their truth population.
 */
class EvaluateJobIT {
  @TempDir static Path dir;
  static EvaluateJob.Result result;

  /** Per panel: labelled events of ingested files whose truth label maps to a reference population. */
  static Map<String, Long> expectedScored = new TreeMap<>();

  static long truthFiles;

  @BeforeAll
  static void ingestClusterEvaluate() throws Exception {
    Path home = SharedData.projectDir();
    Path samples = SeparableSamples.dir();
    String lake = dir.resolve("lake").toString();
    SparkSession spark = SparkTestSession.get();
    IngestFcsJob.run(
        spark,
        new IngestFcsJob.Options(
            samples.toString(),
            samples.resolve("manifest.csv").toString(),
            lake,
            home.resolve("conf"),
            home.resolve("schemas"),
            "evaluate-it-ingest"));
    ClusterJob.run(
        spark,
        new ClusterJob.Options(
            lake,
            home.resolve("conf"),
            home.resolve("schemas"),
            "flowsom",
            0,
            null,
            null,
            "evaluate-it-cluster"));
    Path labels = samples.resolve("truth/event_labels.csv.gz");
    result =
        EvaluateJob.run(
            spark,
            new EvaluateJob.Options(
                lake,
                labels.toString(),
                null,
                home.resolve("conf"),
                home.resolve("schemas"),
                "evaluate-it"));

    Map<String, String> panelOfPath = new HashMap<>();
    for (Row r :
        spark
            .read()
            .parquet(lake + "/ingest_ledger")
            .where("sample_id is not null")
            .collectAsList()) {
      panelOfPath.put(r.<String>getAs("path"), r.getAs("panel"));
    }
    ClusteringConfig clustering = ClusteringConfig.load(CytolakeConfig.load(home.resolve("conf")));
    Set<String> files = new HashSet<>();
    Map<String, String> panelOfFile = new HashMap<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(labels)), StandardCharsets.UTF_8))) {
      r.readLine();
      for (String line; (line = r.readLine()) != null; ) {
        String[] f = line.split(",", 3);
        if (files.add(f[0])) {
          panelOfPath.forEach(
              (path, panel) -> {
                if (path.endsWith("/" + f[0])) {
                  panelOfFile.put(f[0], panel);
                }
              });
        }
        String panel = panelOfFile.get(f[0]);
        if (panel != null && clustering.referencePopulations(panel).populationOf(f[2]) != null) {
          expectedScored.merge(panel, 1L, Long::sum);
        }
      }
    }
    truthFiles = files.size();
  }

  static Evaluation evaluation(String panel, String algorithm) {
    return result.evaluations().stream()
        .filter(e -> e.panel().equals(panel) && e.algorithm().equals(algorithm))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no evaluation of " + panel + " " + algorithm + " in " + result.evaluations()));
  }

  @Test
  void everyPanelIsScoredOnItsLabelledEvents() {
    assertEquals(truthFiles, result.labelledFiles() + result.skippedFiles());
    assertTrue(
        result.skippedFiles() > 0, "separable samples has quarantined files with truth rows");
    for (String panel : List.of("P1", "P2", "P3")) {
      for (String algorithm : List.of("flowsom", EvaluateJob.GATING)) {
        Evaluation e = evaluation(panel, algorithm);
        assertEquals(expectedScored.get(panel), e.scoredEvents(), panel + " " + algorithm);
        System.out.printf(
            "separable samples evaluate %s %s: mean F1 %.4f %s; label agreement %.4f%n",
            panel, algorithm, e.meanF1(), e.perPopulation(), e.labelAgreement());
      }
    }
  }

  @Test
  void qualityFloors() {
    assertTrue(
        evaluation("P3", "flowsom").meanF1() >= 0.9,
        () -> "P3 flowsom " + evaluation("P3", "flowsom"));
    // Issue 7's target (mean F1 >= 0.9) on every panel, for the populations the clusters table
    // names: metaclusters
    // merged by their phenotype label. Raw metaclusters (k = 15 for 4-6 populations) split CD4/CD8
    // T on P1/P2.
    String byLabel = "flowsom" + EvaluateJob.BY_LABEL;
    for (String panel : List.of("P1", "P2", "P3")) {
      assertTrue(
          evaluation(panel, byLabel).meanF1() >= 0.9,
          () -> panel + " " + evaluation(panel, byLabel));
      assertTrue(
          evaluation(panel, byLabel).meanF1() >= evaluation(panel, "flowsom").meanF1(), panel);
      assertEquals(expectedScored.get(panel), evaluation(panel, byLabel).scoredEvents(), panel);
    }
    for (String panel : List.of("P1", "P3")) {
      assertTrue(evaluation(panel, EvaluateJob.GATING).meanF1() >= 0.9, panel + " gating");
    }
  }

  @Test
  void mostEventsCarryTheirTruthPopulationAsClusterLabel() {
    for (String panel : List.of("P1", "P2", "P3")) {
      Evaluation e = evaluation(panel, "flowsom");
      assertTrue(
          e.labelAgreement() >= 0.9,
          () -> panel + " label agreement " + e.labelAgreement() + " " + e.metaclusterMajority());
    }
  }

  @Test
  void jsonHasMeanF1AndPerPopulationPerPanelAndAlgorithm() {
    JsonNode json = EvaluateJob.toJson(result.evaluations());
    for (String panel : List.of("P1", "P2", "P3")) {
      for (String algorithm : List.of("flowsom", EvaluateJob.GATING)) {
        JsonNode a = json.path(panel).path(algorithm);
        assertTrue(a.path("mean_f1").isNumber(), panel + " " + algorithm + ": " + a);
        assertEquals(
            evaluation(panel, algorithm).perPopulation().keySet(),
            new HashSet<>(iterable(a.path("per_population").fieldNames())));
      }
    }
    assertTrue(json.path("P3").path("flowsom").path("label_agreement").isNumber());
  }

  /**
   * The separable samples: every population a bounded box, every threshold mid-gap, so each
   * sample's gated % of parent equals the truth's, for every population the truth names, on
   * every panel; P2's memory subsets (gates CD4_naive, ...) have no truth population of that name.
   */
  @Test
  void gatedPercentOfParentMatchesTheTruthPerSampleOnSeparableData() {
    JsonNode json = EvaluateJob.toJson(result.evaluations(), result.accuracy());
    for (String panel : List.of("P1", "P2", "P3")) {
      JsonNode populations = json.path(panel).path(EvaluateJob.GATING).path("population_accuracy");
      assertTrue(populations.size() >= 9, () -> panel + " " + populations);
      for (JsonNode p : populations) {
        assertTrue(p.path("samples").asInt() >= 30, () -> panel + " " + p);
        assertEquals(0.0, p.path("max_abs_error_pp").asDouble(), () -> panel + " " + p);
        assertEquals(0, p.path("misassigned_events").asLong(), () -> panel + " " + p);
      }
    }
    assertTrue(
        json.path("P1")
            .path(EvaluateJob.GATING)
            .path("population_accuracy")
            .has("cells/singlets/live/lymphocytes/T/CD4/Treg"));
    assertTrue(json.path("P2").path(EvaluateJob.GATING).path("without_truth").size() > 0);
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
