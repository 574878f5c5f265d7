package org.cytolake.ingest;

import java.io.Serializable;
import java.util.List;

/**
 * An accepted FCS file and the sample it becomes.
 *
 * @param check what was learnt about the file
 * @param sampleId pseudonymous sample id
 * @param patientId pseudonymous patient id
 * @param visit visit code
 * @param panel panel code
 * @param acquisitionDate ISO date or null
 * @param batch batch or null
 * @param qcWarnings reader warnings and label mismatches (codes)
 * @param control null for a patient sample, else the control aliquot's role ({@link
 *     ManifestRow#TRAINING} or {@link ManifestRow#VALIDATION})
 */
public record PlannedSample(
    FileCheck check,
    String sampleId,
    String patientId,
    String visit,
    String panel,
    String acquisitionDate,
    String batch,
    List<String> qcWarnings,
    String control)
    implements Serializable {
  public PlannedSample {
    qcWarnings = List.copyOf(qcWarnings);
  }

  /** {@code samples.qc_status}: {@link SampleQc#OK} unless a warning may affect the data. */
  public String qcStatus() {
    return SampleQc.status(qcWarnings);
  }
}
