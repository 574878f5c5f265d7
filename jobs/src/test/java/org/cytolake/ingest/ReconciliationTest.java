package org.cytolake.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cytolake.fcs.FcsErrorCode;
import org.cytolake.tables.QuarantineReason;
import org.cytolake.tables.QuarantineRecord;
import org.junit.jupiter.api.Test;

/** Events in = written + unchanged + quarantined; files = samples + quarantined files. */
class ReconciliationTest {
  /** Samples a (unchanged) and b (10 events each), and a quarantined file of 7 events. */
  static IngestPlan plan() {
    PlannedSample a = IngestDeltaTest.A;
    PlannedSample b = IngestDeltaTest.sample("/b.fcs", "sha-b", "S-b", "D1");
    return new IngestPlan(
        List.of(a, b),
        List.of(
            new QuarantineRecord(
                IngestPlan.JOB,
                "t.fcs",
                "byte 99",
                QuarantineReason.of(FcsErrorCode.TRUNCATED_DATA),
                "m",
                null,
                null,
                7L,
                null),
            new QuarantineRecord(
                IngestPlan.JOB,
                "manifest.csv",
                "manifest line 3",
                QuarantineReason.Rejected.MISSING_FILE,
                "m",
                "file",
                "x.fcs",
                null,
                "x.fcs,p,D1,P1,,")),
        List.of(
            new LedgerEntry("/a.fcs", 1000, "sha-a", "S-a", "P1", "ingested", null, 10L),
            new LedgerEntry("/b.fcs", 1000, "sha-b", "S-b", "P1", "ingested", null, 10L),
            new LedgerEntry(
                "/t.fcs", 99, "sha-t", null, "P1", "quarantined", "TRUNCATED_DATA", 7L)));
  }

  static IngestDelta delta(IngestPlan plan) {
    PreviousIngest prev = IngestDeltaTest.previous();
    return IngestDelta.of(plan, prev.ledger(), prev.samples());
  }

  @Test
  void aRunThatWroteTheChangedEventsBalances() {
    IngestPlan plan = plan();
    Reconciliation r = Reconciliation.of("run-1", 3, plan, delta(plan), 10);
    assertEquals(new Reconciliation("run-1", 27, 10, 10, 10, 7, 3, 2, 1), r);
    assertTrue(r.balances());
    assertSame(r, r.check());
    assertEquals(
        "events in 27 = written 10 + unchanged 10 + quarantined 7; files 3 = samples 2 + "
            + "quarantined 1",
        r.describe());
  }

  @Test
  void eventsLostOnTheWayFailTheRunSayingEveryCount() {
    IngestPlan plan = plan();
    Reconciliation r = Reconciliation.of("run-1", 3, plan, delta(plan), 9);
    assertFalse(r.balances());
    IllegalStateException e = assertThrows(IllegalStateException.class, r::check);
    assertEquals(
        "ingest-fcs run-1 does not reconcile: events in 27, written 9 (expected 10), "
            + "unchanged 10, quarantined 7; files 3, samples 2, quarantined files 1",
        e.getMessage());
  }

  @Test
  void aFileInNoPlaceFailsTheRun() {
    IngestPlan plan = plan();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> Reconciliation.of("run-2", 4, plan, delta(plan), 10).check());
    assertEquals(
        "ingest-fcs run-2 does not reconcile: events in 27, written 10 (expected 10), "
            + "unchanged 10, quarantined 7; files 4, samples 2, quarantined files 1",
        e.getMessage());
  }

  @Test
  void quarantineReasonsAreCountedByCode() {
    assertEquals(Map.of("MISSING_FILE", 1L, "TRUNCATED_DATA", 1L), plan().quarantineReasons());
  }
}
