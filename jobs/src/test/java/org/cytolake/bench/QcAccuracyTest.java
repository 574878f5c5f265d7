package org.cytolake.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.cytolake.generate.GenerateOptions;
import org.cytolake.generate.TrialGenerator;
import org.cytolake.qc.QcParams;
import org.cytolake.testing.SharedData;
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

  /**
   * The committed data-samples (the realistic model at the README's depth: 11 patients, P1 files of
   * about 4,500 events, P2/P3 about 2,250, anomalies in a tenth of the files). Measured 2026-12-04
   * with the defaults: precision 1.0000; overall recall 0.680 (margin 1.000, clog 0.506, bubble
   * 0.010); 0.30% of the events of files without an injected anomaly flagged (all of them margin
   * events the truth marks too). Recall is low because most files are too small for the time
   * checks: {@code minBins} × {@code minEventsPerBin} = 20 × 150 = 3,000 events are needed (62 of
   * the 95 ingested samples are {@code TOO_SMALL}, margins only, as in PeacoQC, which also needs
   * enough cells per bin); on the files deep enough, recall is 0.861. The bounds are these
   * measured levels less a margin; issue 16's recall target (0.9) is met on deeper files only
   * (the test above, and BENCHMARKS.md).
   */
  @Test
  void onDataSamplesFlagsOnlyAnomaliesAndFindsThemWhereFilesAreDeepEnough() throws Exception {
    Path samples = SharedData.projectDir().resolve("data-samples");
    QcParams params = QcParams.defaults();
    QcAccuracy.Result r = QcAccuracy.measure(samples, params);
    assertTrue(r.anomalous() > 1000 && r.cleanEvents() > 100_000, "anomalies and clean files");
    assertTrue(r.precision() >= 0.99, "precision " + r.precision());
    assertTrue(r.cleanShare() <= 0.005, "share flagged in clean files " + r.cleanShare());
    assertTrue(recall(r, "margin") >= 0.99, "margin recall " + recall(r, "margin"));
    assertTrue(r.recall() >= 0.6, "recall " + r.recall());
    int deep = params.minBins() * params.minEventsPerBin();
    long anomalous = 0;
    long found = 0;
    for (QcAccuracy.FileRow f : r.files()) {
      if (f.events() >= deep) {
        anomalous += f.anomalous();
        found += f.truePositive();
      }
    }
    double deepRecall = (double) found / anomalous;
    assertTrue(deepRecall >= 0.8, "recall in files of >= " + deep + " events: " + deepRecall);
    assertTrue(deepRecall > r.recall(), "deep files are where time checks work");
  }

  private static double recall(QcAccuracy.Result r, String kind) {
    return (double) r.foundByKind().getOrDefault(kind, 0L) / r.truthByKind().get(kind);
  }
}
