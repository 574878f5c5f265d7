package org.cytolake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cytolake.generate.GenerateOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nightly benchmark's sizing, ratio arithmetic and configuration copy; never its timings. */
class NightlyBenchmarkTest {

  @Test
  void aTrialOfManyFilesHasEveryVisit() {
    NightlyBenchmark.Plan p = NightlyBenchmark.plan(10_000_000, 1400);
    assertEquals(47, p.patients());
    assertEquals(GenerateOptions.VISITS_DEFAULT, p.visits());
    assertEquals(1410, p.files());
    // 47 x 10 patient-visits of P1 events plus twice half of them
    assertEquals(10_638, p.eventsPerSample());
    assertEquals(47L * 10 * (10_638 + 2 * 5_319), p.events());
  }

  @Test
  void aTrialOfFewFilesHasThreeVisitsSoThatItKeepsPatients() {
    NightlyBenchmark.Plan p = NightlyBenchmark.plan(1_000_000, 100);
    assertEquals(11, p.patients());
    assertEquals(List.of("D1", "D8", "M6"), p.visits());
    assertEquals(99, p.files());
    assertEquals(15_152, p.eventsPerSample());
  }

  @Test
  void refusesTrialsTheGeneratorCannotMake() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> NightlyBenchmark.plan(1000, 2))
            .getMessage()
            .contains("--files must be >= 3"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> NightlyBenchmark.plan(1000, 30_000))
            .getMessage()
            .contains("more than the generator's"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> NightlyBenchmark.plan(10, 1400))
            .getMessage()
            .contains("P1 events per sample"));
  }

  @Test
  void eachRatioIsTheStepOverTheParquetWrite() {
    Map<String, Double> r =
        NightlyBenchmark.ratios(
            80, Map.of("ingest-fcs", 12.0, "gate", 6.0, "cluster", 20.0, "report", 1.0), 4);
    assertEquals(
        Map.of(
            "nightly_vs_parquet_write", 20.0,
            "ingest_fcs_vs_parquet_write", 3.0,
            "gate_vs_parquet_write", 1.5,
            "cluster_vs_parquet_write", 5.0),
        r);
    // a step the run did not list (e.g. it failed before) has no ratio
    assertEquals(
        Map.of("nightly_vs_parquet_write", 2.0, "ingest_fcs_vs_parquet_write", 1.0),
        NightlyBenchmark.ratios(8, Map.of("ingest-fcs", 4.0), 4));
    assertThrows(IllegalArgumentException.class, () -> NightlyBenchmark.ratios(8, Map.of(), 0));
  }

  @Test
  void theConfCopySetsOnlyTheTrainingSample(@TempDir Path tmp) throws Exception {
    Path conf = tmp.resolve("conf");
    Files.createDirectories(conf.resolve("gating"));
    Files.writeString(
        conf.resolve("clustering.yaml"),
        "clustering:\n  xdim: 10\n  sample-per-file: 0\n  seed: 1\n");
    Files.writeString(conf.resolve("gating/P1.yaml"), "x: 1\n");
    Path to = tmp.resolve("copy");
    NightlyBenchmark.copyConf(conf, to, 2000);
    assertEquals(
        "clustering:\n  xdim: 10\n  sample-per-file: 2000\n  seed: 1\n",
        Files.readString(to.resolve("clustering.yaml")));
    assertEquals("x: 1\n", Files.readString(to.resolve("gating/P1.yaml")));
    NightlyBenchmark.copyConf(conf, to, 0);
    assertEquals(
        Files.readString(conf.resolve("clustering.yaml")),
        Files.readString(to.resolve("clustering.yaml")));
  }
}
