package org.cytolake.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.KeywordLink;
import org.cytolake.config.PanelConfig;
import org.cytolake.tables.Pseudonymizer;
import org.cytolake.tables.QuarantineRecord;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/** The ingest plan on hand-made file checks: every file and row ends in exactly one place. */
class IngestPlanTest {
  static final CytolakeConfig CONFIG = CytolakeConfig.load(SharedData.projectDir().resolve("conf"));
  static final PanelConfig P1 = CONFIG.panel("P1");
  static final Pseudonymizer IDS = Pseudonymizer.withSalt("test-salt");

  static FileCheck good(String path, String sha) {
    List<String> labels = new ArrayList<>();
    P1.channels().forEach(c -> labels.add(c.marker()));
    return new FileCheck(
        path,
        1000,
        sha,
        "FCS3.1",
        "F",
        10,
        10,
        P1.detectors(),
        java.util.Collections.unmodifiableList(labels),
        P1.detectors().stream().map(d -> 32).toList(),
        P1.detectors().stream().map(d -> 262144.0).toList(),
        P1.detectors().subList(3, 13),
        "cyt",
        List.of(),
        List.of(),
        null,
        null,
        -1,
        Map.of());
  }

  static Manifest manifest(String csv) throws IOException {
    return Manifest.parse(
        "manifest.csv",
        new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
        IngestPlan.JOB);
  }

  static IngestPlan plan(List<FileCheck> checks, Manifest m, Set<String> known) {
    Map<String, String> rel = new HashMap<>();
    Map<Integer, String> resolved = new HashMap<>();
    checks.forEach(c -> rel.put(c.path(), c.path().substring(1)));
    m.rows().forEach(r -> resolved.put(r.line(), "/" + r.file()));
    return IngestPlan.plan(checks, rel, m, resolved, known, CONFIG, IDS, null, null);
  }

  static Map<String, String> reasons(IngestPlan p) {
    Map<String, String> m = new TreeMap<>();
    for (QuarantineRecord q : p.quarantine()) {
      m.put(q.source() + "@" + q.locator(), q.reasonCode());
    }
    return m;
  }

  @Test
  void acceptsLinkedReadableFilesAndPseudonymises() throws IOException {
    IngestPlan p =
        plan(
            List.of(good("/a.fcs", "s1")),
            manifest("file,patient_id,visit,panel\na.fcs,PAT-1,D1,P1\n"),
            null);
    assertEquals(1, p.samples().size());
    PlannedSample s = p.samples().get(0);
    assertEquals(IDS.patient("PAT-1"), s.patientId());
    assertEquals(IDS.sample("PAT-1", "D1", "P1"), s.sampleId());
    assertTrue(!s.patientId().contains("PAT"));
    assertEquals(List.of(), p.quarantine());
    assertEquals("ingested", p.ledger().get(0).outcome());
  }

  @Test
  void everyFileAndRowEndsInExactlyOnePlace() throws IOException {
    FileCheck noSpill =
        new FileCheck(
            "/c.fcs",
            1,
            "s3",
            "FCS3.1",
            "F",
            10,
            10,
            P1.detectors(),
            good("/x", "x").labels(),
            good("/x", "x").bits(),
            good("/x", "x").ranges(),
            null,
            null,
            List.of(),
            List.of(),
            null,
            null,
            -1,
            Map.of());
    FileCheck truncated =
        new FileCheck(
            "/d.fcs",
            1,
            "s4",
            "FCS3.1",
            "F",
            10,
            -1,
            P1.detectors(),
            good("/x", "x").labels(),
            good("/x", "x").bits(),
            good("/x", "x").ranges(),
            P1.detectors().subList(3, 13),
            null,
            List.of(),
            List.of(),
            "TRUNCATED_DATA",
            "Cannot read FCS file '/d.fcs': DATA ...",
            900,
            Map.of());
    FileCheck tot =
        new FileCheck(
            "/e.fcs",
            1,
            "s5",
            "FCS3.1",
            "F",
            12,
            10,
            P1.detectors(),
            good("/x", "x").labels(),
            good("/x", "x").bits(),
            good("/x", "x").ranges(),
            P1.detectors().subList(3, 13),
            null,
            List.of("TOT_MISMATCH"),
            List.of("TOT_MISMATCH: $TOT says 12"),
            null,
            null,
            -1,
            Map.of());
    List<FileCheck> checks =
        List.of(
            good("/a.fcs", "s1"),
            good("/a2.fcs", "s1"),
            good("/b.fcs", "s2"),
            noSpill,
            truncated,
            tot,
            good("/f.fcs", "s6"),
            good("/g.fcs", "s7"));
    Manifest m =
        manifest(
            "file,patient_id,visit,panel\n"
                + "a.fcs,PAT-1,D1,P1\n" // 2 accepted
                + "a2.fcs,PAT-1,D8,P1\n" // 3 duplicate bytes of a.fcs
                + "b.fcs,PAT-2,D1,P9\n" // 4 unknown panel
                + "c.fcs,PAT-3,D1,P1\n" // 5 no spillover
                + "d.fcs,PAT-4,D1,P1\n" // 6 truncated
                + "e.fcs,PAT-5,D1,P1\n" // 7 $TOT mismatch
                + "f.fcs,PAT-6,D1,P1\n" // 8 unknown patient
                + "zz.fcs,PAT-7,D1,P1\n" // 9 missing file
                + "a.fcs,PAT-1,D1,P1\n"); // 10 duplicate manifest row; g.fcs has no row
    Set<String> known =
        Set.of(
            IDS.patient("PAT-1"),
            IDS.patient("PAT-2"),
            IDS.patient("PAT-3"),
            IDS.patient("PAT-4"),
            IDS.patient("PAT-5"),
            IDS.patient("PAT-7"));
    IngestPlan p = plan(checks, m, known);
    Map<String, String> r = reasons(p);
    assertEquals("DUPLICATE_FILE", r.get("a2.fcs@file"));
    assertEquals("UNKNOWN_PANEL", r.get("manifest.csv@manifest line 4"));
    assertEquals("UNKNOWN_PANEL", r.get("b.fcs@file"));
    assertEquals("NO_SPILLOVER", r.get("c.fcs@file"));
    assertEquals("TRUNCATED_DATA", r.get("d.fcs@byte 900"));
    assertEquals("TOT_MISMATCH", r.get("e.fcs@file"));
    assertEquals("UNKNOWN_PATIENT", r.get("manifest.csv@manifest line 8"));
    assertEquals("UNKNOWN_PATIENT", r.get("f.fcs@file"));
    assertEquals("MISSING_FILE", r.get("manifest.csv@manifest line 9"));
    assertEquals("DUPLICATE_MANIFEST_ROW", r.get("manifest.csv@manifest line 10"));
    assertEquals("NO_MANIFEST_LINK", r.get("g.fcs@file"));
    assertEquals(1, p.samples().size());
    assertEquals(checks.size(), p.ledger().size(), "one ledger row per file");
    long quarantinedFiles =
        p.ledger().stream().filter(l -> l.outcome().equals("quarantined")).count();
    assertEquals(checks.size(), p.samples().size() + quarantinedFiles);
  }

  @Test
  void malformedManifestRowsAreQuarantinedAndAMissingHeaderIsAnError() throws IOException {
    Manifest m =
        manifest(
            "file,patient_id,visit,panel,acquisition_date\n"
                + "a.fcs,PAT-1,D1\n"
                + "a.fcs,,D1,P1,2015-01-01\n"
                + "a.fcs,PAT-1,D1,P1,06/01/2015\n"
                + "a.fcs,PAT-1,D1,P1,2015-01-06\n");
    assertEquals(1, m.rows().size());
    assertEquals(
        List.of("MALFORMED_ROW", "MISSING_VALUE", "MALFORMED_ROW"),
        m.rejected().stream().map(QuarantineRecord::reasonCode).toList());
    assertTrue(m.rejected().get(2).message().contains("06/01/2015"));
    IOException e = assertThrows(IOException.class, () -> manifest("file,visit\na,b\n"));
    assertTrue(e.getMessage().contains("patient_id"), e.getMessage());
  }

  @Test
  void aFilenamePatternLinksFilesTheManifestDoesNotName() throws IOException {
    java.util.regex.Pattern pattern =
        java.util.regex.Pattern.compile(
            "(?<patient>PAT-[0-9]+)_(?<visit>[A-Z0-9]+)_(?<panel>P[0-9])\\.fcs$");
    List<FileCheck> checks =
        List.of(
            good("/PAT-1_D1_P1.fcs", "s1"),
            good("/PAT-2_D8_P1.fcs", "s2"),
            good("/PAT-3_X7_P1.fcs", "s3"),
            good("/other.fcs", "s4"));
    Manifest m = manifest("file,patient_id,visit,panel\nPAT-1_D1_P1.fcs,PAT-1,D1,P1\n");
    Map<String, String> rel = new HashMap<>();
    checks.forEach(c -> rel.put(c.path(), c.path().substring(1)));
    Map<Integer, String> resolved = Map.of(2, "/PAT-1_D1_P1.fcs");
    IngestPlan p = IngestPlan.plan(checks, rel, m, resolved, null, CONFIG, IDS, pattern, null);
    assertEquals(
        List.of(IDS.sample("PAT-1", "D1", "P1"), IDS.sample("PAT-2", "D8", "P1")),
        p.samples().stream().map(PlannedSample::sampleId).toList());
    Map<String, String> r = reasons(p);
    assertEquals("UNKNOWN_VISIT", r.get("PAT-3_X7_P1.fcs@file name"));
    assertEquals("UNKNOWN_VISIT", r.get("PAT-3_X7_P1.fcs@file"));
    assertEquals("NO_MANIFEST_LINK", r.get("other.fcs@file"));
  }

  @Test
  void fcsKeywordsLinkFilesWhenConfigured() throws IOException {
    FileCheck g = good("/x.fcs", "s1");
    FileCheck withKw =
        copy(
            g,
            g.labels(),
            g.warnings(),
            g.warningMessages(),
            Map.of("PATIENT_ID", "PAT-9", "VISIT", "D8", "PANEL", "P1"));
    Map<String, String> rel = Map.of("/x.fcs", "x.fcs");
    IngestPlan p =
        IngestPlan.plan(
            List.of(withKw),
            rel,
            manifest("file,patient_id,visit,panel\n"),
            Map.of(),
            null,
            CONFIG,
            IDS,
            null,
            KeywordLink.parse("patient=PATIENT_ID,visit=VISIT,panel=PANEL"));
    assertEquals(IDS.sample("PAT-9", "D8", "P1"), p.samples().get(0).sampleId());
    assertThrows(IllegalArgumentException.class, () -> KeywordLink.parse("patient=A,visit=B"));
  }

  static FileCheck withWarnings(String path, String sha, List<String> codes, String label3) {
    FileCheck g = good(path, sha);
    List<String> labels = new ArrayList<>(g.labels());
    if (label3 != null) {
      labels.set(3, label3);
    }
    return copy(
        g,
        java.util.Collections.unmodifiableList(labels),
        codes,
        codes.stream().map(c -> c + ": as the reader says").toList(),
        Map.of());
  }

  /** {@code g} readable, with these labels, warnings and link keywords. */
  static FileCheck copy(
      FileCheck g,
      List<String> labels,
      List<String> warnings,
      List<String> warningMessages,
      Map<String, String> linkKeywords) {
    return new FileCheck(
        g.path(),
        g.size(),
        g.sha256(),
        g.version(),
        g.dataType(),
        g.declaredEvents(),
        g.events(),
        g.detectors(),
        labels,
        g.bits(),
        g.ranges(),
        g.spilloverChannels(),
        g.instrument(),
        warnings,
        warningMessages,
        null,
        null,
        -1,
        linkKeywords);
  }

  @Test
  void onlyWarningsThatMayAffectTheDataMakeASampleNotOk() throws IOException {
    IngestPlan p =
        plan(
            List.of(
                withWarnings(
                    "/a.fcs",
                    "s1",
                    List.of(
                        "TEXT_PADDING",
                        "TEXT_WHITESPACE",
                        "DATA_END_EXCLUSIVE",
                        "SPILLOVER_BY_LABEL"),
                    null),
                withWarnings(
                    "/b.fcs", "s2", List.of("TEXT_PADDING", "SPILLOVER_UNKNOWN_CHANNEL"), null),
                withWarnings("/c.fcs", "s3", List.of("A_CODE_NOBODY_CLASSIFIED"), null),
                withWarnings("/d.fcs", "s4", List.of(), "CD8"),
                withWarnings("/e.fcs", "s5", List.of(), null)),
            manifest(
                "file,patient_id,visit,panel\na.fcs,PAT-1,D1,P1\nb.fcs,PAT-2,D1,P1\n"
                    + "c.fcs,PAT-3,D1,P1\nd.fcs,PAT-4,D1,P1\ne.fcs,PAT-5,D1,P1\n"),
            null);
    Map<String, PlannedSample> byFile = new TreeMap<>();
    p.samples().forEach(s -> byFile.put(s.check().path(), s));
    assertEquals(5, byFile.size());
    // Benign warnings only: ok, and the warnings are still recorded.
    assertEquals(SampleQc.OK, byFile.get("/a.fcs").qcStatus());
    assertEquals(4, byFile.get("/a.fcs").qcWarnings().size());
    assertEquals(SampleQc.WARNINGS, byFile.get("/b.fcs").qcStatus());
    assertEquals(SampleQc.WARNINGS, byFile.get("/c.fcs").qcStatus(), "unclassified code");
    PlannedSample d = byFile.get("/d.fcs");
    assertEquals(SampleQc.WARNINGS, d.qcStatus(), "label mismatch: " + d.qcWarnings());
    assertTrue(d.qcWarnings().get(0).startsWith("LABEL_MISMATCH:"), d.qcWarnings().toString());
    assertEquals(SampleQc.OK, byFile.get("/e.fcs").qcStatus());
    assertEquals(List.of(), byFile.get("/e.fcs").qcWarnings());
  }

  @Test
  void controlAliquotsNeedNoKnownPatientOrVisitAndEachDaysRoleIsASample() throws IOException {
    List<FileCheck> checks = new ArrayList<>();
    for (String f : List.of("c1", "v1", "c2", "c3", "c1b", "p1", "p2", "p3")) {
      checks.add(good("/" + f + ".fcs", "sha-" + f));
    }
    IngestPlan p =
        plan(
            checks,
            manifest(
                "file,patient_id,visit,panel,acquisition_date,batch,control\n"
                    + "c1.fcs,CTRL-1,CTL,P1,2024-01-02,,training\n"
                    + "v1.fcs,CTRL-1,CTL,P1,2024-01-02,,validation\n"
                    + "c2.fcs,CTRL-1,CTL,P1,2024-01-03,,yes\n"
                    + "c3.fcs,CTRL-1,CTL,P1,,B7,1\n"
                    + "c1b.fcs,CTRL-1,CTL,P1,2024-01-02,,true\n"
                    + "p1.fcs,PAT-1,D1,P1,2024-01-02,,\n"
                    + "p2.fcs,PAT-1,CTL,P1,2024-01-02,,no\n"
                    + "p3.fcs,PAT-9,D5,P1,2024-01-02,,\n"),
            Set.of(IDS.patient("PAT-1")));
    Map<String, String> ids = new TreeMap<>();
    Map<String, String> roles = new TreeMap<>();
    for (PlannedSample s : p.samples()) {
      ids.put(s.check().path(), s.sampleId());
      roles.put(s.check().path(), String.valueOf(s.control()));
    }
    assertEquals(
        Map.of(
            "/c1.fcs", IDS.sample("CTRL-1", "CTL@2024-01-02", "P1"),
            "/v1.fcs", IDS.sample("CTRL-1", "CTL@2024-01-02#validation", "P1"),
            "/c2.fcs", IDS.sample("CTRL-1", "CTL@2024-01-03", "P1"),
            "/c3.fcs", IDS.sample("CTRL-1", "CTL@B7", "P1"),
            "/p1.fcs", IDS.sample("PAT-1", "D1", "P1")),
        ids);
    assertEquals(
        Map.of(
            "/c1.fcs",
            "training",
            "/v1.fcs",
            "validation",
            "/c2.fcs",
            "training",
            "/c3.fcs",
            "training",
            "/p1.fcs",
            "null"),
        roles);
    assertEquals(5, new java.util.HashSet<>(ids.values()).size());
    assertEquals(
        Map.of(
            "c1b.fcs@file", "DUPLICATE_SAMPLE",
            "manifest.csv@manifest line 8", "UNKNOWN_VISIT",
            "manifest.csv@manifest line 9", "UNKNOWN_PATIENT",
            "p2.fcs@file", "UNKNOWN_VISIT",
            "p3.fcs@file", "UNKNOWN_PATIENT"),
        reasons(p),
        "a patient row keeps both checks; its file is quarantined with the row's reason");
    assertEquals(8, p.ledger().size());
  }

  @Test
  void sampleVisitNamesAControlsDayOrBatchAndRole() {
    assertEquals(
        "D1",
        IngestPlan.sampleVisit(new ManifestRow(2, "a", "P", "D1", "P1", "2024-01-02", "B", null)));
    assertEquals(
        "CTL@2024-01-02",
        IngestPlan.sampleVisit(
            new ManifestRow(2, "a", "C", "CTL", "P1", "2024-01-02", "B", "training")));
    assertEquals(
        "CTL@B#validation",
        IngestPlan.sampleVisit(new ManifestRow(2, "a", "C", "CTL", "P1", null, "B", "validation")));
  }
}
