package org.cytolake.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Which old metacluster each new one corresponds to when a panel's model is retrained: by the
 * nearest marker profile (mean code vector of a metacluster's nodes over the shared columns).
 */
class MetaclusterCorrespondenceTest {

  private static ClusterModel model(
      int version, List<String> columns, double[][] codes, int[] meta, List<String> labels) {
    TreeMap<String, String> p = new TreeMap<>(Map.of("metaclusters", "" + labels.size()));
    ClusterModel.Provenance prov =
        new ClusterModel.Provenance(
            version, "P1", "flowsom", p, 1, ClusterModel.fingerprint(p), "run-" + version);
    double[] events = new double[columns.size()];
    return ClusterModel.of(prov, columns, codes, meta, labels, Map.of("S1", events));
  }

  /** Old: T (nodes near cd3 = 5), B (cd19 = 5), NK (cd56 = 5); two nodes each. */
  private static final ClusterModel OLD =
      model(
          1,
          List.of("cd3", "cd19", "cd56"),
          new double[][] {
            {5, 0, 0}, {5.2, 0.2, 0}, {0, 5, 0}, {0.1, 5.1, 0}, {0, 0, 5}, {0, 0.2, 4.8}
          },
          new int[] {0, 0, 1, 1, 2, 2},
          List.of("T", "B", "NK"));

  @Test
  void eachNewMetaclusterMatchesTheOldOneWithTheNearestProfileWhateverItsIndex() {
    // New: the same populations in another order, T split in two, NK lost.
    ClusterModel newer =
        model(
            2,
            List.of("cd3", "cd19", "cd56"),
            new double[][] {{0, 5, 0}, {4, 0, 0}, {6, 0.1, 0}, {0.1, 4.9, 0.1}},
            new int[] {0, 1, 2, 0},
            List.of("B", "T", "T"));
    MetaclusterCorrespondence c = MetaclusterCorrespondence.of(OLD, newer);
    assertEquals(List.of("cd3", "cd19", "cd56"), c.columns());
    assertEquals(3, c.matches().size());
    assertEquals(1, c.matches().get(0).oldMetacluster()); // B <- B
    assertEquals(0, c.matches().get(1).oldMetacluster()); // T (dim) <- T
    assertEquals(0, c.matches().get(2).oldMetacluster()); // T (bright) <- T
    assertEquals(List.of(2), c.unmatchedOld()); // NK: no new metacluster is nearest to it
    // B's profile (0.05, 4.95, 0.05) vs old B (0.05, 5.05, 0): distance sqrt(0.1^2 + 0.05^2)
    assertEquals(Math.hypot(0.1, 0.05), c.matches().get(0).distance(), 1e-12);
    String d = c.describe();
    assertTrue(
        d.contains("v2 <- v1") && d.contains("0 B <- 1 B") && d.contains("unmatched: [2]"), d);
  }

  @Test
  void onlyTheColumnsBothModelsShareAreCompared() {
    // The new model drops cd56 and adds cd4: profiles compare on cd3 and cd19 only.
    ClusterModel newer =
        model(
            2,
            List.of("cd4", "cd19", "cd3"),
            new double[][] {{9, 0, 5}, {9, 5, 0}},
            new int[] {0, 1},
            List.of("T", "B"));
    MetaclusterCorrespondence c = MetaclusterCorrespondence.of(OLD, newer);
    assertEquals(List.of("cd19", "cd3"), c.columns());
    assertEquals(0, c.matches().get(0).oldMetacluster());
    assertEquals(1, c.matches().get(1).oldMetacluster());
  }

  @Test
  void modelsWithoutASharedColumnHaveNoCorrespondenceAndSaySo() {
    ClusterModel newer =
        model(2, List.of("cd4"), new double[][] {{1}, {2}}, new int[] {0, 1}, List.of("a", "b"));
    MetaclusterCorrespondence c = MetaclusterCorrespondence.of(OLD, newer);
    assertTrue(c.matches().isEmpty() && c.columns().isEmpty());
    assertTrue(c.describe().contains("share no clustering column"), c.describe());
  }
}
