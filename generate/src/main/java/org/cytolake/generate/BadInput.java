package org.cytolake.generate;

/**
 * One deliberately bad input, as listed in {@code truth/bad_inputs.csv}.
 *
 * @param source {@code fcs} (a file under fcs/ or its manifest row) or {@code clinical}
 * @param locator for fcs: the file path relative to the output directory; for clinical:
 *     {@code clinical/<domain>.csv:<line>} (1-based, the header is line 1)
 * @param reason the stable reason code the ingest jobs emit
 * @param detail what exactly is wrong, for people
 */
public record BadInput(String source, String locator, Reason reason, String detail) {

  /** Reason codes of bad inputs. */
  public enum Reason {
    /** The file ends inside its DATA segment. */
    TRUNCATED_DATA,
    /** {@code $TOT} differs from the number of events in DATA (the detail says more or fewer). */
    TOT_MISMATCH,
    /** An FCS file that no manifest row names. */
    NO_MANIFEST_LINK,
    /** A manifest row or clinical record for a patient absent from DM. */
    UNKNOWN_PATIENT,
    /** A byte-identical copy of another file under another name (in the manifest too). */
    DUPLICATE_FILE,
    /** A file without {@code $SPILLOVER}. */
    NO_SPILLOVER,
    /** A detector whose {@code $PnN} was renamed (e.g. PE-A to PE). */
    RENAMED_CHANNEL,
    /** A CSV row with the wrong number of columns or an unparseable number. */
    MALFORMED_ROW,
    /** A DM row with a negative AGE. */
    NEGATIVE_AGE,
    /** A record dated before the patient's inclusion (RFSTDTC). */
    DATE_BEFORE_INCLUSION,
    /** A record for a visit code the trial does not define. */
    UNKNOWN_VISIT
  }

  /** The FCS file faults, in the order they are assigned. */
  static final java.util.List<Reason> FCS_FAULTS =
      java.util.List.of(
          Reason.TRUNCATED_DATA,
          Reason.TOT_MISMATCH,
          Reason.NO_SPILLOVER,
          Reason.RENAMED_CHANNEL,
          Reason.DUPLICATE_FILE,
          Reason.NO_MANIFEST_LINK,
          Reason.UNKNOWN_PATIENT);
}
