package org.cytolake.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link MappingPlan}: which samples keep their cluster rows, without Spark (moved out of ClusterJob). */
class MappingPlanTest {
  static final List<String> SAMPLES = List.of("a", "b", "c");

  @Test
  void aTrainingRunMapsEverySample() {
    MappingPlan p = MappingPlan.everySample(SAMPLES);
    assertEquals(Set.of(), p.kept());
    assertEquals(SAMPLES, p.toMap());
    assertFalse(p.current());
    assertFalse(p.rewritesModelRows());
  }

  @Test
  void samplesMappedOntoTheVersionKeepTheirRowsUnlessTheyChanged() {
    MappingPlan p =
        MappingPlan.onStoredModel(SAMPLES, Set.of("c", "a"), Set.of("a", "c"), Set.of("c"));
    assertEquals(List.of("a"), List.copyOf(p.kept()));
    assertEquals(List.of("b", "c"), p.toMap());
    assertFalse(p.current());
    assertFalse(p.rewritesModelRows());
  }

  @Test
  void everySampleKeptAndNoneGoneIsCurrent() {
    assertTrue(MappingPlan.onStoredModel(SAMPLES, SAMPLES, SAMPLES, Set.of()).current());
    // a sample gone from the panel still has rows to remove
    MappingPlan gone =
        MappingPlan.onStoredModel(SAMPLES, SAMPLES, List.of("a", "b", "c", "d"), Set.of());
    assertFalse(gone.current());
    assertEquals(List.of(), gone.toMap());
  }

  @Test
  void noSampleOnTheVersionButSomeMappedBeforeRewritesTheModelRows() {
    MappingPlan p = MappingPlan.onStoredModel(SAMPLES, Set.of(), Set.of("a", "b"), Set.of());
    assertTrue(p.rewritesModelRows());
    assertEquals(SAMPLES, p.toMap());
    assertFalse(
        MappingPlan.onStoredModel(SAMPLES, Set.of(), Set.of(), Set.of()).rewritesModelRows());
  }
}
