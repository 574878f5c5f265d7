package org.cytolake.normalise;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The files of a normalisation and their roles, from a CSV with CytoNorm's columns: {@code
 * file_name} (a file name in the input directory), {@code reference} ({@code ref}: a training
 * control of its batch; {@code other}: a file to normalise) and {@code batch}. Other columns are
 * ignored; fields are not quoted.
 *
 * @param rows the files, in CSV order
 */
public record NormaliseMetadata(List<Row> rows) {

  /** One file: its name, whether it is a training control, its batch. */
  public record Row(String fileName, boolean control, String batch) {}

  public NormaliseMetadata {
    rows = List.copyOf(rows);
  }

  /** The batches in order of first appearance, each with its rows. */
  public Map<String, List<Row>> byBatch() {
    Map<String, List<Row>> out = new LinkedHashMap<>();
    for (Row r : rows) {
      out.computeIfAbsent(r.batch(), b -> new ArrayList<>()).add(r);
    }
    return out;
  }

  /**
   * Reads and checks the CSV, naming every bad line at once: a missing column, a blank field, a
   * {@code reference} other than {@code ref}/{@code other}, a file listed twice, a batch without a
   * {@code ref} file.
   */
  public static NormaliseMetadata read(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    String where = "Cannot read normalisation metadata '" + csv + "': ";
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(where + "the file is empty");
    }
    List<String> header = List.of(lines.get(0).replace("\uFEFF", "").split(",", -1));
    header = header.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
    int file = header.indexOf("file_name");
    int ref = header.indexOf("reference");
    int batch = header.indexOf("batch");
    List<String> problems = new ArrayList<>();
    for (String col : List.of("file_name", "reference", "batch")) {
      if (!header.contains(col)) {
        problems.add("line 1 has no column '" + col + "' (columns: " + header + ")");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(where + String.join("; ", problems));
    }
    List<Row> rows = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      int need = Math.max(file, Math.max(ref, batch)) + 1;
      if (f.length < need) {
        problems.add("line " + (i + 1) + " has " + f.length + " fields, not " + header.size());
        continue;
      }
      String name = f[file].trim();
      String role = f[ref].trim().toLowerCase(Locale.ROOT);
      String b = f[batch].trim();
      if (name.isEmpty() || b.isEmpty()) {
        problems.add("line " + (i + 1) + " has a blank file_name or batch");
        continue;
      }
      if (!role.equals("ref") && !role.equals("other")) {
        problems.add(
            "line " + (i + 1) + " has reference '" + f[ref].trim() + "', not 'ref' or 'other'");
        continue;
      }
      if (!seen.add(name)) {
        problems.add("line " + (i + 1) + " lists file '" + name + "' again");
        continue;
      }
      rows.add(new Row(name, role.equals("ref"), b));
    }
    NormaliseMetadata m = new NormaliseMetadata(rows);
    for (Map.Entry<String, List<Row>> e : m.byBatch().entrySet()) {
      if (e.getValue().stream().noneMatch(Row::control)) {
        problems.add("batch '" + e.getKey() + "' has no control (no row with reference 'ref')");
      }
    }
    if (rows.isEmpty() && problems.isEmpty()) {
      problems.add("it lists no files");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(where + String.join("; ", problems));
    }
    return m;
  }
}
