package org.cytolake.ingest;

import java.util.List;
import org.cytolake.fcs.FcsWarningSeverity;

/**
 * The QC status of an ingested sample ({@code samples.qc_status}) from its warnings
 * ({@code samples.qc_warnings}): the FCS reader's codes and ingest's own
 * {@code LABEL_MISMATCH:<detector>=<label>} ($PnS disagrees with the marker of conf/panels.yaml).
 * A sample is {@value #OK} when none of them may affect its data ({@link FcsWarningSeverity}); its
 * benign warnings are still recorded. A label mismatch is not a reader code, so it counts as
 * affecting the data (the channel may not hold the marker the panel says).
 */
public final class SampleQc {
  /** No warning, or only benign ones. */
  public static final String OK = "ok";

  /** At least one warning that may affect the data. */
  public static final String WARNINGS = "warnings";

  private SampleQc() {}

  /** {@value #OK} or {@value #WARNINGS}. */
  public static String status(List<String> warnings) {
    return warnings.stream().anyMatch(SampleQc::affectsData) ? WARNINGS : OK;
  }

  /** The code of a recorded warning ({@code LABEL_MISMATCH} of {@code LABEL_MISMATCH:FITC-A=CD8}). */
  public static String code(String warning) {
    return FcsWarningSeverity.code(warning);
  }

  /** Whether one recorded warning ({@code CODE}, {@code CODE: message} or {@code CODE:detail}) may affect the data. */
  public static boolean affectsData(String warning) {
    return FcsWarningSeverity.ofWarning(warning) == FcsWarningSeverity.AFFECTS_DATA;
  }
}
