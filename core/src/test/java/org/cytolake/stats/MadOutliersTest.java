package org.cytolake.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MadOutliersTest {
  /** R: x <- c(10, 11, 12, 13, 14, 40); median(x) 12.5, mad(x) 2.2239. */
  @Test
  void medianAndMadAreRs() {
    MadOutliers m = MadOutliers.of(new double[] {10, 11, 12, 13, 14, 40}, 3);
    assertEquals(12.5, m.median());
    assertEquals(2.2239, m.mad(), 1e-12);
    // |40 - 12.5| = 27.5 > 3 * 2.2239; |10 - 12.5| = 2.5 is not
    assertArrayEquals(
        new boolean[] {false, false, false, false, false, true},
        MadOutliers.flags(new double[] {10, 11, 12, 13, 14, 40}, 3));
    assertEquals(27.5 / 2.2239, m.distance(40), 1e-12);
  }

  @Test
  void theBoundaryItselfIsNotAnOutlierAndBothSidesCount() {
    // median 0, |x| deviations 1,1,0,1,1 -> MAD 1.4826; 3 MADs = 4.4478
    MadOutliers m = MadOutliers.of(new double[] {-1, -1, 0, 1, 1}, 3);
    assertFalse(m.isOutlier(3 * MadOutliers.CONSTANT));
    assertTrue(m.isOutlier(3 * MadOutliers.CONSTANT + 1e-9));
    assertTrue(m.isOutlier(-5));
  }

  @Test
  void nanIsLeftOutAndAZeroMadFlagsNothing() {
    assertArrayEquals(
        new boolean[] {false, false, false, true, false},
        MadOutliers.flags(new double[] {1, 2, 3, 100, Double.NaN}, 3));
    assertArrayEquals(
        new boolean[] {false, false, false, false},
        MadOutliers.flags(new double[] {5, 5, 5, 90}, 3));
    assertTrue(Double.isNaN(MadOutliers.of(new double[] {5, 5, 5, 90}, 3).distance(90)));
    assertArrayEquals(new boolean[0], MadOutliers.flags(new double[0], 3));
    assertThrows(IllegalArgumentException.class, () -> new MadOutliers(0, 1, 0));
  }
}
