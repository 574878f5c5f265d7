package org.cytolake.generate;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.cytolake.generate.BadInput.Reason;
import org.cytolake.generate.TrialPlan.Patient;

/**
 * Writes {@code clinical/}: SDTM-like DM, SV, EX, QS, LB and AE domains as CSV with upper-case
 * SDTM column names (TRIAL.md sections 1 and 4), then inserts the deliberately bad rows.
 *
 * <p>Disease scores follow baseline ± SD and the mean change at M6 of TRIAL.md, reached gradually
 * (35% at M1, 60% M2, 80% M3, 100% M6, 70% kept at FU), with the change correlated (0.3) with the
 * patient's Treg responder factor; 10% of patients flare once. Labs are log-normal around
 * reference values, liver tests follow the AIH/PSC scores, eosinophils follow the patient's flow
 * eosinophil fold change. Adverse events: each term affects TRIAL.md's % of patients (rounded;
 * which patients is seeded), plus every patient with a 2-4× eosinophil rise gets eosinophilia;
 * episodes fall mostly in induction.
 *
 * <p>Bad rows are extra rows (the real records stay complete): copies of real rows with one
 * thing broken, or, in DM, extra subjects who have no other records.
 */
final class ClinicalGenerator {
  /** Study-day fraction of the M6 score change reached at each visit. */
  private static final Map<Visit, Double> TRAJECTORY = new LinkedHashMap<>();

  static {
    double[] f = {0, 0.05, 0.1, 0.2, 0.35, 0.6, 0.8, 0.87, 0.93, 1.0, 0.7};
    for (Visit v : Visit.values()) {
      TRAJECTORY.put(v, f[v.ordinal()]);
    }
  }

  /** One SDTM domain: its columns and where the checked fields are (-1: none). */
  record Domain(
      String name,
      List<String> columns,
      int usubjid,
      int visit,
      int visitNum,
      int date,
      int day,
      int numeric,
      List<Reason> faults) {}

  static final Domain DM =
      new Domain(
          "dm",
          List.of(
              "STUDYID", "DOMAIN", "USUBJID", "SUBJID", "SITEID", "RFSTDTC", "BRTHDTC", "AGE",
              "AGEU", "SEX", "RACE", "ARM", "DISEASE", "NAME"),
          2,
          -1,
          -1,
          -1,
          -1,
          7,
          List.of(Reason.NEGATIVE_AGE, Reason.MALFORMED_ROW));
  static final Domain SV =
      new Domain(
          "sv",
          List.of("USUBJID", "VISITNUM", "VISIT", "SVSTDTC", "VISITDY"),
          0,
          2,
          1,
          3,
          -1,
          1,
          List.of(
              Reason.DATE_BEFORE_INCLUSION,
              Reason.UNKNOWN_VISIT,
              Reason.UNKNOWN_PATIENT,
              Reason.MALFORMED_ROW));
  static final Domain EX =
      new Domain(
          "ex",
          List.of("USUBJID", "EXTRT", "EXDOSE", "EXDOSU", "EXROUTE", "EXSTDTC", "EXSTDY", "VISIT"),
          0,
          -1,
          -1,
          5,
          6,
          2,
          List.of(Reason.DATE_BEFORE_INCLUSION, Reason.UNKNOWN_PATIENT, Reason.MALFORMED_ROW));
  static final Domain QS =
      new Domain(
          "qs",
          List.of(
              "USUBJID",
              "QSTESTCD",
              "QSTEST",
              "QSSTRESN",
              "QSSTRESU",
              "VISIT",
              "VISITNUM",
              "QSDTC",
              "QSDY"),
          0,
          5,
          6,
          7,
          8,
          3,
          List.of(
              Reason.MALFORMED_ROW,
              Reason.DATE_BEFORE_INCLUSION,
              Reason.UNKNOWN_VISIT,
              Reason.UNKNOWN_PATIENT));
  static final Domain LB =
      new Domain(
          "lb",
          List.of(
              "USUBJID",
              "LBTESTCD",
              "LBTEST",
              "LBSTRESN",
              "LBSTRESU",
              "LBSTNRLO",
              "LBSTNRHI",
              "VISIT",
              "VISITNUM",
              "LBDTC",
              "LBDY"),
          0,
          7,
          8,
          9,
          10,
          3,
          List.of(
              Reason.MALFORMED_ROW,
              Reason.DATE_BEFORE_INCLUSION,
              Reason.UNKNOWN_VISIT,
              Reason.UNKNOWN_PATIENT));
  static final Domain AE =
      new Domain(
          "ae",
          List.of(
              "USUBJID", "AESEQ", "AETERM", "AEDECOD", "AETOXGR", "AESER", "AEREL", "AESTDTC",
              "AESTDY", "AEENDTC"),
          0,
          -1,
          -1,
          7,
          8,
          1,
          List.of(Reason.UNKNOWN_PATIENT, Reason.MALFORMED_ROW));
  static final List<Domain> DOMAINS = List.of(DM, SV, EX, QS, LB, AE);

  /** Where each kind of bad row goes when the per-domain share made none of it. */
  private static final Map<Reason, Domain> FALLBACK =
      Map.of(
          Reason.NEGATIVE_AGE,
          DM,
          Reason.MALFORMED_ROW,
          QS,
          Reason.DATE_BEFORE_INCLUSION,
          QS,
          Reason.UNKNOWN_VISIT,
          QS,
          Reason.UNKNOWN_PATIENT,
          QS);

  private static final List<String> UNKNOWN_VISITS = List.of("M7", "W3", "D22", "M12", "UNSCH");

  /** Rows written per domain and the bad rows. */
  record Written(Map<String, Integer> rows, List<BadInput> bad) {}

  private final TrialPlan plan;
  private final Biology biology;
  private final Map<String, Biology.PatientState> states;
  private final long seed;

  ClinicalGenerator(TrialPlan plan, Biology biology, Map<String, Biology.PatientState> states) {
    this.plan = plan;
    this.biology = biology;
    this.states = states;
    this.seed = plan.options.seed();
  }

  Written write(Path out) throws IOException {
    Path dir = out.resolve("clinical");
    Files.createDirectories(dir);
    Map<Domain, List<List<String>>> tables = new LinkedHashMap<>();
    for (Domain d : DOMAINS) {
      tables.put(d, new ArrayList<>());
    }
    for (Patient p : plan.patients) {
      tables.get(DM).add(dm(p));
      for (Visit v : Visit.values()) {
        LocalDate date = p.visitDates().get(v);
        tables
            .get(SV)
            .add(
                List.of(
                    p.id(),
                    Integer.toString(v.number()),
                    v.name(),
                    date.toString(),
                    Integer.toString(v.day())));
      }
      tables.get(EX).addAll(ex(p));
      LocalDate flare = qs(p, tables.get(QS));
      tables.get(LB).addAll(lb(p));
      tables.get(AE).addAll(ae(p, flare));
    }

    Map<String, Integer> rows = new LinkedHashMap<>();
    List<BadInput> bad = new ArrayList<>();
    Map<Domain, List<Reason>> planned = planBadRows(tables);
    for (Domain d : DOMAINS) {
      List<List<String>> real = tables.get(d);
      List<Line> lines = new ArrayList<>();
      for (List<String> r : real) {
        lines.add(new Line(Csv.line(r), null, null));
      }
      SplittableRandom rng = Seeds.random(seed, "bad-rows", d.name());
      int extra = 0;
      for (Reason r : planned.get(d)) {
        Line l = badRow(d, r, real, rng, extra++);
        lines.add(rng.nextInt(lines.size() + 1), l);
      }
      Path file = dir.resolve(d.name() + ".csv");
      try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        w.write(Csv.line(d.columns()));
        w.write('\n');
        int lineNo = 1;
        for (Line l : lines) {
          lineNo++;
          w.write(l.text());
          w.write('\n');
          if (l.reason() != null) {
            bad.add(
                new BadInput(
                    "clinical", "clinical/" + d.name() + ".csv:" + lineNo, l.reason(), l.detail()));
          }
        }
      }
      rows.put(d.name(), lines.size());
    }
    return new Written(rows, bad);
  }

  private record Line(String text, Reason reason, String detail) {}

  /** How many bad rows of which kind each domain gets: the bad fraction of its rows. */
  private Map<Domain, List<Reason>> planBadRows(Map<Domain, List<List<String>>> tables) {
    double f = plan.options.badFraction();
    Map<Domain, List<Reason>> out = new LinkedHashMap<>();
    Set<Reason> seen = EnumSet.noneOf(Reason.class);
    for (Domain d : DOMAINS) {
      List<Reason> list = new ArrayList<>();
      int k = (int) Math.round(f * tables.get(d).size());
      int start = Seeds.random(seed, "bad-kinds", d.name()).nextInt(d.faults().size());
      for (int i = 0; i < k; i++) {
        Reason r = d.faults().get((start + i) % d.faults().size());
        list.add(r);
        seen.add(r);
      }
      out.put(d, list);
    }
    if (f > 0) {
      for (Reason r :
          List.of(
              Reason.MALFORMED_ROW,
              Reason.NEGATIVE_AGE,
              Reason.DATE_BEFORE_INCLUSION,
              Reason.UNKNOWN_VISIT,
              Reason.UNKNOWN_PATIENT)) {
        if (!seen.contains(r)) {
          out.get(FALLBACK.get(r)).add(r);
        }
      }
    }
    return out;
  }

  private Line badRow(
      Domain d, Reason r, List<List<String>> real, SplittableRandom rng, int serial) {
    List<String> row = new ArrayList<>(real.get(rng.nextInt(real.size())));
    Patient p = patient(row.get(d.usubjid()));
    Cohort c = p.cohort();
    if (d == DM) {
      int number = serial < 10 ? 80 + serial : 800 + serial; // real patients are 01..65
      String subjid = c.code() + "-" + number;
      row.set(2, TrialPlan.STUDY + "-" + subjid);
      row.set(3, subjid);
      String[] name = Names.person(rng, row.get(9));
      row.set(13, name[0] + " " + name[1].toUpperCase(Locale.ROOT));
      if (r == Reason.NEGATIVE_AGE) {
        int age = -(1 + rng.nextInt(60));
        LocalDate rf = LocalDate.parse(row.get(5));
        row.set(6, rf.plusYears(-age).plusDays(rng.nextInt(1, 300)).toString());
        row.set(7, Integer.toString(age));
        return new Line(
            Csv.line(row),
            r,
            "AGE " + age + " for extra subject " + row.get(2) + " (no other records)");
      }
      return malformed(d, row, rng, " for extra subject " + row.get(2) + " (no other records)");
    }
    switch (r) {
      case UNKNOWN_PATIENT -> {
        String id = TrialPlan.STUDY + "-" + c.code() + "-" + (70 + serial % 10);
        row.set(d.usubjid(), id);
        return new Line(Csv.line(row), r, "USUBJID " + id + " is not in dm.csv");
      }
      case UNKNOWN_VISIT -> {
        String v = UNKNOWN_VISITS.get(rng.nextInt(UNKNOWN_VISITS.size()));
        row.set(d.visit(), v);
        row.set(d.visitNum(), Integer.toString(90 + serial % 10));
        if (d == SV) {
          row.set(4, "999");
        }
        return new Line(Csv.line(row), r, "VISIT " + v + " is not a protocol visit");
      }
      case DATE_BEFORE_INCLUSION -> {
        LocalDate early = p.inclusion().minusDays(rng.nextInt(30, 400));
        row.set(d.date(), early.toString());
        if (d.day() >= 0) {
          row.set(d.day(), Long.toString(studyDay(p, early)));
        }
        return new Line(
            Csv.line(row),
            r,
            d.columns().get(d.date()) + " " + early + " is before RFSTDTC " + p.inclusion());
      }
      default -> {
        return malformed(d, row, rng, "");
      }
    }
  }

  private Line malformed(Domain d, List<String> row, SplittableRandom rng, String where) {
    String column = d.columns().get(d.numeric());
    switch (rng.nextInt(3)) {
      case 0 -> {
        row.remove(row.size() - 1);
        return new Line(
            Csv.line(row),
            Reason.MALFORMED_ROW,
            row.size() + " columns instead of " + d.columns().size() + where);
      }
      case 1 -> {
        String v = row.get(d.numeric());
        String comma = v.contains(".") ? v.replace('.', ',') : v + ",0";
        List<String> cells = new ArrayList<>();
        for (String cell : row) {
          cells.add(Csv.cell(cell));
        }
        cells.set(d.numeric(), comma); // unquoted decimal comma: one column too many
        return new Line(
            String.join(",", cells),
            Reason.MALFORMED_ROW,
            column
                + " written '"
                + comma
                + "' with a decimal comma, unquoted: "
                + (d.columns().size() + 1)
                + " columns"
                + where);
      }
      default -> {
        String v = List.of("n/a", "<5", "1..2", "NaN?").get(rng.nextInt(4));
        row.set(d.numeric(), v);
        return new Line(
            Csv.line(row), Reason.MALFORMED_ROW, column + " '" + v + "' is not a number" + where);
      }
    }
  }

  private Patient patient(String id) {
    for (Patient p : plan.patients) {
      if (p.id().equals(id)) {
        return p;
      }
    }
    throw new IllegalStateException("no patient " + id);
  }

  static long studyDay(Patient p, LocalDate date) {
    long d = ChronoUnit.DAYS.between(p.inclusion(), date);
    return d >= 0 ? d + 1 : d;
  }

  // --------------------------------------------------------------------------------- DM, EX

  private List<String> dm(Patient p) {
    return List.of(
        TrialPlan.STUDY,
        "DM",
        p.id(),
        p.subjid(),
        p.cohort().site(),
        p.inclusion().toString(),
        p.birth().toString(),
        Integer.toString(p.age()),
        "YEARS",
        p.sex(),
        "NOT REPORTED",
        "ALDESLEUKIN 1 MIU",
        p.cohort().disease(),
        p.fullName());
  }

  /** Aldesleukin 1 MIU s.c. daily D1-D5, then every 14 days from D15 to D169 (17 doses). */
  private List<List<String>> ex(Patient p) {
    List<List<String>> out = new ArrayList<>();
    List<Integer> days = new ArrayList<>(List.of(1, 2, 3, 4, 5));
    for (int d = 15; d <= 169; d += 14) {
      days.add(d);
    }
    for (int day : days) {
      Visit at = null;
      for (Visit v : Visit.values()) {
        if (v.day() == day) {
          at = v;
        }
      }
      LocalDate date = at != null ? p.visitDates().get(at) : p.inclusion().plusDays(day - 1);
      out.add(
          List.of(
              p.id(),
              "ALDESLEUKIN",
              "1",
              "MIU",
              "SUBCUTANEOUS",
              date.toString(),
              Long.toString(studyDay(p, date)),
              at == null ? "" : at.name()));
    }
    return out;
  }

  // --------------------------------------------------------------------------------------- QS

  /** A patient's disease course: baseline and M6 change per score, and a flare. */
  private record Course(
      double[] baseline, double[] delta, double improvement, Visit flare, LocalDate flareDate) {}

  private Course course(Patient p) {
    SplittableRandom rng = Seeds.random(seed, "disease-course", p.id());
    double zr = Math.log(states.get(p.id()).responder()) / EffectModel.RESPONDER_LOG_SD;
    List<Cohort.Score> scores = p.cohort().scores();
    double[] base = new double[scores.size()];
    double[] delta = new double[scores.size()];
    double improvement = 0;
    for (int i = 0; i < scores.size(); i++) {
      Cohort.Score s = scores.get(i);
      base[i] =
          Math.max(
              s.baselineMin(),
              Math.min(s.max(), s.baselineMean() + s.baselineSd() * rng.nextGaussian()));
      double zd = 0.3 * zr + Math.sqrt(1 - 0.09) * rng.nextGaussian();
      delta[i] = s.deltaMean() - s.deltaSd() * zd;
      if (i == 0) {
        improvement = zd;
      }
    }
    List<Visit> later = new ArrayList<>();
    for (Visit v : Visit.values()) {
      if (v.hasScore() && v != Visit.D1) {
        later.add(v);
      }
    }
    Visit flare = later.get(rng.nextInt(later.size()));
    boolean flares = rng.nextDouble() < 0.10;
    LocalDate date = p.visitDates().get(flare).minusDays(rng.nextInt(1, 6));
    return new Course(base, delta, improvement, flares ? flare : null, flares ? date : null);
  }

  /** Writes the patient's QS rows; returns the date of a disease flare, or null. */
  private LocalDate qs(Patient p, List<List<String>> rows) {
    SplittableRandom rng = Seeds.random(seed, "qs", p.id());
    Course course = course(p);
    List<Cohort.Score> scores = p.cohort().scores();
    for (int i = 0; i < scores.size(); i++) {
      Cohort.Score s = scores.get(i);
      for (Visit v : Visit.values()) {
        if (!v.hasScore()) {
          continue;
        }
        double f = TRAJECTORY.get(v);
        boolean flare = v == course.flare();
        double value;
        if (s.relative()) {
          value =
              course.baseline()[i]
                  * Math.max(0.2, 1 + course.delta()[i] * f)
                  * Math.exp(0.08 * rng.nextGaussian())
                  * (flare ? 1.5 : 1);
        } else {
          value =
              course.baseline()[i]
                  + course.delta()[i] * f
                  + 0.12 * s.baselineSd() * rng.nextGaussian()
                  + (flare ? Math.max(1, 1.5 * s.baselineSd()) : 0);
        }
        value = Math.max(s.min(), Math.min(s.max(), value));
        LocalDate date = p.visitDates().get(v);
        rows.add(
            List.of(
                p.id(),
                s.testCode(),
                s.test(),
                Csv.number(value, s.decimals()),
                s.unit(),
                v.name(),
                Integer.toString(v.number()),
                date.toString(),
                Long.toString(studyDay(p, date))));
      }
    }
    // CGI-I at M6: 30% improved, 45% unchanged, 25% worse, ranked by the score change.
    double u = (course.improvement() + 0.7 * rng.nextGaussian()) / Math.sqrt(1 + 0.49);
    int cgi;
    if (u > 0.524) {
      cgi = u > 2.0 ? 1 : u > 1.1 ? 2 : 3;
    } else if (u < -0.674) {
      cgi = u < -1.9 ? 6 : 5;
    } else {
      cgi = 4;
    }
    LocalDate m6 = p.visitDates().get(Visit.M6);
    rows.add(
        List.of(
            p.id(),
            "CGII",
            "CGI-I",
            Integer.toString(cgi),
            "",
            Visit.M6.name(),
            Integer.toString(Visit.M6.number()),
            m6.toString(),
            Long.toString(studyDay(p, m6))));
    return course.flareDate();
  }

  // --------------------------------------------------------------------------------------- LB

  /** A lab test: log-normal around {@code median} between patients, {@code cv} between visits. */
  private record Lab(
      String code,
      String name,
      String unit,
      double lo,
      double hi,
      double median,
      double logSd,
      double cv,
      int decimals) {}

  private static final List<Lab> LABS =
      List.of(
          new Lab("CRP", "C-reactive protein", "mg/L", 0, 5, 5, 0.8, 0.35, 1),
          new Lab("WBC", "Leukocytes", "10^9/L", 4.0, 10.0, 6.5, 0.25, 0.10, 2),
          new Lab("NEUT", "Neutrophils", "10^9/L", 1.8, 7.5, 4.0, 0.3, 0.15, 2),
          new Lab("LYM", "Lymphocytes", "10^9/L", 1.0, 4.0, 1.6, 0.3, 0.10, 2),
          new Lab("EOS", "Eosinophils", "10^9/L", 0.0, 0.5, 0.15, 0.5, 0.15, 2),
          new Lab("PLAT", "Platelets", "10^9/L", 150, 400, 260, 0.2, 0.08, 0),
          new Lab("HGB", "Haemoglobin", "g/dL", 12.0, 17.0, 13.5, 0.09, 0.04, 1),
          new Lab("ALT", "Alanine aminotransferase", "U/L", 0, 40, 22, 0.3, 0.15, 0),
          new Lab("AST", "Aspartate aminotransferase", "U/L", 0, 40, 22, 0.25, 0.12, 0),
          new Lab("ALP", "Alkaline phosphatase", "U/L", 40, 120, 75, 0.25, 0.08, 0),
          new Lab("GGT", "Gamma-glutamyl transferase", "U/L", 0, 55, 30, 0.45, 0.12, 0),
          new Lab("BILI", "Bilirubin", "umol/L", 0, 21, 9, 0.4, 0.15, 0),
          new Lab("CREAT", "Creatinine", "umol/L", 45, 104, 75, 0.18, 0.06, 0),
          new Lab("ALB", "Albumin", "g/L", 35, 50, 41, 0.07, 0.04, 0),
          new Lab("TSH", "Thyrotropin", "mIU/L", 0.4, 4.0, 1.8, 0.4, 0.15, 2),
          new Lab("IGG", "Immunoglobulin G", "g/L", 7.0, 16.0, 11, 0.2, 0.05, 1));
  private static final List<Lab> SLE_LABS =
      List.of(
          new Lab("DSDNA", "Anti-dsDNA antibodies", "IU/mL", 0, 30, 60, 0.8, 0.15, 0),
          new Lab("C3", "Complement C3", "g/L", 0.9, 1.8, 0.8, 0.2, 0.08, 2),
          new Lab("C4", "Complement C4", "g/L", 0.1, 0.4, 0.12, 0.3, 0.1, 2));
  private static final List<Lab> GPA_LABS =
      List.of(new Lab("PR3AB", "PR3-ANCA", "IU/mL", 0, 2, 15, 0.9, 0.2, 1));

  private List<List<String>> lb(Patient p) {
    SplittableRandom rng = Seeds.random(seed, "lb", p.id());
    Cohort c = p.cohort();
    List<Lab> labs = new ArrayList<>(LABS);
    if (c == Cohort.SLE) {
      labs.addAll(SLE_LABS);
    } else if (c == Cohort.GPA) {
      labs.addAll(GPA_LABS);
    }
    Map<String, Double> base = new LinkedHashMap<>();
    for (Lab l : labs) {
      double median = l.median();
      if (l.code().equals("CRP")) {
        median = c.crpMedian();
      } else if (l.code().equals("LYM") && c == Cohort.SLE) {
        median *= 0.7;
      } else if (l.code().equals("GGT") && c == Cohort.PSC) {
        median *= 4;
      }
      base.put(l.code(), median * Math.exp(l.logSd() * rng.nextGaussian()));
    }
    // Liver tests of AIH/PSC follow their QS course.
    Course course = course(p);
    Biology.PatientState state = states.get(p.id());
    List<List<String>> out = new ArrayList<>();
    for (Visit v : Visit.values()) {
      LocalDate date = p.visitDates().get(v);
      double eosFold = biology.sample(state, v).fold(EffectModel.EOS);
      for (Lab l : labs) {
        double value = base.get(l.code()) * Math.exp(l.cv() * rng.nextGaussian());
        double f = TRAJECTORY.get(v);
        switch (l.code()) {
          case "EOS" -> value *= eosFold;
          case "ALT" -> {
            if (c == Cohort.AIH) {
              value =
                  40
                      * course.baseline()[0]
                      * Math.max(0.2, 1 + course.delta()[0] * f)
                      * Math.exp(0.08 * rng.nextGaussian());
            }
          }
          case "AST" -> {
            if (c == Cohort.AIH) {
              value =
                  0.8
                      * 40
                      * course.baseline()[0]
                      * Math.max(0.2, 1 + course.delta()[0] * f)
                      * Math.exp(0.1 * rng.nextGaussian());
            }
          }
          case "IGG" -> {
            if (c == Cohort.AIH) {
              value =
                  course.baseline()[1]
                      * Math.max(0.2, 1 + course.delta()[1] * f)
                      * Math.exp(0.05 * rng.nextGaussian());
            }
          }
          case "ALP" -> {
            if (c == Cohort.PSC) {
              value =
                  120
                      * course.baseline()[0]
                      * Math.max(0.2, 1 + course.delta()[0] * f)
                      * Math.exp(0.08 * rng.nextGaussian());
            }
          }
          default -> {}
        }
        out.add(
            List.of(
                p.id(),
                l.code(),
                l.name(),
                Csv.number(value, l.decimals()),
                l.unit(),
                Csv.number(l.lo(), l.decimals()),
                Csv.number(l.hi(), l.decimals()),
                v.name(),
                Integer.toString(v.number()),
                date.toString(),
                Long.toString(studyDay(p, date))));
      }
    }
    return out;
  }

  // --------------------------------------------------------------------------------------- AE

  /** An adverse-event term with TRIAL.md's % of patients. */
  private record Term(
      String term,
      String decod,
      double patients,
      String related,
      double induction,
      int minDays,
      int maxDays,
      int maxEpisodes) {}

  private static final List<Term> TERMS =
      List.of(
          new Term(
              "Erythema and swelling at injection site",
              "Injection site reaction",
              0.40,
              "RELATED",
              0.6,
              1,
              4,
              3),
          new Term(
              "Flu-like symptoms with fever and chills",
              "Influenza like illness",
              0.25,
              "RELATED",
              0.85,
              1,
              3,
              2),
          new Term("Fatigue", "Fatigue", 0.20, "POSSIBLY RELATED", 0.7, 2, 10, 1),
          new Term("Headache", "Headache", 0.12, "POSSIBLY RELATED", 0.7, 1, 2, 1),
          new Term("Muscle and joint pain", "Myalgia", 0.10, "POSSIBLY RELATED", 0.6, 1, 5, 1),
          new Term(
              "Common cold",
              "Upper respiratory tract infection",
              0.10,
              "NOT RELATED",
              0.3,
              5,
              10,
              1),
          new Term("Nausea", "Nausea", 0.08, "POSSIBLY RELATED", 0.7, 1, 3, 1),
          new Term("Transient eosinophilia", "Eosinophilia", 0.08, "RELATED", 0.9, 7, 14, 1),
          new Term("Hypotension", "Hypotension", 0.02, "POSSIBLY RELATED", 0.9, 1, 1, 1));

  private List<List<String>> ae(Patient p, LocalDate flare) {
    SplittableRandom rng = Seeds.random(seed, "ae", p.id());
    record Event(
        LocalDate start,
        LocalDate end,
        String term,
        String decod,
        int grade,
        String serious,
        String related) {}
    List<Event> events = new ArrayList<>();
    int idx = plan.patients.indexOf(p);
    for (Term t : TERMS) {
      boolean has =
          shuffled("ae-term|" + t.decod()).indexOf(idx)
              < Math.round(t.patients() * plan.patients.size());
      if (t.decod().equals("Eosinophilia") && states.get(p.id()).eosinophilOutlier()) {
        has = true;
      }
      if (!has) {
        continue;
      }
      int episodes = 1 + rng.nextInt(t.maxEpisodes());
      for (int e = 0; e < episodes; e++) {
        int day =
            rng.nextDouble() < t.induction()
                ? 1 + rng.nextInt(8)
                : 15 + 14 * rng.nextInt(12) + rng.nextInt(2);
        LocalDate start = p.inclusion().plusDays(day - 1);
        LocalDate end =
            start.plusDays(t.minDays() - 1 + rng.nextInt(t.maxDays() - t.minDays() + 1));
        int grade = rng.nextDouble() < 0.75 ? 1 : 2;
        events.add(new Event(start, end, t.term(), t.decod(), grade, "N", t.related()));
      }
    }
    if (flare != null) {
      events.add(
          new Event(
              flare,
              flare.plusDays(7 + rng.nextInt(21)),
              p.cohort().disease() + " flare",
              "Condition aggravated",
              2,
              "N",
              "NOT RELATED"));
    }
    int serious = seriousPatients();
    List<Integer> chosen = shuffled("serious-ae");
    if (chosen.subList(0, Math.min(serious, chosen.size())).contains(idx)) {
      boolean pneumonia = chosen.indexOf(idx) % 2 == 0;
      LocalDate start = p.inclusion().plusDays(20 + rng.nextInt(150));
      events.add(
          new Event(
              start,
              start.plusDays(6 + rng.nextInt(10)),
              pneumonia
                  ? "Pneumonia requiring hospitalisation"
                  : "Severe "
                      + p.cohort().disease().toLowerCase(Locale.ROOT)
                      + " flare, hospitalised",
              pneumonia ? "Pneumonia" : "Condition aggravated",
              3,
              "Y",
              "NOT RELATED"));
    }
    events.sort(Comparator.comparing(Event::start).thenComparing(Event::term));
    List<List<String>> out = new ArrayList<>();
    int seq = 1;
    for (Event e : events) {
      out.add(
          List.of(
              p.id(),
              Integer.toString(seq++),
              e.term(),
              e.decod(),
              Integer.toString(e.grade()),
              e.serious(),
              e.related(),
              e.start().toString(),
              Long.toString(studyDay(p, e.start())),
              e.end().toString()));
    }
    return out;
  }

  /** Patients with a grade-3 serious AE: 4% of patients, at least 1 from 5 patients, at most 2. */
  private int seriousPatients() {
    int n = plan.patients.size();
    return n < 5 ? 0 : Math.min(2, Math.max(1, (int) Math.round(0.04 * n)));
  }

  /** Patient indices in a seeded order: the first k of it are "k patients" of a quota. */
  private List<Integer> shuffled(String what) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < plan.patients.size(); i++) {
      order.add(i);
    }
    SplittableRandom rng = Seeds.random(seed, what);
    for (int i = order.size() - 1; i > 0; i--) {
      java.util.Collections.swap(order, i, rng.nextInt(i + 1));
    }
    return order;
  }
}
