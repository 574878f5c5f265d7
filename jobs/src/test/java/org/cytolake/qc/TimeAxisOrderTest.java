package org.cytolake.qc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimeAxisOrderTest {
  /** The order a stable sort of boxed indices gives: by time, ties in acquisition order. */
  private static int[] stableBoxed(double[] t) {
    Integer[] idx = new Integer[t.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Double.compare(t[a], t[b]));
    return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
  }

  @Test
  void sameOrderAsAStableSortWithTiesNaNsAndSignedZeros() {
    Random r = new Random(7);
    for (int n : new int[] {0, 1, 2, 31, 32, 33, 64, 65, 1000, 4097, 100_003}) {
      double[] t = new double[n];
      for (int i = 0; i < n; i++) {
        // Few distinct values: many ties, whose order must stay that of acquisition.
        t[i] = r.nextInt(Math.max(1, n / 10));
        if (r.nextInt(500) == 0) {
          t[i] = Double.NaN;
        } else if (r.nextInt(500) == 0) {
          t[i] = r.nextBoolean() ? 0.0 : -0.0;
        }
      }
      assertArrayEquals(stableBoxed(t), TimeAxis.timeOrder(t), "n = " + n);
    }
  }

  @Test
  void alreadyOrderedAndReversedTimes() {
    double[] up = new double[10_000];
    double[] down = new double[10_000];
    for (int i = 0; i < up.length; i++) {
      up[i] = i * 0.5;
      down[i] = -i * 0.5;
    }
    assertArrayEquals(stableBoxed(up), TimeAxis.timeOrder(up));
    assertArrayEquals(stableBoxed(down), TimeAxis.timeOrder(down));
  }
}
