package org.cytolake.clinical;

import java.time.LocalDate;
import java.util.Objects;

/**
 * An accepted AE record.
 *
 * @param grade AETOXGR, CTCAE grade 1-5
 * @param serious AESER: Y is true, N is false
 */
public record AdverseEventRecord(
    String patientId,
    int seq,
    String term,
    String decodedTerm,
    Integer grade,
    Boolean serious,
    String related,
    LocalDate startDate,
    Integer startDay,
    LocalDate endDate) {
  public AdverseEventRecord {
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(term, "term");
  }
}
