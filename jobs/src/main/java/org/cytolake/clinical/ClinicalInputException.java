package org.cytolake.clinical;

/**
 * Clinical input that cannot be ingested at all (as opposed to bad records, which go to
 * quarantine): no DM domain, an ambiguous domain (both CSV and JSON lines), an unreadable file.
 */
public final class ClinicalInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClinicalInputException(String message) {
    super(message);
  }

  public ClinicalInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
