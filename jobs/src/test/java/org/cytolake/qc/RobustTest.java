package org.cytolake.qc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RobustTest {
  @Test
  void quantilesBySelectionEqualTheSortedArraysBitForBit() {
    Random r = new Random(11);
    double[][] qsets = {{0.5}, {0.1, 0.5, 0.9}, {0.9, 0.01, 0.5, 0.5}, {0.0, 1.0}, {0.25, 0.75}};
    for (int trial = 0; trial < 400; trial++) {
      int n = 1 + r.nextInt(trial < 200 ? 40 : 5000);
      double[] v = new double[n + 3];
      for (int i = 0; i < n; i++) {
        switch (r.nextInt(4)) {
          case 0 -> v[i] = r.nextInt(5); // ties
          case 1 -> v[i] = r.nextBoolean() ? 0.0 : -0.0; // signed zeros
          default -> v[i] = r.nextGaussian() * 100;
        }
      }
      double[] sorted = Arrays.copyOf(v, n);
      Arrays.sort(sorted);
      for (double[] qs : qsets) {
        double[] out = new double[qs.length];
        Robust.quantilesBySelection(v.clone(), n, qs, out);
        for (int i = 0; i < qs.length; i++) {
          assertEquals(
              Robust.quantileSorted(sorted, n, qs[i]),
              out[i],
              "n " + n + " q " + qs[i] + " trial " + trial);
        }
      }
    }
  }
}
