package org.cytolake.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.cytolake.generate.GenerateOptions;
import org.cytolake.generate.TrialGenerator;
import org.cytolake.qc.QcParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acquisition QC with its defaults against the anomaly truth of a small realistic trial (2
 * patients, 4 visits, 3 panels, anomalies in half of the files). The bounds are what was measured
 * (BENCHMARKS.md, "Acquisition QC accuracy"), less a margin: precision and the clean-file share
 * meet issue 16's targets (≥ 0.9, ≤ 1%); recall does not (clogs' gradual edges are missed, about
 * 18% of a clog's events), so its bound is the measured level, not the target.
 */
class QcAccuracyTest {
  @Test
  void flagsTheGeneratedAnomaliesAndLittleElse(@TempDir Path tmp) throws Exception {
    TrialGenerator.run(
        GenerateOptions.defaults(tmp)
            .withPatients(2)
            .withVisits(List.of("D1", "D8", "D15", "M1"))
            .withEventsPerSample(40_000)
            .withSeed(16)
            .withBadFraction(0)
            .withAnomalyFraction(0.5)
            .withThreads(1),
        line -> {});
    QcAccuracy.Result r = QcAccuracy.measure(tmp, QcParams.defaults());
    QcAccuracy.print(r, System.out);
    assertTrue(r.anomalous() > 0 && r.cleanEvents() > 0, "the trial has anomalies and clean files");
    assertTrue(r.precision() >= 0.99, "precision " + r.precision());
    assertTrue(r.recall() >= RECALL_FLOOR, "recall " + r.recall());
    assertTrue(r.cleanShare() <= 0.01, "share flagged in clean files " + r.cleanShare());
    assertTrue(recall(r, "margin") >= 0.99, "margin recall " + recall(r, "margin"));
    assertTrue(recall(r, "bubble") >= 0.85, "bubble recall " + recall(r, "bubble"));
    assertTrue(recall(r, "clog") >= 0.75, "clog recall " + recall(r, "clog"));
  }

  /**
   * Measured 0.892 (seed 16: precision 0.9994; recall clog 0.827, bubble 0.924, margin 1.000; clean
   * files 0.29% flagged, all of it margin events that the truth marks too), less a margin; issue
   * 16's target is 0.9.
   */
  private static final double RECALL_FLOOR = 0.85;

  private static double recall(QcAccuracy.Result r, String kind) {
    return (double) r.foundByKind().getOrDefault(kind, 0L) / r.truthByKind().get(kind);
  }
}
