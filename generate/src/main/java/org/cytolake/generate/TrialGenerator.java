package org.cytolake.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.IntSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.cytolake.generate.BadInput.Reason;
import org.cytolake.generate.EffectModel.Feature;
import org.cytolake.generate.SampleWriter.Outcome;
import org.cytolake.generate.TrialPlan.Patient;
import org.cytolake.generate.TrialPlan.Sample;

/**
 * {@code cytolake generate}: writes a synthetic TRANSREG-like trial with its ground truth.
 *
 * <p>Steps: 1. plan (patients, dates, files, faults) from the options and seed; 2. clinical
 * domains; 3. FCS files on a thread pool, each streamed in blocks with its labels to a gzip member;
 * results are consumed in file order, so every output is byte-identical whatever the thread count;
 * 4. manifest and truth; 5. generation.json. Memory does not grow with the number of events.
 *
 * <p>Output contract: see {@code data-samples/README.md}.
 */
public final class TrialGenerator {
  private TrialGenerator() {}

  static final String MANIFEST_HEADER =
      "file,patient_id,visit,panel,acquisition_date,batch,encoding";
  static final String LABELS_HEADER = "file,event_index,label";
  static final String BAD_INPUTS_HEADER = "source,locator,expected_reason,detail";

  /** Paths the generator owns under the output directory ({@code --overwrite} removes them). */
  static final List<String> OUTPUTS =
      List.of("fcs", "clinical", "truth", "manifest.csv", "generation.json");

  /** Runs without progress messages. */
  public static GenerateResult run(GenerateOptions options) throws IOException {
    return run(options, line -> {});
  }

  /**
   * Writes the trial.
   *
   * @param log receives progress lines
   * @throws IllegalArgumentException listing every problem with the options, or when the output
   *     directory is not empty and {@code overwrite} is off
   */
  public static GenerateResult run(GenerateOptions options, Consumer<String> log)
      throws IOException {
    long t0 = System.nanoTime();
    List<String> problems = options.problems();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Cannot generate a trial: " + String.join("; ", problems));
    }
    Path out = options.out();
    prepare(out, options.overwrite(), OUTPUTS);

    // 1. plan
    TrialPlan plan = TrialPlan.build(options);
    Biology biology = new Biology(options.seed(), options.separable());
    Map<String, Biology.PatientState> states = new LinkedHashMap<>();
    for (Patient p : plan.patients) {
      states.put(p.id(), biology.patient(p.id(), p.cohort()));
    }
    for (Patient p : plan.phantoms) {
      states.put(p.id(), biology.patient(p.id(), p.cohort()));
    }
    Instrument instrument = new Instrument(options.seed(), plan.runDays(), !options.separable());
    long totalEvents = plan.samples.stream().mapToLong(Sample::events).sum();
    log.accept(
        String.format(
            Locale.ROOT,
            "generate: %d patients, %d visits, %d panels: %d FCS "
                + "files, %,d events, %d threads, seed %d, %s model",
            plan.patients.size(),
            plan.visits.size(),
            plan.panels.size(),
            plan.samples.size(),
            totalEvents,
            options.threads(),
            options.seed(),
            options.separable() ? "separable" : "realistic"));

    // 2. clinical
    ClinicalGenerator.Written clinical = new ClinicalGenerator(plan, biology, states).write(out);
    log.accept("generate: clinical/ written: " + clinical.rows());

    // 3. FCS files, labels, populations
    Path truth = out.resolve("truth");
    Path tmp = truth.resolve(".labels-tmp");
    Files.createDirectories(tmp);
    List<BadInput> bad = new ArrayList<>();
    Map<String, Map<Feature, Double>> features = new LinkedHashMap<>();
    long events = 0;
    boolean realistic = !options.separable();
    Map<String, Long> anomalyCounts = new LinkedHashMap<>();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            options.threads(),
            r -> {
              Thread t = new Thread(r, "cytolake-generate");
              t.setDaemon(true);
              return t;
            });
    try (OutputStream labels = Files.newOutputStream(truth.resolve("event_labels.csv.gz"));
        Writer populations =
            Files.newBufferedWriter(truth.resolve("populations.csv"), StandardCharsets.UTF_8);
        OutputStream eventAnomalies =
            realistic ? Files.newOutputStream(truth.resolve("event_anomalies.csv.gz")) : null;
        Writer anomalies =
            realistic
                ? Files.newBufferedWriter(truth.resolve("anomalies.csv"), StandardCharsets.UTF_8)
                : null) {
      writeMember(labels, LABELS_HEADER + "\n");
      populations.write(Truth.POPULATIONS_HEADER + "\n");
      if (realistic) {
        writeMember(eventAnomalies, Truth.EVENT_ANOMALIES_HEADER + "\n");
        anomalies.write(Truth.ANOMALIES_HEADER + "\n");
      }
      List<Future<Outcome>> futures = new ArrayList<>();
      for (Sample s : plan.samples) {
        futures.add(
            pool.submit(
                () ->
                    SampleWriter.write(
                        out, tmp, s, state(biology, states, s), instrument, options.seed())));
      }
      long lastLog = System.nanoTime();
      for (int i = 0; i < futures.size(); i++) {
        Outcome o = get(futures.get(i));
        Sample s = o.sample();
        Files.copy(o.labels(), labels);
        Files.delete(o.labels());
        if (realistic) {
          Files.copy(o.anomalies(), eventAnomalies);
          Files.delete(o.anomalies());
          Truth.anomalies(anomalies, s.file(), o.anomaly(), o.tally(), o.events());
          if (s.regular() && o.anomaly().kind != Anomaly.Kind.NONE) {
            anomalyCounts.merge("files_" + o.anomaly().kind.label, 1L, Long::sum);
          }
          for (Anomaly.Kind k : Anomaly.INJECTED) {
            anomalyCounts.merge("events_" + k.label, o.tally().count[k.code()], Long::sum);
          }
        }
        Truth.populations(
            populations, s.file(), PanelModel.treeOf(s.panel()), o.labelCounts(), o.events());
        if (s.regular()) {
          features.put(Truth.key(s.patient().id(), s.visit(), s.panel().id()), Truth.features(o));
        }
        if (s.fault() != null) {
          bad.add(new BadInput("fcs", s.file(), s.fault(), o.detail()));
        }
        events += o.events();
        if (System.nanoTime() - lastLog > 5e9 || i == futures.size() - 1) {
          lastLog = System.nanoTime();
          double sec = (lastLog - t0) / 1e9;
          log.accept(
              String.format(
                  Locale.ROOT,
                  "generate: %d/%d files, %,d events, %.0f events/s",
                  i + 1,
                  futures.size(),
                  events,
                  events / sec));
        }
      }
    } finally {
      pool.shutdownNow();
      deleteTree(tmp);
    }

    // 4. manifest and truth
    int manifestRows = writeManifest(out.resolve("manifest.csv"), plan);
    bad.addAll(clinical.bad());
    Map<String, Integer> badCounts = new LinkedHashMap<>();
    try (Writer w =
        Files.newBufferedWriter(truth.resolve("bad_inputs.csv"), StandardCharsets.UTF_8)) {
      w.write(BAD_INPUTS_HEADER + "\n");
      for (BadInput b : bad) {
        w.write(Csv.line(b.source(), b.locator(), b.reason().name(), b.detail()) + "\n");
        badCounts.merge(b.reason().name(), 1, Integer::sum);
      }
    }
    Truth.effects(truth.resolve("effects.csv"), plan, features);

    // 5. provenance
    GenerateResult result =
        new GenerateResult(
            out,
            plan.patients.size(),
            plan.samples.size(),
            manifestRows,
            events,
            badCounts,
            clinical.rows(),
            (System.nanoTime() - t0) / 1e9);
    writeProvenance(
        out.resolve("generation.json"), plan, instrument, biology, result, anomalyCounts);
    log.accept(
        String.format(
            Locale.ROOT,
            "generate: done in %.1f s: %d files, %,d events " + "(%.0f events/s), %d bad inputs",
            result.seconds(),
            result.fcsFiles(),
            result.events(),
            result.eventsPerSecond(),
            bad.size()));
    return result;
  }

  /**
   * Writes manifest.csv: a row per file the manifest lists, in plan order; with {@code
   * --control-aliquot} a last column {@value ControlAliquot#MANIFEST_COLUMN} ({@code true} on the
   * control rows, {@value ControlAliquot#VALIDATION} on the validation aliquot's), without it
   * exactly {@link #MANIFEST_HEADER}.
   *
   * @return the rows written
   */
  private static int writeManifest(Path file, TrialPlan plan) throws IOException {
    boolean controls = plan.options.controlAliquot();
    int rows = 0;
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(MANIFEST_HEADER + (controls ? "," + ControlAliquot.MANIFEST_COLUMN : "") + "\n");
      for (Sample s : plan.samples) {
        if (!s.inManifest()) {
          continue;
        }
        List<String> cells =
            new ArrayList<>(
                List.of(
                    s.file(),
                    s.patient().id(),
                    s.visitLabel(),
                    s.panel().id(),
                    s.date().toString(),
                    s.batch(),
                    s.encoding().description));
        if (controls) {
          cells.add(ControlAliquot.manifestValue(s));
        }
        w.write(Csv.line(cells) + "\n");
        rows++;
      }
    }
    return rows;
  }

  /** A file's biology: its patient's at its visit, or the control donor's. */
  private static Biology.SampleState state(
      Biology biology, Map<String, Biology.PatientState> states, Sample s) {
    return s.control()
        ? ControlAliquot.state(biology)
        : biology.sample(states.get(s.patient().id()), s.visit());
  }

  /**
   * Draws the events of one file of a trial in memory, exactly as {@link #run} wrote them (after
   * any int16 conversion; before any fault). For tests and small files.
   *
   * @param file a path relative to the output directory, as in manifest.csv
   */
  static SampleWriter.Drawn redraw(GenerateOptions options, String file) {
    TrialPlan plan = TrialPlan.build(options);
    Sample s =
        plan.samples.stream()
            .filter(x -> x.file().equals(file))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "Cannot redraw '" + file + "': the trial has no such file"));
    Biology biology = new Biology(options.seed(), options.separable());
    Biology.SampleState state =
        s.control()
            ? ControlAliquot.state(biology)
            : biology.sample(biology.patient(s.patient().id(), s.patient().cohort()), s.visit());
    Instrument instrument = new Instrument(options.seed(), plan.runDays(), !options.separable());
    return SampleWriter.draw(s, state, instrument, options.seed());
  }

  /** The command line that reproduces a run (output directory and threads left out). */
  public static String command(GenerateOptions o) {
    return "cytolake generate --out DIR --patients "
        + o.patients()
        + " --events-per-sample "
        + o.eventsPerSample()
        + " --visits "
        + String.join(",", o.visitList().stream().map(Enum::name).toList())
        + " --panels "
        + String.join(",", o.panelList().stream().map(PanelModel.Panel::id).toList())
        + " --seed "
        + o.seed()
        + " --bad-fraction "
        + o.badFraction()
        + (o.separable() ? " --separable" : " --anomaly-fraction " + o.anomalyFraction())
        + (o.controlAliquot() ? " --control-aliquot" : "")
        + (o.validationAliquot() ? " --validation-aliquot" : "");
  }

  private static void writeProvenance(
      Path file,
      TrialPlan plan,
      Instrument instrument,
      Biology biology,
      GenerateResult r,
      Map<String, Long> anomalyCounts)
      throws IOException {
    GenerateOptions o = plan.options;
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("tool", "cytolake generate");
    root.put("version", version());
    root.put("command", command(o));
    ObjectNode args = root.putObject("arguments");
    args.put("patients", o.patients());
    args.put("events_per_sample", o.eventsPerSample());
    ArrayNode visits = args.putArray("visits");
    plan.visits.forEach(v -> visits.add(v.name()));
    ArrayNode panels = args.putArray("panels");
    plan.panels.forEach(p -> panels.add(p.id()));
    args.put("seed", o.seed());
    args.put("bad_fraction", o.badFraction());
    if (o.separable()) {
      args.put("separable", true);
    } else {
      args.put("model", "realistic");
      args.put("anomaly_fraction", o.anomalyFraction());
    }
    if (o.controlAliquot()) {
      args.put("control_aliquot", true);
    }
    if (o.validationAliquot()) {
      args.put("validation_aliquot", true);
    }
    root.put(
        "note",
        "--out, --threads and --overwrite do not change the output and are not " + "recorded");
    ObjectNode counts = root.putObject("counts");
    counts.put("patients", r.patients());
    counts.put("patients_only_in_fcs", plan.phantoms.size());
    counts.put("fcs_files", r.fcsFiles());
    counts.put("manifest_rows", r.manifestRows());
    counts.put("events", r.events());
    ObjectNode perPanel = counts.putObject("events_per_file");
    plan.panels.forEach(p -> perPanel.put(p.id(), p.events(o.eventsPerSample())));
    if (!o.separable()) {
      counts.put(
          "events_per_file_note",
          "the median; each file's count is log-normal around "
              + "it (log-SD "
              + RealisticModel.EVENTS_LOG_SD
              + ")");
      ObjectNode range = counts.putObject("events_per_file_range");
      for (PanelModel.Panel p : plan.panels) {
        IntSummaryStatistics st =
            plan.samples.stream()
                .filter(x -> x.panel() == p)
                .mapToInt(Sample::events)
                .summaryStatistics();
        range.putArray(p.id()).add(st.getMin()).add(st.getMax());
      }
    }
    ObjectNode enc = counts.putObject("encodings");
    Map<TrialPlan.Encoding, Integer> encodings = new EnumMap<>(TrialPlan.Encoding.class);
    plan.samples.forEach(s -> encodings.merge(s.encoding(), 1, Integer::sum));
    encodings.forEach((e, n) -> enc.put(e.description, n));
    ObjectNode clin = counts.putObject("clinical_rows");
    r.clinicalRows().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> clin.put(e.getKey(), e.getValue()));
    ObjectNode badNode = counts.putObject("bad_inputs");
    for (Reason reason : Reason.values()) {
      badNode.put(reason.name(), r.badInputs().getOrDefault(reason.name(), 0));
    }
    ObjectNode inst = root.putObject("instrument");
    inst.put("cytometer", Instrument.CYTOMETER);
    inst.put("run_days", plan.runDays().size());
    inst.put("setup_change_from", String.valueOf(instrument.setupChange()));
    ArrayNode shifted = inst.putArray("setup_change_gains");
    int[] idx = instrument.shiftedDetectors();
    double[] by = instrument.shifts();
    for (int i = 0; i < idx.length; i++) {
      ObjectNode s = shifted.addObject();
      s.put("detector", PanelModel.DETECTORS.get(idx[i]));
      s.put("gain", Math.round(by[i] * 10_000) / 10_000.0);
    }
    inst.put("daily_gain_log_sd", Instrument.DAILY_GAIN_LOG_SD);
    if (instrument.realistic()) {
      inst.put("slow_drift_log_sd", Instrument.DRIFT_LOG_SD);
      inst.put("slow_drift_run_days", Instrument.DRIFT_DAYS);
      ObjectNode an = root.putObject("anomalies");
      an.put("fraction_of_regular_files", o.anomalyFraction());
      an.put(
          "note",
          "files_<kind>: regular files with that anomaly injected (a duplicate "
              + "carries its original's); events_<kind>: events marked in every file");
      anomalyCounts.forEach(an::put);
    }
    ObjectNode dm = root.putObject("disease_multipliers");
    for (Cohort c : Cohort.values()) {
      dm.put(c.code(), Math.round(biology.diseaseMultiplier(c) * 10_000) / 10_000.0);
    }
    if (o.controlAliquot()) {
      ObjectNode ctrl = root.putObject("control_aliquot");
      List<Sample> controls =
          plan.samples.stream().filter(s -> s.control() && !ControlAliquot.validation(s)).toList();
      ctrl.put("enabled", true);
      ctrl.put("donor", ControlAliquot.DONOR_ID);
      ctrl.put("files", controls.size());
      ctrl.put("events", controls.stream().mapToLong(Sample::events).sum());
      ctrl.put(
          "note",
          "one healthy donor's aliquot per run day and panel, fcs/<date>/CONTROL_<date>_<panel>.fcs;"
              + " counts above include these files and manifest rows");
      if (o.validationAliquot()) {
        List<Sample> held = plan.samples.stream().filter(ControlAliquot::validation).toList();
        ObjectNode v = ctrl.putObject("validation");
        v.put("files", held.size());
        v.put("events", held.stream().mapToLong(Sample::events).sum());
        v.put(
            "note",
            "a second aliquot of the donor per run day and panel, not for training,"
                + " fcs/<date>/CONTROL_<date>_<panel>_validation.fcs, manifest control=validation;"
                + " counts above include them, the training files and events above do not");
      }
    }
    String json =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    Files.writeString(file, json + "\n", StandardCharsets.UTF_8);
  }

  /** The cytolake version from the jar, or "development build". */
  static String version() {
    String v = TrialGenerator.class.getPackage().getImplementationVersion();
    if (v != null) {
      return v;
    }
    try (InputStream in =
        TrialGenerator.class.getResourceAsStream(
            "/META-INF/maven/org.cytolake/cytolake-generate/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "development build");
      }
    } catch (IOException e) {
      // fall through
    }
    return "development build";
  }

  /**
   * Creates {@code out} where it is absent; where it holds files, deletes the generator's {@code
   * outputs} there when {@code overwrite}, else refuses.
   *
   * @throws IllegalArgumentException when {@code out} is a file, or is not empty without {@code
   *     overwrite}
   */
  static void prepare(Path out, boolean overwrite, List<String> outputs) throws IOException {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException("Cannot generate into '" + out + "': not a directory");
    }
    Files.createDirectories(out);
    List<String> present = new ArrayList<>();
    try (Stream<Path> s = Files.list(out)) {
      s.forEach(p -> present.add(p.getFileName().toString()));
    }
    present.sort(null);
    if (overwrite) {
      for (String name : outputs) {
        deleteTree(out.resolve(name));
      }
    } else if (!present.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot generate into '"
              + out
              + "': it is not empty ("
              + String.join(", ", present.subList(0, Math.min(5, present.size())))
              + (present.size() > 5 ? ", ..." : "")
              + "); use --overwrite to replace "
              + String.join(", ", outputs));
    }
  }

  private static void writeMember(OutputStream out, String text) throws IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
      gz.write(text.getBytes(StandardCharsets.US_ASCII));
    }
    out.write(b.toByteArray());
  }

  private static Outcome get(Future<Outcome> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Cannot generate: interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException("Cannot generate: " + c, c);
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
