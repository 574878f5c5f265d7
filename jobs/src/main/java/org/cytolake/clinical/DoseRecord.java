package org.cytolake.clinical;

import java.time.LocalDate;
import java.util.Objects;

/** An accepted EX record: one study drug administration. */
public record DoseRecord(
    String patientId,
    String treatment,
    Double dose,
    String doseUnit,
    String route,
    LocalDate doseDate,
    Integer studyDay,
    String visit) {
  public DoseRecord {
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(treatment, "treatment");
  }
}
