package org.cytolake.fcs;

/**
 * Machine-readable reason of an {@link FcsFormatException}. The codes are stable: they become the
 * {@code reason_code} of quarantine rows.
 */
public enum FcsErrorCode {
  /** The file is too short to hold a HEADER, or is empty. */
  TRUNCATED_HEADER,
  /** The first bytes are not {@code FCSx.y}. */
  NOT_FCS,
  /** A HEADER offset field is not a number. */
  BAD_HEADER_FIELD,
  /** A segment's offsets point before the HEADER, are reversed, or lie past the end of the file. */
  BAD_OFFSETS,
  /** The TEXT delimiter is not a legal delimiter byte. */
  BAD_DELIMITER,
  /** A required keyword is absent. */
  MISSING_KEYWORD,
  /** A keyword holds a value that cannot be used (not a number, out of range, inconsistent). */
  BAD_KEYWORD_VALUE,
  /** The file uses a feature the reader does not support (and says which). */
  UNSUPPORTED,
  /** The DATA segment is not (wholly) in the file. */
  TRUNCATED_DATA,
  /** HEADER and TEXT disagree on the DATA offsets and neither pair fits. */
  OFFSET_DISAGREEMENT,
  /** An I/O error from the underlying storage. */
  IO
}
