package org.cytolake.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cytolake.tables.QuarantineRecord;
import org.junit.jupiter.api.Test;

/** The rows a manifest rejects: each a dead letter naming manifest, line, field and value. */
class ManifestTest {

  @Test
  void rejectedRowsNameTheManifestLineFieldAndValue() throws IOException {
    String csv =
        "file,patient_id,visit,panel,acquisition_date\n"
            + "a.fcs,PAT-1,D1,P1,2024-01-02\n"
            + "b.fcs,PAT-1,D1\n"
            + "c.fcs,,D1,P1,\n"
            + "d.fcs,PAT-1,D1,P1,02/01/2024\n";
    Manifest m =
        Manifest.parse(
            "m.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "ingest");
    assertEquals(List.of("a.fcs"), m.rows().stream().map(ManifestRow::file).toList());
    assertEquals(
        List.of(
            new QuarantineRecord(
                "ingest",
                "m.csv",
                "manifest line 3",
                "MALFORMED_ROW",
                "manifest 'm.csv' line 3 has 3 fields, the header has 5",
                null,
                null,
                null,
                "b.fcs,PAT-1,D1"),
            new QuarantineRecord(
                "ingest",
                "m.csv",
                "manifest line 4",
                "MISSING_VALUE",
                "manifest 'm.csv' line 4: required field 'patient_id' is empty",
                "patient_id",
                "",
                null,
                "c.fcs,,D1,P1,"),
            new QuarantineRecord(
                "ingest",
                "m.csv",
                "manifest line 5",
                "MALFORMED_ROW",
                "manifest 'm.csv' line 5: acquisition_date '02/01/2024' is not an ISO date"
                    + " (yyyy-MM-dd)",
                "acquisition_date",
                "02/01/2024",
                null,
                "d.fcs,PAT-1,D1,P1,02/01/2024")),
        m.rejected());
  }
}
