package org.cytolake.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cytolake.fcs.FcsErrorCode;
import org.cytolake.tables.QuarantineReason;
import org.cytolake.tables.QuarantineRecord;
import org.cytolake.tables.TableSchema;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * The rows of samples, channels, ingest_ledger and quarantine, by contract column; what an
 * incremental run finds unchanged keeps the run stamp it was first written with.
 */
class IngestRowsTest {
  static final Path SCHEMAS = SharedData.projectDir().resolve("schemas");
  static final RunStamp NOW = new RunStamp("run-2", Instant.parse("2026-11-25T12:03:01Z"));
  static final Timestamp THEN = Timestamp.from(IngestDeltaTest.THEN);

  /** The value of {@code column} in {@code row}, found by the contract. */
  static Object value(TableSchema contract, Object[] row, String column) {
    assertEquals(contract.columnNames().size(), row.length);
    return row[contract.columnNames().indexOf(column)];
  }

  /** {@link #value} of each column, in order (nulls kept). */
  static List<Object> values(TableSchema contract, Object[] row, String... columns) {
    return java.util.Arrays.stream(columns).map(c -> value(contract, row, c)).toList();
  }

  @Test
  void anUnchangedSampleKeepsTheRunThatIngestedIt() {
    TableSchema samples = TableSchema.load(SCHEMAS, "samples");
    IngestPlan plan = ReconciliationTest.plan();
    PreviousIngest prev = IngestDeltaTest.previous();
    List<Object[]> rows =
        IngestRows.samples(
            samples,
            plan.samples(),
            IngestDelta.of(plan, prev.ledger(), prev.samples()),
            prev,
            IngestPlanTest.CONFIG.visits(),
            NOW);
    assertEquals(
        List.of("S-a", "run-0", THEN),
        values(samples, rows.get(0), "sample_id", "ingest_run_id", "ingested_at"));
    assertEquals(
        List.of("S-b", "run-2", NOW.timestamp()),
        values(samples, rows.get(1), "sample_id", "ingest_run_id", "ingested_at"));
    Object[] a = rows.get(0);
    assertEquals(
        List.of("P-S-a", "D1", 1, "P1", 10L, 14, "sha-a", "ok", "FCS3.1", "F", "cyt"),
        values(
            samples,
            a,
            "patient_id",
            "visit",
            "study_day",
            "panel",
            "event_count",
            "channel_count",
            "sha256",
            "qc_status",
            "fcs_version",
            "datatype",
            "instrument"));
    assertEquals(
        java.util.Arrays.asList(null, null, null),
        values(samples, a, "acquisition_date", "batch", "qc_warnings"));
  }

  @Test
  void channelsSayWhatTheFileHasAndWhatThePanelMadeOfIt() {
    TableSchema channels = TableSchema.load(SCHEMAS, "channels");
    List<Object[]> rows =
        IngestRows.channels(channels, List.of(IngestDeltaTest.A), IngestPlanTest.CONFIG.panels());
    assertEquals(14, rows.size());
    Object[] fsc = rows.get(0);
    assertEquals(
        java.util.Arrays.asList(
            "S-a", "P1", 1, "FSC-A", null, "fsc_a", 262144.0, 32, "none", false),
        values(
            channels,
            fsc,
            "sample_id",
            "panel",
            "channel_index",
            "detector",
            "marker",
            "column",
            "range",
            "bits",
            "transform",
            "compensated"));
    Object[] fitc = rows.get(3);
    assertEquals(
        List.of(4, "FITC-A", "CD45RA", "CD45RA", "cd45ra", "asinh:cofactor=150", true),
        values(
            channels,
            fitc,
            "channel_index",
            "detector",
            "label",
            "marker",
            "column",
            "transform",
            "compensated"));
  }

  @Test
  void aLedgerRowWithTheSameOutcomeOfTheSameBytesKeepsItsRuns() {
    TableSchema ledger = TableSchema.load(SCHEMAS, "ingest_ledger");
    IngestPlan plan = ReconciliationTest.plan();
    Map<String, InputFile> files = new HashMap<>();
    files.put("/a.fcs", new InputFile("/a.fcs", 1000, 5));
    files.put("/b.fcs", new InputFile("/b.fcs", 1000, 8));
    List<Object[]> rows =
        IngestRows.ledger(ledger, plan.ledger(), files, IngestDeltaTest.previous(), NOW);
    Object[] a = rows.get(0);
    assertEquals(
        List.of(
            "/a.fcs",
            1000L,
            "sha-a",
            new Timestamp(5),
            "S-a",
            "ingested",
            10L,
            "run-0",
            "run-1",
            THEN),
        values(
            ledger,
            a,
            "path",
            "size",
            "sha256",
            "modified_at",
            "sample_id",
            "outcome",
            "events",
            "first_run_id",
            "last_run_id",
            "last_seen_at"));
    Object[] b = rows.get(1);
    assertEquals(
        List.of(new Timestamp(8), "run-2", "run-2", NOW.timestamp()),
        values(ledger, b, "modified_at", "first_run_id", "last_run_id", "last_seen_at"));
    Object[] t = rows.get(2);
    assertEquals(
        java.util.Arrays.asList(null, "quarantined", "TRUNCATED_DATA", "run-2"),
        values(ledger, t, "modified_at", "outcome", "reason_code", "first_run_id"));
  }

  @Test
  void aQuarantineRecordTheLakeAlreadyHoldsKeepsItsRunAndTime() {
    TableSchema quarantine = TableSchema.load(SCHEMAS, "quarantine");
    QuarantineRecord same =
        new QuarantineRecord(
            IngestPlan.JOB,
            "x.fcs",
            "byte 5912",
            QuarantineReason.of(FcsErrorCode.TRUNCATED_DATA),
            "m",
            null,
            null,
            7L,
            null);
    QuarantineRecord other =
        new QuarantineRecord(
            IngestPlan.JOB,
            "x.fcs",
            "byte 5912",
            QuarantineReason.of(FcsErrorCode.TRUNCATED_DATA),
            "m",
            null,
            null,
            8L,
            null);
    PreviousIngest prev =
        new PreviousIngest(
            Map.of(), Map.of(), Map.of(same, new RunStamp("run-0", IngestDeltaTest.THEN)));
    List<Object[]> rows = IngestRows.quarantine(quarantine, List.of(same, other), prev, NOW);
    assertEquals(
        java.util.Arrays.asList(
            "run-0",
            "ingest-fcs",
            "x.fcs",
            "byte 5912",
            "TRUNCATED_DATA",
            "m",
            null,
            null,
            7L,
            null,
            THEN),
        java.util.Arrays.asList(
            quarantine.columnNames().stream()
                .map(c -> value(quarantine, rows.get(0), c))
                .toArray()));
    assertEquals(
        List.of("run-2", 8L, NOW.timestamp()),
        values(quarantine, rows.get(1), "run_id", "events", "detected_at"));
  }
}
