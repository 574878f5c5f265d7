package org.cytolake.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Small generated trials shared by the generator tests (each generated once per JVM). */
final class Trials {
  private Trials() {}

  private static Path small;

  /**
   * Truth files to which an option that adds files (control, validation aliquot) appends its rows,
   * earlier rows unchanged.
   */
  static final Set<String> APPENDED_TRUTH =
      Set.of(
          "truth/event_labels.csv.gz",
          "truth/event_anomalies.csv.gz",
          "truth/populations.csv",
          "truth/anomalies.csv");

  /** 3 patients (RA, AS, SLE), D1 and D8, 3 panels, 1000 events: 18 files plus the bad ones. */
  static GenerateOptions smallOptions(Path out) {
    return GenerateOptions.defaults(out)
        .withPatients(3)
        .withVisits(List.of("D1", "D8"))
        .withEventsPerSample(1000)
        .withSeed(7)
        .withThreads(2);
  }

  /** The small trial, generated on first use into a temporary directory. */
  static synchronized Path small() {
    if (small == null) {
      small = generateIntoTemp("cytolake-small-trial", Trials::smallOptions);
    }
    return small;
  }

  /**
   * Generates the trial {@code options} describes for a new temporary directory under {@code
   * prefix}, deleted when the JVM exits; returns that directory (absolute, normalised).
   */
  static Path generateIntoTemp(String prefix, Function<Path, GenerateOptions> options) {
    try {
      Path dir = Files.createTempDirectory(prefix).toAbsolutePath().normalize();
      TrialGenerator.run(options.apply(dir));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      TrialGenerator.deleteTree(dir);
                    } catch (IOException e) {
                      // a temp directory left behind is not worth failing a JVM's exit for
                    }
                  }));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot generate a trial under " + prefix, e);
    }
  }

  /** sha256 of every file under {@code dir}, keyed by relative path with forward slashes. */
  static Map<String, String> sha256Tree(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString().replace('\\', '/'), sha256(p));
      }
    }
    return out;
  }

  static String sha256(Path p) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The rows of a CSV file after its header, split into cells. */
  static List<List<String>> rows(Path csv) throws IOException {
    List<List<String>> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    for (String l : lines.subList(1, lines.size())) {
      out.add(Csv.split(l));
    }
    return out;
  }

  /** The header of a CSV file. */
  static String header(Path csv) throws IOException {
    return Files.readAllLines(csv, StandardCharsets.UTF_8).get(0);
  }

  /** Rows of truth/event_labels.csv.gz (header checked), as [file, index, label]. */
  static List<String[]> labels(Path trial) throws IOException {
    List<String[]> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(
                    Files.newInputStream(trial.resolve("truth/event_labels.csv.gz"))),
                StandardCharsets.US_ASCII))) {
      String header = r.readLine();
      if (!"file,event_index,label".equals(header)) {
        throw new IllegalStateException("bad labels header: " + header);
      }
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        out.add(l.split(",", 3));
      }
    }
    return out;
  }

  /**
   * Checks that {@code after} keeps every file of {@code before}: the {@link #APPENDED_TRUTH} files
   * begin with {@code before}'s bytes (and are longer when {@code appendedGrow}), every other file
   * but manifest.csv and generation.json is byte-identical. Returns the files only {@code after}
   * has.
   */
  static Set<String> assertKeptOrAppended(Path before, Path after, boolean appendedGrow)
      throws IOException {
    Map<String, String> a = sha256Tree(before);
    Map<String, String> b = sha256Tree(after);
    for (Map.Entry<String, String> e : a.entrySet()) {
      String f = e.getKey();
      assertTrue(b.containsKey(f), "kept: " + f);
      if (APPENDED_TRUTH.contains(f)) {
        byte[] was = Files.readAllBytes(before.resolve(f));
        byte[] is = Files.readAllBytes(after.resolve(f));
        assertTrue(
            appendedGrow ? is.length > was.length : is.length >= was.length, "rows appended: " + f);
        assertArrayEquals(was, Arrays.copyOf(is, was.length), "earlier rows unchanged: " + f);
      } else if (!f.equals("manifest.csv") && !f.equals("generation.json")) {
        assertEquals(e.getValue(), b.get(f), "byte-identical: " + f);
      }
    }
    Set<String> added = new TreeSet<>(b.keySet());
    added.removeAll(a.keySet());
    return added;
  }

  /** truth/populations.csv of {@code trial}: file → population → events. */
  static Map<String, Map<String, Long>> populationCounts(Path trial) throws IOException {
    Map<String, Map<String, Long>> byFile = new HashMap<>();
    for (List<String> r : rows(trial.resolve("truth/populations.csv"))) {
      byFile
          .computeIfAbsent(r.get(0), f -> new HashMap<>())
          .put(r.get(1), Long.parseLong(r.get(2)));
    }
    return byFile;
  }

  /**
   * Checks that each live population's share of its parent agrees between files {@code xFile} and
   * {@code yFile} (counts {@code x}, {@code y}) within 5 binomial SDs, where both parents hold at
   * least 20 events. Returns how many populations were compared.
   */
  static int assertSameLiveProportions(
      Map<String, Long> x, Map<String, Long> y, String xFile, String yFile) {
    int compared = 0;
    for (String pop : x.keySet()) {
      String parent = pop.substring(0, Math.max(0, pop.lastIndexOf('/')));
      if (!parent.startsWith(PanelModel.LIVE) || !x.containsKey(parent)) {
        continue;
      }
      double n1 = x.get(parent);
      double n2 = y.get(parent);
      if (n1 < 20 || n2 < 20) {
        continue;
      }
      double p1 = x.get(pop) / n1;
      double p2 = y.get(pop) / n2;
      double p = (x.get(pop) + y.get(pop)) / (n1 + n2);
      double sd = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
      assertTrue(
          Math.abs(p1 - p2) <= 5 * sd + 1e-9,
          pop + ": " + p1 + " in " + xFile + " vs " + p2 + " in " + yFile);
      compared++;
    }
    return compared;
  }
}
