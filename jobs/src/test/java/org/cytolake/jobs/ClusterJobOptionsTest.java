package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link ClusterJob.Options}: k = 0 (the elbow rule) only for flowsom, every problem reported at once. */
class ClusterJobOptionsTest {
  static ClusterJob.Options options(String algorithm, int samplePerFile, Integer k) {
    return new ClusterJob.Options(
        "lake", Path.of("conf"), Path.of("schemas"), algorithm, samplePerFile, 1L, k, null);
  }

  @Test
  void elbowRuleIsForFlowsomOnly() {
    assertDoesNotThrow(() -> options("flowsom", 0, 0));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> options("kmeans", 0, 0));
    assertTrue(e.getMessage().contains("needs algorithm flowsom, not kmeans"), e.getMessage());
  }

  @Test
  void reportsEveryProblem() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> options("som", -1, 1));
    assertTrue(
        e.getMessage().contains("algorithm 'som'")
            && e.getMessage().contains("sample-per-file")
            && e.getMessage().contains("metaclusters must be >= 2"),
        e.getMessage());
  }
}
