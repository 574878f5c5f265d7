package org.cytolake.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.cytolake.fcs.FcsErrorCode;
import org.junit.jupiter.api.Test;

/** The one catalogue of quarantine reasons holds the FCS reader's codes under their own names. */
class QuarantineReasonTest {
  @Test
  void everyFcsErrorCodeIsAReasonOfTheSameName() {
    for (FcsErrorCode c : FcsErrorCode.values()) {
      assertEquals(c.name(), QuarantineReason.of(c).code());
    }
  }

  /**
   * The reason_code values of the quarantine table, in order: analysts' queries and the
   * generator's truth/bad_inputs.csv use them, so a change here is a change of the contract.
   */
  @Test
  void theCodesOfTheQuarantineTableAreStable() {
    assertEquals(
        List.of(
            // the FCS reader's
            "TRUNCATED_HEADER",
            "NOT_FCS",
            "BAD_HEADER_FIELD",
            "BAD_OFFSETS",
            "BAD_DELIMITER",
            "MISSING_KEYWORD",
            "BAD_KEYWORD_VALUE",
            "UNSUPPORTED",
            "TRUNCATED_DATA",
            "OFFSET_DISAGREEMENT",
            "IO",
            // ingest-fcs
            "UNKNOWN_PANEL",
            "MISSING_FILE",
            "DUPLICATE_MANIFEST_ROW",
            "NO_MANIFEST_LINK",
            "TOT_MISMATCH",
            "DUPLICATE_FILE",
            "DUPLICATE_SAMPLE",
            "RENAMED_CHANNEL",
            "NO_SPILLOVER",
            "BAD_SPILLOVER",
            // both ingest jobs
            "MALFORMED_ROW",
            "MISSING_VALUE",
            "UNKNOWN_VISIT",
            "UNKNOWN_PATIENT",
            // ingest-clinical
            "NEGATIVE_AGE",
            "DATE_BEFORE_INCLUSION",
            "OUT_OF_RANGE",
            "DUPLICATE_RECORD",
            "MISSING_COLUMN",
            // normalise
            "NO_BATCH",
            "NO_BATCH_CONTROL",
            "BATCH_CONFOUNDED"),
        QuarantineReason.codes());
  }

  @Test
  void aRecordMadeFromAReasonHoldsItsName() {
    QuarantineRecord q =
        new QuarantineRecord(
            "ingest-fcs",
            "a.fcs",
            "file",
            QuarantineReason.Rejected.TOT_MISMATCH,
            "m",
            null,
            null,
            3L,
            null);
    assertEquals("TOT_MISMATCH", q.reasonCode());
    QuarantineRecord unreadable =
        new QuarantineRecord(
            "ingest-fcs",
            "a.fcs",
            "byte 58",
            QuarantineReason.of(FcsErrorCode.BAD_DELIMITER),
            "m",
            null,
            null,
            null,
            null);
    assertEquals("BAD_DELIMITER", unreadable.reasonCode());
  }
}
