package org.cytolake.clinical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.VisitSchedule;
import org.cytolake.tables.Pseudonymizer;
import org.cytolake.tables.QuarantineRecord;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clinical core on fixture files: every reason code, locators, messages and counts. */
class ClinicalValidatorTest {
  static final Pseudonymizer IDS = Pseudonymizer.withSalt("test-salt");

  @TempDir static Path dir;
  static VisitSchedule visits;
  static ClinicalBatch batch;

  @BeforeAll
  static void validateFixtures() throws IOException {
    visits = CytolakeConfig.load(SharedData.projectDir().resolve("conf")).visits();
    ClinicalFixtures.write(dir);
    batch = new ClinicalValidator(visits, IDS).validate(ClinicalInput.directory(dir));
  }

  static QuarantineRecord rejected(String source, String locator) {
    List<QuarantineRecord> q =
        batch.quarantine().stream()
            .filter(r -> r.source().equals(source) && r.locator().equals(locator))
            .toList();
    assertEquals(1, q.size(), source + " " + locator + " in " + batch.quarantine());
    return q.get(0);
  }

  /** Checks reason, field, value and a message that names file, line, field and value. */
  static QuarantineRecord assertRejected(
      String source, int line, ReasonCode reason, String field, String value) {
    QuarantineRecord q = rejected(source, "line " + line);
    assertEquals(ClinicalValidator.JOB, q.job());
    assertEquals(reason.name(), q.reasonCode(), q.message());
    assertEquals(field, q.field(), q.message());
    assertEquals(value, q.value(), q.message());
    assertTrue(
        q.message().startsWith("Cannot accept " + source + " line " + line + ": "), q.message());
    if (field != null) {
      assertTrue(
          q.message().contains(field + (value == null ? "" : " '" + value + "'")), q.message());
    }
    assertTrue(q.message().contains("(" + reason + ")"), q.message());
    return q;
  }

  @Test
  void everyReasonCodeIsUsed() {
    Set<String> used =
        batch.quarantine().stream().map(QuarantineRecord::reasonCode).collect(Collectors.toSet());
    assertEquals(
        Arrays.stream(ReasonCode.values()).map(Enum::name).collect(Collectors.toSet()), used);
  }

  @Test
  void patientsRejectedWithReasons() {
    assertRejected("clinical/dm.csv", 4, ReasonCode.NEGATIVE_AGE, "AGE", "-3");
    QuarantineRecord dup =
        assertRejected("clinical/dm.csv", 5, ReasonCode.DUPLICATE_RECORD, "USUBJID", "TR-01-001");
    assertTrue(dup.message().contains("already accepted from line 2"), dup.message());
    assertRejected("clinical/dm.csv", 6, ReasonCode.NEGATIVE_AGE, "BRTHDTC", "2016-01-01");
    QuarantineRecord missing =
        assertRejected("clinical/dm.csv", 7, ReasonCode.MISSING_VALUE, "USUBJID", "");
    assertTrue(missing.message().contains("USUBJID '' is empty"), missing.message());
    QuarantineRecord fields =
        assertRejected("clinical/dm.csv", 8, ReasonCode.MALFORMED_ROW, null, null);
    assertTrue(
        fields.message().contains("has 5 fields but the header (line 1) has 15"), fields.message());
    assertEquals("TRANSREG,DM,TR-01-006,006,01", fields.record());
    assertRejected("clinical/dm.csv", 9, ReasonCode.MALFORMED_ROW, "RFSTDTC", "2015-13-01");
  }

  @Test
  void aRowWithSeveralProblemsIsQuarantinedOnceUnderTheFirstWithAllListed() {
    QuarantineRecord q =
        assertRejected("clinical/qs.csv", 7, ReasonCode.MISSING_VALUE, "QSTESTCD", "");
    assertTrue(
        q.message()
            .contains(
                "2 problems: QSTESTCD '' is empty (MISSING_VALUE); "
                    + "VISIT 'W9' is not a visit of visits.yaml"),
        q.message());
    assertTrue(q.message().contains("(UNKNOWN_VISIT)"), q.message());
    assertEquals(ClinicalFixtures.QS.get(6), q.record());
  }

  @Test
  void visitsCheckLinksDatesOrderAndKeys() {
    QuarantineRecord order =
        assertRejected(
            "clinical/sv.csv", 4, ReasonCode.DATE_BEFORE_INCLUSION, "SVSTDTC", "2015-01-10");
    assertTrue(
        order
            .message()
            .contains("before SVSTDTC '2015-01-13' of the previous visit D8 " + "(line 3)"),
        order.message());
    QuarantineRecord early =
        assertRejected(
            "clinical/sv.csv", 5, ReasonCode.DATE_BEFORE_INCLUSION, "SVSTDTC", "2015-01-30");
    assertTrue(
        early.message().contains("before the patient's inclusion (RFSTDTC '2015-02-02')"),
        early.message());
    assertRejected("clinical/sv.csv", 6, ReasonCode.UNKNOWN_VISIT, "VISIT", "W3");
    QuarantineRecord unknown =
        assertRejected("clinical/sv.csv", 7, ReasonCode.UNKNOWN_PATIENT, "USUBJID", "TR-99-999");
    assertTrue(
        unknown.message().contains("is not a patient of clinical/dm.csv"), unknown.message());
    assertRejected(
        "clinical/sv.csv", 8, ReasonCode.DUPLICATE_RECORD, "USUBJID+VISIT", "TR-01-001/D8");
    QuarantineRecord orphan =
        assertRejected("clinical/sv.csv", 9, ReasonCode.UNKNOWN_PATIENT, "USUBJID", "TR-01-003");
    assertTrue(
        orphan.message().contains("was rejected in clinical/dm.csv line 4 (NEGATIVE_AGE)"),
        orphan.message());
    String p1 = IDS.patient("TR-01-001");
    String p2 = IDS.patient("TR-01-002");
    assertEquals(
        List.of(
            new VisitRecord(p1, "D1", 1.0, LocalDate.of(2015, 1, 6), 1),
            new VisitRecord(p1, "D8", 3.0, LocalDate.of(2015, 1, 13), 8),
            new VisitRecord(p2, "D1", 1.0, LocalDate.of(2015, 2, 2), 1)),
        batch.visits());
  }

  @Test
  void jsonLinesDosing() {
    assertRejected("clinical/ex.jsonl", 3, ReasonCode.OUT_OF_RANGE, "EXDOSE", "-1");
    QuarantineRecord broken =
        assertRejected("clinical/ex.jsonl", 5, ReasonCode.MALFORMED_ROW, null, null);
    assertTrue(broken.message().contains("is not valid JSON"), broken.message());
    assertRejected("clinical/ex.jsonl", 6, ReasonCode.MALFORMED_ROW, "EXDOSE", "one");
    assertEquals(2, batch.doses().size());
    DoseRecord d = batch.doses().get(1);
    assertEquals(
        new DoseRecord(
            IDS.patient("TR-01-001"),
            "ALDESLEUKIN",
            1.0,
            "MIU",
            "SUBCUTANEOUS",
            LocalDate.of(2015, 1, 7),
            2,
            null),
        d);
  }

  @Test
  void scoresWithQuotedFieldsRangesAndDates() {
    QuarantineRecord range =
        assertRejected("clinical/qs.csv", 3, ReasonCode.OUT_OF_RANGE, "QSSTRESN", "12.5");
    assertTrue(range.message().contains("is outside [0, 10]"), range.message());
    assertRejected("clinical/qs.csv", 4, ReasonCode.DATE_BEFORE_INCLUSION, "QSDTC", "2015-01-01");
    assertRejected("clinical/qs.csv", 5, ReasonCode.MALFORMED_ROW, "QSSTRESN", "abc");
    assertEquals(
        List.of("DAS28-CRP, 4 variables", "SLEDAI \"2K\""),
        batch.scores().stream().map(ScoreRecord::testName).toList());
  }

  @Test
  void aFileLackingARequiredColumnIsQuarantinedWhole() {
    QuarantineRecord q = rejected("clinical/lb.csv", "header");
    assertEquals(ReasonCode.MISSING_COLUMN.name(), q.reasonCode());
    assertEquals("LBTESTCD", q.field());
    assertEquals("USUBJID,LBTEST,LBSTRESN,VISIT", q.record());
    assertTrue(
        q.message()
            .contains("clinical/lb.csv: the header (line 1) lacks required column" + " LBTESTCD"),
        q.message());
    assertTrue(q.message().contains("all 2 records of the file are rejected"), q.message());
    DomainCount lb = batch.count(ClinicalDomain.LB);
    assertEquals(
        new DomainCount(ClinicalDomain.LB, "clinical/lb.csv", true, 2, 0, 2, 1, List.of()), lb);
  }

  @Test
  void adverseEvents() {
    assertRejected("clinical/ae.csv", 3, ReasonCode.OUT_OF_RANGE, "AETOXGR", "7");
    QuarantineRecord end =
        assertRejected(
            "clinical/ae.csv", 4, ReasonCode.DATE_BEFORE_INCLUSION, "AEENDTC", "2015-01-09");
    assertTrue(end.message().contains("is before AESTDTC '2015-01-10'"), end.message());
    assertEquals(
        List.of(
            new AdverseEventRecord(
                IDS.patient("TR-01-001"),
                1,
                "Injection site reaction",
                "Injection site reaction",
                1,
                false,
                "RELATED",
                LocalDate.of(2015, 1, 6),
                1,
                LocalDate.of(2015, 1, 8)),
            new AdverseEventRecord(
                IDS.patient("TR-01-002"),
                1,
                "Fatigue",
                "Fatigue",
                1,
                false,
                "POSSIBLY",
                LocalDate.of(2015, 2, 3),
                2,
                null)),
        batch.adverseEvents());
  }

  @Test
  void patientsArePseudonymousWithAgesNotBirthDates() {
    assertEquals(
        List.of(
            new PatientRecord(
                IDS.patient("TR-01-001"),
                "TRANSREG",
                "01",
                "RA",
                "LD-IL2",
                "F",
                44,
                "WHITE",
                LocalDate.of(2015, 1, 6)),
            new PatientRecord(
                IDS.patient("TR-01-002"),
                "TRANSREG",
                "01",
                "SLE",
                "LD-IL2",
                "M",
                34,
                "WHITE",
                LocalDate.of(2015, 2, 2))),
        batch.patients());
    String all =
        batch.patients().toString()
            + batch.visits()
            + batch.doses()
            + batch.scores()
            + batch.labs()
            + batch.adverseEvents();
    for (String raw : List.of("TR-01-", "Dupont", "Martin", "1970-03-15", "1980-07-01")) {
      assertFalse(all.contains(raw), raw);
    }
  }

  @Test
  void countsReconcileAndExtraColumnsAreListed() {
    for (DomainCount c : batch.counts()) {
      assertTrue(c.present(), c.toString());
      assertEquals(c.recordsIn(), c.accepted() + c.rejected(), c.summary());
    }
    DomainCount dm = batch.count(ClinicalDomain.DM);
    assertEquals(
        new DomainCount(ClinicalDomain.DM, "clinical/dm.csv", true, 8, 2, 6, 6, List.of("EXTRA1")),
        dm);
    assertEquals("clinical/dm.csv -> patients: 8 in = 2 accepted + 6 rejected", dm.summary());
    assertEquals(
        List.of(9L, 3L, 6L),
        List.of(
            batch.count(ClinicalDomain.SV).recordsIn(),
            batch.count(ClinicalDomain.SV).accepted(),
            batch.count(ClinicalDomain.SV).rejected()));
    assertEquals(5, batch.count(ClinicalDomain.EX).recordsIn());
    assertEquals(6, batch.count(ClinicalDomain.QS).recordsIn());
    assertEquals(4, batch.count(ClinicalDomain.AE).recordsIn());
    long in = batch.counts().stream().mapToLong(DomainCount::recordsIn).sum();
    long accepted = batch.counts().stream().mapToLong(DomainCount::accepted).sum();
    assertEquals(in, accepted + batch.counts().stream().mapToLong(DomainCount::rejected).sum());
    assertEquals(
        batch.patients().size()
            + batch.visits().size()
            + batch.doses().size()
            + batch.scores().size()
            + batch.labs().size()
            + batch.adverseEvents().size(),
        accepted);
  }

  @Test
  void quarantineIsOrderedByDomainThenLine() {
    List<String> locators =
        batch.quarantine().stream()
            .filter(q -> q.source().equals("clinical/sv.csv"))
            .map(QuarantineRecord::locator)
            .toList();
    assertEquals(List.of("line 4", "line 5", "line 6", "line 7", "line 8", "line 9"), locators);
  }

  @Test
  void absentDomainsAreReportedAndAbsentDmIsFatal(@TempDir Path only) throws IOException {
    Files.writeString(only.resolve("dm.csv"), String.join("\n", ClinicalFixtures.DM));
    ClinicalBatch b = new ClinicalValidator(visits, IDS).validate(ClinicalInput.directory(only));
    for (ClinicalDomain d : EnumSet.complementOf(EnumSet.of(ClinicalDomain.DM))) {
      DomainCount c = b.count(d);
      assertFalse(c.present());
      assertEquals(0, c.recordsIn());
      assertEquals("clinical/" + d.stem() + ".csv", c.source());
    }
    Files.delete(only.resolve("dm.csv"));
    ClinicalInputException e =
        assertThrows(
            ClinicalInputException.class,
            () -> new ClinicalValidator(visits, IDS).validate(ClinicalInput.directory(only)));
    assertTrue(e.getMessage().contains("dm.csv (or dm.jsonl) is missing"), e.getMessage());
  }

  @Test
  void aDomainInBothFormatsIsAmbiguous(@TempDir Path both) throws IOException {
    Files.writeString(both.resolve("dm.csv"), String.join("\n", ClinicalFixtures.DM));
    Files.writeString(both.resolve("dm.jsonl"), "{\"USUBJID\":\"X\",\"DISEASE\":\"RA\"}\n");
    ClinicalInputException e =
        assertThrows(
            ClinicalInputException.class,
            () -> new ClinicalValidator(visits, IDS).validate(ClinicalInput.directory(both)));
    assertTrue(e.getMessage().contains("both dm.csv and dm.jsonl exist"), e.getMessage());
  }

  @Test
  void jsonLinesDemographicsComputeAgeFromBirthDate(@TempDir Path json) throws IOException {
    Files.writeString(
        json.resolve("dm.jsonl"),
        String.join(
            "\n",
            "{\"USUBJID\":\"J-1\",\"DISEASE\":\"AS\",\"RFSTDTC\":\"2016-03-01\","
                + "\"BRTHDTC\":\"1980-03-02\",\"NAME\":\"Doe, John\",\"AGE\":null}",
            "{\"USUBJID\":\"J-2\",\"DISEASE\":\"AS\",\"RFSTDTC\":\"2016-03-01\","
                + "\"BRTHDTC\":\"1980-03-01\"}",
            "{\"USUBJID\":\"J-3\",\"DISEASE\":\"AS\",\"AGE\":200}",
            "{\"USUBJID\":\"J-4\"}"));
    ClinicalBatch b = new ClinicalValidator(visits, IDS).validate(ClinicalInput.directory(json));
    assertEquals(List.of(35, 36), b.patients().stream().map(PatientRecord::age).toList());
    assertEquals("clinical/dm.jsonl", b.count(ClinicalDomain.DM).source());
    QuarantineRecord old = b.quarantine().get(0);
    assertEquals(
        List.of("line 3", "OUT_OF_RANGE", "AGE", "200"),
        List.of(old.locator(), old.reasonCode(), old.field(), old.value()));
    QuarantineRecord absent = b.quarantine().get(1);
    assertEquals(
        List.of("line 4", "MISSING_VALUE", "DISEASE"),
        List.of(absent.locator(), absent.reasonCode(), absent.field()));
    assertNull(absent.value());
    assertTrue(absent.message().contains("DISEASE is absent"), absent.message());
  }

  @Test
  void scoreRangesMatchByLongestPrefix() {
    assertEquals("DAS28", ScoreRanges.of("das28-crp").prefix());
    assertEquals("PMAYO", ScoreRanges.of("PMAYO").prefix());
    assertEquals("EQ5DVAS", ScoreRanges.of("EQ-5D VAS").prefix());
    assertEquals("EQ5D", ScoreRanges.of("EQ5D").prefix());
    assertEquals(ScoreRanges.OTHER, ScoreRanges.of("ALT"));
    assertTrue(ScoreRanges.of("EQ5D").contains(-0.2));
    assertFalse(ScoreRanges.OTHER.contains(-0.2));
  }

  @Test
  void conditionsWithoutStudyDaysAreVisitsInTheirListedOrder(@TempDir Path in) throws IOException {
    VisitSchedule conditions =
        new VisitSchedule(
            "unstim",
            List.of(
                new VisitSchedule.Visit("unstim", null), new VisitSchedule.Visit("stim", null)));
    // DM with its two required columns only; SV dated: the same day is fine, stim dated before
    // unstim is not (unstim comes first in the list).
    Files.writeString(
        in.resolve("dm.csv"), "USUBJID,DISEASE\nD01,Healthy donor\n" + "D02,Healthy donor\n");
    Files.writeString(
        in.resolve("sv.csv"),
        String.join(
            "\n",
            "USUBJID,VISIT,SVSTDTC",
            "D01,unstim,2024-03-05",
            "D01,stim,2024-03-05",
            "D02,stim,2024-03-04",
            "D02,unstim,2024-03-05",
            "D02,D8,2024-03-06"));
    ClinicalBatch b = new ClinicalValidator(conditions, IDS).validate(ClinicalInput.directory(in));
    assertEquals(2, b.patients().size());
    assertNull(b.patients().get(0).age());
    assertEquals(
        List.of("unstim", "stim", "unstim"), b.visits().stream().map(VisitRecord::visit).toList());
    assertTrue(b.visits().stream().allMatch(v -> v.studyDay() == null));
    assertEquals(
        List.of("line 4 DATE_BEFORE_INCLUSION SVSTDTC", "line 6 UNKNOWN_VISIT VISIT"),
        b.quarantine().stream()
            .map(q -> q.locator() + " " + q.reasonCode() + " " + q.field())
            .toList());
    assertTrue(
        b.quarantine().get(0).message().contains("of the previous visit unstim (line 5)"),
        b.quarantine().get(0).message());
    assertTrue(
        b.quarantine().get(1).message().contains("[unstim, stim]"),
        b.quarantine().get(1).message());
  }
}
