package org.cytolake.generate;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@link TrialGenerator#run} wrote.
 *
 * @param out the output directory
 * @param patients patients in DM
 * @param fcsFiles FCS files under fcs/ (including the deliberately bad ones)
 * @param manifestRows rows of manifest.csv
 * @param events events generated (labels written), over all files
 * @param badInputs rows of truth/bad_inputs.csv per reason code
 * @param clinicalRows data rows per clinical domain (bad rows included)
 * @param seconds wall-clock time of the run
 */
public record GenerateResult(
    Path out,
    int patients,
    int fcsFiles,
    int manifestRows,
    long events,
    Map<String, Integer> badInputs,
    Map<String, Integer> clinicalRows,
    double seconds) {
  public GenerateResult {
    badInputs = Map.copyOf(badInputs);
    clinicalRows = Map.copyOf(clinicalRows);
  }

  /** Events generated per second of wall-clock time. */
  public double eventsPerSecond() {
    return seconds > 0 ? events / seconds : 0;
  }
}
