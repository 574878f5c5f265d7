package org.cytolake.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cytolake.fcs.FcsErrorCode;

/**
 * Every reason a job may quarantine an input for; its {@link #code()} is the {@code reason_code}
 * of the {@code quarantine} table (stable: the generator's {@code truth/bad_inputs.csv} and
 * analysts' queries use it). Two kinds:
 *
 * <ul>
 *   <li>{@link Unreadable}: an FCS file the reader cannot read ({@link #of(FcsErrorCode)}); the
 *       code is the name of the reader's {@link FcsErrorCode}, which lists these reasons once.
 *   <li>{@link Rejected}: an input that was read but cannot be accepted (ingest-fcs' files and
 *       manifest rows, ingest-clinical's records via {@code clinical.ReasonCode.reason()}).
 * </ul>
 */
public sealed interface QuarantineReason
    permits QuarantineReason.Unreadable, QuarantineReason.Rejected {

  /** The {@code reason_code} written to the {@code quarantine} table. */
  String code();

  /** The reason of an FCS file the reader cannot read. */
  static QuarantineReason of(FcsErrorCode code) {
    return new Unreadable(code);
  }

  /** Every code the {@code quarantine} table may hold: the FCS reader's, then the others. */
  static List<String> codes() {
    List<String> out = new ArrayList<>();
    for (FcsErrorCode c : FcsErrorCode.values()) {
      out.add(of(c).code());
    }
    for (Rejected r : Rejected.values()) {
      out.add(r.code());
    }
    return List.copyOf(out);
  }

  /** The FCS reader cannot read the file (ingest-fcs); the code is the reader's. */
  record Unreadable(FcsErrorCode error) implements QuarantineReason {
    public Unreadable {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public String code() {
      return error.name();
    }

    @Override
    public String toString() {
      return code();
    }
  }

  /** An input that was read but cannot be accepted; the code is the constant's name. */
  enum Rejected implements QuarantineReason {
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
    MISSING_COLUMN,

    // normalise: a sample that cannot be normalised between batches, so is not gated or clustered.
    /** The batch rule cannot place the sample: no acquisition date, or no manifest batch. */
    NO_BATCH,
    /** Its batch has no control aliquot with enough events (missing-control: quarantine). */
    NO_BATCH_CONTROL,
    /**
     * Its batch has no control and its patient samples all share one level of a confounder, so
     * it cannot be normalised from its own pool.
     */
    BATCH_CONFOUNDED;

    @Override
    public String code() {
      return name();
    }
  }
}
