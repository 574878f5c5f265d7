package org.cytolake.clinical;

import java.time.LocalDate;
import java.util.Objects;

/**
 * An accepted DM record, pseudonymised: no name, no birth date (age instead).
 *
 * @param patientId pseudonym of USUBJID
 * @param age AGE, or whole years from BRTHDTC to RFSTDTC when AGE is empty
 * @param inclusionDate RFSTDTC
 */
public record PatientRecord(
    String patientId,
    String studyId,
    String siteId,
    String cohort,
    String arm,
    String sex,
    Integer age,
    String race,
    LocalDate inclusionDate) {
  public PatientRecord {
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(cohort, "cohort");
  }
}
