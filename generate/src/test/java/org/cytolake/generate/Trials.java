package org.cytolake.generate;

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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Small generated trials shared by the generator tests (each generated once per JVM). */
final class Trials {
  private Trials() {}

  private static Path small;

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
      try {
        Path dir = Files.createTempDirectory("cytolake-small-trial");
        TrialGenerator.run(smallOptions(dir));
        small = dir;
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        TrialGenerator.deleteTree(dir);
                      } catch (IOException e) {
                        // best effort
                      }
                    }));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return small;
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
}
