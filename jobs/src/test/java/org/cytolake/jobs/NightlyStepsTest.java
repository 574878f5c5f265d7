package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The nightly run's warnings from a step's result, and when a step counts as changed and what it
 * records, without Spark.
 */
class NightlyStepsTest {
  private static AggregateJob.Result aggregate(List<String> unknown, List<String> differential) {
    return new AggregateJob.Result("r", 11, 184, 1, 1, 1, 1, 1, unknown, "s", 1, differential);
  }

  @Test
  void aggregateWarningsCarryThePrimaryEndpointsProblems() {
    String primary =
        "differential: the primary endpoint (P1 Treg pct_of_parent D15 vs baseline, ALL,"
            + " conf/differential.yaml) has no data: no such feature, visit or cohort in the lake";
    assertEquals(
        List.of("aggregate: diseases without a cohort in conf/cohorts.yaml: [XYZ]", primary),
        NightlyAnalysisSteps.Aggregate.warnings(aggregate(List.of("XYZ"), List.of(primary))));
    assertEquals(
        List.of(), NightlyAnalysisSteps.Aggregate.warnings(aggregate(List.of(), List.of())));
  }

  @Test
  void aStepChangedUnlessItsFingerprintIsTheRecordedOneAndItsOutputExists() {
    Map<String, Object> last = Map.of("fingerprint", "f1", "run_id", "r0");
    assertFalse(NightlyStep.changed("f1", last, false));
    assertTrue(NightlyStep.changed("f2", last, false));
    assertTrue(NightlyStep.changed("f1", last, true));
    assertTrue(NightlyStep.changed("f1", Map.of(), false));
    assertTrue(NightlyStep.changed(null, last, false));
  }

  @Test
  void aCompletedStepRecordsItsStateFingerprintAndRun() {
    assertEquals(
        Map.of("models", 2, "fingerprint", "f1", "run_id", "r1"),
        NightlyStep.completed(Map.of("models", 2, "run_id", "old"), "f1", "r1"));
  }
}
