package org.cytolake.clinical;

import java.util.List;
import java.util.Map;
import org.cytolake.tables.RowShape;
import org.cytolake.tables.TableSchema;

/**
 * The rows of the six clinical tables from a validated batch: each record type's columns by name,
 * checked against its table's contract ({@link RowShape}), values in the contract's column order.
 */
public final class ClinicalRows {
  private static final String JOB = ClinicalValidator.JOB;

  private ClinicalRows() {}

  /** The rows of a domain's table from {@code batch}, in the order of {@code contract}. */
  public static List<Object[]> rows(
      ClinicalDomain domain, ClinicalBatch batch, TableSchema contract) {
    return switch (domain) {
      case DM -> PATIENTS.rows(contract, batch.patients());
      case SV -> VISITS.rows(contract, batch.visits());
      case EX -> DOSING.rows(contract, batch.doses());
      case QS -> SCORES.rows(contract, batch.scores());
      case LB -> LABS.rows(contract, batch.labs());
      case AE -> ADVERSE_EVENTS.rows(contract, batch.adverseEvents());
    };
  }

  /**
   * Checks what a run wrote against what the batch accepted and rejected: rows written to each
   * table = records accepted, rows written to the quarantine partition = records rejected.
   *
   * @throws IllegalStateException naming the file or partition that does not reconcile
   */
  public static void checkWritten(
      ClinicalBatch batch, Map<ClinicalDomain, Long> written, long quarantined) {
    for (DomainCount c : batch.counts()) {
      if (written.get(c.domain()) != c.accepted()) {
        throw new IllegalStateException(
            "Cannot reconcile "
                + c.source()
                + ": "
                + c.accepted()
                + " records accepted but "
                + written.get(c.domain())
                + " rows written to table "
                + c.domain().table());
      }
    }
    if (quarantined != batch.quarantine().size()) {
      throw new IllegalStateException(
          "Cannot reconcile the quarantine: "
              + batch.quarantine().size()
              + " rows rejected but "
              + quarantined
              + " written to quarantine partition job="
              + JOB);
    }
  }

  private static final RowShape<PatientRecord> PATIENTS =
      RowShape.of(
          JOB,
          p ->
              new Object[] {
                p.patientId(),
                p.studyId(),
                p.siteId(),
                p.cohort(),
                p.arm(),
                p.sex(),
                p.age(),
                p.race(),
                p.inclusionDate()
              },
          "patient_id",
          "study_id",
          "site_id",
          "cohort",
          "arm",
          "sex",
          "age",
          "race",
          "inclusion_date");

  private static final RowShape<VisitRecord> VISITS =
      RowShape.of(
          JOB,
          v -> new Object[] {v.patientId(), v.visit(), v.visitNum(), v.visitDate(), v.studyDay()},
          "patient_id",
          "visit",
          "visitnum",
          "visit_date",
          "study_day");

  private static final RowShape<DoseRecord> DOSING =
      RowShape.of(
          JOB,
          d ->
              new Object[] {
                d.patientId(),
                d.treatment(),
                d.dose(),
                d.doseUnit(),
                d.route(),
                d.doseDate(),
                d.studyDay(),
                d.visit()
              },
          "patient_id",
          "treatment",
          "dose",
          "dose_unit",
          "route",
          "dose_date",
          "study_day",
          "visit");

  private static final RowShape<ScoreRecord> SCORES =
      RowShape.of(
          JOB,
          s ->
              new Object[] {
                s.patientId(),
                s.testCode(),
                s.testName(),
                s.value(),
                s.unit(),
                s.visit(),
                s.visitNum(),
                s.scoreDate(),
                s.studyDay()
              },
          "patient_id",
          "test_code",
          "test_name",
          "value",
          "unit",
          "visit",
          "visitnum",
          "score_date",
          "study_day");

  private static final RowShape<LabRecord> LABS =
      RowShape.of(
          JOB,
          l ->
              new Object[] {
                l.patientId(),
                l.testCode(),
                l.testName(),
                l.value(),
                l.unit(),
                l.refLow(),
                l.refHigh(),
                l.visit(),
                l.visitNum(),
                l.labDate(),
                l.studyDay()
              },
          "patient_id",
          "test_code",
          "test_name",
          "value",
          "unit",
          "ref_low",
          "ref_high",
          "visit",
          "visitnum",
          "lab_date",
          "study_day");

  private static final RowShape<AdverseEventRecord> ADVERSE_EVENTS =
      RowShape.of(
          JOB,
          a ->
              new Object[] {
                a.patientId(),
                a.seq(),
                a.term(),
                a.decodedTerm(),
                a.grade(),
                a.serious(),
                a.related(),
                a.startDate(),
                a.startDay(),
                a.endDate()
              },
          "patient_id",
          "ae_seq",
          "term",
          "decoded_term",
          "grade",
          "serious",
          "related",
          "start_date",
          "start_day",
          "end_date");
}
