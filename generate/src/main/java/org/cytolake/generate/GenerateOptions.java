package org.cytolake.generate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What {@link TrialGenerator#run} writes: the trial's size, its visits and panels, the seed, how
 * much deliberately bad input to add, and which model draws the events: realistic (the default:
 * overlapping populations, drift, acquisition anomalies; {@link RealisticModel}) or separable
 * (every population separable by design; {@link PanelModel}). The output depends on every field
 * except {@code out}, {@code threads} and {@code overwrite}.
 *
 * @param out the directory to write (created; must be empty unless {@code overwrite})
 * @param patients number of patients; cohorts are filled round-robin (see {@link Cohort#assign})
 * @param eventsPerSample events of a P1 file; P2 and P3 files get half ({@link PanelModel.Panel})
 * @param visits visit codes with flow cytometry, in any order (written in protocol order)
 * @param panels panel ids
 * @param seed the seed every random draw derives from
 * @param badFraction fraction of FCS files and of clinical rows that are deliberately bad
 * @param threads worker threads writing FCS files
 * @param overwrite whether to replace the generator's outputs in a non-empty {@code out}
 * @param separable the separable model of {@link PanelModel} (byte-identical to the generator
 *     before the realistic model existed) instead of the realistic one of {@link RealisticModel}
 * @param anomalyFraction fraction of regular FCS files with an acquisition anomaly (clog, bubble
 *     or margin events, {@link Anomaly}); realistic model only, ignored when {@code separable}
 * @param controlAliquot whether to add, on every run day and for every panel acquired that day,
 *     one file of the fixed healthy control donor ({@link ControlAliquot}); off, the output is
 *     byte-identical to the generator before the option existed
 * @param validationAliquot whether to add, next to each control file, a second aliquot of the
 *     same donor that normalisation does not train on ({@link ControlAliquot}; requires {@code
 *     controlAliquot}); off, the output is byte-identical to {@code controlAliquot} alone
 */
public record GenerateOptions(
    Path out,
    int patients,
    int eventsPerSample,
    List<String> visits,
    List<String> panels,
    long seed,
    double badFraction,
    int threads,
    boolean overwrite,
    boolean separable,
    double anomalyFraction,
    boolean controlAliquot,
    boolean validationAliquot) {

  public static final int PATIENTS_DEFAULT = 46;

  /** P1 events per file; with the default visits and panels the trial holds about 10^8 events. */
  public static final int EVENTS_PER_SAMPLE_DEFAULT = 100_000;

  public static final List<String> VISITS_DEFAULT =
      List.of("D1", "D8", "D15", "M1", "M2", "M3", "M4", "M5", "M6", "FU");
  public static final List<String> PANELS_DEFAULT = List.of("P1", "P2", "P3");
  public static final long SEED_DEFAULT = 1;
  public static final double BAD_FRACTION_DEFAULT = 0.02;

  /** Fewest events per P1 file: P2 and P3 files need at least one event. */
  public static final int EVENTS_PER_SAMPLE_MIN = 2;

  public static final int EVENTS_PER_SAMPLE_MAX = 50_000_000;
  public static final double BAD_FRACTION_MAX = 0.5;

  /** Share of regular files with an acquisition anomaly (realistic model). */
  public static final double ANOMALY_FRACTION_DEFAULT = 0.1;

  public static final double ANOMALY_FRACTION_MAX = 1.0;

  /** No control aliquot files unless asked for. */
  public static final boolean CONTROL_ALIQUOT_DEFAULT = false;

  /** No validation aliquot files unless asked for. */
  public static final boolean VALIDATION_ALIQUOT_DEFAULT = false;

  /** Most patients: ids number patients 01..69 per cohort (70-99 name the bad records). */
  public static final int PATIENTS_MAX = 700;

  public GenerateOptions {
    Objects.requireNonNull(out, "out");
    visits = List.copyOf(visits);
    panels = List.copyOf(panels);
  }

  /**
   * The defaults, writing to {@code out}, with as many threads as processors: the realistic model,
   * no overwrite, no control or validation aliquot. Change any field with a {@code with*} method.
   */
  public static GenerateOptions defaults(Path out) {
    return new GenerateOptions(
        out,
        PATIENTS_DEFAULT,
        EVENTS_PER_SAMPLE_DEFAULT,
        VISITS_DEFAULT,
        PANELS_DEFAULT,
        SEED_DEFAULT,
        BAD_FRACTION_DEFAULT,
        Runtime.getRuntime().availableProcessors(),
        false,
        false,
        ANOMALY_FRACTION_DEFAULT,
        CONTROL_ALIQUOT_DEFAULT,
        VALIDATION_ALIQUOT_DEFAULT);
  }

  public GenerateOptions withPatients(int n) {
    return with(c -> c.patients = n);
  }

  public GenerateOptions withEventsPerSample(int n) {
    return with(c -> c.eventsPerSample = n);
  }

  public GenerateOptions withVisits(List<String> v) {
    return with(c -> c.visits = v);
  }

  public GenerateOptions withPanels(List<String> p) {
    return with(c -> c.panels = p);
  }

  public GenerateOptions withSeed(long s) {
    return with(c -> c.seed = s);
  }

  public GenerateOptions withBadFraction(double f) {
    return with(c -> c.badFraction = f);
  }

  public GenerateOptions withThreads(int t) {
    return with(c -> c.threads = t);
  }

  public GenerateOptions withOut(Path o) {
    return with(c -> c.out = o);
  }

  public GenerateOptions withOverwrite(boolean o) {
    return with(c -> c.overwrite = o);
  }

  /** The separable model (exact engine tests) or the realistic one (the default). */
  public GenerateOptions withSeparable(boolean s) {
    return with(c -> c.separable = s);
  }

  public GenerateOptions withAnomalyFraction(double f) {
    return with(c -> c.anomalyFraction = f);
  }

  /** Whether a control aliquot of one healthy donor is acquired every run day, per panel. */
  public GenerateOptions withControlAliquot(boolean c) {
    return with(x -> x.controlAliquot = c);
  }

  /** Whether a second, held-out control aliquot is acquired next to each control file. */
  public GenerateOptions withValidationAliquot(boolean v) {
    return with(x -> x.validationAliquot = v);
  }

  /** The one copy behind the {@code with*} methods: these options, changed. */
  private GenerateOptions with(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** A mutable copy of the options, only for {@link #with}. */
  private static final class Copy {
    Path out;
    int patients;
    int eventsPerSample;
    List<String> visits;
    List<String> panels;
    long seed;
    double badFraction;
    int threads;
    boolean overwrite;
    boolean separable;
    double anomalyFraction;
    boolean controlAliquot;
    boolean validationAliquot;

    Copy(GenerateOptions o) {
      out = o.out;
      patients = o.patients;
      eventsPerSample = o.eventsPerSample;
      visits = o.visits;
      panels = o.panels;
      seed = o.seed;
      badFraction = o.badFraction;
      threads = o.threads;
      overwrite = o.overwrite;
      separable = o.separable;
      anomalyFraction = o.anomalyFraction;
      controlAliquot = o.controlAliquot;
      validationAliquot = o.validationAliquot;
    }

    GenerateOptions build() {
      return new GenerateOptions(
          out,
          patients,
          eventsPerSample,
          visits,
          panels,
          seed,
          badFraction,
          threads,
          overwrite,
          separable,
          anomalyFraction,
          controlAliquot,
          validationAliquot);
    }
  }

  /** Every problem with these options, each shaped "--option: reason (value)"; empty when valid. */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (patients < 1 || patients > PATIENTS_MAX) {
      p.add("--patients must be 1.." + PATIENTS_MAX + ", not " + patients);
    }
    if (eventsPerSample < EVENTS_PER_SAMPLE_MIN || eventsPerSample > EVENTS_PER_SAMPLE_MAX) {
      p.add(
          "--events-per-sample must be "
              + EVENTS_PER_SAMPLE_MIN
              + ".."
              + EVENTS_PER_SAMPLE_MAX
              + ", not "
              + eventsPerSample);
    }
    checkNames("--visits", "visit", visits, v -> Visit.parse(v) != null, Visit::codes, p);
    checkNames(
        "--panels", "panel", panels, id -> PanelModel.panel(id) != null, PanelModel::panelIds, p);
    if (!(badFraction >= 0 && badFraction <= BAD_FRACTION_MAX)) {
      p.add("--bad-fraction must be 0.." + BAD_FRACTION_MAX + ", not " + badFraction);
    }
    if (!(anomalyFraction >= 0 && anomalyFraction <= ANOMALY_FRACTION_MAX)) {
      p.add("--anomaly-fraction must be 0.." + ANOMALY_FRACTION_MAX + ", not " + anomalyFraction);
    }
    if (threads < 1 || threads > 1024) {
      p.add("--threads must be 1..1024, not " + threads);
    }
    if (validationAliquot && !controlAliquot) {
      p.add(
          "--validation-aliquot requires --control-aliquot, which is off (the validation file is"
              + " a second aliquot of the control donor)");
    }
    return p;
  }

  /**
   * The problems of a list of names given to {@code option}: none, one unknown (naming the known
   * ones) or one given twice (any case).
   */
  private static void checkNames(
      String option,
      String noun,
      List<String> names,
      Predicate<String> isKnown,
      Supplier<List<String>> known,
      List<String> p) {
    if (names.isEmpty()) {
      p.add(option + " must name at least one " + noun);
    }
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!isKnown.test(name)) {
        p.add(option + ": unknown " + noun + " '" + name + "' (known: " + known.get() + ")");
      } else if (!seen.add(name.toUpperCase(Locale.ROOT))) {
        p.add(option + ": " + noun + " '" + name + "' is given twice");
      }
    }
  }

  /** The visits in protocol order. */
  List<Visit> visitList() {
    return visits.stream().map(Visit::parse).sorted().toList();
  }

  /** The panels in model order (P1, P2, P3). */
  List<PanelModel.Panel> panelList() {
    return PanelModel.PANELS.stream()
        .filter(pm -> panels.stream().anyMatch(id -> id.equalsIgnoreCase(pm.id())))
        .toList();
  }
}
