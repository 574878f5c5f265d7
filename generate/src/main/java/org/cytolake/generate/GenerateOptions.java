package org.cytolake.generate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

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
    double anomalyFraction) {

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

  /** Most patients: ids number patients 01..69 per cohort (70-99 name the bad records). */
  public static final int PATIENTS_MAX = 700;

  public GenerateOptions {
    Objects.requireNonNull(out, "out");
    visits = List.copyOf(visits);
    panels = List.copyOf(panels);
  }

  /** Options of the realistic model with the default anomaly fraction. */
  public GenerateOptions(
      Path out,
      int patients,
      int eventsPerSample,
      List<String> visits,
      List<String> panels,
      long seed,
      double badFraction,
      int threads,
      boolean overwrite) {
    this(
        out,
        patients,
        eventsPerSample,
        visits,
        panels,
        seed,
        badFraction,
        threads,
        overwrite,
        false,
        ANOMALY_FRACTION_DEFAULT);
  }

  /** The defaults, writing to {@code out}, with as many threads as processors. */
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
        false);
  }

  public GenerateOptions withPatients(int n) {
    return new GenerateOptions(
        out,
        n,
        eventsPerSample,
        visits,
        panels,
        seed,
        badFraction,
        threads,
        overwrite,
        separable,
        anomalyFraction);
  }

  public GenerateOptions withEventsPerSample(int n) {
    return new GenerateOptions(
        out,
        patients,
        n,
        visits,
        panels,
        seed,
        badFraction,
        threads,
        overwrite,
        separable,
        anomalyFraction);
  }

  public GenerateOptions withVisits(List<String> v) {
    return new GenerateOptions(
        out,
        patients,
        eventsPerSample,
        v,
        panels,
        seed,
        badFraction,
        threads,
        overwrite,
        separable,
        anomalyFraction);
  }

  public GenerateOptions withPanels(List<String> p) {
    return new GenerateOptions(
        out,
        patients,
        eventsPerSample,
        visits,
        p,
        seed,
        badFraction,
        threads,
        overwrite,
        separable,
        anomalyFraction);
  }

  public GenerateOptions withSeed(long s) {
    return new GenerateOptions(
        out,
        patients,
        eventsPerSample,
        visits,
        panels,
        s,
        badFraction,
        threads,
        overwrite,
        separable,
        anomalyFraction);
  }

  public GenerateOptions withBadFraction(double f) {
    return new GenerateOptions(
        out,
        patients,
        eventsPerSample,
        visits,
        panels,
        seed,
        f,
        threads,
        overwrite,
        separable,
        anomalyFraction);
  }

  public GenerateOptions withThreads(int t) {
    return new GenerateOptions(
        out,
        patients,
        eventsPerSample,
        visits,
        panels,
        seed,
        badFraction,
        t,
        overwrite,
        separable,
        anomalyFraction);
  }

  public GenerateOptions withOut(Path o) {
    return new GenerateOptions(
        o,
        patients,
        eventsPerSample,
        visits,
        panels,
        seed,
        badFraction,
        threads,
        overwrite,
        separable,
        anomalyFraction);
  }

  public GenerateOptions withOverwrite(boolean o) {
    return new GenerateOptions(
        out,
        patients,
        eventsPerSample,
        visits,
        panels,
        seed,
        badFraction,
        threads,
        o,
        separable,
        anomalyFraction);
  }

  /** The separable model (exact engine tests) or the realistic one (the default). */
  public GenerateOptions withSeparable(boolean s) {
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
        s,
        anomalyFraction);
  }

  public GenerateOptions withAnomalyFraction(double f) {
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
        f);
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
    if (visits.isEmpty()) {
      p.add("--visits must name at least one visit");
    }
    Set<String> seen = new HashSet<>();
    for (String v : visits) {
      if (Visit.parse(v) == null) {
        p.add("--visits: unknown visit '" + v + "' (known: " + Visit.codes() + ")");
      } else if (!seen.add(v.toUpperCase(Locale.ROOT))) {
        p.add("--visits: visit '" + v + "' is given twice");
      }
    }
    if (panels.isEmpty()) {
      p.add("--panels must name at least one panel");
    }
    seen.clear();
    for (String id : panels) {
      if (PanelModel.panel(id) == null) {
        p.add("--panels: unknown panel '" + id + "' (known: " + PanelModel.panelIds() + ")");
      } else if (!seen.add(id.toUpperCase(Locale.ROOT))) {
        p.add("--panels: panel '" + id + "' is given twice");
      }
    }
    if (!(badFraction >= 0 && badFraction <= BAD_FRACTION_MAX)) {
      p.add("--bad-fraction must be 0.." + BAD_FRACTION_MAX + ", not " + badFraction);
    }
    if (!(anomalyFraction >= 0 && anomalyFraction <= ANOMALY_FRACTION_MAX)) {
      p.add("--anomaly-fraction must be 0.." + ANOMALY_FRACTION_MAX + ", not " + anomalyFraction);
    }
    if (threads < 1 || threads > 1024) {
      p.add("--threads must be 1..1024, not " + threads);
    }
    return p;
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
