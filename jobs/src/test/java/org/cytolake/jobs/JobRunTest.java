package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.cytolake.tables.ColumnSpec;
import org.cytolake.tables.QuarantineRecord;
import org.cytolake.tables.TableSchema;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/** {@link JobRun#quarantineRows}: every value lands in the contract column of its name. */
class JobRunTest {
  static final JobRun RUN = new JobRun("run-7", Instant.parse("2026-01-02T03:04:05Z"));
  static final QuarantineRecord RECORD =
      new QuarantineRecord(
          "ingest-clinical",
          "dm.csv",
          "line 4",
          "NEGATIVE_AGE",
          "AGE -3",
          "AGE",
          "-3",
          42L,
          "TR-01-001,-3");

  /** The value each column must hold: all distinct, so a swap of any two shows. */
  static final Map<String, Object> EXPECTED = expected();

  static Map<String, Object> expected() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", "run-7");
    m.put("job", "ingest-clinical");
    m.put("source", "dm.csv");
    m.put("locator", "line 4");
    m.put("reason_code", "NEGATIVE_AGE");
    m.put("message", "AGE -3");
    m.put("field", "AGE");
    m.put("value", "-3");
    m.put("events", 42L);
    m.put("record", "TR-01-001,-3");
    m.put("detected_at", Timestamp.from(Instant.parse("2026-01-02T03:04:05Z")));
    return m;
  }

  static TableSchema contract() {
    return TableSchema.load(SharedData.projectDir().resolve("schemas"), "quarantine");
  }

  static TableSchema withColumns(TableSchema c, List<ColumnSpec> columns) {
    return new TableSchema(
        c.table(), c.version(), c.description(), c.restricted(), c.partitionBy(), columns);
  }

  static void assertMappedByName(TableSchema contract) {
    List<Row> rows = RUN.quarantineRows(contract, List.of(RECORD));
    assertEquals(1, rows.size());
    List<String> names = contract.columnNames();
    assertEquals(names.size(), rows.get(0).size(), "values per row");
    for (int i = 0; i < names.size(); i++) {
      assertEquals(EXPECTED.get(names.get(i)), rows.get(0).get(i), names.get(i));
    }
  }

  @Test
  void everyValueIsInTheColumnOfItsNameInTheShippedContract() {
    assertEquals(EXPECTED.keySet(), Set.copyOf(contract().columnNames()), "the contract's columns");
    assertMappedByName(contract());
  }

  @Test
  void aReorderedContractMovesTheValuesWithTheirColumns() {
    TableSchema c = contract();
    List<ColumnSpec> reversed = new ArrayList<>(c.columns());
    Collections.reverse(reversed);
    assertMappedByName(withColumns(c, reversed));
    List<ColumnSpec> rotated = new ArrayList<>(c.columns());
    Collections.rotate(rotated, 3);
    assertMappedByName(withColumns(c, rotated));
  }

  @Test
  void aContractWithAColumnTheRecordLacksFailsNamingIt() {
    TableSchema c = contract();
    List<ColumnSpec> more = new ArrayList<>(c.columns());
    more.add(new ColumnSpec("severity", "string", false, "not produced"));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> RUN.quarantineRows(withColumns(c, more), List.of(RECORD)));
    assertTrue(e.getMessage().contains("severity"), e.getMessage());
  }
}
