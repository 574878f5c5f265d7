package org.cytolake.fcs;

/** {@code $DATATYPE} (and FCS 3.2 {@code $PnDATATYPE}) values (FCS 3.1 section 3.2.18). */
public enum DataType {
  /** Unsigned binary integer of {@code $PnB} bits. */
  I,
  /** IEEE 754 single precision. */
  F,
  /** IEEE 754 double precision. */
  D,
  /** ASCII digits (deprecated in FCS 3.1; not decoded by this reader). */
  A;

  /** Parses a keyword value, or returns null when it is not one of I, F, D, A. */
  static DataType parse(String value) {
    if (value == null) {
      return null;
    }
    return switch (value.trim().toUpperCase(java.util.Locale.ROOT)) {
      case "I" -> I;
      case "F" -> F;
      case "D" -> D;
      case "A" -> A;
      default -> null;
    };
  }
}
