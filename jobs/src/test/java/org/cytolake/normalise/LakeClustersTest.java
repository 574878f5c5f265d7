package org.cytolake.normalise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LakeClusters} and the clustered lake model: the SOM separates populations, the model has
 * a slot per column and cluster, and its rows read back into the same model.
 */
class LakeClustersTest {

  /** Two populations in two columns: around (1, 1) and (4, 0.5). */
  static double[] twoPopulations(int n, long seed) {
    Random r = new Random(seed);
    double[] m = new double[2 * n];
    for (int i = 0; i < n; i++) {
      boolean a = i % 2 == 0;
      m[2 * i] = (a ? 1 : 4) + 0.2 * r.nextGaussian();
      m[2 * i + 1] = (a ? 1 : 0.5) + 0.2 * r.nextGaussian();
    }
    return m;
  }

  static LakeClusters trained() {
    return LakeClusters.train(ClusterNormParams.of(2), 2, twoPopulations(2000, 1));
  }

  @Test
  void theSomPutsEachPopulationInItsOwnCluster() throws Exception {
    LakeClusters c = trained();
    assertEquals(2, c.clusters());
    double[] test = twoPopulations(400, 2);
    int a = c.clusterOf(new double[] {1, 1}, 0);
    int b = c.clusterOf(new double[] {4, 0.5}, 0);
    assertNotEquals(a, b);
    for (int i = 0; i < 400; i++) {
      assertEquals(i % 2 == 0 ? a : b, c.clusterOf(test, 2 * i), "event " + i);
    }
    // what Spark ships to its tasks is the same clustering
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
      o.writeObject(c);
    }
    Object back = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
    assertEquals(c, back);
    // seeded: the same map again
    assertEquals(c, trained());
  }

  static LakeNormParams params() {
    return LakeNormParams.builder(List.of("cd3", "cd4"))
        .quantiles(3)
        .clustering(ClusterNormParams.of(2))
        .build();
  }

  /** Slots: cd3/c1, cd4/c1, cd3/c2, cd4/c2; batch B has too few events of cluster 2. */
  static NormalisationModel model(LakeClusters c) {
    Map<String, BatchQuantiles> batches = new LinkedHashMap<>();
    batches.put(
        "A",
        new BatchQuantiles(
            "A",
            BatchQuantiles.Source.CONTROL,
            List.of("a1"),
            4000,
            new double[][] {{1, 2, 3}, {0, 1, 2}, {4, 5, 6}, {1, 1.5, 2}}));
    batches.put(
        "B",
        new BatchQuantiles(
            "B",
            BatchQuantiles.Source.CONTROL,
            List.of("b1"),
            2100,
            new double[][] {{2, 3, 4}, {1, 2, 3}, null, null}));
    return NormalisationModel.fit("P1", 1, params(), batches, Map.of(), c);
  }

  @Test
  void aClusteredModelHasASlotPerColumnAndCluster() {
    LakeClusters c = trained();
    NormalisationModel m = model(c);
    assertEquals(4, m.slots());
    assertEquals("cd4 in cluster 2", m.slotName(m.slot(1, 1)));
    assertArrayEquals(new double[] {1.5, 2.5, 3.5}, m.goal()[0], 0);
    assertArrayEquals(new double[] {4, 5, 6}, m.goal()[2], 0, "only A has cluster 2");
    assertNull(m.knots("B")[2], "B's cluster 2 is left as it is");
    assertEquals(List.of("cd3 in cluster 2", "cd4 in cluster 2"), m.unnormalised("B"));
    assertEquals(List.of(), m.unnormalised("A"));
    // the key follows the SOM: another map, another key
    LakeClusters other = LakeClusters.train(ClusterNormParams.of(2), 2, twoPopulations(2000, 9));
    assertNotEquals(m.key("A"), model(other).key("A"));
  }

  @Test
  void itsRowsReadBackIntoTheSameModel() {
    NormalisationModel m = model(trained());
    List<ModelRow> rows = ModelRow.of(m);
    assertEquals(100 * 2, rows.stream().filter(r -> r.source().equals(ModelRow.SOM)).count());
    assertTrue(
        rows.stream()
            .filter(r -> !r.source().equals(ModelRow.SOM))
            .allMatch(r -> r.cluster() != null));
    NormalisationModel back = ModelRow.model(rows, m.columns(), params().clustering());
    assertEquals(m.clustering(), back.clustering());
    for (int s = 0; s < m.slots(); s++) {
      assertArrayEquals(m.goal()[s], back.goal()[s], 0);
    }
    for (String b : List.of("A", "B")) {
      assertEquals(m.key(b), back.key(b));
      assertEquals(m.batches().get(b).events(), back.batches().get(b).events());
    }
    assertTrue(
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> ModelRow.model(rows, m.columns(), null))
            .getMessage()
            .contains("per cluster"));
  }
}
