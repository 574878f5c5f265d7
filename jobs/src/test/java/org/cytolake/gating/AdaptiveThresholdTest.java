package org.cytolake.gating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

class AdaptiveThresholdTest {

  /** {@code n} values of a two-normal mixture, the first component with weight {@code w}. */
  static double[] mixture(long seed, int n, double w, double m1, double s1, double m2, double s2) {
    Random r = new Random(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextDouble() < w ? m1 + s1 * r.nextGaussian() : m2 + s2 * r.nextGaussian();
    }
    return x;
  }

  /** The minimum of the mixture's true density between its means, on a 1e-4 grid. */
  static double trueValley(double w, double m1, double s1, double m2, double s2) {
    NormalDistribution a = new NormalDistribution(m1, s1);
    NormalDistribution b = new NormalDistribution(m2, s2);
    double best = m1;
    double low = Double.MAX_VALUE;
    for (double x = m1; x <= m2; x += 1e-4) {
      double d = w * a.density(x) + (1 - w) * b.density(x);
      if (d < low) {
        low = d;
        best = x;
      }
    }
    return best;
  }

  @Test
  void valleyOfAnEvenMixtureIsTheTrueDensityMinimum() {
    double[] x = mixture(1, 5000, 0.5, 1.0, 0.4, 3.5, 0.4);
    AdaptiveThreshold.Resolution t =
        AdaptiveThreshold.resolve(AdaptiveThresholdSpec.valley(-1, 6, -1, 6, 9.9), x);
    assertFalse(t.fallbackUsed(), t.detail());
    assertEquals(trueValley(0.5, 1.0, 0.4, 3.5, 0.4), t.threshold(), 0.1, t.detail());
  }

  @Test
  void valleyOfAnUnevenMixtureLeansAwayFromTheLargeMode() {
    // 90% Tconv-like CD127+ at 3.5, 10% Treg-like CD127lo at 1.3, unequal spreads
    double w = 0.1;
    double[] x = mixture(7, 4000, w, 1.3, 0.35, 3.5, 0.3);
    AdaptiveThreshold.Resolution t =
        AdaptiveThreshold.resolve(AdaptiveThresholdSpec.valley(0, 5, 0, 5, 9.9), x);
    assertFalse(t.fallbackUsed(), t.detail());
    double truth = trueValley(w, 1.3, 0.35, 3.5, 0.3);
    assertEquals(truth, t.threshold(), 0.15, t.detail());
    assertTrue(t.threshold() > 1.3 && t.threshold() < 3.5, t.detail());
  }

  @Test
  void aUnimodalSampleFallsBackAndSaysWhy() {
    double[] x = mixture(3, 5000, 1.0, 2.0, 0.5, 0, 1);
    AdaptiveThreshold.Resolution t =
        AdaptiveThreshold.resolve(AdaptiveThresholdSpec.valley(0, 4, 0, 4, 2.45), x);
    assertTrue(t.fallbackUsed(), t.detail());
    assertEquals(2.45, t.threshold());
    assertTrue(t.detail().contains("no second mode"), t.detail());
  }

  @Test
  void overlappingModesWithoutAClearValleyFallBack() {
    // two components one sd apart: a single broad hump, or a shallow dip above the ratio
    double[] x = mixture(5, 5000, 0.5, 2.0, 0.5, 2.6, 0.5);
    AdaptiveThreshold.Resolution t =
        AdaptiveThreshold.resolve(AdaptiveThresholdSpec.valley(0, 5, 0, 5, 2.3), x);
    assertTrue(t.fallbackUsed(), t.detail());
    assertEquals(2.3, t.threshold());
  }

  @Test
  void aShallowValleyFallsBackUnderAStricterRatio() {
    double[] x = mixture(11, 5000, 0.5, 1.0, 0.5, 3.0, 0.5);
    AdaptiveThresholdSpec lax = AdaptiveThresholdSpec.valley(-1, 5, -1, 5, 2.2);
    AdaptiveThreshold.Resolution found = AdaptiveThreshold.resolve(lax, x);
    assertFalse(found.fallbackUsed(), found.detail());
    double ratio =
        Double.parseDouble(found.detail().replaceAll(".* with ([0-9.]+) of the smaller.*", "$1"));
    AdaptiveThresholdSpec strict =
        new AdaptiveThresholdSpec(
            lax.method(), -1, 5, -1, 5, null, Double.NaN, 2.2, 100, ratio / 2, 1.0);
    AdaptiveThreshold.Resolution t = AdaptiveThreshold.resolve(strict, x);
    assertTrue(t.fallbackUsed(), t.detail());
    assertTrue(t.detail().contains("above maxValleyRatio"), t.detail());
  }

  @Test
  void theThresholdIsMovedIntoItsBounds() {
    double[] x = mixture(1, 5000, 0.5, 1.0, 0.4, 3.5, 0.4);
    AdaptiveThreshold.Resolution t =
        AdaptiveThreshold.resolve(AdaptiveThresholdSpec.valley(-1, 6, 2.5, 3.0, 9.9), x);
    assertFalse(t.fallbackUsed());
    assertEquals(2.5, t.threshold(), t.detail());
    assertTrue(t.detail().contains("raised to bound 2.5"), t.detail());
  }

  @Test
  void tooFewValuesInTheWindowFallBack() {
    double[] x = mixture(1, 5000, 0.5, 1.0, 0.4, 3.5, 0.4);
    AdaptiveThreshold.Resolution t =
        AdaptiveThreshold.resolve(AdaptiveThresholdSpec.valley(10, 20, 10, 20, 12), x);
    assertTrue(t.fallbackUsed());
    assertTrue(t.detail().startsWith("0 values in window [10.0, 20.0]"), t.detail());
  }

  @Test
  void theResultDoesNotDependOnTheEventsOrder() {
    double[] x = mixture(13, 3000, 0.3, 1.0, 0.4, 3.0, 0.6);
    List<Double> shuffled = new ArrayList<>();
    for (double v : x) {
      shuffled.add(v);
    }
    Collections.shuffle(shuffled, new Random(99));
    double[] y = shuffled.stream().mapToDouble(Double::doubleValue).toArray();
    AdaptiveThresholdSpec spec = AdaptiveThresholdSpec.valley(-1, 5, -1, 5, 2);
    assertEquals(
        AdaptiveThreshold.resolve(spec, x), AdaptiveThreshold.resolve(spec, y), "bitwise equal");
  }

  @Test
  void silvermanBandwidthIsRsBwNrd0() {
    // R: bw.nrd0(1:10) = 1.719286 (sd 3.02765 < IQR 4.5 / 1.34)
    double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertEquals(1.719286404692283, AdaptiveThreshold.silvermanBandwidth(x), 1e-12);
  }

  @Test
  void theDensityIntegratesToOneWhenTheGridHoldsTheMass() {
    double[] x = mixture(17, 2000, 0.5, 0, 1, 0, 1);
    java.util.Arrays.sort(x);
    double h = AdaptiveThreshold.silvermanBandwidth(x);
    double[] d = AdaptiveThreshold.density(x, -10, 10, 512, h);
    double step = 20.0 / 511;
    double sum = 0;
    for (double v : d) {
      sum += v * step;
    }
    assertEquals(1.0, sum, 1e-3);
    // and it peaks near 0, where N(0, 1) does, at about 1/sqrt(2 pi)
    int peak = 0;
    for (int i = 1; i < d.length; i++) {
      peak = d[i] > d[peak] ? i : peak;
    }
    assertEquals(0, -10 + peak * step, 0.25);
    assertEquals(0.3989, d[peak], 0.04);
  }

  @Test
  void tailIsTheQuantileOfTheReference() {
    double[] x = mixture(19, 20_000, 1.0, 0, 1, 0, 1);
    AdaptiveThreshold.Resolution t =
        AdaptiveThreshold.resolve(AdaptiveThresholdSpec.tail("ref", 0.99, 9.0), x);
    assertFalse(t.fallbackUsed(), t.detail());
    assertEquals(2.3263, t.threshold(), 0.06, t.detail());
    assertEquals(org.cytolake.stats.Quantiles.type7(x, new double[] {0.99})[0], t.threshold(), 0.0);
  }

  @Test
  void tailOfATooSmallReferenceFallsBack() {
    double[] x = {0.1, 0.2, Double.NaN, 0.3};
    AdaptiveThreshold.Resolution t =
        AdaptiveThreshold.resolve(AdaptiveThresholdSpec.tail("Tconv", 0.99, 2.0), x);
    assertTrue(t.fallbackUsed());
    assertEquals(2.0, t.threshold());
    assertTrue(t.detail().contains("reference 'Tconv' has 3 values"), t.detail());
    AdaptiveThreshold.Resolution ok =
        AdaptiveThreshold.resolve(AdaptiveThresholdSpec.tail("Tconv", 0.5, 2.0).withMinCount(3), x);
    assertEquals(0.2, ok.threshold(), 1e-12);
  }

  /**
   * Real data: a FlowCAP-I DLBCL sample with the consensus manual-gating label of every event. On
   * FL4 (CD19) its labelled populations are two modes (label 1 median 536, label 2 median 204); the
   * valley lands between them and splits the labelled events as the analysts did for 99% of them.
   */
  @Test
  void onRealFlowCapDataTheValleySeparatesTheLabelledPopulations() throws Exception {
    Path csv = SharedData.sharedOrSkip("real/flowcap-dlbcl/DLBCL_flowcapI_with_labels.csv");
    List<String> lines = Files.readAllLines(csv);
    List<Double> fl4 = new ArrayList<>();
    List<Integer> label = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      fl4.add(Double.parseDouble(f[2]));
      label.add(Integer.parseInt(f[3].replace("\"", "")));
    }
    double[] x = fl4.stream().mapToDouble(Double::doubleValue).toArray();
    AdaptiveThreshold.Resolution t =
        AdaptiveThreshold.resolve(AdaptiveThresholdSpec.valley(0, 1023, 0, 1023, 700), x);
    assertFalse(t.fallbackUsed(), t.detail());
    int scored = 0;
    int agree = 0;
    for (int i = 0; i < x.length; i++) {
      if (label.get(i) == 0) {
        continue; // no consensus, left out of scoring as FlowCAP-I does
      }
      scored++;
      if ((x[i] >= t.threshold()) == (label.get(i) == 1)) {
        agree++;
      }
    }
    System.out.printf(
        java.util.Locale.ROOT,
        "FlowCAP-I DLBCL FL4 valley %.1f (%s): %d of %d labelled events on their side%n",
        t.threshold(),
        t.detail(),
        agree,
        scored);
    assertTrue(t.threshold() > 204 && t.threshold() < 536, t.detail());
    assertTrue(agree >= 0.99 * scored, agree + " of " + scored);
  }
}
