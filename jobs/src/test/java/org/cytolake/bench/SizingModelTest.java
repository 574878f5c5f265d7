package org.cytolake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SizingModelTest {
  @Test
  void coresOfAMaster() {
    assertEquals(8, SizingModel.cores("local[*]", 8));
    assertEquals(1, SizingModel.cores("local", 8));
    assertEquals(4, SizingModel.cores("local[4]", 8));
    assertEquals(3, SizingModel.cores("local[3,2]", 8));
    assertEquals(2, SizingModel.cores("local-cluster[2,1,4096]", 8));
    assertEquals(6, SizingModel.cores("local-cluster[3, 2, 1024]", 8));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SizingModel.cores("spark://host:7077", 8));
    assertTrue(e.getMessage().contains("spark://host:7077"), e.getMessage());
  }

  private static SizingModel.Run run(String name, long events, int files, int cores, double a) {
    SizingModel.Terms ingest = new SizingModel.Terms(5, 0.002, 0.03, 3e-6);
    SizingModel.Terms gate = new SizingModel.Terms(2, 0, 0.01, 1e-6);
    double i = ingest.predict(events, files, cores) * a;
    double g = gate.predict(events, files, cores) * a;
    return new SizingModel.Run(
        name,
        events,
        files,
        cores,
        "local[" + cores + "]",
        i + g,
        Map.of("ingest-fcs", i, "gate", g),
        100,
        0);
  }

  @Test
  void recoversTheTermsThatMadeTheRuns() {
    List<SizingModel.Run> runs = new ArrayList<>();
    for (long e : List.of(1_000_000L, 10_000_000L)) {
      for (int f : List.of(100, 1400)) {
        for (int p : List.of(1, 2)) {
          runs.add(run(e + "-" + f + "-" + p, e, f, p, 1));
        }
      }
    }
    SizingModel.Fit fit = SizingModel.fit(runs);
    SizingModel.Terms t = fit.steps().get("ingest-fcs");
    assertEquals(5, t.fixed(), 1e-6);
    assertEquals(0.002, t.perFile(), 1e-9);
    assertEquals(0.03, t.perFileWork(), 1e-9);
    assertEquals(3e-6, t.perEvent(), 1e-12);
    assertEquals(0, fit.steps().get("gate").perFile(), 1e-9);
    for (SizingModel.Run r : runs) {
      assertEquals(r.nightSeconds(), fit.predictNight(r.events(), r.files(), r.cores()), 1e-6);
    }
    assertEquals(7, fit.night().fixed(), 1e-6);
  }

  @Test
  void neverFitsANegativeTerm() {
    // y falls with x: unconstrained least squares would give the slope -1.
    double[][] x = {{1, 1}, {1, 2}, {1, 3}};
    double[] y = {3, 2, 1};
    double[] b = SizingModel.nonNegativeLeastSquares(x, y);
    assertEquals(2, b[0], 1e-9);
    assertEquals(0, b[1], 1e-12);
    // Nothing fits better than all zeros when every y is negative.
    double[] zero = SizingModel.nonNegativeLeastSquares(x, new double[] {-1, -2, -3});
    assertEquals(0, zero[0]);
    assertEquals(0, zero[1]);
  }

  @Test
  void readsABenchResultAndRefusesAFailedNight() throws Exception {
    String ok =
        """
        {"machine": {"cores": 2},
         "details": {"nightly": {"status": "succeeded", "spark_master": "local-cluster[2,1,4096]",
           "events": 1000000, "fcs_files": 1422, "nightly_seconds": 300.5,
           "step_seconds": {"ingest-fcs": 40.0, "gate": 30.0},
           "driver_heap": {"peak_after_gc_mib": 512.0},
           "executor_peak_heap_in_use_mib": {"0": 900.0, "1": 1200.0}}}}
        """;
    SizingModel.Run r = SizingModel.run("a", new ObjectMapper().readTree(ok));
    assertEquals(2, r.cores());
    assertEquals(1_422, r.files());
    assertEquals(1_000_000, r.events());
    assertEquals(40.0, r.stepSeconds().get("ingest-fcs"));
    assertEquals(512.0, r.driverPeakAfterGcMib());
    assertEquals(1200.0, r.executorPeakHeapMib());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SizingModel.run(
                    "b", new ObjectMapper().readTree(ok.replace("\"succeeded\"", "\"failed\""))));
    assertTrue(e.getMessage().contains("b") && e.getMessage().contains("failed"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> SizingModel.run("c", new ObjectMapper().readTree("{\"ratios\": {}}")));
    assertThrows(IllegalArgumentException.class, () -> SizingModel.fit(List.of(r)));
  }

  @Test
  void printsThePredictedNights() {
    List<SizingModel.Run> runs =
        List.of(
            run("a", 1_000_000, 1400, 1, 1),
            run("b", 1_000_000, 1400, 2, 1),
            run("c", 10_000_000, 1400, 1, 1),
            run("d", 10_000_000, 100, 2, 1));
    SizingModel.Fit fit = SizingModel.fit(runs);
    String md =
        SizingModel.markdown(
            fit,
            List.of(run("e", 10_000_000, 1400, 2, 1.1)),
            List.of(1_000_000_000L),
            List.of(10, 100),
            100_000);
    assertTrue(md.contains("| e (held out) |"), md);
    assertTrue(md.contains("| 1e+09 | 10,000 |"), md);
    double tenCores = fit.predictNight(1e9, 10_000, 10) / 60;
    assertTrue(md.contains(String.format(java.util.Locale.ROOT, " %.1f |", tenCores)), md);
  }
}
