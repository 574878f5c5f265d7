package org.cytolake.tables;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/** Records become rows in the contract's column order, or fail naming what does not fit. */
class RowShapeTest {
  static final Path SCHEMAS = SharedData.projectDir().resolve("schemas");

  record Visit(String patient, String visit) {}

  @Test
  void valuesComeOutInTheContractsOrderWithNullsForColumnsNotProduced() {
    TableSchema visits = TableSchema.load(SCHEMAS, "visits");
    RowShape<Visit> shape =
        RowShape.of("test", v -> new Object[] {v.visit(), v.patient()}, "visit", "patient_id");
    List<Object[]> rows = shape.rows(visits, List.of(new Visit("P-1", "D8")));
    Object[] expected = new Object[visits.columnNames().size()];
    expected[visits.columnNames().indexOf("patient_id")] = "P-1";
    expected[visits.columnNames().indexOf("visit")] = "D8";
    assertArrayEquals(expected, rows.get(0));
  }

  @Test
  void aShapeThatDoesNotFitTheContractFailsNamingTheColumns() {
    TableSchema visits = TableSchema.load(SCHEMAS, "visits");
    RowShape<Visit> shape =
        RowShape.of("test", v -> new Object[] {v.visit(), v.patient()}, "visit", "name");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> shape.rows(visits, List.of()));
    assertEquals(
        "Cannot write table visits: test produces [visit, name]; not in the contract: "
            + "[name]; required by the contract but not produced: [patient_id]",
        e.getMessage());
  }
}
