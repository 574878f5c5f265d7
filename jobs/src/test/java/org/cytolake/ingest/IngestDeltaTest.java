package org.cytolake.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cytolake.fcs.FcsErrorCode;
import org.cytolake.tables.QuarantineReason;
import org.cytolake.tables.QuarantineRecord;
import org.junit.jupiter.api.Test;

/**
 * The incremental delta on hand-made plans and lake rows: which samples are unchanged, changed
 * and removed, and which files need no hashing.
 */
class IngestDeltaTest {
  static final Instant THEN = Instant.parse("2026-11-20T10:00:00.123456Z");

  static PlannedSample sample(String path, String sha, String id, String visit) {
    return new PlannedSample(
        IngestPlanTest.good(path, sha), id, "P-" + id, visit, "P1", null, null, List.of(), null);
  }

  static IngestPlan plan(PlannedSample... samples) {
    List<LedgerEntry> ledger =
        java.util.Arrays.stream(samples)
            .map(
                s ->
                    new LedgerEntry(
                        s.check().path(),
                        s.check().size(),
                        s.check().sha256(),
                        s.sampleId(),
                        s.panel(),
                        "ingested",
                        null,
                        s.check().events()))
            .toList();
    return new IngestPlan(List.of(samples), List.of(), ledger);
  }

  static Map<String, Object> ledgerRow(
      String path, String sha, String sampleId, String outcome, String reason, Long modified) {
    Map<String, Object> r = new HashMap<>();
    r.put("path", path);
    r.put("size", 1000L);
    r.put("sha256", sha);
    r.put("modified_at", modified == null ? null : new Timestamp(modified));
    r.put("sample_id", sampleId);
    r.put("panel", "P1");
    r.put("outcome", outcome);
    r.put("reason_code", reason);
    r.put("events", 10L);
    r.put("first_run_id", "run-0");
    r.put("last_run_id", "run-1");
    r.put("last_seen_at", Timestamp.from(THEN));
    return r;
  }

  static Map<String, Object> sampleRow(String id, String visit) {
    Map<String, Object> r = new HashMap<>();
    r.put("sample_id", id);
    r.put("panel", "P1");
    r.put("visit", visit);
    r.put("ingest_run_id", "run-0");
    r.put("ingested_at", Timestamp.from(THEN));
    return r;
  }

  /** a: unchanged; b: new bytes; c: new file; d: in the ledger but not the samples table. */
  static final PlannedSample A = sample("/a.fcs", "sha-a", "S-a", "D1");

  static final PlannedSample B = sample("/b.fcs", "sha-b2", "S-b", "D1");
  static final PlannedSample C = sample("/c.fcs", "sha-c", "S-c", "D8");
  static final PlannedSample D = sample("/d.fcs", "sha-d", "S-d", "D8");

  static PreviousIngest previous() {
    return PreviousIngest.of(
        List.of(
            ledgerRow("/a.fcs", "sha-a", "S-a", "ingested", null, 5L),
            ledgerRow("/b.fcs", "sha-b1", "S-b", "ingested", null, 5L),
            ledgerRow("/d.fcs", "sha-d", "S-d", "ingested", null, 5L),
            ledgerRow("/gone.fcs", "sha-g", "S-gone", "ingested", null, 5L)),
        List.of(
            sampleRow("S-a", "D1"),
            sampleRow("S-b", "D1"),
            sampleRow("S-gone", "D8"),
            sampleRow("S-old", "D15")),
        List.of());
  }

  @Test
  void onlyTheSameBytesWithTheSameOutcomeAndSampleAreUnchanged() {
    PreviousIngest prev = previous();
    IngestDelta d = IngestDelta.of(plan(A, B, C, D), prev.ledger(), prev.samples());
    assertEquals(Set.of("S-a"), d.unchanged());
    assertEquals(List.of(B, C, D), d.changed());
    assertEquals(10, d.eventsUnchanged());
    assertEquals(30, d.eventsChanged());
    assertEquals(List.of("S-b", "S-c", "S-d"), d.changedSampleIds());
    assertEquals(Map.of("P1", List.of(B, C, D)), d.changedByPanel());
    assertEquals(
        "1 sample(s) unchanged (10 events not read again), 3 new or changed, 2 removed",
        d.describe());
  }

  @Test
  void samplesTheInputNoLongerYieldsAreRemovedByPartition() {
    PreviousIngest prev = previous();
    IngestDelta d = IngestDelta.of(plan(A, B), prev.ledger(), prev.samples());
    assertEquals(
        Set.of("visit=D8/sample_id=S-gone", "visit=D15/sample_id=S-old"),
        Set.copyOf(d.removed().get("P1")));
    assertEquals(2, d.removedCount());
  }

  @Test
  void aSampleTheLedgerQuarantinedOrGaveAnotherIdIsChanged() {
    PreviousIngest prev =
        PreviousIngest.of(
            List.of(
                ledgerRow("/a.fcs", "sha-a", null, "quarantined", "TOT_MISMATCH", 5L),
                ledgerRow("/b.fcs", "sha-b2", "S-other", "ingested", null, 5L)),
            List.of(sampleRow("S-a", "D1"), sampleRow("S-b", "D1")),
            List.of());
    IngestDelta d = IngestDelta.of(plan(A, B), prev.ledger(), prev.samples());
    assertEquals(Set.of(), d.unchanged());
    assertEquals(List.of(A, B), d.changed());
  }

  @Test
  void aFullRunChangesEverySampleAndRemovesNothing() {
    IngestDelta d = IngestDelta.of(plan(A, B), Map.of(), Map.of());
    assertEquals(Set.of(), d.unchanged());
    assertEquals(List.of(A, B), d.changed());
    assertEquals(Map.of(), d.removed());
    assertEquals(0, d.eventsUnchanged());
  }

  @Test
  void filesOfTheSameSizeAndTimeAsTheLedgerSaysAreNotHashedAgain() {
    PreviousIngest prev =
        PreviousIngest.of(
            List.of(
                ledgerRow("/a.fcs", "sha-a", "S-a", "ingested", null, 5L),
                ledgerRow("/b.fcs", "sha-b", "S-b", "ingested", null, 5L),
                ledgerRow("/c.fcs", "sha-c", "S-c", "ingested", null, null)),
            List.of(),
            List.of());
    Map<String, String> known =
        prev.knownSha256(
            List.of(
                new InputFile("/a.fcs", 1000, 5),
                new InputFile("/b.fcs", 1000, 6),
                new InputFile("/c.fcs", 1000, 5),
                new InputFile("/new.fcs", 1000, 5),
                new InputFile("/a2.fcs", 999, 5)));
    assertEquals(Map.of("/a.fcs", "sha-a"), known);
    assertEquals(
        Map.of(), PreviousIngest.EMPTY.knownSha256(List.of(new InputFile("/a.fcs", 1000, 5))));
  }

  @Test
  void theLakesRowsBecomeRecordsWithTheirRunStamps() {
    Map<String, Object> q = new HashMap<>();
    q.put("run_id", "run-0");
    q.put("job", "ingest-fcs");
    q.put("source", "x.fcs");
    q.put("locator", "byte 5912");
    q.put("reason_code", "TRUNCATED_DATA");
    q.put("message", "m");
    q.put("events", 7L);
    q.put("detected_at", Timestamp.from(THEN));
    PreviousIngest prev =
        PreviousIngest.of(
            List.of(ledgerRow("/a.fcs", "sha-a", "S-a", "ingested", null, 5L)),
            List.of(sampleRow("S-a", "D1")),
            List.of(q));
    PreviousIngest.LedgerRow l = prev.ledger().get("/a.fcs");
    assertEquals(
        new LedgerEntry("/a.fcs", 1000, "sha-a", "S-a", "P1", "ingested", null, 10L), l.entry());
    assertEquals(
        List.of(Instant.ofEpochMilli(5), "run-0", "run-1", THEN),
        List.of(l.modifiedAt(), l.firstRunId(), l.lastRunId(), l.lastSeenAt()));
    assertEquals(
        new PreviousIngest.SampleRow("S-a", "P1", "D1", new RunStamp("run-0", THEN)),
        prev.samples().get("S-a"));
    assertEquals(
        Map.of(
            new QuarantineRecord(
                "ingest-fcs",
                "x.fcs",
                "byte 5912",
                QuarantineReason.of(FcsErrorCode.TRUNCATED_DATA),
                "m",
                null,
                null,
                7L,
                null),
            new RunStamp("run-0", THEN)),
        prev.quarantine());
  }
}
