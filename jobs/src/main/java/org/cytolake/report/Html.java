package org.cytolake.report;

import java.util.Locale;

/** Escaping and number formatting for the report's HTML and inline SVG (XML-compatible output). */
public final class Html {
  private Html() {}

  /**
   * Escapes text for element content and double-quoted attribute values: {@code & < > " '}, and
   * control characters other than tab, newline and carriage return (not allowed in XML) become
   * U+FFFD. Null becomes the empty string.
   */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF) {
            b.append('\uFFFD');
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** A coordinate for SVG: at most two decimals, never an exponent, dot as decimal separator. */
  static String coord(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("Cannot draw coordinate: " + v);
    }
    String s = String.format(Locale.ROOT, "%.2f", v);
    s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    return s.equals("-0") ? "0" : s;
  }

  /**
   * A value for people: integers as such, others with four significant digits (no exponent
   * between 0.0001 and 10^9), NaN and infinities spelt out, null as empty.
   */
  public static String number(Double v) {
    if (v == null) {
      return null;
    }
    double d = v;
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Inf" : "-Inf";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    double a = Math.abs(d);
    if (a >= 1e-4 && a < 1e9) {
      return new java.math.BigDecimal(d)
          .round(new java.math.MathContext(4))
          .stripTrailingZeros()
          .toPlainString();
    }
    return String.format(Locale.ROOT, "%.3e", d);
  }
}
