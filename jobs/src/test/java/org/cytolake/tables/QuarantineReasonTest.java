package org.cytolake.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cytolake.fcs.FcsErrorCode;
import org.junit.jupiter.api.Test;

/** The one catalogue of quarantine reasons holds the FCS reader's codes under their own names. */
class QuarantineReasonTest {
  @Test
  void everyFcsErrorCodeIsAReasonOfTheSameName() {
    for (FcsErrorCode c : FcsErrorCode.values()) {
      assertEquals(c.name(), QuarantineReason.of(c).name());
    }
  }

  @Test
  void aRecordMadeFromAReasonHoldsItsName() {
    QuarantineRecord q = new QuarantineRecord("ingest-fcs", "a.fcs", "file",
        QuarantineReason.TOT_MISMATCH, "m", null, null, 3L, null);
    assertEquals("TOT_MISMATCH", q.reasonCode());
  }
}
