package org.cytolake.clinical;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Splits a clinical file into records with Jackson, keeping for each its 1-based starting line and
 * original text. CSV: the first record is the header (line 1), column names are trimmed and upper
 * case (SDTM variable names are case-insensitive), values are kept as written; a record whose
 * field count differs from the header's, or that Jackson cannot read (a quote that does not close,
 * text after a closing quote), is malformed, and reading resumes at the line after the line where
 * it started. JSON lines: one object per line, keys treated like CSV columns, a JSON null like an
 * absent key. Blank lines are not records. A UTF-8 byte-order mark is ignored.
 */
public final class ClinicalFileReader {
  private static final CsvMapper CSV = new CsvMapper();
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private ClinicalFileReader() {}

  /** Reads {@code text} in {@code format}; {@code source} names the file in messages. */
  public static SourceFile read(String source, SourceFile.Format format, String text) {
    return format == SourceFile.Format.CSV ? csv(source, text) : jsonLines(source, text);
  }

  /** Reads CSV with a header line. */
  public static SourceFile csv(String source, String text) {
    Lines lines = new Lines(stripBom(text));
    List<Raw> raws = splitCsv(lines);
    if (raws.isEmpty()) {
      return new SourceFile(
          source,
          SourceFile.Format.CSV,
          List.of(),
          null,
          "the file is empty (no header line)",
          List.of(),
          List.of());
    }
    Raw header = raws.get(0);
    List<Raw> data = raws.subList(1, raws.size());
    String headerProblem = null;
    List<String> columns = new ArrayList<>();
    if (header.error() != null) {
      headerProblem = "the header (line " + header.line() + ") cannot be read: " + header.error();
    } else {
      Set<String> seen = new HashSet<>();
      for (String f : header.fields()) {
        String c = normalize(f);
        if (!c.isEmpty() && !seen.add(c)) {
          headerProblem = "the header (line " + header.line() + ") names column " + c + " twice";
        }
        columns.add(c);
      }
    }
    List<SourceRow> rows = new ArrayList<>();
    List<SourceFile.Malformed> malformed = new ArrayList<>();
    for (Raw r : data) {
      if (headerProblem != null) {
        malformed.add(new SourceFile.Malformed(r.line(), r.text(), headerProblem));
      } else if (r.error() != null) {
        malformed.add(
            new SourceFile.Malformed(r.line(), r.text(), "cannot be read as CSV: " + r.error()));
      } else if (r.fields().size() != columns.size()) {
        malformed.add(
            new SourceFile.Malformed(
                r.line(),
                r.text(),
                "has "
                    + r.fields().size()
                    + " fields but the header (line "
                    + header.line()
                    + ") has "
                    + columns.size()));
      } else {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
          values.putIfAbsent(columns.get(i), r.fields().get(i));
        }
        rows.add(new SourceRow(r.line(), values, r.text()));
      }
    }
    return new SourceFile(
        source, SourceFile.Format.CSV, columns, header.text(), headerProblem, rows, malformed);
  }

  /** Reads JSON lines: one object per line. */
  public static SourceFile jsonLines(String source, String text) {
    Lines lines = new Lines(stripBom(text));
    Set<String> columns = new LinkedHashSet<>();
    List<SourceRow> rows = new ArrayList<>();
    List<SourceFile.Malformed> malformed = new ArrayList<>();
    for (int n = 1; n <= lines.count(); n++) {
      String line = lines.text(n, n + 1);
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        malformed.add(
            new SourceFile.Malformed(n, line, "is not valid JSON: " + e.getOriginalMessage()));
        continue;
      }
      if (node == null || !node.isObject()) {
        malformed.add(new SourceFile.Malformed(n, line, "is not a JSON object"));
        continue;
      }
      Map<String, String> values = new LinkedHashMap<>();
      String problem = null;
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String key = normalize(e.getKey());
        JsonNode v = e.getValue();
        if (values.containsKey(key)) {
          problem = "has key " + key + " twice";
        } else if (v.isContainerNode()) {
          problem =
              "field "
                  + key
                  + " holds a JSON "
                  + (v.isArray() ? "array" : "object")
                  + ", not a value";
        } else if (!v.isNull()) {
          values.put(key, v.asText());
        }
      }
      if (problem != null) {
        malformed.add(new SourceFile.Malformed(n, line, problem));
        continue;
      }
      columns.addAll(values.keySet());
      rows.add(new SourceRow(n, values, line));
    }
    return new SourceFile(
        source, SourceFile.Format.JSON_LINES, List.copyOf(columns), null, null, rows, malformed);
  }

  private static String normalize(String column) {
    return column.trim().toUpperCase(Locale.ROOT);
  }

  private static String stripBom(String text) {
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /** One CSV record as Jackson split it, or the line where it failed and why. */
  private record Raw(int line, List<String> fields, String text, String error) {}

  /**
   * Every non-blank record. Jackson reports the line after each record's end, which gives both the
   * line where the next one starts and each record's text. On a parse error Jackson's parser
   * cannot go on, so a new one starts on the line after the failed record's first line.
   */
  private static List<Raw> splitCsv(Lines lines) {
    List<Raw> out = new ArrayList<>();
    int restart = 1;
    while (restart <= lines.count()) {
      int offset = restart - 1;
      int start = restart;
      try (JsonParser p = CSV.getFactory().createParser(lines.from(restart))) {
        ((com.fasterxml.jackson.dataformat.csv.CsvParser) p).setSchema(CsvSchema.emptySchema());
        List<String> fields = new ArrayList<>();
        try {
          for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
            if (t == JsonToken.START_ARRAY) {
              fields = new ArrayList<>();
            } else if (t == JsonToken.VALUE_STRING) {
              fields.add(p.getText());
            } else if (t == JsonToken.END_ARRAY) {
              int next = Math.max(start + 1, offset + p.currentLocation().getLineNr());
              boolean blank = fields.size() == 1 && fields.get(0).isBlank();
              if (!blank) {
                out.add(new Raw(start, List.copyOf(fields), lines.text(start, next), null));
              }
              start = next;
            }
          }
          restart = lines.count() + 1;
        } catch (JsonProcessingException e) {
          out.add(new Raw(start, List.of(), lines.text(start, start + 1), e.getOriginalMessage()));
          restart = start + 1;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** A text and where its lines start (CR LF, LF and a lone CR end a line, as for Jackson). */
  private static final class Lines {
    private final String text;
    private final int[] starts;

    Lines(String text) {
      this.text = text;
      List<Integer> s = new ArrayList<>();
      s.add(0);
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        if ((c == '\r' || c == '\n') && i + 1 < text.length()) {
          s.add(i + 1);
        }
      }
      starts = s.stream().mapToInt(Integer::intValue).toArray();
    }

    int count() {
      return text.isEmpty() ? 0 : starts.length;
    }

    /** The text from the start of line {@code n} (1-based) to the end. */
    String from(int n) {
      return text.substring(starts[n - 1]);
    }

    /** Lines {@code from} (inclusive) to {@code to} (exclusive), without the final line end. */
    String text(int from, int to) {
      int end = to - 1 < starts.length ? starts[to - 1] : text.length();
      String s = text.substring(starts[from - 1], end);
      int cut = s.length();
      while (cut > 0 && (s.charAt(cut - 1) == '\n' || s.charAt(cut - 1) == '\r')) {
        cut--;
      }
      return s.substring(0, cut);
    }
  }
}
