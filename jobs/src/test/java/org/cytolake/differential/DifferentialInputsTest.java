package org.cytolake.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cytolake.tables.TableSchema;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * What AggregateJob hands DifferentialAnalysis and writes of it, without Spark: covariates from
 * patients columns, samples with missing values, rows in the contract's column order.
 */
class DifferentialInputsTest {
  @Test
  void numericColumnsAreCovariatesOthersFactorsAndUnknownsLeftOut() {
    Map<String, Object> columns = new LinkedHashMap<>();
    columns.put("age", 54);
    columns.put("sex", "F");
    columns.put("site_id", 3);
    columns.put("arm", null);
    DifferentialInputs.Covariates c = DifferentialInputs.covariates(columns);
    assertEquals(Map.of("age", 54.0), c.numeric());
    assertEquals(Map.of("sex", "F", "site_id", "3"), c.factors());
  }

  @Test
  void aSampleWithoutValueIsNaNAndUnknownEventsMinusOne() {
    DifferentialInputs.Covariates c =
        new DifferentialInputs.Covariates(Map.of("sex", "M"), Map.of("age", 40.0));
    FeatureSample s = DifferentialInputs.sample("P-1", "RA", "D8", 12.5, 125L, 1000, c);
    assertEquals(
        new FeatureSample("P-1", "RA", "D8", 12.5, 125, 1000, c.factors(), c.numeric()), s);
    FeatureSample missing =
        DifferentialInputs.sample(
            "P-1", "RA", "D8", null, null, null, DifferentialInputs.Covariates.NONE);
    assertTrue(Double.isNaN(missing.value()));
    assertEquals(-1, missing.events());
    assertEquals(-1, missing.parentEvents());
    assertTrue(missing.factors().isEmpty() && missing.covariates().isEmpty());
  }

  @Test
  void aRowInContractOrderWithUndefinedNumbersAsNull() {
    TableSchema contract =
        TableSchema.load(SharedData.projectDir().resolve("schemas"), "differential");
    DifferentialRow d =
        new DifferentialRow(
            "P1",
            "Treg",
            "population",
            "pct_of_parent",
            "ALL",
            "D8",
            1.5,
            0.5,
            2.5,
            33,
            "satterthwaite",
            "percent",
            0.01,
            Double.NaN,
            "primary",
            true,
            null,
            "lmm",
            12,
            24);
    Object[] row = d.values("run-1");
    assertEquals(contract.columnNames().size(), row.length);
    Map<String, Object> byColumn = new LinkedHashMap<>();
    for (int i = 0; i < row.length; i++) {
      byColumn.put(contract.columnNames().get(i), row[i]);
    }
    assertEquals("P1", byColumn.get("panel"));
    assertEquals("population", byColumn.get("kind"));
    assertEquals(1.5, byColumn.get("estimate"));
    assertEquals(0.5, byColumn.get("ci_low"));
    assertEquals(2.5, byColumn.get("ci_high"));
    assertEquals(33.0, byColumn.get("df"));
    assertEquals("satterthwaite", byColumn.get("df_method"));
    assertEquals(0.01, byColumn.get("p"));
    assertNull(byColumn.get("q"));
    assertEquals(true, byColumn.get("tested"));
    assertEquals("lmm", byColumn.get("model"));
    assertEquals(12, byColumn.get("n_patients"));
    assertEquals(24, byColumn.get("n_samples"));
    assertEquals("run-1", byColumn.get("aggregate_run_id"));
  }
}
