package org.cytolake.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cytolake.generate.BadInput.Reason;
import org.junit.jupiter.api.Test;

/**
 * The clinical CSVs: SDTM headers, and every row checked the way an ingest job would; exactly the
 * rows bad_inputs.csv lists fail, each for its listed reason.
 */
class ClinicalRecordsTest {

  private static final Path TRIAL = Trials.small();

  @Test
  void headersAreTheSdtmColumns() throws Exception {
    for (ClinicalGenerator.Domain d : ClinicalGenerator.DOMAINS) {
      assertEquals(
          String.join(",", d.columns()),
          Trials.header(TRIAL.resolve("clinical/" + d.name() + ".csv")),
          d.name());
    }
    assertEquals(
        "STUDYID,DOMAIN,USUBJID,SUBJID,SITEID,RFSTDTC,BRTHDTC,AGE,AGEU,SEX,RACE,ARM,"
            + "DISEASE,NAME",
        Trials.header(TRIAL.resolve("clinical/dm.csv")));
  }

  @Test
  void exactlyTheListedRowsAreBadForTheListedReason() throws Exception {
    Map<String, String> listed = new HashMap<>();
    Set<Reason> kinds = EnumSet.noneOf(Reason.class);
    for (List<String> r : Trials.rows(TRIAL.resolve("truth/bad_inputs.csv"))) {
      if (r.get(0).equals("clinical")) {
        listed.put(r.get(1), r.get(2));
        kinds.add(Reason.valueOf(r.get(2)));
      }
    }
    assertEquals(
        EnumSet.of(
            Reason.MALFORMED_ROW,
            Reason.NEGATIVE_AGE,
            Reason.DATE_BEFORE_INCLUSION,
            Reason.UNKNOWN_VISIT,
            Reason.UNKNOWN_PATIENT),
        kinds);

    Map<String, LocalDate> inclusion = new HashMap<>();
    List<String> dm = Files.readAllLines(TRIAL.resolve("clinical/dm.csv"));
    for (String line : dm.subList(1, dm.size())) {
      List<String> c = Csv.split(line);
      if (c.size() == 14) {
        inclusion.put(c.get(2), LocalDate.parse(c.get(5)));
      }
    }
    Set<String> visits = new HashSet<>(Visit.codes());
    int checked = 0;
    for (ClinicalGenerator.Domain d : ClinicalGenerator.DOMAINS) {
      List<String> lines =
          Files.readAllLines(
              TRIAL.resolve("clinical/" + d.name() + ".csv"), StandardCharsets.UTF_8);
      for (int i = 1; i < lines.size(); i++) {
        String locator = "clinical/" + d.name() + ".csv:" + (i + 1);
        String why = problem(d, Csv.split(lines.get(i)), inclusion, visits);
        assertEquals(listed.get(locator), why, locator + ": " + lines.get(i));
        checked++;
      }
    }
    assertTrue(checked > 500, "rows checked: " + checked);
  }

  /** The first reason an ingest job would reject a row for, or null. */
  private static String problem(
      ClinicalGenerator.Domain d,
      List<String> c,
      Map<String, LocalDate> inclusion,
      Set<String> visits) {
    if (c.size() != d.columns().size()) {
      return "MALFORMED_ROW";
    }
    try {
      Double.parseDouble(c.get(d.numeric()));
    } catch (NumberFormatException e) {
      return "MALFORMED_ROW";
    }
    if (d == ClinicalGenerator.DM) {
      return Integer.parseInt(c.get(7)) < 0 ? "NEGATIVE_AGE" : null;
    }
    LocalDate start = inclusion.get(c.get(d.usubjid()));
    if (start == null) {
      return "UNKNOWN_PATIENT";
    }
    if (d.visit() >= 0 && !visits.contains(c.get(d.visit()))) {
      return "UNKNOWN_VISIT";
    }
    if (d.visit() < 0
        && d == ClinicalGenerator.EX
        && !c.get(7).isEmpty()
        && !visits.contains(c.get(7))) {
      return "UNKNOWN_VISIT";
    }
    if (LocalDate.parse(c.get(d.date())).isBefore(start)) {
      return "DATE_BEFORE_INCLUSION";
    }
    return null;
  }

  @Test
  void recordsFollowTheProtocol() throws Exception {
    List<List<String>> ex = Trials.rows(TRIAL.resolve("clinical/ex.csv"));
    long doses = ex.stream().filter(r -> r.get(0).equals("TRANSREG-RA-01")).count();
    assertTrue(doses >= 17, "17 doses (D1-D5, then D15..D169 every 14 days): " + doses);
    List<List<String>> qs = Trials.rows(TRIAL.resolve("clinical/qs.csv"));
    assertTrue(qs.stream().anyMatch(r -> r.get(1).equals("DAS28CRP")));
    assertTrue(qs.stream().anyMatch(r -> r.get(1).equals("BASDAI")));
    assertTrue(qs.stream().anyMatch(r -> r.get(1).equals("SLEDAI2K")));
    assertTrue(qs.stream().anyMatch(r -> r.get(1).equals("CGII") && r.get(5).equals("M6")));
    List<List<String>> sv = Trials.rows(TRIAL.resolve("clinical/sv.csv"));
    Map<String, String> svDate = new HashMap<>();
    for (List<String> r : sv) {
      svDate.put(r.get(0) + "|" + r.get(2), r.get(3));
    }
    for (List<String> m : Trials.rows(TRIAL.resolve("manifest.csv"))) {
      String date = svDate.get(m.get(1) + "|" + m.get(2));
      if (date != null) {
        assertEquals(date, m.get(4), "acquisition date is the visit date: " + m);
        assertTrue(m.get(0).startsWith("fcs/" + date + "/"), m.get(0));
      }
    }
  }
}
