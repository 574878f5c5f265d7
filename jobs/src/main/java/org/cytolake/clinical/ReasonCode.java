package org.cytolake.clinical;

import org.cytolake.tables.QuarantineReason;

/**
 * Why ingest-clinical rejected a record or a file: the subset of {@link QuarantineReason.Rejected}
 * this validator uses, each mapped onto the reason of the same name ({@link #reason()}), whose code
 * is what the {@code quarantine} table holds.
 */
public enum ReasonCode {
  /** Wrong number of fields, unparseable CSV or JSON, or a number or date that does not parse. */
  MALFORMED_ROW,
  /** A required field is empty or absent. */
  MISSING_VALUE,
  /** AGE below zero, or BRTHDTC after RFSTDTC. */
  NEGATIVE_AGE,
  /**
   * A date out of order: a visit, dose, score, lab or adverse-event date before the patient's
   * RFSTDTC, a visit dated before the patient's previous visit, or an AE ending before it starts.
   */
  DATE_BEFORE_INCLUSION,
  /** VISIT is not a visit code of {@code conf/visits.yaml}. */
  UNKNOWN_VISIT,
  /** USUBJID is not an accepted patient of DM (absent from it, or its DM record was rejected). */
  UNKNOWN_PATIENT,
  /** A value outside its sane range (see {@link ClinicalValidator} and {@link ScoreRanges}). */
  OUT_OF_RANGE,
  /** The record's key was already accepted from an earlier line (see {@link ClinicalDomain}). */
  DUPLICATE_RECORD,
  /** A whole file rejected: its header lacks a required column, or it has no header at all. */
  MISSING_COLUMN;

  /** The quarantine reason of the same name. */
  public QuarantineReason.Rejected reason() {
    return QuarantineReason.Rejected.valueOf(name());
  }
}
