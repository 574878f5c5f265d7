package org.cytolake.qc;

import java.util.Objects;

/**
 * The outcome of the acquisition QC of one sample: the per-event flags and the per-file summary.
 *
 * @param summary what was found, per file
 * @param flags one flag byte per event, file order
 */
public record QcResult(QcSummary summary, QcFlags flags) {
  public QcResult {
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(flags, "flags");
  }
}
