package org.cytolake.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.cytolake.qc.AcquisitionQc;
import org.cytolake.qc.FcsQcInput;
import org.cytolake.qc.QcFlags;
import org.cytolake.qc.QcParams;
import org.cytolake.qc.QcResult;

/**
 * Acquisition QC against a generated trial's per-event anomaly truth ({@code
 * truth/event_anomalies.csv.gz}): every FCS file of {@code manifest.csv} is checked with {@link
 * AcquisitionQc} and each flagged event is compared with the truth's anomalous events (clog,
 * bubble, margin). Reports precision and recall over all events, per anomaly kind the recall, and
 * the share flagged in files where nothing was injected ({@code truth/anomalies.csv}: no row with
 * {@code injected = true}). A trial without anomaly truth (the separable model, e.g. data-samples)
 * counts every file as clean.
 *
 * <p>{@code java org.cytolake.bench.QcAccuracy TRIAL_DIR} (or {@code scripts/qc-accuracy.sh}).
 */
public final class QcAccuracy {
  private QcAccuracy() {}

  /** One file: events, truth anomalous, flagged, flagged and anomalous, and whether injected. */
  public record FileRow(
      String file,
      int events,
      long anomalous,
      long flagged,
      long truePositive,
      boolean injected,
      String kinds) {}

  /**
   * The totals.
   *
   * @param truthByKind anomalous events per truth kind; {@code foundByKind} those flagged
   * @param cleanEvents events of the files without an injected anomaly; {@code cleanFlagged} of
   *     them flagged
   */
  public record Result(
      List<FileRow> files,
      long events,
      long anomalous,
      long flagged,
      long truePositive,
      Map<String, Long> truthByKind,
      Map<String, Long> foundByKind,
      long cleanEvents,
      long cleanFlagged) {
    public double precision() {
      return flagged == 0 ? 1 : (double) truePositive / flagged;
    }

    public double recall() {
      return anomalous == 0 ? 1 : (double) truePositive / anomalous;
    }

    /** Share of events flagged in files without an injected anomaly. */
    public double cleanShare() {
      return cleanEvents == 0 ? 0 : (double) cleanFlagged / cleanEvents;
    }
  }

  /** Measures a generated trial with the given parameters. */
  public static Result measure(Path trial, QcParams params) throws IOException {
    Path anomalies = trial.resolve("truth/anomalies.csv");
    boolean separable = !Files.exists(anomalies);
    Map<String, Map<Integer, String>> truth =
        separable ? Map.of() : eventTruth(trial.resolve("truth/event_anomalies.csv.gz"));
    Map<String, Boolean> injected = separable ? Map.of() : injected(anomalies);
    AcquisitionQc qc = new AcquisitionQc(params);
    List<FileRow> rows = new ArrayList<>();
    Map<String, Long> truthByKind = new java.util.TreeMap<>();
    Map<String, Long> foundByKind = new java.util.TreeMap<>();
    long events = 0, anomalous = 0, flagged = 0, tp = 0, cleanEvents = 0, cleanFlagged = 0;
    for (String file : manifestFiles(trial.resolve("manifest.csv"))) {
      Path p = trial.resolve(file);
      if (!Files.isRegularFile(p) || !(separable || injected.containsKey(file))) {
        continue; // deliberately bad inputs are not in the anomaly truth
      }
      QcResult r;
      try {
        r = qc.run(FcsQcInput.read(p));
      } catch (IOException | RuntimeException e) {
        continue; // a deliberately broken file: ingest quarantines it before QC
      }
      QcFlags f = r.flags();
      Map<Integer, String> t = truth.getOrDefault(file, Map.of());
      long fileTp = 0;
      for (Map.Entry<Integer, String> e : t.entrySet()) {
        truthByKind.merge(e.getValue(), 1L, Long::sum);
        if (e.getKey() < f.size() && f.any(e.getKey())) {
          fileTp++;
          foundByKind.merge(e.getValue(), 1L, Long::sum);
        }
      }
      long fileFlagged = f.countAny();
      boolean inj = injected.getOrDefault(file, false);
      rows.add(
          new FileRow(
              file,
              f.size(),
              t.size(),
              fileFlagged,
              fileTp,
              inj,
              String.join("+", new java.util.TreeSet<>(t.values()))));
      events += f.size();
      anomalous += t.size();
      flagged += fileFlagged;
      tp += fileTp;
      if (!inj) {
        cleanEvents += f.size();
        cleanFlagged += fileFlagged;
      }
    }
    return new Result(
        List.copyOf(rows),
        events,
        anomalous,
        flagged,
        tp,
        truthByKind,
        foundByKind,
        cleanEvents,
        cleanFlagged);
  }

  /** Prints the per-file rows and the totals. */
  public static void print(Result r, PrintStream out) {
    out.println("file\tevents\tanomalous\tflagged\tflagged_anomalous\tinjected\tkinds");
    for (FileRow f : r.files()) {
      out.printf(
          Locale.ROOT,
          "%s\t%d\t%d\t%d\t%d\t%s\t%s%n",
          f.file(),
          f.events(),
          f.anomalous(),
          f.flagged(),
          f.truePositive(),
          f.injected(),
          f.kinds());
    }
    out.printf(
        Locale.ROOT,
        "files %d, events %d, anomalous %d, flagged %d, flagged and anomalous %d%n",
        r.files().size(),
        r.events(),
        r.anomalous(),
        r.flagged(),
        r.truePositive());
    out.printf(Locale.ROOT, "precision %.4f recall %.4f%n", r.precision(), r.recall());
    r.truthByKind()
        .forEach(
            (k, n) ->
                out.printf(
                    Locale.ROOT,
                    "recall %s %.4f (%d of %d)%n",
                    k,
                    (double) r.foundByKind().getOrDefault(k, 0L) / n,
                    r.foundByKind().getOrDefault(k, 0L),
                    n));
    out.printf(
        Locale.ROOT,
        "files without an injected anomaly: %d of %d events flagged (%.4f%%)%n",
        r.cleanFlagged(),
        r.cleanEvents(),
        100 * r.cleanShare());
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: QcAccuracy TRIAL_DIR (a bin/cytolake generate output)");
      System.exit(2);
    }
    print(measure(Path.of(args[0]), QcParams.defaults()), System.out);
  }

  private static List<String> manifestFiles(Path manifest) throws IOException {
    List<String> files = new ArrayList<>();
    List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      if (!line.isBlank()) {
        files.add(line.split(",", 2)[0]);
      }
    }
    return files;
  }

  private static Map<String, Map<Integer, String>> eventTruth(Path gz) throws IOException {
    Map<String, Map<Integer, String>> out = new HashMap<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("file,")) {
          continue; // a header (one per gzip member)
        }
        String[] f = line.split(",");
        out.computeIfAbsent(f[0], k -> new HashMap<>()).put(Integer.parseInt(f[1]), f[2]);
      }
    }
    return out;
  }

  /** Per file of the truth: whether an anomaly was injected into it. */
  private static Map<String, Boolean> injected(Path csv) throws IOException {
    Map<String, Boolean> out = new HashMap<>();
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", 4);
      out.merge(f[0], f[2].equals("true"), Boolean::logicalOr);
    }
    return out;
  }
}
