package org.cytolake.tables;

import org.cytolake.fcs.FcsErrorCode;

/**
 * Every reason a job may quarantine an input for: the {@code reason_code} of the
 * {@code quarantine} table (the name, which is stable: the generator's
 * {@code truth/bad_inputs.csv} and analysts' queries use it). The FCS reader's
 * {@link FcsErrorCode}s and ingest-clinical's {@code clinical.ReasonCode}s map onto the
 * constants of the same name ({@link #of(FcsErrorCode)}, {@code ReasonCode.reason()}); ingest-fcs
 * and its manifest use these directly.
 */
public enum QuarantineReason {
  // The FCS reader (ingest-fcs): the file cannot be read; one per FcsErrorCode.
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
  /** The file uses a feature the reader does not support. */
  UNSUPPORTED,
  /** The DATA segment is not (wholly) in the file. */
  TRUNCATED_DATA,
  /** HEADER and TEXT disagree on the DATA offsets and neither pair fits. */
  OFFSET_DISAGREEMENT,
  /** An I/O error from the underlying storage. */
  IO,

  // ingest-fcs: a readable file, or a manifest row, that cannot become a sample.
  /** A manifest row (or file name, or keyword link) names a panel not in conf/panels.yaml. */
  UNKNOWN_PANEL,
  /** A manifest row names a file that is not in the input. */
  MISSING_FILE,
  /** A second manifest row for a file an earlier row already links. */
  DUPLICATE_MANIFEST_ROW,
  /** A file that no manifest row, file name pattern or keyword link links. */
  NO_MANIFEST_LINK,
  /** {@code $TOT} disagrees with the events the DATA segment holds. */
  TOT_MISMATCH,
  /** The same bytes as an earlier file. */
  DUPLICATE_FILE,
  /** Another file for the same patient, visit and panel. */
  DUPLICATE_SAMPLE,
  /** A detector of the panel is missing from the file. */
  RENAMED_CHANNEL,
  /** The panel compensates with each file's own matrix, and the file has none. */
  NO_SPILLOVER,
  /** The file's spillover matrix names channels the file does not have. */
  BAD_SPILLOVER,

  // Both ingest jobs (a manifest row, a clinical record).
  /** Wrong number of fields, unparseable CSV or JSON, or a number or date that does not parse. */
  MALFORMED_ROW,
  /** A required field is empty or absent. */
  MISSING_VALUE,
  /** A visit code not in conf/visits.yaml. */
  UNKNOWN_VISIT,
  /** A patient the clinical patients table (or DM) does not hold. */
  UNKNOWN_PATIENT,

  // ingest-clinical.
  /** AGE below zero, or BRTHDTC after RFSTDTC. */
  NEGATIVE_AGE,
  /**
   * A date out of order: before the patient's inclusion or previous visit, or an AE ending
   * before it starts.
   */
  DATE_BEFORE_INCLUSION,
  /** A value outside its sane range. */
  OUT_OF_RANGE,
  /** The record's key was already accepted from an earlier line. */
  DUPLICATE_RECORD,
  /** A whole file rejected: its header lacks a required column, or it has no header at all. */
  MISSING_COLUMN;

  /** The reason of an FCS file the reader cannot read. */
  public static QuarantineReason of(FcsErrorCode code) {
    return valueOf(code.name());
  }
}
