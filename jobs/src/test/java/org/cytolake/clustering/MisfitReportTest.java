package org.cytolake.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link MisfitReport}: the misfit rule over a run's samples, without Spark (moved out of ClusterJob). */
class MisfitReportTest {
  /** Trained on a (median distance 0.5; metaclusters 0.4 and 0.6). */
  static final ClusterModel MODEL = ModelPlanTest.model(2, "P1", "a");

  static ClusterModel.TrainingSample sample(String id, double median, double m0, double m1) {
    return new ClusterModel.TrainingSample(id, 10, median, List.of(m0, m1));
  }

  @Test
  void everySampleIsTestedAndTheFlaggedOnesAreNamedSorted() {
    MisfitReport r =
        MisfitReport.of(
            MODEL,
            List.of(
                sample("z", 0.9, 0.4, 0.9), sample("a", 0.5, 0.4, 0.6), sample("m", 0.7, 0.3, 0.3)),
            Map.of("z", Map.of(0, 4L, 1, 6L), "a", Map.of(0, 5L, 1, 5L), "m", Map.of(0, 10L)),
            0.25);
    assertEquals(
        List.of("z", "a", "m"), r.misfits().stream().map(ClusterModel.Misfit::sampleId).toList());
    assertEquals(List.of("m", "z"), r.flagged());
    assertEquals(
        MODEL.misfit(sample("z", 0.9, 0.4, 0.9), new long[] {4, 6}, 0.25), r.misfits().get(0));
    assertEquals(
        Optional.of(
            "cluster_qc: 2 misfit sample(s) in P1 flowsom (median distance beyond (1 + 0.25) x the"
                + " training samples' largest, model version 2): [m, z]"),
        r.warning("P1", "flowsom"));
    assertTrue(r.isTrainingSample("a"));
    assertFalse(r.isTrainingSample("z"));
  }

  @Test
  void aMetaclusterWithoutCountsHasNoEventsThere() {
    MisfitReport r = MisfitReport.of(MODEL, List.of(sample("b", 0.5, 0.4, 5.0)), Map.of(), 0.25);
    assertEquals(List.of(), r.misfits().get(0).absorbedBy(), "no events, nothing absorbed");
    assertEquals(List.of(), r.flagged());
    assertEquals(Optional.empty(), r.warning("P1", "flowsom"));
  }
}
