package org.cytolake.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cytolake.tables.QuarantineRecord;
import org.junit.jupiter.api.Test;

/** The rows a manifest rejects: each a dead letter naming manifest, line, field and value. */
class ManifestTest {

  /** Parses {@code csv} as the manifest 'm.csv' of the ingest job. */
  private static Manifest parse(String csv) throws IOException {
    return Manifest.parse(
        "m.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "ingest");
  }

  @Test
  void rejectedRowsNameTheManifestLineFieldAndValue() throws IOException {
    String csv =
        "file,patient_id,visit,panel,acquisition_date\n"
            + "a.fcs,PAT-1,D1,P1,2024-01-02\n"
            + "b.fcs,PAT-1,D1\n"
            + "c.fcs,,D1,P1,\n"
            + "d.fcs,PAT-1,D1,P1,02/01/2024\n";
    Manifest m = parse(csv);
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

  @Test
  void theControlColumnGivesEachRowItsRole() throws IOException {
    String csv =
        "file,patient_id,visit,panel,acquisition_date,batch,Control\n"
            + "a.fcs,PAT-1,D1,P1,2024-01-02,,\n"
            + "b.fcs,CTRL-1,CTL,P1,2024-01-02,,TRUE\n"
            + "c.fcs,CTRL-1,CTL,P1,2024-01-03,,yes\n"
            + "d.fcs,CTRL-1,CTL,P1,,B3,1\n"
            + "e.fcs,CTRL-1,CTL,P1,2024-01-04,, training \n"
            + "f.fcs,CTRL-1,CTL,P1,2024-01-02,,Validation\n"
            + "g.fcs,PAT-2,D1,P1,2024-01-02,,no\n"
            + "h.fcs,PAT-2,D5,P1,,,0\n"
            + "i.fcs,PAT-2,D8,P1,,,False\n";
    Manifest m = parse(csv);
    assertEquals(List.of(), m.rejected());
    assertEquals(
        java.util.Arrays.asList(
            null, "training", "training", "training", "training", "validation", null, null, null),
        m.rows().stream().map(ManifestRow::control).toList());
    assertEquals(
        new ManifestRow(5, "d.fcs", "CTRL-1", "CTL", "P1", null, "B3", "training"),
        m.rows().get(3));
    assertEquals(
        List.of(false, true), List.of(m.rows().get(0).isControl(), m.rows().get(5).isControl()));
    String noColumn = "file,patient_id,visit,panel\na.fcs,PAT-1,D1,P1\n";
    Manifest plain = parse(noColumn);
    assertEquals(null, plain.rows().get(0).control());
  }

  @Test
  void aBadControlValueOrAControlWithoutDayOrBatchIsRejected() throws IOException {
    String csv =
        "file,patient_id,visit,panel,acquisition_date,batch,control\n"
            + "j.fcs,CTRL-1,CTL,P1,2024-01-02,,maybe\n"
            + "k.fcs,CTRL-1,CTL,P1,,,true\n"
            + "l.fcs,CTRL-1,CTL,P1,, ,validation\n"
            + "m.fcs,PAT-1,D1,P1,,,\n";
    Manifest m = parse(csv);
    assertEquals(List.of("m.fcs"), m.rows().stream().map(ManifestRow::file).toList());
    assertEquals(3, m.rejected().size());
    QuarantineRecord bad = m.rejected().get(0);
    assertEquals("MALFORMED_ROW", bad.reasonCode());
    assertEquals("control", bad.field());
    assertEquals("maybe", bad.value());
    assertEquals(
        "manifest 'm.csv' line 2: control 'maybe' is not one of true/yes/1/training (a control"
            + " aliquot normalisation learns from), validation (a held-out one) or false/no/0 (a"
            + " patient sample)",
        bad.message());
    for (QuarantineRecord r : m.rejected().subList(1, 3)) {
      assertEquals("MISSING_VALUE", r.reasonCode());
      assertEquals("acquisition_date", r.field());
      assertTrue(
          r.message()
              .endsWith(
                  ": a control row needs acquisition_date or batch (the batch it" + " normalises)"),
          r.message());
    }
    assertEquals("manifest line 4", m.rejected().get(2).locator());
  }
}
