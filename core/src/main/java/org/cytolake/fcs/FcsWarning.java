package org.cytolake.fcs;

/**
 * A deviation from the FCS standard that the reader tolerated. Every leniency is recorded as one of
 * these; none is silent.
 *
 * @param code stable machine-readable kind, e.g. {@code DATA_OFFSET_DISAGREEMENT}
 * @param message what was found and what the reader did, with the values involved
 */
public record FcsWarning(String code, String message) {
  /** Whether this deviation may affect the data read ({@link FcsWarningSeverity}). */
  public FcsWarningSeverity severity() {
    return FcsWarningSeverity.of(code);
  }

  @Override
  public String toString() {
    return code + ": " + message;
  }
}
