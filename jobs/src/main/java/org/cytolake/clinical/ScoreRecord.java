package org.cytolake.clinical;

import java.time.LocalDate;
import java.util.Objects;

/** An accepted QS record: one disease-activity or questionnaire result. */
public record ScoreRecord(
    String patientId,
    String testCode,
    String testName,
    Double value,
    String unit,
    String visit,
    Double visitNum,
    LocalDate scoreDate,
    Integer studyDay) {
  public ScoreRecord {
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(testCode, "testCode");
    Objects.requireNonNull(visit, "visit");
  }
}
