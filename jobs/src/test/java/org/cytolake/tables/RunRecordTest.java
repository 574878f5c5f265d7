package org.cytolake.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/** A nightly run as a {@code runs} row, in the contract's column order, without Spark. */
class RunRecordTest {
  @Test
  void theRowFollowsTheContractAndCountsTheRunLacksAreZero() {
    TableSchema contract = TableSchema.load(SharedData.projectDir().resolve("schemas"), "runs");
    Instant start = Instant.parse("2026-12-01T02:00:00Z");
    Instant end = Instant.parse("2026-12-01T02:30:00.5Z");
    Object[] row =
        RunRecord.row(
            "run-1",
            start,
            end,
            "degraded",
            null,
            null,
            "[]",
            Map.of("files_in", 12L, "events_written", 900L, "not_a_column", 5L),
            List.of("DEGRADED: 3 of 12 files", "salt"),
            "/lake/_runs/run-1/nightly.json");
    List<String> columns = contract.columnNames();
    assertEquals(columns.size(), row.length);
    assertEquals(
        columns.subList(7, 7 + RunRecord.COUNTS.size()), RunRecord.COUNTS, "counts in order");
    assertEquals("run-1", row[columns.indexOf("run_id")]);
    assertEquals(Timestamp.from(start), row[columns.indexOf("started_at")]);
    assertEquals(Timestamp.from(end), row[columns.indexOf("finished_at")]);
    assertEquals("degraded", row[columns.indexOf("status")]);
    assertNull(row[columns.indexOf("failed_step")]);
    assertEquals("[]", row[columns.indexOf("steps")]);
    assertEquals(12L, row[columns.indexOf("files_in")]);
    assertEquals(900L, row[columns.indexOf("events_written")]);
    assertEquals(0L, row[columns.indexOf("records_quarantined")]);
    assertEquals("DEGRADED: 3 of 12 files\nsalt", row[columns.indexOf("warnings")]);
    assertEquals("/lake/_runs/run-1/nightly.json", row[columns.indexOf("report")]);
  }
}
