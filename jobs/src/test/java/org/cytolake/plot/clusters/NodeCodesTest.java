package org.cytolake.plot.clusters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cytolake.plot.clusters.NodeCodes.NodeRow;
import org.junit.jupiter.api.Test;

class NodeCodesTest {
  @Test
  void readsTheCodeVectorsInPanelOrderThenTheCodebooksOwn() {
    NodeCodes n =
        NodeCodes.of(
            "panel P1, flowsom",
            List.of("cd3", "cd4", "cd8"),
            List.of(
                new NodeRow(0, 2, "{\"cd8\": 1.5, \"extra\": 9, \"cd3\": 4.0}"),
                new NodeRow(1, 0, "{\"cd3\": 0.5, \"cd8\": -1, \"extra\": 7}")));
    assertEquals(List.of("cd3", "cd8", "extra"), n.columns());
    assertArrayEquals(new double[] {4.0, 1.5, 9}, n.codes()[0]);
    assertArrayEquals(new double[] {0.5, -1, 7}, n.codes()[1]);
    assertArrayEquals(new int[] {2, 0}, n.metaclusters());
  }

  @Test
  void refusesMissingNodesAndValuesNamingTheNodeAndColumn() {
    IllegalArgumentException gap =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                NodeCodes.of(
                    "panel P1, flowsom",
                    List.of("cd3"),
                    List.of(new NodeRow(0, 0, "{\"cd3\": 1}"), new NodeRow(2, 0, "{\"cd3\": 1}"))));
    assertTrue(gap.getMessage().contains("nodes are not 0..1 (node 2 at 1)"), gap.getMessage());
    IllegalArgumentException value =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                NodeCodes.of(
                    "panel P1, flowsom",
                    List.of("cd3"),
                    List.of(
                        new NodeRow(0, 0, "{\"cd3\": 1}"), new NodeRow(1, 0, "{\"cd3\": \"x\"}"))));
    assertTrue(
        value
            .getMessage()
            .contains("panel P1, flowsom: node 1 of cluster_model has codebook value"),
        value.getMessage());
    assertTrue(value.getMessage().contains("for column cd3"), value.getMessage());
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> NodeCodes.of("panel P2, kmeans", List.of(), List.of()))
            .getMessage()
            .contains("no node"));
  }
}
