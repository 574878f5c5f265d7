package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The nightly run's warnings from a step's result, without Spark. */
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
        NightlySteps.Aggregate.warnings(aggregate(List.of("XYZ"), List.of(primary))));
    assertEquals(List.of(), NightlySteps.Aggregate.warnings(aggregate(List.of(), List.of())));
  }
}
