package org.cytolake.normalise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cytolake.normalise.NormalisationPlan.Quarantined;
import org.cytolake.normalise.NormalisationPlan.SampleInfo;
import org.junit.jupiter.api.Test;

/** {@link NormalisationPlan}: what a run fits, keeps and quarantines, decided from samples alone. */
class NormalisationPlanTest {
  static final String D1 = "2015-03-02";
  static final String D2 = "2015-03-03";
  static final String D3 = "2015-03-04";

  static LakeNormParams params(MissingControl missing, int quantiles) {
    return LakeNormParams.builder(List.of("cd3", "cd4"))
        .quantiles(quantiles)
        .missingControl(missing)
        .minControlEvents(1000)
        .build();
  }

  static final LakeNormParams QUARANTINE = params(MissingControl.QUARANTINE, 3);
  static final LakeNormParams POOLED = params(MissingControl.POOLED, 3);

  static SampleInfo training(String id, String day, long events) {
    return new SampleInfo(
        id, "training", LocalDate.parse(day), null, events, Map.of("visit", "CTL"));
  }

  static SampleInfo validation(String id, String day) {
    return new SampleInfo(
        id, "validation", LocalDate.parse(day), null, 5000, Map.of("visit", "CTL"));
  }

  static SampleInfo patient(String id, String day, String visit) {
    return new SampleInfo(
        id, null, day == null ? null : LocalDate.parse(day), null, 5000, Map.of("visit", visit));
  }

  /** Two days, each with a training control, patients and (day 1) a validation aliquot. */
  static List<SampleInfo> twoDays() {
    return List.of(
        training("c1", D1, 5000),
        validation("v1", D1),
        patient("p1", D1, "D1"),
        patient("p2", D1, "D5"),
        training("c2", D2, 3000),
        patient("p3", D2, "D1"));
  }

  /** The model a run of {@code plan} would store (quantiles made up: the plan reads none). */
  static NormalisationModel stored(NormalisationPlan plan, LakeNormParams params) {
    Map<String, BatchQuantiles> controls = new LinkedHashMap<>();
    plan.fitControls()
        .forEach(
            (b, s) ->
                controls.put(
                    b,
                    new BatchQuantiles(
                        b,
                        BatchQuantiles.Source.CONTROL,
                        s,
                        5000,
                        new double[][] {{1, 2, 3}, {4, 5, 6}})));
    Map<String, BatchQuantiles> pooled = new LinkedHashMap<>();
    plan.poolForGoal()
        .forEach(
            (b, s) ->
                pooled.put(
                    b,
                    new BatchQuantiles(
                        b,
                        BatchQuantiles.Source.POOLED,
                        s,
                        5000,
                        new double[][] {{1, 2, 3}, {4, 5, 6}})));
    NormalisationModel m =
        NormalisationModel.fit(plan.panel(), plan.version(), params, controls, pooled, null);
    for (String b : plan.fitPooled().keySet()) {
      m = m.withBatch(pooled.get(b));
    }
    return m;
  }

  @Test
  void aFirstRunMakesVersionOneFittingEveryBatchWithATrainingControl() {
    NormalisationPlan p = NormalisationPlan.of("P1", QUARANTINE, twoDays(), null, false);
    assertEquals(1, p.version());
    assertTrue(p.newVersion());
    assertEquals(Map.of(D1, List.of("c1"), D2, List.of("c2")), p.fitControls());
    assertEquals(Map.of(), p.fitPooled());
    assertEquals(Map.of(), p.poolForGoal());
    assertEquals(Set.of(), p.kept());
    assertEquals(Map.of(), p.quarantined());
    assertEquals(Map.of(), p.unplaced());
    assertEquals(D1, p.batchOf().get("v1"));
    assertEquals(6, p.batchOf().size());
    assertEquals(Set.of(D1, D2), p.normalisedBatches());
  }

  @Test
  void aSecondRunWithTheSameParametersKeepsEveryBatch() {
    NormalisationPlan first = NormalisationPlan.of("P1", QUARANTINE, twoDays(), null, false);
    NormalisationModel m = stored(first, QUARANTINE);
    NormalisationPlan p = NormalisationPlan.of("P1", QUARANTINE, twoDays(), m, false);
    assertFalse(p.newVersion());
    assertEquals(1, p.version());
    assertEquals(Map.of(), p.fitControls());
    assertEquals(Set.of(D1, D2), p.kept());
    assertEquals(Set.of(D1, D2), p.normalisedBatches());
    NormalisationModel read = ModelRow.model(ModelRow.of(m), m.columns(), null);
    assertEquals(p, NormalisationPlan.of("P1", QUARANTINE, twoDays(), read, false));
  }

  @Test
  void aNewBatchWithAControlIsFittedAloneInTheSameVersion() {
    NormalisationModel m =
        stored(NormalisationPlan.of("P1", QUARANTINE, twoDays(), null, false), QUARANTINE);
    List<SampleInfo> more = new ArrayList<>(twoDays());
    more.add(training("c3", D3, 1000));
    more.add(patient("p4", D3, "M1"));
    NormalisationPlan p = NormalisationPlan.of("P1", QUARANTINE, more, m, false);
    assertFalse(p.newVersion());
    assertEquals(1, p.version());
    assertEquals(Map.of(D3, List.of("c3")), p.fitControls());
    assertEquals(Set.of(D1, D2), p.kept());
    more.add(training("c1b", D1, 2000));
    NormalisationPlan again = NormalisationPlan.of("P1", QUARANTINE, more, m, false);
    assertEquals(
        Map.of(D1, List.of("c1", "c1b"), D3, List.of("c3")),
        again.fitControls(),
        "a batch whose controls changed is refitted");
    assertEquals(Set.of(D2), again.kept());
  }

  @Test
  void changedParametersOrARefitMakeTheNextVersionRefittingAll() {
    NormalisationModel m =
        stored(NormalisationPlan.of("P1", QUARANTINE, twoDays(), null, false), QUARANTINE);
    LakeNormParams five = params(MissingControl.QUARANTINE, 5);
    NormalisationPlan changed = NormalisationPlan.of("P1", five, twoDays(), m, false);
    NormalisationPlan refit = NormalisationPlan.of("P1", QUARANTINE, twoDays(), m, true);
    for (NormalisationPlan p : List.of(changed, refit)) {
      assertTrue(p.newVersion());
      assertEquals(2, p.version());
      assertEquals(Map.of(D1, List.of("c1"), D2, List.of("c2")), p.fitControls());
      assertEquals(Set.of(), p.kept());
    }
  }

  @Test
  void aBatchWithoutTrainingControlIsQuarantinedWithItsSamples() {
    List<SampleInfo> s = new ArrayList<>(twoDays());
    s.add(patient("p5", D3, "D1"));
    s.add(validation("v3", D3));
    s.add(patient("p4", D3, "D5"));
    NormalisationPlan p = NormalisationPlan.of("P1", QUARANTINE, s, null, false);
    assertEquals(Set.of(D1, D2), p.fitControls().keySet());
    Quarantined q = p.quarantined().get(D3);
    assertEquals("NO_BATCH_CONTROL", q.reason());
    assertEquals(List.of("p4", "p5", "v3"), q.samples());
    assertTrue(
        q.message().startsWith("batch '" + D3 + "' of panel P1 has no control aliquot"),
        q.message());
    assertTrue(q.message().contains("its 3 sample(s) are not normalised"), q.message());
    assertFalse(p.normalisedBatches().contains(D3));
  }

  @Test
  void controlsWithTooFewEventsCountAsNone() {
    List<SampleInfo> s =
        List.of(
            training("c1", D1, 400),
            training("c1b", D1, 500),
            patient("p1", D1, "D1"),
            training("c2", D2, 600),
            training("c2b", D2, 400),
            patient("p2", D2, "D1"),
            training("c3", D3, 10));
    NormalisationPlan p = NormalisationPlan.of("P1", QUARANTINE, s, null, false);
    assertEquals(Map.of(D2, List.of("c2", "c2b")), p.fitControls(), "600 + 400 events suffice");
    Quarantined q = p.quarantined().get(D1);
    assertEquals("NO_BATCH_CONTROL", q.reason());
    assertEquals(List.of("p1"), q.samples());
    assertTrue(
        q.message()
            .startsWith(
                "the control(s) [c1, c1b] of batch '"
                    + D1
                    + "' of panel P1 hold 900 events, fewer than min-control-events 1000"),
        q.message());
    assertFalse(p.quarantined().containsKey(D3), "only a too small control: nothing to normalise");
    assertFalse(p.normalisedBatches().contains(D3));
  }

  @Test
  void validationControlsAreNeverTrainingReferences() {
    List<SampleInfo> s =
        List.of(
            training("c1", D1, 5000),
            validation("v1", D1),
            validation("v2", D2),
            patient("p2", D2, "D1"));
    NormalisationPlan p = NormalisationPlan.of("P1", QUARANTINE, s, null, false);
    assertEquals(Map.of(D1, List.of("c1")), p.fitControls());
    assertEquals(List.of("p2", "v2"), p.quarantined().get(D2).samples());
    NormalisationPlan pooled = NormalisationPlan.of("P1", POOLED, s, null, false);
    assertEquals(Map.of(D2, List.of("p2")), pooled.fitPooled(), "patients only");
    assertEquals(Map.of(D2, List.of("p2")), pooled.poolForGoal());
  }

  @Test
  void pooledBatchesPoolTheirPatientsUnlessConfoundedWithVisit() {
    List<SampleInfo> s = new ArrayList<>(twoDays());
    s.add(patient("p4", D3, "D5"));
    s.add(validation("v3", D3));
    s.add(patient("p5", D3, "D1"));
    s.add(patient("p6", "2015-03-05", "M1"));
    s.add(patient("p7", "2015-03-05", "M1"));
    s.add(validation("v4", "2015-03-05"));
    s.add(validation("v5", "2015-03-06"));
    NormalisationPlan p = NormalisationPlan.of("P1", POOLED, s, null, false);
    assertEquals(Set.of(D1, D2), p.fitControls().keySet());
    assertEquals(Map.of(D3, List.of("p4", "p5")), p.fitPooled());
    assertEquals(
        Map.of(
            D1,
            List.of("p1", "p2"),
            D2,
            List.of("p3"),
            D3,
            List.of("p4", "p5"),
            "2015-03-05",
            List.of("p6", "p7")),
        p.poolForGoal(),
        "every batch's patients make the pooled goal");
    Quarantined q = p.quarantined().get("2015-03-05");
    assertEquals("BATCH_CONFOUNDED", q.reason());
    assertEquals(List.of("p6", "p7", "v4"), q.samples());
    assertTrue(
        q.message()
            .contains(
                "all its 2 patient sample(s) have visit 'M1' (the panel has 3 levels: [D1, D5,"
                    + " M1])"),
        q.message());
    assertEquals("BATCH_CONFOUNDED", p.quarantined().get("2015-03-06").reason());
    assertEquals(List.of("v5"), p.quarantined().get("2015-03-06").samples());
    assertEquals(Set.of(D1, D2, D3), p.normalisedBatches());

    NormalisationModel m = stored(p, POOLED);
    NormalisationPlan second = NormalisationPlan.of("P1", POOLED, s, m, false);
    assertEquals(Set.of(D1, D2, D3), second.kept());
    assertEquals(Map.of(), second.fitPooled());
    assertEquals(Map.of(), second.poolForGoal(), "the pooled goal is fixed within a version");
  }

  @Test
  void aBatchOfOneVisitIsNotConfoundedWhenThePanelHasOneVisit() {
    List<SampleInfo> s = List.of(patient("p1", D1, "D1"), patient("p2", D2, "D1"));
    NormalisationPlan p = NormalisationPlan.of("P1", POOLED, s, null, false);
    assertEquals(Map.of(D1, List.of("p1"), D2, List.of("p2")), p.fitPooled());
    assertEquals(Map.of(), p.quarantined());
  }

  @Test
  void samplesTheRuleCannotPlaceAreUnplacedNamingThem() {
    List<SampleInfo> s = new ArrayList<>(twoDays());
    s.add(patient("p9", null, "D1"));
    NormalisationPlan p = NormalisationPlan.of("P1", QUARANTINE, s, null, false);
    assertEquals(
        Map.of(
            "p9",
            "Cannot place sample 'p9' in a batch: batches are by acquisition-date and its"
                + " acquisition_date is empty"),
        p.unplaced());
    assertFalse(p.batchOf().containsKey("p9"));
    assertEquals(Set.of(D1, D2), p.fitControls().keySet());
  }
}
