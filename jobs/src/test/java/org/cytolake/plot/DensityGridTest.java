package org.cytolake.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DensityGridTest {

  @Test
  void binsAreMinInclusiveMaxExclusive() {
    BinAxis a = new BinAxis(0, 10, 5);
    assertEquals(0, a.index(0));
    assertEquals(0, a.index(1.999));
    assertEquals(1, a.index(2));
    assertEquals(4, a.index(9.999));
    assertEquals(5, a.index(10), "hi is outside");
    assertEquals(5, a.index(Double.POSITIVE_INFINITY));
    assertEquals(BinAxis.BELOW, a.index(-0.001));
    assertEquals(BinAxis.BELOW, a.index(Double.NEGATIVE_INFINITY));
    assertEquals(BinAxis.MISSING, a.index(Double.NaN));
    assertEquals(2.0, a.edge(1));
    assertEquals(3.0, a.center(1));
    assertEquals(2.0, a.width());
  }

  @Test
  void paddedWidensByFivePercentAndHandlesADegenerateRange() {
    BinAxis a = BinAxis.padded(0, 100, 10);
    assertEquals(-5, a.lo(), 1e-12);
    assertEquals(105, a.hi(), 1e-12);
    BinAxis d = BinAxis.padded(3, 3, 10);
    assertTrue(d.lo() < 3 && d.hi() > 3, d.toString());
    assertThrows(IllegalArgumentException.class, () -> new BinAxis(1, 1, 10));
    assertThrows(IllegalArgumentException.class, () -> new BinAxis(0, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> BinAxis.padded(0, Double.NaN, 10));
  }

  @Test
  void aTwoDimensionalGridCountsEveryEventOnce() {
    BinAxis x = new BinAxis(0, 4, 4);
    BinAxis y = new BinAxis(0, 2, 2);
    DensityGrid g =
        DensityGrid.of(
            x,
            y,
            new double[] {0.5, 0.5, 3.5, 5, 1, Double.NaN},
            new double[] {0.5, 0.6, 1.5, 1, -1, 1});
    assertTrue(g.is2d());
    assertEquals(2, g.count(0, 0));
    assertEquals(1, g.count(3, 1));
    assertEquals(3, g.binned());
    assertEquals(2, g.outside());
    assertEquals(1, g.missing());
    assertEquals(6, g.total());
    assertEquals(2, g.max());
  }

  @Test
  void aHistogramHasOneRowAndIgnoresY() {
    DensityGrid g =
        DensityGrid.of(new BinAxis(0, 1, 10), null, new double[] {0.05, 0.15, 0.16}, null);
    assertFalse(g.is2d());
    assertEquals(1, g.count(0, 0));
    assertEquals(2, g.count(1, 0));
    assertEquals(10, g.counts().length);
  }

  @Test
  void mergingPartsEqualsBinningTheWhole() {
    Random r = new Random(7);
    BinAxis x = new BinAxis(-3, 3, 64);
    BinAxis y = new BinAxis(-3, 3, 32);
    int n = 10_000;
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = r.nextGaussian() * 1.5;
      ys[i] = i % 97 == 0 ? Double.NaN : r.nextGaussian();
    }
    DensityGrid whole = DensityGrid.of(x, y, xs, ys);
    DensityGrid.Builder a = DensityGrid.builder(x, y);
    DensityGrid.Builder b = DensityGrid.builder(x, y);
    for (int i = 0; i < n; i++) {
      (i % 3 == 0 ? a : b).add(xs[i], ys[i]);
    }
    DensityGrid merged = a.build().plus(b.build());
    assertEquals(whole, merged);
    assertEquals(n, merged.total());
    assertThrows(
        IllegalArgumentException.class,
        () -> whole.plus(DensityGrid.empty(new BinAxis(-3, 3, 64), null)));
  }

  @Test
  void theBuilderTakesCountsByCellIndex() {
    BinAxis x = new BinAxis(0, 1, 2);
    DensityGrid g =
        DensityGrid.builder(x, x)
            .add(1, 1, 5)
            .add(-1, 0, 2)
            .add(2, 0, 3)
            .add(BinAxis.MISSING, 0, 4)
            .build();
    assertEquals(5, g.count(1, 1));
    assertEquals(5, g.outside());
    assertEquals(4, g.missing());
  }
}
