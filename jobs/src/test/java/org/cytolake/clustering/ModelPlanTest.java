package org.cytolake.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link ModelPlan}: first model, a configuration change, new samples, and the active model's choice. */
class ModelPlanTest {
  static final TreeMap<String, String> PARAMS = new TreeMap<>(Map.of("xdim", "2", "ydim", "1"));
  static final String FP = ClusterModel.fingerprint(PARAMS);

  static ClusterModel model(int version, String panel, String... training) {
    List<ClusterModel.TrainingSample> t =
        java.util.Arrays.stream(training)
            .map(s -> new ClusterModel.TrainingSample(s, 10, 0.5, List.of(0.4, 0.6)))
            .toList();
    return new ClusterModel(
        new ClusterModel.Provenance(version, panel, "flowsom", PARAMS, 1, FP, "run-" + version),
        List.of("cd3"),
        new double[][] {{0}, {5}},
        new int[] {0, 1},
        List.of("T", "unlabeled"),
        t);
  }

  @Test
  void noModelTrainsVersionOne() {
    ModelPlan p = ModelPlan.decide(Optional.empty(), FP, List.of("b", "a"));
    assertEquals(ModelPlan.Action.TRAIN, p.action());
    assertEquals(1, p.version());
    assertEquals(List.of("a", "b"), p.newSamples());
  }

  @Test
  void aConfigurationChangeTrainsTheNextVersion() {
    ModelPlan p =
        ModelPlan.decide(
            Optional.of(model(2, "P1", "a")),
            ClusterModel.fingerprint(Map.of("xdim", "3")),
            List.of("a"));
    assertEquals(ModelPlan.Action.TRAIN, p.action());
    assertEquals(3, p.version());
    assertTrue(p.reason().startsWith("configuration changed since version 2"), p.reason());
  }

  @Test
  void newSamplesAreMappedOntoTheActiveModel() {
    ClusterModel m = model(1, "P1", "a", "b");
    ModelPlan p = ModelPlan.decide(Optional.of(m), FP, List.of("c", "a", "d"));
    assertEquals(ModelPlan.Action.MAP, p.action());
    assertEquals(1, p.version());
    assertEquals(Optional.of(m), p.active());
    assertEquals(List.of("c", "d"), p.newSamples());
    assertEquals(List.of("b"), p.missingTrainingSamples());
    ModelPlan same = ModelPlan.decide(Optional.of(m), FP, List.of("a", "b"));
    assertEquals(ModelPlan.Action.MAP, same.action());
    assertEquals(List.of(), same.newSamples());
  }

  @Test
  void theActiveModelIsTheHighestOfContiguousVersions() {
    assertEquals(Optional.empty(), ModelPlan.active(List.of()));
    assertEquals(
        2,
        ModelPlan.active(List.of(model(2, "P1", "a"), model(1, "P1", "a")))
            .orElseThrow()
            .version());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ModelPlan.active(
                    List.of(model(3, "P1", "a"), model(3, "P1", "b"), model(1, "P2", "a"))));
    assertEquals(
        "Cannot choose the active cluster model of [P1 flowsom, P2 flowsom]: version 3 is stored twice;"
            + " they are of [P1 flowsom, P2 flowsom], not of one panel and algorithm; version 2 is missing below 3",
        e.getMessage());
  }

  @Test
  void aPinnedVersionIsActiveWhateverIsHigher() {
    List<ClusterModel> versions = List.of(model(1, "P1", "a"), model(2, "P1", "a"));
    assertEquals(1, ModelPlan.active(versions, Optional.of(1)).orElseThrow().version());
    assertEquals(2, ModelPlan.active(versions, Optional.empty()).orElseThrow().version());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ModelPlan.active(versions, Optional.of(3)));
    assertEquals(
        "Cannot use cluster model version 3: cluster_models holds versions [1, 2]", e.getMessage());
  }
}
