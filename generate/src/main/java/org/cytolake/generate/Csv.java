package org.cytolake.generate;

import java.util.List;
import java.util.Locale;

/** RFC 4180 CSV lines (comma, "\n" line ends, quotes only where needed) and number formats. */
final class Csv {
  private Csv() {}

  static String line(String... cells) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(cell(cells[i]));
    }
    return sb.toString();
  }

  static String line(List<String> cells) {
    return line(cells.toArray(new String[0]));
  }

  static String cell(String v) {
    if (v == null) {
      return "";
    }
    if (v.indexOf(',') >= 0
        || v.indexOf('"') >= 0
        || v.indexOf('\n') >= 0
        || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }

  /** Splits one CSV line (quotes honoured; no embedded line breaks). */
  static List<String> split(String line) {
    List<String> out = new java.util.ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  /** A number with a fixed number of decimals (none: an integer). */
  static String number(double v, int decimals) {
    if (decimals == 0) {
      return Long.toString(Math.round(v));
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** A fraction or fold change with 4 decimals; empty for NaN. */
  static String ratio(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "";
  }
}
