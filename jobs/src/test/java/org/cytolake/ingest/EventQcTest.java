package org.cytolake.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sample's acquisition QC when it is off or cannot run, and the results of a run together. */
class EventQcTest {
  static final PlannedSample A = IngestDeltaTest.sample("/data/Ann Smith.fcs", "sha", "S-a", "D1");
  static final PlannedSample B = IngestDeltaTest.sample("/b.fcs", "sha-b", "S-b", "D1");

  @Test
  void disabledQcFlagsNothingAndSaysWhy() {
    EventQc q = EventQc.disabled(A);
    assertEquals(EventQc.DISABLED, q.status());
    assertEquals("qc.enabled is false", q.notes());
    assertEquals(10, q.events());
    assertEquals(0, q.flagged());
    assertEquals(0, q.flag(3));
  }

  @Test
  void aFileThatCannotBeReadForQcFailsWithoutItsPath() {
    EventQc q =
        EventQc.failed(A, new IOException("Cannot read FCS file '/data/Ann Smith.fcs': truncated"));
    assertEquals(EventQc.FAILED, q.status());
    assertEquals(
        "Cannot read the events for acquisition QC: Cannot read FCS file 'the file': truncated",
        q.notes());
    assertEquals(0, q.flagged());
    assertEquals(
        "Cannot read the events for acquisition QC: null",
        EventQc.failed(A, new IllegalStateException()).notes());
  }

  @Test
  void resultsBySampleAndInWords() {
    EventQc a = EventQc.disabled(A);
    EventQc b = EventQc.disabled(B);
    assertSame(b, EventQc.bySample(List.of(a, b)).get("S-b"));
    assertEquals("flagged 0 events of 20 in 2 files", EventQc.describe(List.of(a, b)));
    assertEquals("flagged 0 events of 0 in 0 files", EventQc.describe(List.of()));
  }
}
