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
import org.cytolake.scoring.Evaluation;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EvaluateJob} on the whole of the committed data-samples (the realistic model: populations
 * overlap, instruments drift, a tenth of the files carry acquisition anomalies): ingest every panel into a temp lake, cluster with flowsom
 * (conf/clustering.yaml: k = 15, seed 1), then score the clusterings and the gating of conf/gating against
 * {@code truth/event_labels.csv.gz}. Checks that every panel is scored for both, that the number of scored events is
 * the number of labelled events of the ingested files, left unflagged by acquisition QC, that conf maps to a reference population (counted here from
 * the ledger, the events tables' qc_flag and the truth file independently of the job), the quality floors, the per-sample gating accuracy within measured bounds, and that most events' metacluster
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
    Path samples = home.resolve("data-samples");
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
    Map<String, String> pathOfSample = new HashMap<>();
    for (Row r :
        spark
            .read()
            .parquet(lake + "/ingest_ledger")
            .where("sample_id is not null")
            .collectAsList()) {
      panelOfPath.put(r.<String>getAs("path"), r.getAs("panel"));
      pathOfSample.put(r.<String>getAs("sample_id"), r.getAs("path"));
    }
    // evaluate, like gate and cluster, reads the events acquisition QC left unflagged
    Set<String> flagged = new HashSet<>();
    for (String panel : List.of("p1", "p2", "p3")) {
      for (Row r :
          spark
              .read()
              .parquet(lake + "/events_" + panel)
              .where("qc_flag <> 0")
              .select("sample_id", "event_index")
              .collectAsList()) {
        flagged.add(pathOfSample.get(r.<String>getAs(0)) + "#" + r.getLong(1));
      }
    }
    assertTrue(!flagged.isEmpty(), "acquisition QC flags events of data-samples");
    ClusteringConfig clustering = ClusteringConfig.load(CytolakeConfig.load(home.resolve("conf")));
    Set<String> files = new HashSet<>();
    Map<String, String> panelOfFile = new HashMap<>();
    Map<String, String> pathOfFile = new HashMap<>();
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
                  pathOfFile.put(f[0], path);
                }
              });
        }
        String panel = panelOfFile.get(f[0]);
        if (panel != null
            && clustering.referencePopulations(panel).populationOf(f[2]) != null
            && !flagged.contains(pathOfFile.get(f[0]) + "#" + f[1])) {
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
    assertTrue(result.skippedFiles() > 0, "data-samples has quarantined files with truth rows");
    for (String panel : List.of("P1", "P2", "P3")) {
      for (String algorithm : List.of("flowsom", EvaluateJob.GATING)) {
        Evaluation e = evaluation(panel, algorithm);
        assertEquals(expectedScored.get(panel), e.scoredEvents(), panel + " " + algorithm);
        System.out.printf(
            "data-samples evaluate %s %s: mean F1 %.4f %s; label agreement %.4f%n",
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
   * Per sample |gated % of parent − truth %| on realistic data, bounded by what was measured on
   * data-samples (2026-12-04, conf/gating, no normalisation; the figures are in the README's
   * "Accuracy on data-samples"), each bound about 1.5× the measured 95th percentile so that a
   * moved threshold or a broken gate fails while the overlap of the populations does not:
   *
   * <ul>
   *   <li>scatter, viability and lineage gates (cells … T, CD4, CD8, B, NK, monocytes,
   *       granulocytes): measured p95 0.10-1.19 points (singlets, whose FSC-H/FSC-A ratio has
   *       real tails, the largest): bound 2 points;
   *   <li>Treg and Tconv of CD4 (the CD25/CD127 continuum): measured p95 1.87 (P1) and 2.49 (P2,
   *       whose Treg gate has no FOXP3): bound 4 points;
   *   <li>subsets of small parents (aTreg/rTreg and Helios+ of Treg, monocyte subsets,
   *       CD56bright/dim of NK): a P1 file holds 5-50 Tregs, so one event is 2-20 points; measured
   *       p95 2.8-23.2, max 34.4: bound 35 points on the p95 only.
   * </ul>
   */
  @Test
  void gatedPercentOfParentIsWithinMeasuredBoundsOnRealisticData() {
    JsonNode json = EvaluateJob.toJson(result.evaluations(), result.accuracy());
    int checked = 0;
    for (String panel : List.of("P1", "P2", "P3")) {
      JsonNode populations = json.path(panel).path(EvaluateJob.GATING).path("population_accuracy");
      assertTrue(populations.size() >= 9, () -> panel + " " + populations);
      var names = populations.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        JsonNode p = populations.get(name);
        String leaf = name.substring(name.lastIndexOf('/') + 1);
        double bound =
            SMALL_PARENT_SUBSETS.contains(leaf)
                ? 35
                : Set.of("Treg", "Tconv").contains(leaf) ? 4 : 2;
        assertTrue(p.path("samples").asInt() >= 30, () -> panel + " " + name + " " + p);
        assertTrue(
            p.path("p95_abs_error_pp").asDouble() <= bound,
            () -> panel + " " + name + ": p95 above " + bound + " points: " + p);
        assertTrue(
            p.path("median_abs_error_pp").asDouble() <= bound / 2,
            () -> panel + " " + name + ": median above " + bound / 2 + " points: " + p);
        checked++;
      }
    }
    assertTrue(checked >= 30, "populations checked: " + checked);
    assertTrue(
        json.path("P1")
            .path(EvaluateJob.GATING)
            .path("population_accuracy")
            .has("cells/singlets/live/lymphocytes/T/CD4/Treg"));
    assertTrue(json.path("P2").path(EvaluateJob.GATING).path("without_truth").size() > 0);
  }

  private static final Set<String> SMALL_PARENT_SUBSETS =
      Set.of(
          "aTreg",
          "rTreg",
          "Helios+",
          "classical",
          "intermediate",
          "nonclassical",
          "CD56bright",
          "CD56dim");

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
