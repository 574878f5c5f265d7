package org.cytolake.fcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * {@link FcsWarningSeverity} on what the reader really records: files with only deviations of
 * form (padding, whitespace, an exclusive DATA end, a spillover by label) leave benign warnings;
 * files whose events were dropped or whose metadata are contradictory leave warnings that affect
 * the data; a code nobody classified affects the data.
 */
class FcsWarningSeverityTest {

  /** Two events of two 16-bit parameters, little endian, no warning. */
  private static RawFcs valid() {
    return RawFcs.listMode("I", "1,2,3,4", 2, 16, 16)
        .keyword("$P1R", "1024")
        .keyword("$P2R", "1024")
        .data(RawFcs.Data.little().u16(1).u16(2).u16(3).u16(4).bytes());
  }

  private static List<FcsWarning> warnings(byte[] bytes) throws IOException {
    try (FcsFile f = FcsReader.open(FcsInput.of("x.fcs", bytes))) {
      return f.first().warnings();
    }
  }

  private static Map<String, FcsWarningSeverity> severities(byte[] bytes) throws IOException {
    Map<String, FcsWarningSeverity> out = new TreeMap<>();
    warnings(bytes).forEach(w -> out.put(w.code(), w.severity()));
    return out;
  }

  @Test
  void deviationsOfFormOnlyAreBenign() throws IOException {
    byte[] bytes =
        valid()
            .remove("$P1R")
            .keyword(" $P1R ", " 1024 ")
            .textPadding(RawFcs.fill(6, 0))
            .headerDataDelta(0, 1)
            .textDataDelta(0, 1)
            .build();
    Map<String, FcsWarningSeverity> s = severities(bytes);
    // TEXT_WHITESPACE, TEXT_PADDING and one code for the exclusive DATA end.
    assertTrue(s.keySet().containsAll(Set.of("TEXT_WHITESPACE", "TEXT_PADDING")), s.toString());
    assertEquals(3, s.size(), s.toString());
    assertEquals(Set.of(FcsWarningSeverity.BENIGN), Set.copyOf(s.values()), s.toString());
  }

  @Test
  void droppedEventsAndContradictoryKeywordsAffectTheData() throws IOException {
    assertEquals(
        Map.of("TOT_MISMATCH", FcsWarningSeverity.AFFECTS_DATA),
        severities(valid().keyword("$TOT", "9").build()));
    assertEquals(
        Map.of("TEXT_DUPLICATE_KEYWORD", FcsWarningSeverity.AFFECTS_DATA),
        severities(valid().keyword("$tot", "7").build()));
  }

  @Test
  void anUnclassifiedCodeAffectsTheDataUntilItIsClassified() {
    assertEquals(FcsWarningSeverity.AFFECTS_DATA, FcsWarningSeverity.UNKNOWN_CODE);
    assertEquals(FcsWarningSeverity.AFFECTS_DATA, FcsWarningSeverity.of("SOME_NEW_DIALECT"));
    assertEquals(
        FcsWarningSeverity.AFFECTS_DATA, new FcsWarning("SOME_NEW_DIALECT", "x").severity());
    assertFalse(FcsWarningSeverity.known().containsKey("SOME_NEW_DIALECT"));
    // A warning as recorded: the code, "CODE: message" or ingest's "CODE:detail".
    assertEquals("TEXT_PADDING", FcsWarningSeverity.code("TEXT_PADDING: 6 padding byte(s)"));
    assertEquals(
        FcsWarningSeverity.BENIGN,
        FcsWarningSeverity.ofWarning("SPILLOVER_BY_LABEL: SPILL names 'CD3'"));
    assertEquals(
        FcsWarningSeverity.AFFECTS_DATA, FcsWarningSeverity.ofWarning("LABEL_MISMATCH:FITC-A=CD8"));
    assertEquals(FcsWarningSeverity.BENIGN, FcsWarningSeverity.ofWarning(" TEXT_WHITESPACE "));
  }

  @Test
  void theTableNamesCodesTheReaderRecords() throws IOException {
    // Every classified code but the exporter-dialect one is a code this package writes, so the
    // table holds no misspelt entry that would leave the real code on the default.
    Path src = SharedData.projectDir().resolve("core/src/main/java/org/cytolake/fcs");
    Set<String> written = new TreeSet<>();
    Pattern code = Pattern.compile("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\"");
    try (var files = Files.list(src)) {
      for (Path f : files.filter(p -> !p.endsWith("FcsWarningSeverity.java")).toList()) {
        Matcher m = code.matcher(Files.readString(f));
        while (m.find()) {
          written.add(m.group(1));
        }
      }
    }
    Set<String> unknown = new TreeSet<>(FcsWarningSeverity.known().keySet());
    unknown.removeAll(written);
    assertEquals(Set.of(), unknown, "classified codes the fcs package never writes");
    assertTrue(written.contains("TOT_MISMATCH") && written.contains("TEXT_PADDING"), "" + written);
  }

  @Test
  void realFilesWithOnlyQuirksOfFormAreBenign() throws IOException {
    // Beckman Coulter LMD files: TEXT padding and whitespace, an exclusive DATA end are benign;
    // their FCS 2.0 compensation keywords ($DFCnTOm), which the reader does not apply, are not.
    Path lmd =
        SharedData.sharedOrSkip(
            "fcs-corpus/files/cytoflow/Beckman Coulter - Cytomics FC500.LMD.fcs");
    List<FcsWarning> w = FcsReader.readDatasets(FcsInput.of(lmd)).get(0).warnings();
    assertTrue(w.size() >= 4, w.toString());
    for (FcsWarning x : w) {
      assertEquals(
          x.code().equals("COMPENSATION_NOT_READ")
              ? FcsWarningSeverity.AFFECTS_DATA
              : FcsWarningSeverity.BENIGN,
          x.severity(),
          x.toString());
    }
    assertTrue(w.stream().anyMatch(x -> x.code().equals("COMPENSATION_NOT_READ")), w.toString());
  }
}
