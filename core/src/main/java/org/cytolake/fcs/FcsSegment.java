package org.cytolake.fcs;

/** The parts of an FCS data set (FCS 3.1 section 3.1), used to say where a problem is. */
public enum FcsSegment {
  HEADER("HEADER"),
  TEXT("TEXT"),
  SUPPLEMENTAL_TEXT("supplemental TEXT"),
  ANALYSIS("ANALYSIS"),
  DATA("DATA"),
  FILE("file");

  private final String label;

  FcsSegment(String label) {
    this.label = label;
  }

  /** Human-readable name, as used in error messages. */
  public String label() {
    return label;
  }
}
