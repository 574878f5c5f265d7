package org.cytolake.fcs;

/**
 * One parameter (channel) of a data set, from its {@code $Pn...} keywords.
 *
 * @param index 1-based parameter number n
 * @param name {@code $PnN} (detector / short name), or null when the file lacks it
 * @param label {@code $PnS} (stain / marker), or null
 * @param bits {@code $PnB} as written (bits per value)
 * @param range {@code $PnR} as a number (the instrument's range), or NaN when absent or not a number
 * @param type the data type of this parameter ({@code $PnDATATYPE} in FCS 3.2, else {@code $DATATYPE})
 * @param decades first field of {@code $PnE} (0 = linear)
 * @param logOffset second field of {@code $PnE}
 * @param gain {@code $PnG}, 1 when absent
 */
public record FcsParameter(
    int index,
    String name,
    String label,
    int bits,
    double range,
    DataType type,
    double decades,
    double logOffset,
    double gain) {

  /** {@code $PnN} when present, else {@code Pn}: a usable identifier for every parameter. */
  public String id() {
    return name != null ? name : "P" + index;
  }

  /** True when {@code $PnE} says the stored values are log-amplified (decades &gt; 0). */
  public boolean isLogAmplified() {
    return decades > 0;
  }

  /**
   * The integer mask FCS 3.1 section 3.3 prescribes for type I data: {@code 2^ceil(log2 $PnR) - 1},
   * bounded by the storage width; all storage bits when {@code $PnR} is absent.
   */
  public long integerMask(int storageBits) {
    long widthMask = storageBits >= 64 ? -1L : (1L << storageBits) - 1;
    if (Double.isNaN(range) || range <= 1 || range > 0x1p63) {
      return widthMask; // above 2^63 every one of 64 bits is needed; (long) would saturate
    }
    int needed = 64 - Long.numberOfLeadingZeros((long) Math.ceil(range) - 1);
    if (needed >= storageBits) {
      return widthMask;
    }
    return (1L << needed) - 1;
  }
}
