package org.cytolake.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cytolake.generate.GenerateOptions;
import org.cytolake.generate.GenerateResult;
import org.cytolake.generate.StimCytofStudy;
import org.cytolake.generate.TrialGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cytolake generate}: a synthetic TRANSREG-like trial with its ground truth, or, with
 * {@code --study stim-cytof}, the minimal CyTOF example study of {@code examples/stim-cytof}.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Write a synthetic low-dose IL-2 trial (TRANSREG-like): FCS files, manifest.csv, "
          + "SDTM-like clinical CSVs, deliberately bad inputs and the ground truth "
          + "(truth/event_labels.csv.gz, populations.csv, effects.csv, bad_inputs.csv), plus "
          + "generation.json.",
      "The same arguments and seed give byte-identical output, whatever --threads. P1 files "
          + "hold --events-per-sample events, P2 and P3 files half as many (the realistic "
          + "model: a log-normal count around that).",
      "By default the trial is as hard as real data: overlapping, skewed and heavy-tailed "
          + "populations (Treg CD25/CD127 continua), spillover spreading, gain drift and a setup "
          + "change across run days, and acquisition anomalies (clog, bubble, margin events) in "
          + "--anomaly-fraction of the files, with their truth (truth/anomalies.csv, "
          + "truth/event_anomalies.csv.gz). --separable draws every population separable by "
          + "design instead, for exact engine tests.",
      "With --study stim-cytof: the minimal example study of examples/stim-cytof (conf there): "
          + "--patients healthy donors (default 8), each unstimulated and stimulated on one "
          + "CyTOF-like panel (fcs/<donor>_<condition>.fcs, --events-per-sample each, default "
          + "10000), manifest.csv and clinical/dm.csv only; --visits, --panels, --bad-fraction "
          + "and --threads do not apply.",
      "Progress on stderr; a one-line summary on stdout. Exit status: 0 written; 2 bad "
          + "options or non-empty output directory; 1 I/O failure."
    })
public final class GenerateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output directory (created; must be empty unless --overwrite).")
  Path out;

  @Option(
      names = "--study",
      paramLabel = "NAME",
      defaultValue = TRANSREG,
      description =
          "Which study: "
              + TRANSREG
              + " (the synthetic trial) or "
              + StimCytofStudy.NAME
              + " (the minimal CyTOF example) (default: ${DEFAULT-VALUE}).")
  String study;

  @Option(
      names = "--patients",
      paramLabel = "N",
      description =
          "Patients (default: 46: RA 5, AS 4, SLE 4, PsO 4, Behcet 5, GPA 4, "
              + "Takayasu 4, Crohn 4, UC 4, AIH 4, PSC 4; fewer fill the 11 cohorts round-robin). "
              + "stim-cytof: donors (default 8).")
  Integer patients;

  @Option(
      names = "--events-per-sample",
      paramLabel = "N",
      description =
          "Events of each P1 file; P2 and P3 files get half (default: 100000). "
              + "stim-cytof: events of every file (default 10000).")
  Integer eventsPerSample;

  @Option(
      names = "--visits",
      split = ",",
      paramLabel = "V",
      description =
          "Visits with flow cytometry, of D1,D5,D8,D15,M1..M6,FU (default: "
              + "D1,D8,D15,M1,M2,M3,M4,M5,M6,FU). Clinical records cover every protocol visit.")
  List<String> visits;

  @Option(
      names = "--panels",
      split = ",",
      paramLabel = "P",
      description =
          "Panels: P1 (Treg), P2 (T memory/activation), P3 (B/NK/myeloid) "
              + "(default: P1,P2,P3).")
  List<String> panels;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description = "Seed of every random draw (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--bad-fraction",
      paramLabel = "F",
      description =
          "Fraction of FCS files and clinical rows that are deliberately bad, at least "
              + "one of each kind once there are 10 files (default: 0.02; 0 for none).")
  Double badFraction;

  @Option(
      names = "--separable",
      description =
          "The separable model: every population separable by design, every deviate "
              + "truncated, no anomalies (exact engine tests; byte-identical to the generator before "
              + "the realistic model). Default: the realistic model.")
  boolean separable;

  @Option(
      names = "--anomaly-fraction",
      paramLabel = "F",
      description =
          "Realistic model: fraction of the regular FCS files with an acquisition "
              + "anomaly, one of clog, bubble, margin each, at least one of each kind once there "
              + "are 10 files (default: 0.1; 0 for none).")
  Double anomalyFraction;

  @Option(
      names = "--control-aliquot",
      description =
          "Add a control aliquot of one healthy donor (CTRL-DONOR-01, the same biology every "
              + "day) on every run day for every panel acquired that day: "
              + "fcs/<date>/CONTROL_<date>_<panel>.fcs, acquired with that day's instrument, "
              + "never made bad; manifest.csv gains a last column 'control'. Without it the "
              + "output is unchanged.")
  boolean controlAliquot;

  @Option(
      names = "--validation-aliquot",
      description =
          "With --control-aliquot: add a second aliquot of the same donor on every run day for "
              + "every panel, for validating normalisation on a file it did not train on: "
              + "fcs/<date>/CONTROL_<date>_<panel>_validation.fcs, its own events, acquired after "
              + "the day's training controls; its manifest row says control=validation. Without "
              + "it the output is that of --control-aliquot alone.")
  boolean validationAliquot;

  @Option(
      names = "--threads",
      paramLabel = "K",
      description = "Threads writing FCS files (default: the number of processors).")
  Integer threads;

  @Option(
      names = "--overwrite",
      description = "Replace the generator's outputs in a non-empty DIR (other files are kept).")
  boolean overwrite;

  /** {@code --study} of the synthetic TRANSREG-like trial. */
  static final String TRANSREG = "transreg";

  /** The generator's module, which the cluster jar leaves out. */
  static final String GENERATOR_ARTIFACT = "cytolake-generate";

  /**
   * Whether the generator ({@value #GENERATOR_ARTIFACT}) is on the classpath: it is on
   * {@code bin/cytolake}'s, not in the cluster jar.
   */
  static boolean generatorPresent() {
    try {
      Class.forName(
          "org.cytolake.generate.TrialGenerator", false, GenerateCommand.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (!generatorPresent()) {
      err.println(
          "Cannot generate: the generator ("
              + GENERATOR_ARTIFACT
              + ") is not on the "
              + "classpath; the cluster jar leaves it out: run bin/cytolake generate on a checkout");
      err.flush();
      return 1;
    }
    if (StimCytofStudy.NAME.equals(study)) {
      return stimCytof(err);
    }
    if (!TRANSREG.equals(study)) {
      err.println(
          "Cannot generate: --study '"
              + study
              + "' is not one of "
              + TRANSREG
              + ", "
              + StimCytofStudy.NAME);
      err.flush();
      return 2;
    }
    GenerateOptions options =
        GenerateOptions.defaults(out)
            .withSeed(seed)
            .withOverwrite(overwrite)
            .withSeparable(separable)
            .withControlAliquot(controlAliquot)
            .withValidationAliquot(validationAliquot);
    if (patients != null) {
      options = options.withPatients(patients);
    }
    if (eventsPerSample != null) {
      options = options.withEventsPerSample(eventsPerSample);
    }
    if (visits != null) {
      options = options.withVisits(visits);
    }
    if (panels != null) {
      options = options.withPanels(panels);
    }
    if (badFraction != null) {
      options = options.withBadFraction(badFraction);
    }
    if (threads != null) {
      options = options.withThreads(threads);
    }
    if (anomalyFraction != null) {
      options = options.withAnomalyFraction(anomalyFraction);
    }
    List<String> problems = new java.util.ArrayList<>(options.problems());
    if (separable && anomalyFraction != null) {
      problems.add("--anomaly-fraction does not apply with --separable (it has no anomalies)");
    }
    if (!problems.isEmpty()) {
      problems.forEach(p -> err.println("Cannot generate: " + p));
      err.flush();
      return 2;
    }
    try {
      GenerateResult r =
          TrialGenerator.run(
              options,
              line -> {
                err.println(line);
                err.flush();
              });
      PrintWriter o = spec.commandLine().getOut();
      o.printf(
          Locale.ROOT,
          "wrote %s: %d patients, %d FCS files, %d events, %d bad inputs in "
              + "%.1f s (%.0f events/s)%n",
          r.out(),
          r.patients(),
          r.fcsFiles(),
          r.events(),
          r.badInputs().values().stream().mapToInt(Integer::intValue).sum(),
          r.seconds(),
          r.eventsPerSecond());
      o.flush();
      return 0;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.flush();
      return 2;
    } catch (IOException e) {
      err.println("Cannot generate into '" + out + "': " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  /** {@code --study stim-cytof}. */
  private int stimCytof(PrintWriter err) {
    List<String> problems = new java.util.ArrayList<>();
    Map<String, Boolean> given = new LinkedHashMap<>();
    given.put("--visits", visits != null);
    given.put("--panels", panels != null);
    given.put("--bad-fraction", badFraction != null);
    given.put("--threads", threads != null);
    given.put("--separable", separable);
    given.put("--anomaly-fraction", anomalyFraction != null);
    given.put("--control-aliquot", controlAliquot);
    given.put("--validation-aliquot", validationAliquot);
    given.forEach(
        (option, isGiven) -> {
          if (isGiven) {
            problems.add(option + " does not apply to --study " + StimCytofStudy.NAME);
          }
        });
    StimCytofStudy.Options options =
        new StimCytofStudy.Options(
            out,
            patients != null ? patients : StimCytofStudy.DONORS_DEFAULT,
            eventsPerSample != null ? eventsPerSample : StimCytofStudy.EVENTS_PER_SAMPLE_DEFAULT,
            seed,
            overwrite);
    problems.addAll(options.problems());
    if (!problems.isEmpty()) {
      problems.forEach(p -> err.println("Cannot generate: " + p));
      err.flush();
      return 2;
    }
    try {
      StimCytofStudy.Result r =
          StimCytofStudy.run(
              options,
              line -> {
                err.println(line);
                err.flush();
              });
      PrintWriter o = spec.commandLine().getOut();
      o.printf(
          Locale.ROOT,
          "wrote %s: study %s, %d donors, %d FCS files, %d events in %.1f s%n",
          r.out(),
          StimCytofStudy.NAME,
          r.donors(),
          r.fcsFiles(),
          r.events(),
          r.seconds());
      o.flush();
      return 0;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.flush();
      return 2;
    } catch (IOException e) {
      err.println("Cannot generate into '" + out + "': " + e.getMessage());
      err.flush();
      return 1;
    }
  }
}
