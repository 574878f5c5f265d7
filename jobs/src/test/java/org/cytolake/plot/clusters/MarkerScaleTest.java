package org.cytolake.plot.clusters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MarkerScaleTest {

  @Test
  void scalesBetweenThe1stAnd99thPercentileAndClamps() {
    // 0..100: R's quantile(0:100, c(.01, .99)) is 1 and 99
    double[] v = IntStream.rangeClosed(0, 100).asDoubleStream().toArray();
    MarkerScale s = MarkerScale.of("cd4", "CD4", "asinh:cofactor=150", v);
    assertEquals(1.0, s.lo(), 1e-12);
    assertEquals(99.0, s.hi(), 1e-12);
    assertEquals(0.5, s.scaled(50), 1e-12);
    assertEquals(0.0, s.scaled(-1000));
    assertEquals(1.0, s.scaled(1e9));
    assertTrue(Double.isNaN(s.scaled(Double.NaN)));
  }

  @Test
  void anExtremeEventDoesNotStretchTheScale() {
    double[] v = new double[1000];
    for (int i = 0; i < v.length; i++) {
      v[i] = i % 10;
    }
    v[0] = 1e6;
    MarkerScale s = MarkerScale.of("cd3", null, null, v);
    assertEquals(9.0, s.hi(), 1e-12);
    assertEquals("cd3", s.marker());
    assertEquals(0.5, new MarkerScale("x", "X", "none", 2, 2).scaled(7));
  }
}
