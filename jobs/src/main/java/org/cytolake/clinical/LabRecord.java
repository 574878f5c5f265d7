package org.cytolake.clinical;

import java.time.LocalDate;
import java.util.Objects;

/** An accepted LB record: one laboratory result with its reference range. */
public record LabRecord(
    String patientId,
    String testCode,
    String testName,
    Double value,
    String unit,
    Double refLow,
    Double refHigh,
    String visit,
    Double visitNum,
    LocalDate labDate,
    Integer studyDay) {
  public LabRecord {
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(testCode, "testCode");
    Objects.requireNonNull(visit, "visit");
  }
}
