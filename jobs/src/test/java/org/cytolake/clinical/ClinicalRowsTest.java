package org.cytolake.clinical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.tables.Pseudonymizer;
import org.cytolake.tables.TableSchema;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clinical tables' rows from the fixture batch, and the check of what a run wrote. */
class ClinicalRowsTest {
  static final Path SCHEMAS = SharedData.projectDir().resolve("schemas");

  @TempDir static Path dir;
  static ClinicalBatch batch;

  @BeforeAll
  static void validateFixtures() throws IOException {
    ClinicalFixtures.write(dir);
    batch =
        new ClinicalValidator(
                CytolakeConfig.load(SharedData.projectDir().resolve("conf")).visits(),
                Pseudonymizer.withSalt("test-salt"))
            .validate(ClinicalInput.directory(dir));
  }

  @Test
  void everyDomainGivesOneRowPerAcceptedRecordInItsContractsOrder() {
    for (ClinicalDomain d : ClinicalDomain.values()) {
      TableSchema contract = TableSchema.load(SCHEMAS, d.table());
      List<Object[]> rows = ClinicalRows.rows(d, batch, contract);
      assertEquals(batch.count(d).accepted(), rows.size(), d.table());
      for (Object[] r : rows) {
        assertEquals(contract.columnNames().size(), r.length, d.table());
        assertEquals(0, contract.columnNames().indexOf("patient_id"), d.table());
        assertEquals(String.class, r[0].getClass(), d.table());
      }
    }
    PatientRecord first = batch.patients().get(0);
    TableSchema patients = TableSchema.load(SCHEMAS, "patients");
    Object[] row = ClinicalRows.rows(ClinicalDomain.DM, batch, patients).get(0);
    assertEquals(first.cohort(), row[patients.columnNames().indexOf("cohort")]);
    assertEquals(first.age(), row[patients.columnNames().indexOf("age")]);
  }

  @Test
  void aRunThatWroteOtherCountsThanTheBatchAcceptedFails() {
    Map<ClinicalDomain, Long> written = new LinkedHashMap<>();
    batch.counts().forEach(c -> written.put(c.domain(), c.accepted()));
    ClinicalRows.checkWritten(batch, written, batch.quarantine().size());

    DomainCount dm = batch.count(ClinicalDomain.DM);
    written.put(ClinicalDomain.DM, dm.accepted() - 1);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> ClinicalRows.checkWritten(batch, written, batch.quarantine().size()));
    assertEquals(
        "Cannot reconcile "
            + dm.source()
            + ": "
            + dm.accepted()
            + " records accepted but "
            + (dm.accepted() - 1)
            + " rows written to table patients",
        e.getMessage());

    written.put(ClinicalDomain.DM, dm.accepted());
    e =
        assertThrows(
            IllegalStateException.class, () -> ClinicalRows.checkWritten(batch, written, 0));
    assertEquals(
        "Cannot reconcile the quarantine: "
            + batch.quarantine().size()
            + " rows rejected but 0 written to quarantine partition job=ingest-clinical",
        e.getMessage());
  }
}
