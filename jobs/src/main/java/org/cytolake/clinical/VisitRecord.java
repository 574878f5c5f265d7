package org.cytolake.clinical;

import java.time.LocalDate;
import java.util.Objects;

/**
 * An accepted SV record.
 *
 * @param studyDay VISITDY, or days since RFSTDTC + 1 when VISITDY is empty
 */
public record VisitRecord(
    String patientId, String visit, Double visitNum, LocalDate visitDate, Integer studyDay) {
  public VisitRecord {
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(visit, "visit");
  }
}
