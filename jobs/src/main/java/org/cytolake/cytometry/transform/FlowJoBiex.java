package org.cytolake.cytometry.transform;

import java.util.Arrays;
import java.util.Objects;

/**
 * FlowJo's "biex" axis (FlowJo 10 {@code transforms:biex}: width basis, negative and positive decades, maxRange) as
 * FlowJo computes it: a lookup table of the data value at each of 4,096 display channels, not a Logicle curve.
 *
 * <p>The table (facts from FlowKit's {@code generate_biex_lut}, itself ported from cytolib, which says it took it from
 * TreeStar's Java code; re-derived here): with {@code R} = 4,096 channels and {@code w} = log10(-width),
 *
 * <pre>
 *   P = pos - w/2 (positive decades),  E = neg + w/2 (extra negative decades)
 *   z = floor(E R / (E + P)), at most R/2: the zero sits on a whole channel
 *   D = E R / z (z &gt; 0; else D = P): the decades the R channels span once z is whole
 *   b = D ln 10,  v = w / (2 D),  d: the root in (0, b] of 2 (ln d - ln b) + v (b + d) = 0 (as Logicle's d)
 *   p(i) = e^(b i / (R+1)),  q(i) = e^((b + d)(v + E / D)) e^(-d i / (R+1))
 *   value(i) = maxRange e^(-b) (p(i) - q(i) - (p(z) - q(z)))   for i ≥ z,   value(i) = -value(2z - i) below z
 * </pre>
 *
 * for channels i = 0..R. The step is 1/(R+1), not 1/R, so channel R is a little under maxRange (FlowJo's exported
 * table for width -7.943282, neg 1, pos 4.41854 ends at 260,651 on channel 4,095); this reproduces that export to
 * its printed precision (mean |% difference| 1e-4 %, {@code FlowJoBiexTest}).
 *
 * <p>{@link #apply} maps a data value to its channel / R by linear interpolation in the table, and extends the first
 * and last segments beyond it, so the transform stays invertible; {@link #inverse} is the same interpolation read
 * the other way. It has no Gating-ML 2.0 form.
 *
 * <p>Immutable; equal when the four parameters are equal.
 */
public final class FlowJoBiex implements Transform {

  /** Type name in specs. */
  public static final String ID = "flowjo-biex";

  /** Display channels of FlowJo's biex table (its {@code channelRange}). */
  public static final int CHANNELS = 4096;

  private static final double LN10 = Math.log(10);
  private static final int MAX_ITERATIONS = 100;

  private final double width;
  private final double neg;
  private final double pos;
  private final double maxRange;

  /** Data value at channel i, i = 0..CHANNELS, strictly increasing. */
  private final double[] table;

  /**
   * Creates the transform, checking width ≤ -1, neg ≥ 0, pos &gt; log10(-width)/2 and maxRange &gt; 0, all finite.
   *
   * @param width FlowJo's width basis (negative; -10 by default in FlowJo)
   * @param neg extra negative decades
   * @param pos positive decades
   * @param maxRange top of the data scale (262,144 for 18-bit instruments)
   */
  public FlowJoBiex(double width, double neg, double pos, double maxRange) {
    Problems problems = new Problems("Cannot create " + ID + " transform");
    if (problems.checkFinite("width", width)) {
      problems.check(width <= -1, "width=" + width + " must be ≤ -1");
    }
    if (problems.checkFinite("neg", neg)) {
      problems.check(neg >= 0, "neg=" + neg + " must be ≥ 0");
    }
    if (problems.checkPositive("pos", pos) && width <= -1) {
      problems.check(
          pos > Math.log10(-width) / 2,
          "pos=" + pos + " must be > log10(-width)/2 (width=" + width + ")");
    }
    problems.checkPositive("maxRange", maxRange);
    problems.throwIfAny();
    this.width = width;
    this.neg = neg;
    this.pos = pos;
    this.maxRange = maxRange;
    this.table = table(width, neg, pos, maxRange);
  }

  private static double[] table(double width, double neg, double pos, double maxRange) {
    double w = Math.log10(-width);
    double positive = pos - w / 2;
    double extra = neg + w / 2;
    int zero = (int) Math.min(Math.floor(extra * CHANNELS / (extra + positive)), CHANNELS / 2);
    double decades = zero > 0 ? extra * CHANNELS / zero : positive;
    double v = w / (2 * decades);
    double b = decades * LN10;
    double d = solveD(b, v);
    double n = CHANNELS + 1;
    double qScale = Math.exp((b + d) * (v + extra / decades));
    double scale = maxRange / Math.exp(b);
    double offset = Math.exp(b * zero / n) - qScale * Math.exp(-d * zero / n);
    double[] t = new double[CHANNELS + 1];
    for (int i = zero; i <= CHANNELS; i++) {
      t[i] = scale * (Math.exp(b * i / n) - qScale * Math.exp(-d * i / n) - offset);
    }
    for (int i = 0; i < zero; i++) {
      t[i] = -t[2 * zero - i];
    }
    return t;
  }

  /** The root in (0, b] of 2 (ln d - ln b) + v (b + d) = 0, by Newton's method as in {@link Logicle}. */
  private static double solveD(double b, double v) {
    if (v == 0) {
      return b;
    }
    double d = b * Math.exp(-v * b);
    for (int i = 0; i < MAX_ITERATIONS; i++) {
      double step = (2 * Math.log(d / b) + v * (b + d)) / (2 / d + v);
      d -= step;
      if (Math.abs(step) <= 2 * Math.ulp(d)) {
        break;
      }
    }
    return d;
  }

  /** The data value FlowJo's table holds at a display channel (0..{@link #CHANNELS}). */
  public double valueAt(int channel) {
    Objects.checkIndex(channel, table.length);
    return table[channel];
  }

  @Override
  public double apply(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    int i = Arrays.binarySearch(table, x);
    if (i >= 0) {
      return (double) i / CHANNELS;
    }
    int hi = Math.min(Math.max(-i - 1, 1), CHANNELS);
    int lo = hi - 1;
    return (lo + (x - table[lo]) / (table[hi] - table[lo])) / CHANNELS;
  }

  @Override
  public double inverse(double y) {
    if (Double.isNaN(y)) {
      return y;
    }
    double c = y * CHANNELS;
    int lo = (int) Math.min(Math.max(Math.floor(c), 0), CHANNELS - 1);
    return table[lo] + (c - lo) * (table[lo + 1] - table[lo]);
  }

  public double width() {
    return width;
  }

  public double neg() {
    return neg;
  }

  public double pos() {
    return pos;
  }

  public double maxRange() {
    return maxRange;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String spec() {
    return ID
        + ":width="
        + TransformSpec.format(width)
        + ",neg="
        + TransformSpec.format(neg)
        + ",pos="
        + TransformSpec.format(pos)
        + ",maxRange="
        + TransformSpec.format(maxRange);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlowJoBiex other
        && Double.compare(width, other.width) == 0
        && Double.compare(neg, other.neg) == 0
        && Double.compare(pos, other.pos) == 0
        && Double.compare(maxRange, other.maxRange) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(ID, width, neg, pos, maxRange);
  }

  @Override
  public String toString() {
    return "FlowJoBiex[width="
        + width
        + ", neg="
        + neg
        + ", pos="
        + pos
        + ", maxRange="
        + maxRange
        + "]";
  }
}
