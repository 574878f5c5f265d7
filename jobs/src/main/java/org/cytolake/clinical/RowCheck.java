package org.cytolake.clinical;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.cytolake.tables.QuarantineRecord;

/**
 * The validation of one record: typed reads of its fields and every problem found, so that a
 * record with several problems is quarantined once, under the first problem's reason, with a
 * message listing them all.
 */
final class RowCheck {
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(T.*)?");

  /** One problem of the record. */
  record Problem(ReasonCode reason, String field, String value, String detail) {
    String describe() {
      return (field == null ? "" : field + (value == null ? "" : " '" + value + "'") + " ")
          + detail
          + " ("
          + reason
          + ")";
    }
  }

  private final ClinicalDomain domain;
  private final String source;
  private final SourceRow row;
  private final List<Problem> problems = new ArrayList<>();

  RowCheck(ClinicalDomain domain, String source, SourceRow row) {
    this.domain = domain;
    this.source = source;
    this.row = row;
  }

  SourceRow row() {
    return row;
  }

  /** The raw value as written, or null when the record has no such field. */
  String raw(String column) {
    return row.get(column);
  }

  /** The trimmed value, or null when empty or absent (MISSING_VALUE if the domain requires it). */
  String string(String column) {
    String raw = row.get(column);
    String v = raw == null ? null : raw.trim();
    if (v == null || v.isEmpty()) {
      if (domain.isRequired(column)) {
        fail(ReasonCode.MISSING_VALUE, column, raw, raw == null ? "is absent" : "is empty");
      }
      return null;
    }
    return v;
  }

  /** A whole number, or null when empty. */
  Integer integer(String column) {
    String v = string(column);
    if (v == null) {
      return null;
    }
    if (INTEGER.matcher(v).matches()) {
      try {
        return Integer.parseInt(v.startsWith("+") ? v.substring(1) : v);
      } catch (NumberFormatException e) {
        fail(ReasonCode.MALFORMED_ROW, column, raw(column), "is too large for a whole number");
        return null;
      }
    }
    fail(ReasonCode.MALFORMED_ROW, column, raw(column), "is not a whole number");
    return null;
  }

  /** A decimal number, or null when empty. */
  Double number(String column) {
    return parsed(
        column,
        v -> DECIMAL.matcher(v).matches() ? finite(Double.parseDouble(v)) : null,
        "is not a number");
  }

  /** An ISO date {@code yyyy-MM-dd} (a time after {@code T} is ignored), or null when empty. */
  LocalDate date(String column) {
    return parsed(column, RowCheck::isoDate, "is not a date (yyyy-MM-dd)");
  }

  /** Y/YES/TRUE or N/NO/FALSE (any case), or null when empty. */
  Boolean yesNo(String column) {
    return parsed(
        column,
        v ->
            switch (v.toUpperCase(Locale.ROOT)) {
              case "Y", "YES", "TRUE" -> true;
              case "N", "NO", "FALSE" -> false;
              default -> null;
            },
        "is not Y or N");
  }

  /**
   * The {@link #string} of {@code column} as {@code parse} reads it, or null when empty; a value
   * {@code parse} rejects (null) is MALFORMED_ROW, {@code problem}.
   */
  private <T> T parsed(String column, Function<String, T> parse, String problem) {
    String v = string(column);
    if (v == null) {
      return null;
    }
    T value = parse.apply(v);
    if (value == null) {
      fail(ReasonCode.MALFORMED_ROW, column, raw(column), problem);
    }
    return value;
  }

  private static Double finite(double d) {
    return Double.isFinite(d) ? d : null;
  }

  private static LocalDate isoDate(String v) {
    if (!DATE.matcher(v).matches()) {
      return null;
    }
    try {
      return LocalDate.parse(v.substring(0, 10), DateTimeFormatter.ISO_LOCAL_DATE);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Records a problem. */
  void fail(ReasonCode reason, String field, String value, String detail) {
    problems.add(new Problem(reason, field, value, detail));
  }

  boolean ok() {
    return problems.isEmpty();
  }

  List<Problem> problems() {
    return List.copyOf(problems);
  }

  /** The first problem's reason (the record must have one). */
  ReasonCode reason() {
    return problems.get(0).reason();
  }

  /** The dead letter of this record: first problem's reason, field and value; all problems. */
  QuarantineRecord quarantine(String job) {
    Problem first = problems.get(0);
    StringBuilder m =
        new StringBuilder("Cannot accept ")
            .append(source)
            .append(" line ")
            .append(row.line())
            .append(": ");
    if (problems.size() > 1) {
      m.append(problems.size()).append(" problems: ");
    }
    for (int i = 0; i < problems.size(); i++) {
      m.append(i == 0 ? "" : "; ").append(problems.get(i).describe());
    }
    return new QuarantineRecord(
        job,
        source,
        "line " + row.line(),
        first.reason().reason(),
        m.toString(),
        first.field(),
        first.value(),
        null,
        row.text());
  }
}
