package org.cytolake.plot;

/**
 * A fixed plot range {@code [lo, hi)} given on the command line as {@code LO:HI}.
 */
public record AxisRange(double lo, double hi) {
  public AxisRange {
    if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo < hi)) {
      throw new IllegalArgumentException(
          "Cannot use range " + lo + ":" + hi + ": it needs finite LO < HI");
    }
  }

  /**
   * Parses {@code LO:HI}, e.g. {@code -1:8} or {@code 0:2.6e5}.
   *
   * @throws IllegalArgumentException naming the text when it is not two numbers LO &lt; HI
   */
  public static AxisRange parse(String text) {
    String[] p = text.split(":");
    if (p.length == 2) {
      try {
        return new AxisRange(Double.parseDouble(p[0].strip()), Double.parseDouble(p[1].strip()));
      } catch (IllegalArgumentException e) { // a number that does not parse, or LO >= HI
        // reported below
      }
    }
    throw new IllegalArgumentException(
        "Cannot read range '" + text + "': expected LO:HI with LO < HI, e.g. -1:8");
  }

  /** An axis of {@code bins} bins over this range. */
  public BinAxis axis(int bins) {
    return new BinAxis(lo, hi, bins);
  }
}
