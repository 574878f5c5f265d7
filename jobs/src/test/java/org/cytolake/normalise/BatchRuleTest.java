package org.cytolake.normalise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link BatchRule}: which batch each sample falls in, and the messages when it cannot say. */
class BatchRuleTest {
  static final LocalDate SEP14 = LocalDate.parse("2015-09-14");
  static final LocalDate JAN04 = LocalDate.parse("2016-01-04");

  @Test
  void byAcquisitionDateEachDayIsABatch() {
    BatchRule r = new BatchRule(BatchRule.Kind.ACQUISITION_DATE, List.of());
    assertEquals("2015-09-13", r.batchOf("s1", LocalDate.parse("2015-09-13"), "B7"));
    assertEquals("2015-09-14", r.batchOf("s2", SEP14, null));
    assertEquals("acquisition-date", r.describe());
  }

  @Test
  void bySetupPeriodTheDayOfAChangeStartsTheNewPeriod() {
    BatchRule r = new BatchRule(BatchRule.Kind.SETUP_PERIOD, List.of(SEP14, JAN04));
    assertEquals("setup-start", r.batchOf("s", SEP14.minusDays(1), null));
    assertEquals("setup-2015-09-14", r.batchOf("s", SEP14, null));
    assertEquals("setup-2015-09-14", r.batchOf("s", JAN04.minusDays(1), null));
    assertEquals("setup-2016-01-04", r.batchOf("s", JAN04, null));
    assertEquals("setup-2016-01-04", r.batchOf("s", JAN04.plusYears(3), "B1"));
    assertEquals("setup-period 2015-09-14 2016-01-04", r.describe());
  }

  @Test
  void byManifestTheBatchColumnIsTheBatch() {
    BatchRule r = new BatchRule(BatchRule.Kind.MANIFEST, List.of());
    assertEquals("B7", r.batchOf("s", null, "B7"));
    assertEquals("B7", r.batchOf("s", SEP14, "B7"));
  }

  @Test
  void aMissingValueNamesTheSampleAndTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BatchRule(BatchRule.Kind.MANIFEST, List.of()).batchOf("S-42", SEP14, " "));
    assertEquals(
        "Cannot place sample 'S-42' in a batch: batches are the manifest's batch column and its"
            + " batch is empty",
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new BatchRule(BatchRule.Kind.MANIFEST, List.of()).batchOf("S-42", SEP14, null));
    for (BatchRule r :
        List.of(
            new BatchRule(BatchRule.Kind.ACQUISITION_DATE, List.of()),
            new BatchRule(BatchRule.Kind.SETUP_PERIOD, List.of(SEP14)))) {
      e = assertThrows(IllegalArgumentException.class, () -> r.batchOf("S-43", null, "B1"));
      assertEquals(
          "Cannot place sample 'S-43' in a batch: batches are by "
              + r.kind().text()
              + " and its acquisition_date is empty",
          e.getMessage());
    }
  }

  @Test
  void setupChangesMustBeDistinctAndAscending() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BatchRule(BatchRule.Kind.SETUP_PERIOD, List.of(JAN04, SEP14)));
    assertTrue(e.getMessage().startsWith("Cannot use setup changes"), e.getMessage());
    assertTrue(e.getMessage().contains("2016-01-04 then 2015-09-14"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new BatchRule(BatchRule.Kind.SETUP_PERIOD, List.of(SEP14, SEP14)));
  }

  @Test
  void kindsParseFromTheirConfTextOnly() {
    for (BatchRule.Kind k : BatchRule.Kind.values()) {
      assertEquals(k, BatchRule.Kind.parse(" " + k.text().toUpperCase() + " "));
    }
    assertNull(BatchRule.Kind.parse("date"));
    assertEquals(MissingControl.POOLED, MissingControl.parse("Pooled"));
    assertNull(MissingControl.parse("drop"));
  }

  @Test
  void setupChangesShapeTheFingerprintOnlyWhereTheRuleUsesThem() {
    assertEquals(
        "acquisition-date",
        new BatchRule(BatchRule.Kind.ACQUISITION_DATE, List.of(SEP14)).describe());
    assertEquals(
        "setup-period 2015-09-14 2016-01-04",
        new BatchRule(BatchRule.Kind.SETUP_PERIOD, List.of(SEP14, JAN04)).describe());
  }
}
