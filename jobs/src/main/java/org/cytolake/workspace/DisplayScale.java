package org.cytolake.workspace;

import java.util.Arrays;

/**
 * A display axis as a table: data value at each display channel, increasing, as FlowJo 9 stores its calibration
 * tables ({@code <Table>} of "channel,value" pairs). {@link #apply} maps a data value to the display channel by
 * linear interpolation between neighbouring entries; a value beyond the table is put on the axis, the first or last
 * channel, as FlowJo draws off-scale events (piled on the axis) and holds a gate vertex drawn beyond it. Gating on the
 * clamped channels is what FlowJo 9.2 counted on the A2004 workspace: B Cell, whose polygon runs below the APC-A
 * table's first value (-26.9 against -22.2), is 1,733 clamped and 1,634 extrapolated against FlowJo's 1,727, its
 * parent being +6.
 *
 * @param channels display channels, increasing
 * @param values data values at those channels, increasing
 */
public record DisplayScale(String name, double[] channels, double[] values) {

  public DisplayScale {
    if (channels.length != values.length || channels.length < 2) {
      throw new IllegalArgumentException(
          "Cannot create display scale '"
              + name
              + "': "
              + channels.length
              + " channels and "
              + values.length
              + " values (at least 2 each, as many of both)");
    }
    for (int i = 1; i < values.length; i++) {
      if (!(values[i] > values[i - 1]) || !(channels[i] > channels[i - 1])) {
        throw new IllegalArgumentException(
            "Cannot create display scale '"
                + name
                + "': it is not increasing at entry "
                + i
                + " (channel "
                + channels[i]
                + ", value "
                + values[i]
                + ")");
      }
    }
    channels = channels.clone();
    values = values.clone();
  }

  /** Parses FlowJo's "c0,v0,c1,v1,..." text. */
  static DisplayScale parse(String name, String text) {
    String[] parts = text.replaceAll("\\s+", "").split(",");
    if (parts.length % 2 != 0) {
      throw new IllegalArgumentException(
          "Cannot read calibration table '" + name + "': " + parts.length + " numbers, not pairs");
    }
    double[] c = new double[parts.length / 2];
    double[] v = new double[parts.length / 2];
    for (int i = 0; i < c.length; i++) {
      c[i] = Double.parseDouble(parts[2 * i]);
      v[i] = Double.parseDouble(parts[2 * i + 1]);
    }
    return new DisplayScale(name, c, v);
  }

  /** The display channel of a data value; NaN stays NaN. */
  public double apply(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    int n = values.length;
    if (x <= values[0]) {
      return channels[0];
    }
    if (x >= values[n - 1]) {
      return channels[n - 1];
    }
    int i = Arrays.binarySearch(values, x);
    if (i >= 0) {
      return channels[i];
    }
    int hi = -i - 1;
    int lo = hi - 1;
    return channels[lo]
        + (x - values[lo]) * (channels[hi] - channels[lo]) / (values[hi] - values[lo]);
  }

  @Override
  public double[] channels() {
    return channels.clone();
  }

  @Override
  public double[] values() {
    return values.clone();
  }
}
