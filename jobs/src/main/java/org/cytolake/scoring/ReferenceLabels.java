package org.cytolake.scoring;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Per-event reference labels for scoring a clustering, read from one of two forms (optionally gzip-compressed,
 * recognised by the {@code .gz} suffix):
 *
 * <ul>
 *   <li><b>per-line</b>: one label per line in event order, quoted ({@code "T cells"}) or not, no header; the
 *       events of several files follow each other in the order the files are given;
 *   <li><b>truth CSV</b>: a header {@code file,event_index,label} (the trial generator's {@code event_labels.csv}),
 *       then one row per event. A row's file is matched to an FCS file by its path suffix (so
 *       {@code fcs/2015-05-29/X.fcs} matches {@code /data/X.fcs} only if no other FCS file has that name).
 * </ul>
 *
 * Immutable.
 */
public final class ReferenceLabels {

  /** The header that marks the truth CSV form. */
  public static final String TRUTH_HEADER = "file,event_index,label";

  private ReferenceLabels() {}

  /**
   * The labels of the events of {@code files} (in that order, each with {@code events[i]} events), concatenated.
   *
   * @throws IllegalArgumentException naming the label file, line and problem: a count that differs from the
   *     events, an event index out of order, a truth row for none of the files
   */
  public static List<String> read(Path labels, List<Path> files, int[] events) throws IOException {
    List<String> lines = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(labels);
        InputStream in = labels.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
      }
    }
    long total = 0;
    for (int n : events) {
      total += n;
    }
    if (!lines.isEmpty() && lines.get(0).strip().equalsIgnoreCase(TRUTH_HEADER)) {
      return fromTruth(labels, lines, files, events);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    if (lines.size() != total) {
      throw new IllegalArgumentException(
          "Cannot read labels '"
              + labels
              + "': it has "
              + lines.size()
              + " lines but the FCS files have "
              + total
              + " events");
    }
    List<String> out = new ArrayList<>(lines.size());
    for (String line : lines) {
      out.add(unquote(line.strip()));
    }
    return out;
  }

  private static List<String> fromTruth(
      Path labels, List<String> lines, List<Path> files, int[] events) {
    Map<String, List<String>> byFile = new HashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split(",", 3);
      if (f.length != 3) {
        throw new IllegalArgumentException(
            "Cannot read labels '"
                + labels
                + "' line "
                + (i + 1)
                + ": expected file,event_index,label but got '"
                + line
                + "'");
      }
      Integer match = matchFile(f[0], files);
      if (match == null) {
        continue;
      }
      List<String> list =
          byFile.computeIfAbsent(files.get(match).toString(), k -> new ArrayList<>());
      long index;
      try {
        index = Long.parseLong(f[1].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "Cannot read labels '"
                + labels
                + "' line "
                + (i + 1)
                + ": event_index '"
                + f[1]
                + "' is not an integer",
            e);
      }
      if (index != list.size()) {
        throw new IllegalArgumentException(
            "Cannot read labels '"
                + labels
                + "' line "
                + (i + 1)
                + ": event_index "
                + index
                + " of '"
                + f[0]
                + "' is out of order (expected "
                + list.size()
                + ")");
      }
      list.add(unquote(f[2].strip()));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      List<String> list = byFile.getOrDefault(files.get(i).toString(), List.of());
      if (list.size() != events[i]) {
        throw new IllegalArgumentException(
            "Cannot read labels '"
                + labels
                + "': "
                + list.size()
                + " labelled events for FCS file '"
                + files.get(i)
                + "' but it has "
                + events[i]);
      }
      out.addAll(list);
    }
    return out;
  }

  /** The index of the FCS file whose path ends with {@code name} (path-separator aligned), or null. */
  private static Integer matchFile(String name, List<Path> files) {
    String unix = unquote(name.strip()).replace('\\', '/');
    Integer found = null;
    for (int i = 0; i < files.size(); i++) {
      String path = files.get(i).toAbsolutePath().normalize().toString().replace('\\', '/');
      if (path.equals(unix) || path.endsWith("/" + unix)) {
        if (found == null || unix.contains("/")) {
          found = i;
        }
      }
    }
    return found;
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
      return s.substring(1, s.length() - 1).replace("\"\"", "\"");
    }
    return s;
  }
}
