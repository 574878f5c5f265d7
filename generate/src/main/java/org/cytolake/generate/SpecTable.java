package org.cytolake.generate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A specification table of the generator, kept as data beside its class: a UTF-8 resource of
 * rows whose fields are separated by {@code |} (and trimmed, so columns may be aligned). A
 * {@code #} starts a comment to the end of the line; blank lines are skipped. The first row is the
 * header and must name the expected columns. Leading spaces of a row's first field are kept, so a
 * table may show a tree by indentation ({@link #depth}).
 */
final class SpecTable {
  private SpecTable() {}

  /** One data row: its line number (for messages) and its fields, the first untrimmed on the left. */
  record Row(String resource, int line, List<String> fields) {
    String get(int column) {
      return column == 0 ? fields.get(0).strip() : fields.get(column);
    }

    /** Whitespace-separated words of a field; none when the field is empty. */
    List<String> words(int column) {
      String f = get(column);
      return f.isEmpty() ? List.of() : Arrays.asList(f.split("\\s+"));
    }

    /** Leading spaces of the first field. */
    int depth() {
      String f = fields.get(0);
      int i = 0;
      while (i < f.length() && f.charAt(i) == ' ') {
        i++;
      }
      return i;
    }

    IllegalStateException error(String message) {
      return new IllegalStateException(resource + " line " + line + ": " + message);
    }
  }

  /** The data rows of resource {@code name} (beside this class), after checking its header. */
  static List<Row> read(String name, String... header) {
    try (InputStream in = SpecTable.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Cannot find specification table " + name);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<Row> rows = new ArrayList<>();
      boolean headerSeen = false;
      int n = 0;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        n++;
        int hash = line.indexOf('#');
        String text = (hash < 0 ? line : line.substring(0, hash)).stripTrailing();
        if (text.isBlank()) {
          continue;
        }
        String[] parts = text.split("\\|", -1);
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
          fields.add(i == 0 ? parts[i].stripTrailing() : parts[i].strip());
        }
        if (!headerSeen) {
          List<String> got = fields.stream().map(String::strip).toList();
          if (!got.equals(List.of(header))) {
            throw new IllegalStateException(
                name + " line " + n + ": header " + got + ", expected " + List.of(header));
          }
          headerSeen = true;
          continue;
        }
        if (fields.size() != header.length) {
          throw new IllegalStateException(
              name + " line " + n + ": " + fields.size() + " fields, expected " + header.length);
        }
        rows.add(new Row(name, n, List.copyOf(fields)));
      }
      return List.copyOf(rows);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read specification table " + name, e);
    }
  }
}
