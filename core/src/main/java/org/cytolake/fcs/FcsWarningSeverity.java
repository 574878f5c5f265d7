package org.cytolake.fcs;

import java.util.Map;
import java.util.TreeMap;

/**
 * How much an {@link FcsWarning} matters for the data read: the one place that classifies warning
 * codes. Ingest's {@code samples.qc_status} and the HTML report's QC both ask here.
 *
 * <p>{@link #BENIGN}: only the form of the file deviated; the events read are the events the file
 * holds, with the meaning its keywords give them (padding, whitespace, offsets off by one, a
 * spillover matrix naming channels by label, the FCS 3.1 rule for a zero log offset).
 * {@link #AFFECTS_DATA}: events may have been dropped or altered, values scaled on a guess,
 * compensation lost, or metadata the data depend on may be wrong.
 *
 * <p>A code not listed here (a new reader warning, or another stage's code such as ingest's
 * {@code LABEL_MISMATCH}) is {@link #UNKNOWN_CODE}, i.e. {@link #AFFECTS_DATA}: a deviation nobody
 * has judged yet flags its sample, so someone looks at it. Classifying a new code is one line in
 * the table below.
 */
public enum FcsWarningSeverity {
  /** Form only: the data read are what the file holds. */
  BENIGN,
  /** Events dropped or altered, values or compensation uncertain: the sample needs a look. */
  AFFECTS_DATA;

  /** The severity of a code not in the table. */
  public static final FcsWarningSeverity UNKNOWN_CODE = AFFECTS_DATA;

  private static final Map<String, FcsWarningSeverity> BY_CODE =
      Map.ofEntries(
          // HEADER and segment offsets: resolved without doubt, every event read.
          Map.entry("HEADER_SPACES", BENIGN),
          Map.entry("HEADER_DATA_SENTINEL", BENIGN),
          Map.entry("HEADER_DATA_SPLIT", BENIGN), // FCS 3.1 section 3.1: TEXT offsets used
          Map.entry("HEADER_NEGATIVE_OFFSET", BENIGN), // an empty segment written 0..-1
          Map.entry("MISSING_TEXT_DATA_OFFSETS", BENIGN), // the HEADER's DATA offsets used
          Map.entry("DATA_END_EXCLUSIVE", BENIGN),
          Map.entry("TEXT_END_EXCLUSIVE", BENIGN),
          Map.entry("STEXT_END_EXCLUSIVE", BENIGN),
          Map.entry("OFFSETS_EXCLUSIVE", BENIGN),
          Map.entry("DATA_OFFSET_DISAGREEMENT", BENIGN), // the pair that holds $TOT x width is used
          Map.entry("NEXTDATA_OFF_BY_ONE", BENIGN),
          // TEXT syntax: keywords and values read as meant.
          Map.entry("TEXT_PADDING", BENIGN),
          Map.entry("TEXT_NO_FINAL_DELIMITER", BENIGN),
          Map.entry("TEXT_EXTRA_FINAL_DELIMITER", BENIGN),
          Map.entry("TEXT_WHITESPACE", BENIGN),
          Map.entry("TEXT_EMPTY_VALUE", BENIGN),
          Map.entry("TEXT_EMPTY_KEYWORD", BENIGN),
          Map.entry("TEXT_ORPHAN_KEYWORD", BENIGN),
          // A supplemental TEXT that is not there to read (outside the file, binary, the
          // primary's).
          Map.entry("STEXT_OFFSETS", BENIGN),
          Map.entry("STEXT_NOT_TEXT", BENIGN),
          Map.entry("STEXT_OVERLAP", BENIGN),
          // Parameters and spillover, resolved as the standard says.
          Map.entry("PNE_ZERO_OFFSET", BENIGN), // FCS 3.1 section 3.2.20
          Map.entry("PNE_LOG_FLOAT", BENIGN), // section 3.2.20: log amplification is for integers
          Map.entry("MISSING_PNE", BENIGN), // read as linear, the only reading there is
          Map.entry("PNB_FLOAT", BENIGN), // $DATATYPE F/D fixes the width
          Map.entry("SPILLOVER_BY_LABEL", BENIGN),
          Map.entry("SPILLOVER_BY_INDEX", BENIGN),
          Map.entry("MISSING_TOT", BENIGN), // every complete event of DATA read
          Map.entry("TOT_FROM_DATA", BENIGN),
          // Events dropped or not reached.
          Map.entry("TOT_MISMATCH", AFFECTS_DATA),
          Map.entry("NEXTDATA_UNREADABLE", AFFECTS_DATA),
          Map.entry("NEXTDATA_INVALID", AFFECTS_DATA),
          // Metadata the values depend on guessed, lost or contradictory.
          Map.entry("MISSING_PNN", AFFECTS_DATA),
          Map.entry("DUPLICATE_PNN", AFFECTS_DATA), // a lookup by name finds the first channel
          Map.entry("MISSING_PNR", AFFECTS_DATA),
          Map.entry("BAD_PNR", AFFECTS_DATA),
          Map.entry("BAD_PNE", AFFECTS_DATA),
          Map.entry("BAD_PNG", AFFECTS_DATA),
          Map.entry("BAD_SPILLOVER", AFFECTS_DATA),
          Map.entry("COMPENSATION_NOT_READ", AFFECTS_DATA), // older keywords, no matrix read
          Map.entry("SPILLOVER_UNKNOWN_CHANNEL", AFFECTS_DATA),
          Map.entry("STEXT_CONFLICT", AFFECTS_DATA),
          Map.entry("TEXT_DUPLICATE_KEYWORD", AFFECTS_DATA));

  /** The severity of a warning code ({@link #UNKNOWN_CODE} when it is not in the table). */
  public static FcsWarningSeverity of(String code) {
    return BY_CODE.getOrDefault(code, UNKNOWN_CODE);
  }

  /**
   * The severity of a recorded warning: a bare code, {@code CODE: message} (as
   * {@link FcsWarning#toString()} writes it) or {@code CODE:detail} (as ingest records a label
   * mismatch).
   */
  public static FcsWarningSeverity ofWarning(String warning) {
    return of(code(warning));
  }

  /** The code of a recorded warning: the text before its first ':' (all of it without one). */
  public static String code(String warning) {
    int colon = warning.indexOf(':');
    return (colon < 0 ? warning : warning.substring(0, colon)).trim();
  }

  /** Every classified code and its severity, by code. */
  public static Map<String, FcsWarningSeverity> known() {
    return new TreeMap<>(BY_CODE);
  }
}
