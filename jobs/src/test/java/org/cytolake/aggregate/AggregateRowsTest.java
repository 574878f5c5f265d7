package org.cytolake.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.cytolake.config.VisitSchedule;
import org.cytolake.tables.TableSchema;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * The rows AggregateJob writes from the driver, without Spark: contract column order, NaN as
 * null, the visit's study day.
 */
class AggregateRowsTest {
  static final Path SCHEMAS = SharedData.projectDir().resolve("schemas");
  static final VisitSchedule VISITS =
      new VisitSchedule(
          "D1", List.of(new VisitSchedule.Visit("D1", 1), new VisitSchedule.Visit("D8", 8)));

  static Object value(TableSchema contract, Object[] row, String column) {
    assertEquals(contract.columnNames().size(), row.length, contract.table());
    return row[contract.columnNames().indexOf(column)];
  }

  @Test
  void aCohortSummaryRowInContractOrderWithUndefinedStatisticsAsNull() {
    TableSchema contract = TableSchema.load(SCHEMAS, "cohort_summary");
    CohortSummary.Row s =
        new CohortSummary.Row(
            "RA",
            "D8",
            new Observation.FeatureKey("P1", "CD4+ T", "pct_of_parent"),
            FeatureScale.percent(),
            new Descriptive(3, 40.0, 2.5, 41.0, 39.0, 42.0),
            3,
            1.5,
            2,
            1.1,
            Double.NaN,
            3,
            6.0,
            0.25,
            true,
            Double.NaN);
    Object[] row = AggregateRows.cohortSummary(s, VISITS, "run-1");
    assertEquals("RA", value(contract, row, "cohort"));
    assertEquals(8, value(contract, row, "study_day"));
    assertEquals("P1", value(contract, row, "panel"));
    assertEquals("percent", value(contract, row, "scale"));
    assertEquals(
        FeatureNames.column("P1", "CD4+ T", "pct_of_parent"), value(contract, row, "wide_column"));
    assertEquals(3, value(contract, row, "n"));
    assertEquals(41.0, value(contract, row, "median"));
    assertEquals(1.1, value(contract, row, "median_fold_change"));
    assertNull(value(contract, row, "median_linear_ratio"));
    assertEquals(0.25, value(contract, row, "p_value"));
    assertEquals(true, value(contract, row, "p_exact"));
    assertNull(value(contract, row, "q_value"));
    assertEquals("run-1", value(contract, row, "aggregate_run_id"));
    CohortSummary.Row unscheduled =
        new CohortSummary.Row(
            "RA",
            "X9",
            s.feature(),
            s.scale(),
            s.values(),
            0,
            Double.NaN,
            0,
            Double.NaN,
            Double.NaN,
            0,
            Double.NaN,
            Double.NaN,
            false,
            Double.NaN);
    assertNull(value(contract, AggregateRows.cohortSummary(unscheduled, VISITS, "r"), "study_day"));
  }

  @Test
  void aClinicalResponseRowKeepsItsValueAndNullsWhatIsUndefined() {
    TableSchema contract = TableSchema.load(SCHEMAS, "clinical_response");
    ClinicalResponse cr =
        new ClinicalResponse("P-1", "RA", "M6", 183, "DAS28CRP", 3.1, 5.2, true, "change <= -1.2");
    Object[] row = AggregateRows.clinicalResponse(cr, "run-1");
    assertEquals("P-1", value(contract, row, "patient_id"));
    assertEquals(183, value(contract, row, "study_day"));
    assertEquals(3.1, value(contract, row, "value"));
    assertEquals(5.2, value(contract, row, "baseline_value"));
    assertEquals(-2.1, (Double) value(contract, row, "change"), 1e-12);
    assertEquals(true, value(contract, row, "responder"));
    assertEquals("change <= -1.2", value(contract, row, "responder_rule"));
    assertEquals("run-1", value(contract, row, "aggregate_run_id"));
    Object[] noBaseline =
        AggregateRows.clinicalResponse(
            new ClinicalResponse("P-1", "RA", "D1", 1, "DAS28CRP", 3.1, Double.NaN, null, null),
            "run-1");
    assertNull(value(contract, noBaseline, "baseline_value"));
    assertNull(value(contract, noBaseline, "change"));
    assertNull(value(contract, noBaseline, "pct_change"));
  }

  @Test
  void anObservationReadBackWithMissingValuesAsNaN() {
    Observation o =
        AggregateRows.observation(
            "P-1", "RA", "D8", "P1", "T", "pct_of_parent", "percent", 4.0, null);
    assertEquals(FeatureScale.percent(), o.scale());
    assertEquals(4.0, o.value());
    assertTrue(Double.isNaN(o.baseline()));
    assertTrue(Double.isNaN(o.change()));
    assertTrue(
        Double.isNaN(
            AggregateRows.observation("P", "RA", "D1", "P1", "T", "s", "count", null, 1.0)
                .value()));
  }
}
