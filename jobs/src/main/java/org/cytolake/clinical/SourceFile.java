package org.cytolake.clinical;

import java.util.List;

/**
 * A clinical file split into records, before validation: well-formed rows and rows that could not
 * be read (wrong field count, unparseable CSV or JSON).
 *
 * @param source the file as named in quarantine, e.g. {@code clinical/dm.csv}
 * @param format CSV or JSON lines
 * @param columns the header's columns (CSV) or every key seen (JSON lines), upper case, in order
 * @param headerText the header line (CSV), or null
 * @param headerProblem why the header cannot be used (no header, unparseable, a column twice), or
 *     null
 * @param rows the well-formed records
 * @param malformed the records that could not be read
 */
public record SourceFile(
    String source,
    Format format,
    List<String> columns,
    String headerText,
    String headerProblem,
    List<SourceRow> rows,
    List<Malformed> malformed) {

  /** The two accepted encodings. */
  public enum Format {
    CSV("csv"),
    JSON_LINES("jsonl");

    private final String extension;

    Format(String extension) {
      this.extension = extension;
    }

    public String extension() {
      return extension;
    }
  }

  /**
   * A record that could not be split into fields.
   *
   * @param line 1-based line where it starts
   * @param text its original text
   * @param problem what is wrong, without file and line (the caller adds them)
   */
  public record Malformed(int line, String text, String problem) {}

  public SourceFile {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
    malformed = List.copyOf(malformed);
  }

  /** Every record of the file, well-formed or not (the header excluded). */
  public long records() {
    return (long) rows.size() + malformed.size();
  }
}
