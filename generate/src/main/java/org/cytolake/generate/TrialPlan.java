package org.cytolake.generate;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.cytolake.generate.BadInput.Reason;
import org.cytolake.generate.PanelModel.Panel;

/**
 * Everything decided before any event is drawn: patients (cohort, dates, demographics, names), the
 * FCS files (path, acquisition date and time, encoding, fault; with {@code --control-aliquot} also
 * the control aliquot's, last) and the run days. Built from the options and the seed alone.
 */
final class TrialPlan {
  /** First inclusion (TRIAL.md: start 2014-01-06), the D1 of the first patient. */
  static final LocalDate STUDY_START = LocalDate.of(2014, 1, 6);

  /** Inclusions spread over this many days (~2.4 years; the last follow-up ends in 2017). */
  static final int ENROLMENT_DAYS = 880;

  static final String STUDY = "TRANSREG";

  /** Share of files in each other encoding (FCS 2.0 int16, FCS 3.0 big-endian), at least one. */
  static final double OTHER_ENCODING_FRACTION = 0.02;

  /** Fewest regular files for which every kind of bad file is made. */
  static final int MIN_FILES_FOR_EVERY_FAULT = 10;

  /** How a file is encoded. */
  enum Encoding {
    FCS31_F32_LE("FCS3.1/float32/LE"),
    FCS30_F32_BE("FCS3.0/float32/BE"),
    /** stored = round(clamp(value × 0.25, 0, 65535)), Time unscaled. */
    FCS20_I16_BE("FCS2.0/int16/BE/x0.25");

    final String description;

    Encoding(String description) {
      this.description = description;
    }
  }

  /** Integer files store value × this (clamped to 0..65535); Time is stored unscaled. */
  static final double INT16_SCALE = 0.25;

  /** A patient (or, with {@code inDm} false, a patient id that only an FCS file knows). */
  record Patient(
      int order,
      Cohort cohort,
      int number,
      String id,
      String subjid,
      Map<Visit, LocalDate> visitDates,
      String sex,
      int age,
      LocalDate birth,
      String firstName,
      String lastName,
      boolean inDm) {
    LocalDate inclusion() {
      return visitDates.get(Visit.D1);
    }

    /** "First LAST". */
    String fullName() {
      return firstName + " " + lastName.toUpperCase(Locale.ROOT);
    }
  }

  /**
   * One FCS file to write.
   *
   * @param seq position in manifest and truth order
   * @param file path relative to the output directory
   * @param stream the key of its random stream (a duplicate shares its original's)
   * @param regular one of the trial's patient × visit × panel samples (counts for effects)
   * @param inManifest whether manifest.csv lists it
   * @param unlinked written without identifying keywords (an anonymous re-acquisition)
   * @param fault the deliberate fault, or null
   * @param faultDetail what the fault is, for bad_inputs.csv
   * @param faultValue TRUNCATED_DATA: fraction of DATA kept; TOT_MISMATCH: the $TOT written;
   *     RENAMED_CHANNEL: index of the renamed detector
   * @param acquired acquisition start time
   * @param events events drawn (realistic model: log-normal around the configured number)
   * @param anomaly the injected acquisition anomaly (realistic model), or null
   */
  record Sample(
      int seq,
      String file,
      Patient patient,
      Visit visit,
      Panel panel,
      LocalDate date,
      String stream,
      boolean regular,
      boolean inManifest,
      boolean unlinked,
      Encoding encoding,
      Reason fault,
      String faultDetail,
      double faultValue,
      LocalTime acquired,
      int events,
      Anomaly.Kind anomaly) {
    String batch() {
      return "RUN-" + date;
    }

    /** Whether this is a control aliquot's file ({@link ControlAliquot}), not a patient's. */
    boolean control() {
      return patient.id().equals(ControlAliquot.DONOR_ID);
    }

    /** The visit column of manifest.csv: the visit, or {@value ControlAliquot#VISIT}. */
    String visitLabel() {
      return control() ? ControlAliquot.VISIT : visit.name();
    }

    Sample withFault(Reason r, String detail, double value) {
      return copy(encoding, r, detail, value, acquired, anomaly);
    }

    Sample withEncoding(Encoding e) {
      return copy(e, fault, faultDetail, faultValue, acquired, anomaly);
    }

    Sample withAcquired(LocalTime t) {
      return copy(encoding, fault, faultDetail, faultValue, t, anomaly);
    }

    Sample withAnomaly(Anomaly.Kind k) {
      return copy(encoding, fault, faultDetail, faultValue, acquired, k);
    }

    /** The one copy behind the {@code with*} methods: these values replaced, the rest kept. */
    private Sample copy(
        Encoding newEncoding,
        Reason newFault,
        String newFaultDetail,
        double newFaultValue,
        LocalTime newAcquired,
        Anomaly.Kind newAnomaly) {
      return new Sample(
          seq,
          file,
          patient,
          visit,
          panel,
          date,
          stream,
          regular,
          inManifest,
          unlinked,
          newEncoding,
          newFault,
          newFaultDetail,
          newFaultValue,
          newAcquired,
          events,
          newAnomaly);
    }
  }

  final GenerateOptions options;
  final List<Patient> patients;
  final List<Patient> phantoms;
  final List<Sample> samples;
  final List<Visit> visits;
  final List<Panel> panels;

  private TrialPlan(
      GenerateOptions options,
      List<Patient> patients,
      List<Patient> phantoms,
      List<Sample> samples) {
    this.options = options;
    this.patients = List.copyOf(patients);
    this.phantoms = List.copyOf(phantoms);
    this.samples = List.copyOf(samples);
    this.visits = options.visitList();
    this.panels = options.panelList();
  }

  static TrialPlan build(GenerateOptions o) {
    long seed = o.seed();
    List<Cohort> cohorts = Cohort.assign(o.patients());
    List<Patient> patients = new ArrayList<>();
    Map<Cohort, Integer> numbers = new EnumMap<>(Cohort.class);
    for (int k = 0; k < cohorts.size(); k++) {
      Cohort c = cohorts.get(k);
      int number = numbers.merge(c, 1, Integer::sum);
      String subjid = c.code() + "-" + String.format(Locale.ROOT, "%02d", number);
      SplittableRandom rng = Seeds.random(seed, "patient", subjid);
      int jitter = rng.nextInt(7);
      LocalDate base =
          k == 0
              ? STUDY_START
              : STUDY_START.plusDays(
                  (long) Math.floor((double) k * ENROLMENT_DAYS / Math.max(1, cohorts.size()))
                      + jitter);
      LocalDate d1 = base.with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY));
      patients.add(person(k, c, number, subjid, d1, rng, true));
    }

    List<Visit> visits = o.visitList();
    List<Panel> panels = o.panelList();
    List<Sample> regular = new ArrayList<>();
    for (Patient p : patients) {
      for (Visit v : visits) {
        for (Panel panel : panels) {
          regular.add(
              sample(
                  regular.size(),
                  p,
                  v,
                  panel,
                  o,
                  true,
                  true,
                  false,
                  p.id() + "_" + v.name() + "_" + panel.id() + ".fcs",
                  p.id() + "|" + v + "|" + panel.id()));
        }
      }
    }

    int n = regular.size();
    double f = o.badFraction();
    int perFault =
        f <= 0
            ? 0
            : Math.max(
                n >= MIN_FILES_FOR_EVERY_FAULT ? 1 : 0,
                (int) Math.round(f * n / BadInput.FCS_FAULTS.size()));
    int perEncoding = n >= 3 ? Math.max(1, (int) Math.round(OTHER_ENCODING_FRACTION * n)) : 0;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    SplittableRandom rng = Seeds.random(seed, "faults");
    for (int i = n - 1; i > 0; i--) {
      Collections.swap(order, i, rng.nextInt(i + 1));
    }
    // The first file (first patient, first visit, first panel) is picked last: documentation
    // can rely on it being a plain FCS 3.1 file whenever the trial has more files than faults.
    order.remove(Integer.valueOf(0));
    order.add(0);
    int next = 0;
    boolean moreTot = true;
    for (Reason r :
        List.of(
            Reason.TRUNCATED_DATA,
            Reason.TOT_MISMATCH,
            Reason.NO_SPILLOVER,
            Reason.RENAMED_CHANNEL)) {
      for (int k = 0; k < perFault && next < n; k++) {
        int i = order.get(next++);
        Sample s = regular.get(i);
        double value = 0;
        String detail;
        switch (r) {
          case TRUNCATED_DATA -> {
            value = rng.nextDouble(0.3, 0.9);
            detail = "file cut inside DATA";
          }
          case TOT_MISMATCH -> {
            long lie = s.events() + (moreTot ? 1 : -1);
            if (Long.toString(lie).length() != Integer.toString(s.events()).length() || lie < 0) {
              lie = s.events() + (moreTot ? -1 : 1);
            }
            moreTot = !moreTot;
            value = lie;
            detail =
                "$TOT "
                    + lie
                    + " but DATA holds "
                    + s.events()
                    + " events ($TOT "
                    + (lie > s.events() ? "more" : "fewer")
                    + " than written)";
          }
          case NO_SPILLOVER -> detail = "no $SPILLOVER keyword";
          default -> {
            int d = rng.nextInt(PanelModel.DETECTORS.size());
            String name = PanelModel.DETECTORS.get(d);
            value = d;
            detail =
                "$PnN '"
                    + name
                    + "' written as '"
                    + name.substring(0, name.length() - 2)
                    + "' (marker "
                    + s.panel().markers().get(d)
                    + "), also in $SPILLOVER";
          }
        }
        regular.set(i, s.withFault(r, detail, value));
      }
    }
    for (Encoding e : List.of(Encoding.FCS20_I16_BE, Encoding.FCS30_F32_BE)) {
      for (int k = 0; k < perEncoding && next < n; k++) {
        int i = order.get(next++);
        regular.set(i, regular.get(i).withEncoding(e));
      }
    }
    if (!o.separable()) {
      assignAnomalies(seed, o.anomalyFraction(), regular);
    }

    List<Sample> all = new ArrayList<>(regular);
    List<Patient> phantoms = new ArrayList<>();
    for (int k = 0; k < perFault && next < n; k++) {
      Sample src = regular.get(order.get(next++));
      String copy = src.file().substring(0, src.file().length() - 4) + "_copy.fcs";
      all.add(
          new Sample(
              all.size(),
              copy,
              src.patient(),
              src.visit(),
              src.panel(),
              src.date(),
              src.stream(),
              false,
              true,
              false,
              src.encoding(),
              Reason.DUPLICATE_FILE,
              "byte-identical copy of " + src.file(),
              0,
              null,
              src.events(),
              src.anomaly()));
    }
    for (int k = 0; k < perFault; k++) {
      Sample src = regular.get(order.get((next + k) % n));
      String name =
          String.format(
              Locale.ROOT,
              "Specimen_%03d_Tube_%03d.fcs",
              k + 1,
              PanelModel.PANELS.indexOf(src.panel()) + 1);
      all.add(
          new Sample(
              all.size(),
              "fcs/" + src.date() + "/" + name,
              src.patient(),
              src.visit(),
              src.panel(),
              src.date(),
              src.stream() + "|rerun",
              false,
              false,
              true,
              Encoding.FCS31_F32_LE,
              Reason.NO_MANIFEST_LINK,
              "no manifest row; file name and keywords carry no patient",
              0,
              null,
              src.events(),
              null));
    }
    for (int k = 0; k < perFault; k++) {
      Sample src = regular.get(order.get((next + perFault + k) % n));
      Patient t = src.patient();
      int number = k < 10 ? 99 - k : 900 + k; // real patients are 01..65
      String subjid = t.cohort().code() + "-" + number;
      SplittableRandom prng = Seeds.random(seed, "patient", subjid);
      Patient ghost = person(-1, t.cohort(), number, subjid, t.inclusion(), prng, false);
      phantoms.add(ghost);
      all.add(
          new Sample(
              all.size(),
              "fcs/"
                  + src.date()
                  + "/"
                  + ghost.id()
                  + "_"
                  + src.visit().name()
                  + "_"
                  + src.panel().id()
                  + ".fcs",
              ghost,
              src.visit(),
              src.panel(),
              src.date(),
              ghost.id() + "|" + src.visit() + "|" + src.panel().id(),
              false,
              true,
              false,
              Encoding.FCS31_F32_LE,
              Reason.UNKNOWN_PATIENT,
              "manifest names patient " + ghost.id() + ", who is not in clinical/dm.csv",
              0,
              null,
              src.events(),
              null));
    }
    if (o.controlAliquot()) {
      all.addAll(ControlAliquot.samples(o, all));
    }
    return new TrialPlan(o, patients, phantoms, schedule(seed, all));
  }

  /** Acquisition times: per run day, files in order, 6 minutes apart from 08:30. */
  private static List<Sample> schedule(long seed, List<Sample> all) {
    Map<LocalDate, Integer> slots = new LinkedHashMap<>();
    Map<String, LocalTime> byStream = new LinkedHashMap<>();
    List<Sample> out = new ArrayList<>();
    for (Sample s : all) {
      LocalTime t = s.fault() == Reason.DUPLICATE_FILE ? byStream.get(s.stream()) : null;
      if (t == null) {
        int slot = slots.merge(s.date(), 1, Integer::sum) - 1;
        int jitter = Seeds.random(seed, "acquired", s.stream()).nextInt(90);
        int seconds = Math.min(8 * 3600 + 30 * 60 + slot * 360 + jitter, 23 * 3600 + 50 * 60);
        t = LocalTime.ofSecondOfDay(seconds);
        byStream.putIfAbsent(s.stream(), t);
      }
      out.add(s.withAcquired(t));
    }
    return out;
  }

  private static Sample sample(
      int seq,
      Patient p,
      Visit v,
      Panel panel,
      GenerateOptions o,
      boolean regular,
      boolean inManifest,
      boolean unlinked,
      String name,
      String stream) {
    LocalDate date = p.visitDates().get(v);
    int events = panel.events(o.eventsPerSample());
    if (!o.separable()) {
      events = RealisticModel.events(events, Seeds.random(o.seed(), "event-count", stream));
    }
    return new Sample(
        seq,
        "fcs/" + date + "/" + name,
        p,
        v,
        panel,
        date,
        stream,
        regular,
        inManifest,
        unlinked,
        Encoding.FCS31_F32_LE,
        null,
        null,
        0,
        null,
        events,
        null);
  }

  /**
   * Realistic model: gives round(fraction × regular files) of the regular files without a fault
   * an acquisition anomaly (at least one of each kind once there are {@link
   * Anomaly#MIN_FILES_FOR_EVERY_KIND} regular files and the fraction is above 0), kinds in turn
   * over a seeded shuffle. The first file stays plain, as documentation relies on.
   */
  private static void assignAnomalies(long seed, double fraction, List<Sample> regular) {
    int n = regular.size();
    if (fraction <= 0 || n == 0) {
      return;
    }
    List<Integer> eligible = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      if (regular.get(i).fault() == null) {
        eligible.add(i);
      }
    }
    SplittableRandom rng = Seeds.random(seed, "anomalies");
    for (int i = eligible.size() - 1; i > 0; i--) {
      Collections.swap(eligible, i, rng.nextInt(i + 1));
    }
    int k = (int) Math.round(fraction * n);
    if (n >= Anomaly.MIN_FILES_FOR_EVERY_KIND) {
      k = Math.max(k, Anomaly.INJECTED.length);
    }
    k = Math.min(k, eligible.size());
    for (int j = 0; j < k; j++) {
      int i = eligible.get(j);
      regular.set(i, regular.get(i).withAnomaly(Anomaly.INJECTED[j % Anomaly.INJECTED.length]));
    }
  }

  private static Patient person(
      int order,
      Cohort c,
      int number,
      String subjid,
      LocalDate d1,
      SplittableRandom rng,
      boolean inDm) {
    Map<Visit, LocalDate> dates = new EnumMap<>(Visit.class);
    for (Visit v : Visit.values()) {
      LocalDate planned = d1.plusDays(v.day() - 1);
      if (v.windowDays() > 0) {
        planned = planned.plusDays(rng.nextInt(-v.windowDays(), v.windowDays() + 1));
        if (planned.getDayOfWeek() == DayOfWeek.SATURDAY) {
          planned = planned.minusDays(1);
        } else if (planned.getDayOfWeek() == DayOfWeek.SUNDAY) {
          planned = planned.plusDays(1);
        }
      }
      dates.put(v, planned);
    }
    String sex = rng.nextDouble() < c.femaleFraction() ? "F" : "M";
    int age = (int) Math.round(Math.max(18, Math.min(70, 45 + 13 * rng.nextGaussian())));
    LocalDate birth = d1.minusYears(age).minusDays(1 + rng.nextInt(364));
    String[] name = Names.person(rng, sex);
    int ageAtD1 = (int) ChronoUnit.YEARS.between(birth, d1);
    return new Patient(
        order,
        c,
        number,
        STUDY + "-" + subjid,
        subjid,
        Collections.unmodifiableMap(dates),
        sex,
        ageAtD1,
        birth,
        name[0],
        name[1],
        inDm);
  }

  /** Every acquisition date of the trial's files. */
  List<LocalDate> runDays() {
    return samples.stream().map(Sample::date).distinct().sorted().toList();
  }
}
