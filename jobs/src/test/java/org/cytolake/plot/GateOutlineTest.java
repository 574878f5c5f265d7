package org.cytolake.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.Dimension;
import org.cytolake.gating.EllipsoidGate;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.PolygonGate;
import org.cytolake.gating.QuadrantGate;
import org.cytolake.gating.RectangleGate;
import org.junit.jupiter.api.Test;

class GateOutlineTest {
  static final BinAxis X = new BinAxis(0, 10, 100);
  static final BinAxis Y = new BinAxis(-5, 5, 100);
  static final AxisProjection XY = AxisProjection.byName("a", "b");

  static Dimension dim(String name) {
    return Dimension.fcs(name, null, Dimension.UNCOMPENSATED);
  }

  @Test
  void aRectangleOnBothAxesHasItsFourSidesAtItsThresholds() {
    RectangleGate r =
        new RectangleGate(
            "r", null, List.of(dim("a"), dim("b")), new double[] {2, -1}, new double[] {6, 3});
    GateOutline o = GateOutline.of(r, XY, X, Y);
    assertNotNull(o);
    assertEquals(4, o.lines().size());
    // x = 2 from y = -1 to 3, x = 6 likewise, y = -1 from x = 2 to 6, y = 3 likewise
    assertLine(o.lines().get(0), new double[] {2, 2}, new double[] {-1, 3});
    assertLine(o.lines().get(1), new double[] {6, 6}, new double[] {-1, 3});
    assertLine(o.lines().get(2), new double[] {2, 6}, new double[] {-1, -1});
    assertLine(o.lines().get(3), new double[] {2, 6}, new double[] {3, 3});
  }

  @Test
  void anOpenRectangleDrawsOnlyItsFiniteSidesToTheViewsEdge() {
    // a CD4+ CD8- style gate: a >= 2.8, b < 2.8 (given as b, a: the order of dims does not matter)
    RectangleGate r =
        new RectangleGate(
            "cd4",
            null,
            List.of(dim("b"), dim("a")),
            new double[] {Double.NEGATIVE_INFINITY, 2.8},
            new double[] {2.8, Double.POSITIVE_INFINITY});
    GateOutline o = GateOutline.of(r, XY, X, Y);
    assertEquals(2, o.lines().size());
    assertLine(o.lines().get(0), new double[] {2.8, 2.8}, new double[] {-5, 2.8});
    assertLine(o.lines().get(1), new double[] {2.8, 10}, new double[] {2.8, 2.8});
  }

  @Test
  void aRangeOnOneAxisIsALineAcrossTheView() {
    RectangleGate onX =
        new RectangleGate(
            "cells",
            null,
            List.of(dim("a")),
            new double[] {1.5},
            new double[] {Double.POSITIVE_INFINITY});
    GateOutline o = GateOutline.of(onX, XY, X, Y);
    assertEquals(1, o.lines().size());
    assertLine(o.lines().get(0), new double[] {1.5, 1.5}, new double[] {-5, 5});
    RectangleGate onY =
        new RectangleGate("v", null, List.of(dim("b")), new double[] {-2}, new double[] {2});
    GateOutline h = GateOutline.of(onY, XY, X, Y);
    assertLine(h.lines().get(0), new double[] {0, 10}, new double[] {-2, -2});
    assertLine(h.lines().get(1), new double[] {0, 10}, new double[] {2, 2});
  }

  @Test
  void aGateOnOtherDimensionsGivesNothing() {
    RectangleGate other =
        new RectangleGate("o", null, List.of(dim("c")), new double[] {1}, new double[] {2});
    assertNull(GateOutline.of(other, XY, X, Y));
    RectangleGate half =
        new RectangleGate(
            "h", null, List.of(dim("a"), dim("c")), new double[] {1, 1}, new double[] {2, 2});
    assertNull(GateOutline.of(half, XY, X, Y), "a 2D gate on x and another dimension is not drawn");
    PolygonGate onY =
        new PolygonGate(
            "p", null, List.of(dim("b"), dim("b")), new double[] {0, 1, 1}, new double[] {0, 0, 1});
    assertNull(GateOutline.of(onY, XY, X, Y));
    // on a histogram of a, only gates on a alone are drawn
    RectangleGate both =
        new RectangleGate(
            "r", null, List.of(dim("a"), dim("b")), new double[] {1, 1}, new double[] {2, 2});
    assertNull(GateOutline.of(both, AxisProjection.byName("a", null), X, null));
    RectangleGate onX =
        new RectangleGate("x", null, List.of(dim("a")), new double[] {1}, new double[] {2});
    GateOutline hist = GateOutline.of(onX, AxisProjection.byName("a", null), X, null);
    assertEquals(2, hist.lines().size());
    assertEquals(1.0, hist.lines().get(0).x()[0]);
  }

  @Test
  void aPolygonKeepsItsVerticesAndSwapsWhenItsDimsAreYThenX() {
    PolygonGate p =
        new PolygonGate(
            "p", null, List.of(dim("a"), dim("b")), new double[] {1, 4, 4}, new double[] {0, 0, 2});
    GateOutline.Polyline line = GateOutline.of(p, XY, X, Y).lines().get(0);
    assertTrue(line.closed());
    assertArrayEquals(new double[] {1, 4, 4}, line.x());
    assertArrayEquals(new double[] {0, 0, 2}, line.y());
    PolygonGate swapped =
        new PolygonGate(
            "q", null, List.of(dim("b"), dim("a")), new double[] {0, 0, 2}, new double[] {1, 4, 4});
    GateOutline.Polyline s = GateOutline.of(swapped, XY, X, Y).lines().get(0);
    assertArrayEquals(new double[] {1, 4, 4}, s.x());
    assertArrayEquals(new double[] {0, 0, 2}, s.y());
  }

  @Test
  void anEllipseIsSampledOnItsBoundary() {
    EllipsoidGate e =
        new EllipsoidGate(
            "e",
            null,
            List.of(dim("a"), dim("b")),
            new double[] {5, 0},
            new double[][] {{2, 0.5}, {0.5, 1}},
            4);
    GateOutline.Polyline line = GateOutline.of(e, XY, X, Y).lines().get(0);
    assertEquals(GateOutline.ELLIPSE_POINTS, line.x().length);
    double[][] inv = e.inverseCovariance();
    for (int i = 0; i < line.x().length; i++) {
      double dx = line.x()[i] - 5;
      double dy = line.y()[i];
      double d2 = dx * (inv[0][0] * dx + inv[0][1] * dy) + dy * (inv[1][0] * dx + inv[1][1] * dy);
      assertEquals(4, d2, 1e-9, "point " + i + " is on the boundary");
    }
  }

  @Test
  void aQuadrantGateIsItsDividerLines() {
    QuadrantGate q =
        new QuadrantGate(
            "q",
            null,
            List.of(
                new QuadrantGate.Divider("da", dim("a"), new double[] {3}),
                new QuadrantGate.Divider("db", dim("b"), new double[] {1})),
            List.of(
                new QuadrantGate.Quadrant("pp", Map.of("da", 4.0, "db", 2.0)),
                new QuadrantGate.Quadrant("nn", Map.of("da", 0.0, "db", 0.0))));
    GateOutline o = GateOutline.of(q, XY, X, Y);
    assertEquals(2, o.lines().size());
    assertLine(o.lines().get(0), new double[] {3, 3}, new double[] {-5, 5});
    assertLine(o.lines().get(1), new double[] {0, 10}, new double[] {1, 1});
  }

  @Test
  void aStrategyGivesTheGatesOnTheAxesInDocumentOrder() throws Exception {
    GatingStrategy s =
        CompactGatingReader.read(
            """
            gates:
              - {id: cells, rectangle: [{dim: a, min: 1}]}
              - {id: other, parent: cells, rectangle: [{dim: c, min: 1}]}
              - {id: p, parent: cells, polygon: {dims: [a, b], vertices: [[1, 1], [2, 1], [2, 2]]}}
              - {id: both, and: [cells, p]}
            """,
            "test",
            false);
    List<GateOutline> all = GateOutline.of(s, XY, X, Y);
    assertEquals(List.of("cells", "p"), all.stream().map(GateOutline::gateId).toList());
  }

  @Test
  void aNonAffineProjectionCurvesStraightEdges() {
    // plot x = 10 * gate x^2 on [0, 1]: an edge from (0, 0) to (1, 0) passes x = 2.5 at its middle
    AxisProjection squared =
        new AxisProjection() {
          @Override
          public int axisOf(Dimension d) {
            return d.name().equals("a") ? 0 : d.name().equals("b") ? 1 : -1;
          }

          @Override
          public double toPlot(Dimension d, double v) {
            return d.name().equals("a") ? 10 * v * v : v;
          }

          @Override
          public boolean affine(Dimension d) {
            return !d.name().equals("a");
          }
        };
    PolygonGate p =
        new PolygonGate(
            "p", null, List.of(dim("a"), dim("b")), new double[] {0, 1, 1}, new double[] {0, 0, 1});
    GateOutline.Polyline line = GateOutline.of(p, squared, X, Y).lines().get(0);
    assertEquals(3 * GateOutline.EDGE_STEPS, line.x().length);
    assertEquals(2.5, line.x()[GateOutline.EDGE_STEPS / 2], 1e-12);
  }

  static void assertLine(GateOutline.Polyline l, double[] x, double[] y) {
    assertArrayEquals(x, l.x(), 1e-12, "x");
    assertArrayEquals(y, l.y(), 1e-12, "y");
  }
}
