package org.cytolake.clinical;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The sane range of a disease-activity or questionnaire result (QSSTRESN) by test code. A code is
 * matched by its longest listed prefix after upper-casing and dropping everything but letters and
 * digits ({@code DAS28-CRP}, {@code DAS28CRP} and {@code DAS28ESR} all match {@code DAS28}). Bounds
 * are the instruments' own (TRIAL.md, section 4), with headroom where a scale has no fixed top:
 *
 * <table>
 * <caption>Score ranges</caption>
 * <tr><th>prefix</th><th>range</th><th>instrument</th></tr>
 * <tr><td>DAS28</td><td>0-10</td><td>Disease Activity Score, 28 joints (RA)</td></tr>
 * <tr><td>BASDAI</td><td>0-10</td><td>Bath AS Disease Activity Index</td></tr>
 * <tr><td>ASDAS</td><td>0-10</td><td>AS Disease Activity Score (no fixed top)</td></tr>
 * <tr><td>SLEDAI</td><td>0-105</td><td>SLE Disease Activity Index 2000</td></tr>
 * <tr><td>PASI</td><td>0-72</td><td>Psoriasis Area and Severity Index</td></tr>
 * <tr><td>BDCAF</td><td>0-12</td><td>Behçet's Disease Current Activity Form</td></tr>
 * <tr><td>BVAS</td><td>0-63</td><td>Birmingham Vasculitis Activity Score v3</td></tr>
 * <tr><td>ITAS</td><td>0-51</td><td>Indian Takayasu Clinical Activity Score 2010</td></tr>
 * <tr><td>HBI</td><td>0-100</td><td>Harvey-Bradshaw Index (no fixed top; about 30 in
 * practice)</td></tr>
 * <tr><td>CDAI</td><td>0-1000</td><td>Crohn's Disease Activity Index (about 600 in
 * practice)</td></tr>
 * <tr><td>MAYO</td><td>0-12</td><td>Mayo score (UC)</td></tr>
 * <tr><td>PMAYO, PARTIALMAYO</td><td>0-9</td><td>partial Mayo score</td></tr>
 * <tr><td>CGI</td><td>1-7</td><td>Clinical Global Impression (severity, improvement)</td></tr>
 * <tr><td>EQ5DVAS</td><td>0-100</td><td>EQ-5D visual analogue scale</td></tr>
 * <tr><td>EQ5D</td><td>-1 to 1</td><td>EQ-5D index (negative = worse than death)</td></tr>
 * </table>
 *
 * <p>Any other code (liver tests for AIH/PSC, ulcer counts, fatigue scales): not negative.
 */
public final class ScoreRanges {

  /** A range, inclusive at both ends. */
  public record Range(String prefix, double min, double max, String instrument) {
    public boolean contains(double v) {
      return v >= min && v <= max;
    }

    @Override
    public String toString() {
      return max == Double.MAX_VALUE ? ">= " + fmt(min) : "[" + fmt(min) + ", " + fmt(max) + "]";
    }

    private static String fmt(double v) {
      return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
  }

  /** The range of a code no prefix matches. */
  public static final Range OTHER = new Range("", 0, Double.MAX_VALUE, "any other test");

  private static final List<Range> RANGES =
      List.of(
              new Range("DAS28", 0, 10, "Disease Activity Score 28"),
              new Range("BASDAI", 0, 10, "Bath AS Disease Activity Index"),
              new Range("ASDAS", 0, 10, "AS Disease Activity Score"),
              new Range("SLEDAI", 0, 105, "SLE Disease Activity Index"),
              new Range("PASI", 0, 72, "Psoriasis Area and Severity Index"),
              new Range("BDCAF", 0, 12, "Behçet's Disease Current Activity Form"),
              new Range("BVAS", 0, 63, "Birmingham Vasculitis Activity Score"),
              new Range("ITAS", 0, 51, "Indian Takayasu Clinical Activity Score"),
              new Range("HBI", 0, 100, "Harvey-Bradshaw Index"),
              new Range("CDAI", 0, 1000, "Crohn's Disease Activity Index"),
              new Range("MAYO", 0, 12, "Mayo score"),
              new Range("PMAYO", 0, 9, "partial Mayo score"),
              new Range("PARTIALMAYO", 0, 9, "partial Mayo score"),
              new Range("CGI", 1, 7, "Clinical Global Impression"),
              new Range("EQ5DVAS", 0, 100, "EQ-5D visual analogue scale"),
              new Range("EQ5D", -1, 1, "EQ-5D index"))
          .stream()
          .sorted(Comparator.comparingInt((Range r) -> -r.prefix().length()))
          .toList();

  private ScoreRanges() {}

  /** The range for a QSTESTCD. */
  public static Range of(String testCode) {
    String code = testCode.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
    for (Range r : RANGES) {
      if (code.startsWith(r.prefix())) {
        return r;
      }
    }
    return OTHER;
  }
}
