package org.cytolake.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link PanelPlan}: a cluster run's decision against the registry's versions and pin, and its warnings, without
 * Spark (moved out of ClusterJob).
 */
class PanelPlanTest {
  static final String OTHER = ClusterModel.fingerprint(Map.of("xdim", "9"));

  /** Version {@code version} of P1, trained on a and b, under {@link ModelPlanTest#FP}. */
  static ClusterModel model(int version) {
    return ModelPlanTest.model(version, "P1", "a", "b");
  }

  static PanelPlan plan(List<ClusterModel> versions, Integer pin, String fp, boolean train) {
    return PanelPlan.of(
        "P1", "flowsom", versions, Optional.ofNullable(pin), fp, List.of("a", "b", "c"), train);
  }

  @Test
  void noVersionTrainsVersionOneAndReplacesNothing() {
    PanelPlan p = plan(List.of(), null, ModelPlanTest.FP, false);
    assertTrue(p.trains());
    assertEquals(1, p.plan().version());
    assertNull(p.replacedVersion());
    assertEquals(List.of(), p.warnings());
    assertEquals(Optional.empty(), p.retrainedWarning(model(1)));
    assertEquals(Optional.empty(), p.correspondence(model(1)));
  }

  @Test
  void anUnchangedConfigurationMapsOntoTheActiveVersion() {
    PanelPlan p = plan(List.of(model(1), model(2)), null, ModelPlanTest.FP, false);
    assertEquals(ModelPlan.Action.MAP, p.plan().action());
    assertEquals(2, p.plan().version());
    assertEquals(List.of("c"), p.plan().newSamples());
    assertNull(p.replacedVersion());
  }

  @Test
  void aConfigurationChangeTrainsAfterTheHighestVersionNotAfterThePinnedOne() {
    // pinned version 1 fitted under the run's configuration: mapped onto, no warning
    PanelPlan pinned = plan(List.of(model(1), model(2)), 1, ModelPlanTest.FP, false);
    assertEquals(ModelPlan.Action.MAP, pinned.plan().action());
    assertEquals(1, pinned.plan().version());
    assertEquals(List.of(), pinned.warnings());

    PanelPlan changed = plan(List.of(model(1), model(2)), null, OTHER, false);
    assertTrue(changed.trains());
    assertEquals(3, changed.plan().version());
    assertTrue(changed.plan().reason().endsWith("train version 3"), changed.plan().reason());
    assertEquals(2, changed.replacedVersion());
  }

  @Test
  void trainTrainsTheNextVersionWhateverTheRegistryHolds() {
    PanelPlan p = plan(List.of(model(1), model(2)), 1, ModelPlanTest.FP, true);
    assertTrue(p.trains());
    assertEquals(3, p.plan().version());
    assertEquals("cluster --train: train version 3", p.plan().reason());
    assertEquals(List.of("a", "b", "c"), p.plan().newSamples());
    assertEquals(1, p.replacedVersion(), "the pinned version is the one replaced");
    String w = p.retrainedWarning(model(3)).orElseThrow();
    assertTrue(
        w.startsWith(
            "cluster P1 flowsom: RETRAINED, model version 1 -> 3 (cluster --train: train version"
                + " 3); metacluster numbers and labels of earlier runs no longer apply; "),
        w);
    assertTrue(w.endsWith(p.correspondence(model(3)).orElseThrow()), w);
  }

  @Test
  void aPinnedVersionOfAnotherConfigurationIsMappedOntoWithAWarning() {
    PanelPlan p = plan(List.of(model(1), model(2)), 1, OTHER, false);
    assertEquals(ModelPlan.Action.MAP, p.plan().action());
    assertEquals(1, p.plan().version());
    assertEquals(
        List.of(
            "cluster P1 flowsom: version 1 is pinned but was fitted under another configuration"
                + " than tonight's; samples are mapped onto it, not retrained (cluster --train"
                + " retrains and unpins)"),
        p.warnings());
  }

  @Test
  void aPinnedVersionThatIsNotStoredIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> plan(List.of(model(1), model(2)), 5, ModelPlanTest.FP, false));
    assertEquals(
        "Cannot use cluster model version 5: cluster_models holds versions [1, 2]", e.getMessage());
  }
}
