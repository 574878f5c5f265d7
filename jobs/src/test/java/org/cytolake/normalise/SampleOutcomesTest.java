package org.cytolake.normalise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cytolake.normalise.NormalisationPlan.SampleInfo;
import org.junit.jupiter.api.Test;

/** {@link SampleOutcomes}: each sample's outcome of a run, without Spark. */
class SampleOutcomesTest {

  /** Day 1 and day 2 with controls, day 3 without; one patient sample without a date. */
  static List<SampleInfo> samples() {
    List<SampleInfo> s = new ArrayList<>(NormalisationPlanTest.twoDays());
    s.add(NormalisationPlanTest.patient("p4", NormalisationPlanTest.D3, "D1"));
    s.add(NormalisationPlanTest.patient("p5", null, "D1"));
    return s;
  }

  static SampleOutcomes run(Map<String, String> previous) {
    List<SampleInfo> samples = samples();
    NormalisationPlan plan =
        NormalisationPlan.of("P1", NormalisationPlanTest.QUARANTINE, samples, null, false);
    NormalisationModel model = NormalisationPlanTest.stored(plan, NormalisationPlanTest.QUARANTINE);
    return SampleOutcomes.of(samples, plan, model, previous);
  }

  @Test
  void aFirstRunWritesEveryPlacedSampleOfABatchWithAControl() {
    SampleOutcomes o = run(Map.of());
    assertEquals(Set.of("c1", "v1", "p1", "p2", "c2", "p3"), o.write().keySet());
    assertEquals(NormalisationPlanTest.D1, o.write().get("p1"));
    assertEquals(0, o.unchanged());
    assertEquals(Map.of("NO_BATCH_CONTROL", 1, "NO_BATCH", 1), o.quarantined());
    SampleOutcomes.Outcome p4 =
        o.outcomes().stream().filter(x -> x.sample().sampleId().equals("p4")).findFirst().get();
    assertEquals("NO_BATCH_CONTROL", p4.status());
    assertEquals(NormalisationPlanTest.D3, p4.batch());
    assertNull(p4.key());
    assertTrue(p4.message().contains(NormalisationPlanTest.D3), p4.message());
    SampleOutcomes.Outcome p5 = o.outcomes().get(o.outcomes().size() - 1);
    assertEquals("NO_BATCH", p5.status());
    assertNull(p5.batch());
    assertTrue(
        o.warnings().stream().anyMatch(w -> w.startsWith("normalise P1: ")),
        o.warnings().toString());
    assertEquals(6, o.keys().size());
    assertEquals("control", o.outcomes().get(0).source());
  }

  @Test
  void aRerunWithTheSameKeysWritesNothingAndGoneSamplesAreRemoved() {
    Map<String, String> previous = new HashMap<>(run(Map.of()).keys());
    previous.put("p4", "old-key"); // was normalised once, now its batch has no control
    previous.put("gone", "old-key"); // no longer a sample
    SampleOutcomes o = run(previous);
    assertEquals(Map.of(), o.write());
    assertEquals(6, o.unchanged());
    assertEquals(Set.of("p4", "gone"), o.remove());
  }
}
