package org.cytolake.clinical;

import java.io.IOException;
import java.time.LocalDate;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.cytolake.config.VisitSchedule;
import org.cytolake.tables.Pseudonymizer;
import org.cytolake.tables.QuarantineRecord;

/**
 * Validates the SDTM-like files of a clinical input into pseudonymised records and a quarantine.
 * DM is read first (its accepted patients are the ones other domains may name), then SV, EX, QS,
 * LB and AE. A missing domain is reported (zero records); a missing DM is fatal. Each record is
 * checked in full, fields first (MISSING_VALUE, MALFORMED_ROW in column order), then links
 * (UNKNOWN_PATIENT, UNKNOWN_VISIT), ranges (NEGATIVE_AGE, OUT_OF_RANGE), dates
 * (DATE_BEFORE_INCLUSION) and last the key (DUPLICATE_RECORD: the first accepted record wins).
 *
 * <p>Ranges: AGE 0-{@value #MAX_AGE} years and AGEU, when given, YEARS; EXDOSE, LBSTRESN,
 * LBSTNRLO, LBSTNRHI not negative and LBSTNRLO not above LBSTNRHI; QSSTRESN per {@link
 * ScoreRanges}; AETOXGR 1-5; AESEQ at least 1. Dates: every visit, dose, score, lab and AE start
 * date on or after the patient's RFSTDTC; a visit's SVSTDTC not before that of the patient's
 * previous accepted visit in schedule order; AEENDTC not before AESTDTC. A record of a patient
 * whose DM record was rejected is UNKNOWN_PATIENT, so that every analyst table links to
 * {@code patients}.
 */
public final class ClinicalValidator {
  /** The job name written to quarantine. */
  public static final String JOB = "ingest-clinical";

  /** Sources are named relative to the trial root, whose clinical files are in clinical/. */
  public static final String SOURCE_PREFIX = "clinical/";

  /** Oldest accepted age in years. */
  public static final int MAX_AGE = 130;

  /** Highest CTCAE grade (5 = death). */
  public static final int MAX_GRADE = 5;

  private final VisitSchedule schedule;
  private final Pseudonymizer pseudonymizer;
  private final String sourcePrefix;

  public ClinicalValidator(VisitSchedule schedule, Pseudonymizer pseudonymizer) {
    this(schedule, pseudonymizer, SOURCE_PREFIX);
  }

  /**
   * @param sourcePrefix put before file names in quarantine sources (e.g. {@code clinical/})
   */
  public ClinicalValidator(
      VisitSchedule schedule, Pseudonymizer pseudonymizer, String sourcePrefix) {
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.pseudonymizer = Objects.requireNonNull(pseudonymizer, "pseudonymizer");
    this.sourcePrefix = Objects.requireNonNull(sourcePrefix, "sourcePrefix");
  }

  /**
   * Reads and validates every domain of {@code input}.
   *
   * @throws ClinicalInputException when DM is absent, a domain is there both as CSV and JSON
   *     lines, or a file cannot be read
   */
  public ClinicalBatch validate(ClinicalInput input) {
    return new Run(input).run();
  }

  /** An accepted record and the row it came from. */
  private record Accepted<T>(SourceRow row, T record) {}

  /** A rejected record (or whole file, at line 0) and its quarantine row. */
  private record Rejected(int line, long records, QuarantineRecord quarantine) {}

  /** What a patient's other records are checked against. */
  private record Patient(String patientId, LocalDate inclusion) {}

  /** The state of one domain's validation. */
  private static final class Pass<T> {
    final ClinicalDomain domain;
    String source;
    boolean present;
    long recordsIn;
    List<String> extraColumns = List.of();
    final List<Accepted<T>> accepted = new ArrayList<>();
    final List<Rejected> rejected = new ArrayList<>();

    Pass(ClinicalDomain domain) {
      this.domain = domain;
    }

    List<T> records() {
      return accepted.stream().map(Accepted::record).toList();
    }

    List<QuarantineRecord> quarantine() {
      return rejected.stream()
          .sorted(Comparator.comparingInt(Rejected::line))
          .map(Rejected::quarantine)
          .toList();
    }

    DomainCount count() {
      long rejectedRecords = rejected.stream().mapToLong(Rejected::records).sum();
      return new DomainCount(
          domain,
          source,
          present,
          recordsIn,
          accepted.size(),
          rejectedRecords,
          rejected.size(),
          extraColumns);
    }
  }

  /** One validation: the patients accepted so far and every domain's pass. */
  private final class Run {
    private final ClinicalInput input;
    private final Map<String, Patient> patients = new HashMap<>();
    private final Map<String, String> rejectedPatients = new HashMap<>();
    private final Map<ClinicalDomain, Map<List<String>, Integer>> keys = new HashMap<>();
    private String dmSource;

    Run(ClinicalInput input) {
      this.input = input;
    }

    ClinicalBatch run() {
      Pass<PatientRecord> dm = pass(ClinicalDomain.DM, this::patient);
      if (!dm.present) {
        throw new ClinicalInputException(
            "Cannot ingest clinical records from "
                + input.location()
                + ": dm.csv (or dm.jsonl) is missing; without DM no record can"
                + " be linked to a patient");
      }
      Pass<VisitRecord> sv = pass(ClinicalDomain.SV, this::visit);
      checkVisitOrder(sv);
      Pass<DoseRecord> ex = pass(ClinicalDomain.EX, this::dose);
      Pass<ScoreRecord> qs = pass(ClinicalDomain.QS, this::score);
      Pass<LabRecord> lb = pass(ClinicalDomain.LB, this::lab);
      Pass<AdverseEventRecord> ae = pass(ClinicalDomain.AE, this::adverseEvent);
      List<Pass<?>> all = List.of(dm, sv, ex, qs, lb, ae);
      List<QuarantineRecord> quarantine = new ArrayList<>();
      List<DomainCount> counts = new ArrayList<>();
      for (Pass<?> p : all) {
        quarantine.addAll(p.quarantine());
        counts.add(p.count());
      }
      return new ClinicalBatch(
          dm.records(),
          sv.records(),
          ex.records(),
          qs.records(),
          lb.records(),
          ae.records(),
          quarantine,
          counts);
    }

    private <T> Pass<T> pass(ClinicalDomain d, Function<RowCheck, T> validate) {
      Pass<T> p = new Pass<>(d);
      Optional<SourceFile> file = locate(d);
      if (file.isEmpty()) {
        p.source = sourcePrefix + d.stem() + ".csv";
        return p;
      }
      SourceFile f = file.get();
      p.source = f.source();
      p.present = true;
      p.recordsIn = f.records();
      p.extraColumns = f.columns().stream().filter(c -> !d.known().contains(c)).toList();
      if (d == ClinicalDomain.DM) {
        dmSource = f.source();
      }
      String fileProblem = f.headerProblem();
      ReasonCode fileReason =
          f.columns().isEmpty() ? ReasonCode.MISSING_COLUMN : ReasonCode.MALFORMED_ROW;
      String missing = null;
      if (fileProblem == null && f.format() == SourceFile.Format.CSV) {
        List<String> absent = d.required().stream().filter(c -> !f.columns().contains(c)).toList();
        if (!absent.isEmpty()) {
          missing = String.join(",", absent);
          fileReason = ReasonCode.MISSING_COLUMN;
          fileProblem =
              "the header (line 1) lacks required column"
                  + (absent.size() > 1 ? "s " : " ")
                  + missing
                  + " (it has "
                  + f.columns()
                  + ")";
        }
      }
      if (fileProblem != null) {
        String message =
            "Cannot accept "
                + f.source()
                + ": "
                + fileProblem
                + "; all "
                + f.records()
                + " records of the file are rejected ("
                + fileReason
                + ")";
        p.rejected.add(
            new Rejected(
                0,
                f.records(),
                new QuarantineRecord(
                    JOB,
                    f.source(),
                    "header",
                    fileReason.reason(),
                    message,
                    missing,
                    null,
                    null,
                    f.headerText())));
        return p;
      }
      for (SourceFile.Malformed m : f.malformed()) {
        p.rejected.add(
            new Rejected(
                m.line(),
                1,
                new QuarantineRecord(
                    JOB,
                    f.source(),
                    "line " + m.line(),
                    ReasonCode.MALFORMED_ROW.reason(),
                    "Cannot accept "
                        + f.source()
                        + " line "
                        + m.line()
                        + ": the record "
                        + m.problem()
                        + " ("
                        + ReasonCode.MALFORMED_ROW
                        + ")",
                    null,
                    null,
                    null,
                    m.text())));
      }
      for (SourceRow row : f.rows()) {
        RowCheck c = new RowCheck(d, f.source(), row);
        T record = validate.apply(c);
        if (c.ok()) {
          p.accepted.add(new Accepted<>(row, record));
        } else {
          p.rejected.add(new Rejected(row.line(), 1, c.quarantine(JOB)));
        }
      }
      return p;
    }

    /** The domain's file, CSV or JSON lines, read; empty when neither exists. */
    private Optional<SourceFile> locate(ClinicalDomain d) {
      Map<SourceFile.Format, String> found = new LinkedHashMap<>();
      for (SourceFile.Format format : SourceFile.Format.values()) {
        String name = d.stem() + "." + format.extension();
        try {
          input.read(name).ifPresent(text -> found.put(format, text));
        } catch (IOException e) {
          throw new ClinicalInputException(
              "Cannot read clinical file " + input.location() + "/" + name + ": " + e.getMessage(),
              e);
        }
      }
      if (found.size() > 1) {
        throw new ClinicalInputException(
            "Cannot ingest clinical records from "
                + input.location()
                + ": both "
                + d.stem()
                + ".csv and "
                + d.stem()
                + ".jsonl exist; keep one");
      }
      return found.entrySet().stream()
          .findFirst()
          .map(
              e ->
                  ClinicalFileReader.read(
                      sourcePrefix + d.stem() + "." + e.getKey().extension(),
                      e.getKey(),
                      e.getValue()));
    }

    // ---- DM ------------------------------------------------------------------------------

    private PatientRecord patient(RowCheck c) {
      String id = c.string("USUBJID");
      String studyId = c.string("STUDYID");
      String siteId = c.string("SITEID");
      LocalDate inclusion = c.date("RFSTDTC");
      LocalDate birth = c.date("BRTHDTC");
      Integer age = c.integer("AGE");
      String ageUnit = c.string("AGEU");
      String sex = c.string("SEX");
      String race = c.string("RACE");
      String arm = c.string("ARM");
      String cohort = c.string("DISEASE");
      if (age != null && age < 0) {
        c.fail(ReasonCode.NEGATIVE_AGE, "AGE", c.raw("AGE"), "is negative");
      } else if (age != null && age > MAX_AGE) {
        c.fail(ReasonCode.OUT_OF_RANGE, "AGE", c.raw("AGE"), "is above " + MAX_AGE + " years");
      }
      if (birth != null && inclusion != null && birth.isAfter(inclusion)) {
        c.fail(
            ReasonCode.NEGATIVE_AGE,
            "BRTHDTC",
            c.raw("BRTHDTC"),
            "is after RFSTDTC '" + inclusion + "'");
      }
      if (ageUnit != null && !ageUnit.toUpperCase(Locale.ROOT).matches("YEARS?")) {
        c.fail(ReasonCode.OUT_OF_RANGE, "AGEU", c.raw("AGEU"), "is not YEARS");
      }
      unique(c, ClinicalDomain.DM, id);
      if (!c.ok()) {
        if (id != null) {
          rejectedPatients.putIfAbsent(id, c.row().line() + " (" + c.reason() + ")");
        }
        return null;
      }
      if (age == null && birth != null && inclusion != null) {
        age = Period.between(birth, inclusion).getYears();
      }
      String patientId = pseudonymizer.patient(id);
      patients.put(id, new Patient(patientId, inclusion));
      return new PatientRecord(patientId, studyId, siteId, cohort, arm, sex, age, race, inclusion);
    }

    // ---- SV ------------------------------------------------------------------------------

    private VisitRecord visit(RowCheck c) {
      String id = c.string("USUBJID");
      String visit = c.string("VISIT");
      Double visitNum = c.number("VISITNUM");
      LocalDate date = c.date("SVSTDTC");
      Integer day = c.integer("VISITDY");
      Patient p = knownPatient(c, id);
      knownVisit(c, "VISIT", visit);
      notBeforeInclusion(c, "SVSTDTC", date, p);
      unique(c, ClinicalDomain.SV, id, visit);
      if (!c.ok()) {
        return null;
      }
      if (day == null && date != null && p.inclusion() != null) {
        day = (int) ChronoUnit.DAYS.between(p.inclusion(), date) + 1;
      }
      return new VisitRecord(p.patientId(), visit, visitNum, date, day);
    }

    /**
     * Rejects visits dated before the patient's previous accepted visit in schedule order
     * (DATE_BEFORE_INCLUSION): the later-scheduled visit of an out-of-order pair is the one
     * quarantined.
     */
    private void checkVisitOrder(Pass<VisitRecord> sv) {
      Comparator<String> order = schedule.order();
      Map<String, List<Accepted<VisitRecord>>> byPatient = new LinkedHashMap<>();
      for (Accepted<VisitRecord> a : sv.accepted) {
        byPatient.computeIfAbsent(a.record().patientId(), k -> new ArrayList<>()).add(a);
      }
      List<Accepted<VisitRecord>> outOfOrder = new ArrayList<>();
      for (List<Accepted<VisitRecord>> visits : byPatient.values()) {
        visits.sort(Comparator.comparing(a -> a.record().visit(), order));
        Accepted<VisitRecord> previous = null;
        for (Accepted<VisitRecord> a : visits) {
          LocalDate date = a.record().visitDate();
          if (date == null) {
            continue;
          }
          if (previous != null && date.isBefore(previous.record().visitDate())) {
            RowCheck c = new RowCheck(ClinicalDomain.SV, sv.source, a.row());
            c.fail(
                ReasonCode.DATE_BEFORE_INCLUSION,
                "SVSTDTC",
                a.row().get("SVSTDTC"),
                "is before SVSTDTC '"
                    + previous.record().visitDate()
                    + "' of the previous visit "
                    + previous.record().visit()
                    + " (line "
                    + previous.row().line()
                    + ")");
            sv.rejected.add(new Rejected(a.row().line(), 1, c.quarantine(JOB)));
            outOfOrder.add(a);
          } else {
            previous = a;
          }
        }
      }
      sv.accepted.removeAll(outOfOrder);
    }

    // ---- EX ------------------------------------------------------------------------------

    private DoseRecord dose(RowCheck c) {
      String id = c.string("USUBJID");
      String treatment = c.string("EXTRT");
      Double dose = c.number("EXDOSE");
      String unit = c.string("EXDOSU");
      String route = c.string("EXROUTE");
      LocalDate date = c.date("EXSTDTC");
      Integer day = c.integer("EXSTDY");
      String visit = c.string("VISIT");
      Patient p = knownPatient(c, id);
      knownVisit(c, "VISIT", visit);
      notNegative(c, "EXDOSE", dose);
      notBeforeInclusion(c, "EXSTDTC", date, p);
      unique(c, ClinicalDomain.EX, id, treatment, date == null ? null : date.toString());
      return c.ok()
          ? new DoseRecord(p.patientId(), treatment, dose, unit, route, date, day, visit)
          : null;
    }

    // ---- QS ------------------------------------------------------------------------------

    private ScoreRecord score(RowCheck c) {
      String id = c.string("USUBJID");
      String code = c.string("QSTESTCD");
      String name = c.string("QSTEST");
      Double value = c.number("QSSTRESN");
      String unit = c.string("QSSTRESU");
      String visit = c.string("VISIT");
      Double visitNum = c.number("VISITNUM");
      LocalDate date = c.date("QSDTC");
      Integer day = c.integer("QSDY");
      Patient p = knownPatient(c, id);
      knownVisit(c, "VISIT", visit);
      if (code != null && value != null) {
        ScoreRanges.Range r = ScoreRanges.of(code);
        if (!r.contains(value)) {
          c.fail(
              ReasonCode.OUT_OF_RANGE,
              "QSSTRESN",
              c.raw("QSSTRESN"),
              "is outside "
                  + r
                  + ", the range of "
                  + (r == ScoreRanges.OTHER ? "scores" : r.instrument() + " (" + code + ")"));
        }
      }
      notBeforeInclusion(c, "QSDTC", date, p);
      unique(c, ClinicalDomain.QS, id, code, visit);
      return c.ok()
          ? new ScoreRecord(p.patientId(), code, name, value, unit, visit, visitNum, date, day)
          : null;
    }

    // ---- LB ------------------------------------------------------------------------------

    private LabRecord lab(RowCheck c) {
      String id = c.string("USUBJID");
      String code = c.string("LBTESTCD");
      String name = c.string("LBTEST");
      Double value = c.number("LBSTRESN");
      String unit = c.string("LBSTRESU");
      Double low = c.number("LBSTNRLO");
      Double high = c.number("LBSTNRHI");
      String visit = c.string("VISIT");
      Double visitNum = c.number("VISITNUM");
      LocalDate date = c.date("LBDTC");
      Integer day = c.integer("LBDY");
      Patient p = knownPatient(c, id);
      knownVisit(c, "VISIT", visit);
      notNegative(c, "LBSTRESN", value);
      notNegative(c, "LBSTNRLO", low);
      notNegative(c, "LBSTNRHI", high);
      if (low != null && high != null && low > high) {
        c.fail(
            ReasonCode.OUT_OF_RANGE,
            "LBSTNRLO",
            c.raw("LBSTNRLO"),
            "is above LBSTNRHI '" + c.raw("LBSTNRHI") + "'");
      }
      notBeforeInclusion(c, "LBDTC", date, p);
      unique(c, ClinicalDomain.LB, id, code, visit);
      return c.ok()
          ? new LabRecord(
              p.patientId(), code, name, value, unit, low, high, visit, visitNum, date, day)
          : null;
    }

    // ---- AE ------------------------------------------------------------------------------

    private AdverseEventRecord adverseEvent(RowCheck c) {
      String id = c.string("USUBJID");
      Integer seq = c.integer("AESEQ");
      String term = c.string("AETERM");
      String decoded = c.string("AEDECOD");
      Integer grade = c.integer("AETOXGR");
      Boolean serious = c.yesNo("AESER");
      String related = c.string("AEREL");
      LocalDate start = c.date("AESTDTC");
      Integer startDay = c.integer("AESTDY");
      LocalDate end = c.date("AEENDTC");
      Patient p = knownPatient(c, id);
      if (seq != null && seq < 1) {
        c.fail(ReasonCode.OUT_OF_RANGE, "AESEQ", c.raw("AESEQ"), "is below 1");
      }
      if (grade != null && (grade < 1 || grade > MAX_GRADE)) {
        c.fail(
            ReasonCode.OUT_OF_RANGE,
            "AETOXGR",
            c.raw("AETOXGR"),
            "is not a CTCAE grade 1-" + MAX_GRADE);
      }
      notBeforeInclusion(c, "AESTDTC", start, p);
      if (start != null && end != null && end.isBefore(start)) {
        c.fail(
            ReasonCode.DATE_BEFORE_INCLUSION,
            "AEENDTC",
            c.raw("AEENDTC"),
            "is before AESTDTC '" + start + "'");
      }
      unique(c, ClinicalDomain.AE, id, seq == null ? null : seq.toString());
      return c.ok()
          ? new AdverseEventRecord(
              p.patientId(), seq, term, decoded, grade, serious, related, start, startDay, end)
          : null;
    }

    // ---- shared checks -------------------------------------------------------------------

    private Patient knownPatient(RowCheck c, String id) {
      if (id == null) {
        return null;
      }
      Patient p = patients.get(id);
      if (p == null) {
        String rejectedAt = rejectedPatients.get(id);
        c.fail(
            ReasonCode.UNKNOWN_PATIENT,
            "USUBJID",
            c.raw("USUBJID"),
            rejectedAt != null
                ? "was rejected in " + dmSource + " line " + rejectedAt
                : "is not a patient of " + dmSource);
      }
      return p;
    }

    private void knownVisit(RowCheck c, String column, String visit) {
      if (visit != null && schedule.find(visit).isEmpty()) {
        c.fail(
            ReasonCode.UNKNOWN_VISIT,
            column,
            c.raw(column),
            "is not a visit of visits.yaml " + schedule.codes());
      }
    }

    private void notNegative(RowCheck c, String column, Double value) {
      if (value != null && value < 0) {
        c.fail(ReasonCode.OUT_OF_RANGE, column, c.raw(column), "is negative");
      }
    }

    private void notBeforeInclusion(RowCheck c, String column, LocalDate date, Patient p) {
      if (date != null && p != null && p.inclusion() != null && date.isBefore(p.inclusion())) {
        c.fail(
            ReasonCode.DATE_BEFORE_INCLUSION,
            column,
            c.raw(column),
            "is before the patient's" + " inclusion (RFSTDTC '" + p.inclusion() + "')");
      }
    }

    /**
     * The last check of a record: DUPLICATE_RECORD when it is otherwise valid and its key was
     * accepted before; else its key is taken. A key with an empty part is not checked.
     */
    private void unique(RowCheck c, ClinicalDomain d, String... parts) {
      if (!c.ok() || Arrays.stream(parts).anyMatch(Objects::isNull)) {
        return;
      }
      Map<List<String>, Integer> taken = keys.computeIfAbsent(d, k -> new HashMap<>());
      Integer first = taken.putIfAbsent(List.of(parts), c.row().line());
      if (first != null) {
        c.fail(
            ReasonCode.DUPLICATE_RECORD,
            String.join("+", d.key()),
            String.join("/", parts),
            "was already accepted from line " + first);
      }
    }
  }
}
