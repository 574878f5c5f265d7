package org.cytolake.clinical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed reads of a record: values, empty fields and the problem each bad value records. */
class RowCheckTest {

  @Test
  void typedReadsGiveTheValueOrRecordWhatIsWrong() {
    RowCheck c =
        new RowCheck(
            ClinicalDomain.AE,
            "ae.csv",
            new SourceRow(
                2,
                Map.of(
                    "AESER", " yes ",
                    "AEREL", "maybe",
                    "AETOXGR", "1.5e0",
                    "AESTDY", "inf",
                    "AESTDTC", "2024-02-30",
                    "AEENDTC", "2024-03-01T10:00",
                    "AEDECOD", ""),
                "row"));
    assertEquals(true, c.yesNo("AESER"));
    assertNull(c.yesNo("AEREL"));
    assertEquals(1.5, c.number("AETOXGR"));
    assertNull(c.number("AESTDY"));
    assertNull(c.date("AESTDTC"));
    assertEquals(LocalDate.of(2024, 3, 1), c.date("AEENDTC"));
    assertNull(c.number("AEDECOD"));
    assertEquals(
        List.of(
            "AEREL 'maybe' is not Y or N (MALFORMED_ROW)",
            "AESTDY 'inf' is not a number (MALFORMED_ROW)",
            "AESTDTC '2024-02-30' is not a date (yyyy-MM-dd) (MALFORMED_ROW)"),
        c.problems().stream().map(RowCheck.Problem::describe).toList());
  }
}
