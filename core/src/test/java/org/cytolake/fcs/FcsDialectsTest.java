package org.cytolake.fcs;

import static org.cytolake.fcs.FcsTestSupport.assertMentions;
import static org.cytolake.fcs.FcsTestSupport.assertValues;
import static org.cytolake.fcs.FcsTestSupport.assertWarning;
import static org.cytolake.fcs.FcsTestSupport.codes;
import static org.cytolake.fcs.FcsTestSupport.open;
import static org.cytolake.fcs.FcsTestSupport.readDoubles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exporter dialects: files whose writers break FCS 3.1 in known ways, each generated here the way
 * that writer lays it out, read event for event with the warning that names the quirk. Where the
 * quirk comes from (an exporter, a peer's issue tracker or test suite) is said at each test and in
 * the README's quirk table. Real files in {@code ../shared} back some of them; those tests skip when
 * it is absent.
 */
class FcsDialectsTest {
  /** The keyword Cytobank's exporter signs its files with. */
  private static final String PENGQIU = "PengQiu FCS writer";

  private static final List<FcsWriter.Channel> CHANNELS =
      List.of(
          FcsWriter.channel("Time", null, 1048576),
          FcsWriter.channel("Ir191Di", "DNA1", 16384),
          FcsWriter.channel("Yb176Di", "CD56", 16384));

  /**
   * 1000 events of the channels above, row-major. The first value's first little-endian byte is
   * 0x2F, the '/' delimiter: a TEXT read one byte too far would end with a doubled delimiter.
   */
  private static float[] events() {
    float[] v = new float[1000 * CHANNELS.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((i * 7919 % 10007) / 3.0);
    }
    v[0] = Float.intBitsToFloat(0x3F80002F);
    return v;
  }

  private static byte[] write(FcsWriter.Spec spec, float[] values) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int n = values.length / spec.channels().size();
    try (FcsWriter.Output o = FcsWriter.open(out, "mem.fcs", spec, n)) {
      o.write(values, n);
    }
    return out.toByteArray();
  }

  /** The Cytobank export of a CyTOF file: exclusive TEXT and DATA ends, no CRC field. */
  static FcsWriter.Spec pengQiu(String version) {
    return FcsWriter.spec(CHANNELS)
        .withVersion(version)
        .withKeywords(
            FcsWriter.keywords("$CYT", "DVSSCIENCES-CYTOF", "CREATOR", PENGQIU, "$COM", "exported"))
        .withEndOffsets(FcsWriter.EndOffsets.EXCLUSIVE);
  }

  private static long headerField(byte[] file, int index) {
    return Long.parseLong(new String(file, 10 + 8 * index, 8, StandardCharsets.US_ASCII).trim());
  }

  private static double[] toDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  // ---- Cytobank's "PengQiu FCS writer": TEXT and DATA ends exclusive (issue 14) ----

  @Test
  void thePengQiuFixtureHasTheDialectsOffsets() throws IOException {
    byte[] file = write(pengQiu("FCS3.0"), events());
    long textEnd = headerField(file, 1);
    long dataStart = headerField(file, 2);
    long dataEnd = headerField(file, 3);
    assertEquals(dataStart, textEnd, "TEXT end is the first DATA byte");
    assertEquals(file.length, dataEnd, "DATA end is the file length");
    assertEquals(1000L * 3 * 4 + 1, dataEnd - dataStart + 1, "DATA length = $TOT × width + 1");
    assertEquals('/', file[(int) textEnd - 1], "the byte before the TEXT end is its delimiter");
    assertEquals(0x2F, file[(int) dataStart], "the first DATA byte looks like a delimiter");
    String text = new String(file, 58, (int) (textEnd - 58), StandardCharsets.UTF_8);
    assertTrue(text.contains("/$ENDDATA/" + file.length + "/"), text);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"FCS2.0", "FCS3.0", "FCS3.1"})
  void aPengQiuExportReadsEventForEventWithOneWarning(String version) throws IOException {
    float[] values = events();
    byte[] file = write(pengQiu(version), values);
    long textEnd = headerField(file, 1);
    try (FcsFile f = open("cytobank.fcs", file)) {
      FcsDataset ds = f.first();
      assertEquals(1000, ds.eventCount());
      assertValues(toDoubles(values), readDoubles(f, ds));
      assertEquals(List.of("OFFSETS_EXCLUSIVE"), codes(ds), ds.warnings().toString());
      assertEquals(
          "HEADER gives TEXT/DATA ends as exclusive offsets (TEXT 58.."
              + textEnd
              + ", DATA "
              + textEnd
              + ".."
              + file.length
              + "; the writer is '"
              + PENGQIU
              + "'); read as 58.."
              + (textEnd - 1)
              + " and "
              + textEnd
              + ".."
              + (file.length - 1),
          assertWarning(ds, "OFFSETS_EXCLUSIVE"));
      // the TEXT did not take the first DATA byte: the last keyword is whole, none is extra
      assertEquals("exported", ds.keywords().getOrNull("$COM"));
      assertEquals(
          List.of("Time", "Ir191Di", "Yb176Di"),
          ds.parameters().stream().map(FcsParameter::name).toList());
    }
  }

  @Test
  void theDialectIsRecognisedByItsOffsetsWithoutTheCreatorKeyword() throws IOException {
    FcsWriter.Spec spec =
        FcsWriter.spec(CHANNELS)
            .withVersion("FCS3.0")
            .withEndOffsets(FcsWriter.EndOffsets.EXCLUSIVE);
    float[] values = events();
    try (FcsFile f = open("anonymous.fcs", write(spec, values))) {
      assertValues(toDoubles(values), readDoubles(f, f.first()));
      String w = assertWarning(f.first(), "OFFSETS_EXCLUSIVE");
      assertFalse(w.contains("writer"), w);
    }
  }

  @Test
  void theCreatorKeywordAloneIsNotTheDialect() throws IOException {
    FcsWriter.Spec spec = pengQiu("FCS3.0").withEndOffsets(FcsWriter.EndOffsets.INCLUSIVE);
    float[] values = events();
    try (FcsFile f = open("reexported.fcs", write(spec, values))) {
      assertEquals(List.of(), f.first().warnings());
      assertValues(toDoubles(values), readDoubles(f, f.first()));
    }
  }

  /**
   * The CytoNorm example files are CyTOF files that went through Cytobank ({@code CREATOR} says
   * "PengQiu FCS writer") and were then rewritten by flowCore with standard offsets. Read as they
   * are, nothing is exclusive; given back the Cytobank layout (TEXT end = DATA start, DATA end one
   * past, no CRC field), the same events come out with the dialect's warning.
   */
  @Test
  void aRealCytobankFileInBothLayoutsGivesTheSameEvents() throws IOException {
    Path real = SharedData.sharedOrSkip("real/cytonorm/Gates_PTLG021_Unstim_Control_1.fcs");
    byte[] standard = Files.readAllBytes(real);
    long textEnd = headerField(standard, 1);
    long dataStart = headerField(standard, 2);
    long dataEnd = headerField(standard, 3);
    double[] expected;
    try (FcsFile f = open("standard.fcs", standard)) {
      assertEquals(PENGQIU, f.first().keywords().getOrNull("CREATOR"));
      assertFalse(codes(f.first()).contains("OFFSETS_EXCLUSIVE"), codes(f.first()).toString());
      expected = readDoubles(f, f.first());
    }
    assertEquals(dataStart, textEnd + 1, "precondition: DATA right after TEXT");
    String endData = "$ENDDATA" + (char) standard[(int) textEnd] + dataEnd;
    String text = new String(standard, 58, (int) (textEnd - 57), StandardCharsets.ISO_8859_1);
    assertTrue(text.contains(endData), "precondition: the TEXT holds " + endData);
    byte[] cytobank = Arrays.copyOf(standard, (int) dataEnd + 1); // no CRC field
    String header =
        new String(standard, 0, 58, StandardCharsets.ISO_8859_1)
            .replace(
                String.format("%8d%8d%8d", textEnd, dataStart, dataEnd),
                String.format("%8d%8d%8d", textEnd + 1, dataStart, dataEnd + 1));
    System.arraycopy(header.getBytes(StandardCharsets.ISO_8859_1), 0, cytobank, 0, 58);
    byte[] newText =
        text.replace(endData, "$ENDDATA" + (char) standard[(int) textEnd] + (dataEnd + 1))
            .getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(text.length(), newText.length, "same digit count");
    System.arraycopy(newText, 0, cytobank, 58, newText.length);
    try (FcsFile f = open("cytobank.fcs", cytobank)) {
      assertValues(expected, readDoubles(f, f.first()));
      assertMentions(
          assertWarning(f.first(), "OFFSETS_EXCLUSIVE"),
          "TEXT 58.." + dataStart,
          "DATA " + dataStart + ".." + (dataEnd + 1),
          "the writer is '" + PENGQIU + "'");
    }
  }

  // ---- one exclusive end alone ----

  /** Two 16-bit events whose first DATA byte is the '/' delimiter. */
  private static RawFcs slashFirst() {
    return RawFcs.listMode("I", "1,2,3,4", 2, 16, 16)
        .keyword("$P1R", "1024")
        .keyword("$P2R", "1024")
        .data(RawFcs.Data.little().u16('/').u16(2).u16(3).u16(4).bytes());
  }

  private static final double[] SLASH_FIRST = {'/', 2, 3, 4};

  /**
   * fcsparser moves a HEADER TEXT end that equals the DATA start back one byte ("In some .fcs
   * files, 'text end' and 'data start' are equal", api.py, FlowRepository experiment 2241); the
   * Sony ID7000 files of FR-FCM-Z7CH need the TEXT end alone corrected (NIST fireflow_testing
   * config.yml).
   */
  @Test
  void aTextEndThatIsTheDataStartIsAnExclusiveTextEnd() throws IOException {
    byte[] bytes = slashFirst().headerTextEndDelta(1).build();
    try (FcsFile f = open("text-excl.fcs", bytes)) {
      FcsDataset ds = f.first();
      assertValues(SLASH_FIRST, readDoubles(f, ds));
      assertEquals(List.of("TEXT_END_EXCLUSIVE"), codes(ds), ds.warnings().toString());
      assertMentions(
          assertWarning(ds, "TEXT_END_EXCLUSIVE"),
          "is the HEADER's DATA start",
          "read as 58.." + (ds.data().start() - 1));
      assertEquals("1024", ds.keywords().getOrNull("$P2R"));
    }
  }

  @Test
  void aTextEndThatIsBeginDataIsFoundWhenTheHeaderHasNoDataOffsets() throws IOException {
    byte[] bytes = slashFirst().headerDataFields("0", "0").headerTextEndDelta(1).build();
    try (FcsFile f = open("text-excl-big.fcs", bytes)) {
      FcsDataset ds = f.first();
      assertValues(SLASH_FIRST, readDoubles(f, ds));
      assertEquals(List.of("TEXT_END_EXCLUSIVE"), codes(ds), ds.warnings().toString());
      assertMentions(assertWarning(ds, "TEXT_END_EXCLUSIVE"), "is $BEGINDATA");
    }
  }

  /**
   * A DATA start one byte early in the HEADER or in the TEXT (cytofkit issue 6: "The HEADER and
   * the TEXT segment define different starting point (3787:3786)") also makes the TEXT end and a
   * DATA start coincide; when the other pair holds the events after the TEXT as written, the TEXT
   * end is taken as written and that pair is used.
   */
  @ParameterizedTest(name = "{0} DATA start one byte early")
  @ValueSource(strings = {"HEADER", "TEXT"})
  void aDataStartOneByteEarlyDoesNotShortenTheText(String early) throws IOException {
    RawFcs f = slashFirst();
    byte[] bytes =
        (early.equals("HEADER") ? f.headerDataDelta(-1, -1) : f.textDataDelta(-1, -1)).build();
    try (FcsFile file = open("early.fcs", bytes)) {
      FcsDataset ds = file.first();
      assertValues(SLASH_FIRST, readDoubles(file, ds));
      assertEquals(early.equals("HEADER") ? "TEXT" : "HEADER", ds.data().source());
      assertEquals(List.of("DATA_OFFSET_DISAGREEMENT"), codes(ds), ds.warnings().toString());
    }
  }

  @Test
  void aTextEndAtTheFileLengthOfAFileWithoutEventsIsExclusive() throws IOException {
    byte[] bytes =
        slashFirst().keyword("$TOT", "0").data(new byte[0]).headerTextEndDelta(1).build();
    try (FcsFile f = open("no-events.fcs", bytes)) {
      FcsDataset ds = f.first();
      assertEquals(0, ds.eventCount());
      assertEquals(List.of("TEXT_END_EXCLUSIVE"), codes(ds), ds.warnings().toString());
      assertMentions(assertWarning(ds, "TEXT_END_EXCLUSIVE"), "is the file length");
    }
  }

  /**
   * FlowIO (flowdata.py, {@code ignore_offset_error}) calls a DATA end one past the last byte "so
   * common"; without {@code $TOT} it shows as a DATA end equal to the file length.
   */
  @Test
  void withoutTotADataEndAtTheFileLengthIsAnExclusiveEnd() throws IOException {
    byte[] bytes = slashFirst().remove("$TOT").headerDataDelta(0, 1).textDataDelta(0, 1).build();
    try (FcsFile f = open("no-tot.fcs", bytes)) {
      FcsDataset ds = f.first();
      assertValues(SLASH_FIRST, readDoubles(f, ds));
      assertEquals(List.of("MISSING_TOT", "TOT_FROM_DATA", "DATA_END_EXCLUSIVE"), codes(ds));
      assertMentions(
          assertWarning(ds, "DATA_END_EXCLUSIVE"),
          "DATA end " + bytes.length + " is one byte past");
    }
  }

  @Test
  void withTotAFileOneByteShortIsStillTruncated() {
    byte[] whole = slashFirst().build();
    byte[] cut = Arrays.copyOf(whole, whole.length - 1);
    FcsFormatException e = eventsFail("cut1.fcs", cut);
    assertEquals(FcsErrorCode.TRUNCATED_DATA, e.code());
  }

  // ---- error messages say what they compare ----

  /** The message the issue quoted compared with {@code >=} but read as {@code >}. */
  @Test
  void aDataEndAtTheFileLengthSaysTheLastByteNotTheLength() {
    byte[] whole = slashFirst().build();
    byte[] cut = Arrays.copyOf(whole, whole.length - 1);
    FcsFormatException e = eventsFail("cut1.fcs", cut);
    int n = cut.length;
    assertMentions(
        e.getMessage(),
        "DATA segment ends at byte "
            + n
            + " (0-based, inclusive) but "
            + "the file's last byte is "
            + (n - 1)
            + " (the file has "
            + n
            + " bytes)");
    assertFalse(e.getMessage().contains("byte " + n + " but the file has " + n), e.getMessage());
  }

  @Test
  void aTextEndPastTheFileSaysTheLastByte() {
    byte[] bytes = slashFirst().headerTextFields(null, "5000").build();
    FcsFormatException e = assertThrows(FcsFormatException.class, () -> open("t.fcs", bytes));
    assertMentions(
        e.getMessage(),
        "TEXT segment ends at byte 5000 (0-based, inclusive) but the "
            + "file's last byte is "
            + (bytes.length - 1));
  }

  @Test
  void aDataStartPastTheFileSaysTheLastByte() {
    byte[] bytes = slashFirst().headerDataDelta(500, 500).textDataDelta(500, 500).build();
    FcsFormatException e = eventsFail("d.fcs", bytes);
    assertMentions(e.getMessage(), "but the file's last byte is " + (bytes.length - 1));
  }

  @ParameterizedTest(name = "$BEGINSTEXT {0}, $ENDSTEXT {1}")
  @CsvSource({
    "20, 30, start inside the 58-byte HEADER",
    "500, 400, end before their start",
    "400, 9000, end at byte 9000 (0-based, inclusive) but the file's last byte is"
  })
  void supplementalTextOffsetsSayWhyTheyAreIgnored(String begin, String end, String why)
      throws IOException {
    byte[] bytes = slashFirst().keyword("$BEGINSTEXT", begin).keyword("$ENDSTEXT", end).build();
    try (FcsFile f = open("s.fcs", bytes)) {
      assertMentions(
          assertWarning(f.first(), "STEXT_OFFSETS"),
          "supplemental TEXT offsets " + begin + ".." + end + " " + why);
    }
  }

  @Test
  void anOffsetDisagreementSaysThePairsMustFollowTheText() {
    byte[] bytes = slashFirst().headerDataDelta(500, 500).textDataDelta(0, 4).build();
    FcsFormatException e = eventsFail("dis.fcs", bytes);
    assertEquals(FcsErrorCode.OFFSET_DISAGREEMENT, e.code());
    assertMentions(
        e.getMessage(),
        "after the TEXT (which ends at byte ",
        "inside the file (" + bytes.length + " bytes)");
  }

  // ---- TEXT ----

  /**
   * The BD Accuri C6 ends its TEXT with the delimiter twice after the last value ("/k1/v1//",
   * FlowCal PR #253; the corpus's "Accuri - C6.fcs" ends "1567//").
   */
  @Test
  void aTextEndingWithItsDelimiterTwiceKeepsItsLastValue() throws IOException {
    byte[] bytes =
        slashFirst()
            .keyword("#P2MAXUSEFULDATACHANNEL", "1567")
            .textPadding(RawFcs.ascii("/"))
            .build();
    try (FcsFile f = open("accuri.fcs", bytes)) {
      FcsDataset ds = f.first();
      assertValues(SLASH_FIRST, readDoubles(f, ds));
      assertEquals("1567", ds.keywords().getOrNull("#P2MAXUSEFULDATACHANNEL"));
      assertEquals(List.of("TEXT_EXTRA_FINAL_DELIMITER"), codes(ds), ds.warnings().toString());
    }
  }

  @Test
  void aValueEndingInAnEscapedDelimiterBeforeTheFinalOneKeepsIt() throws IOException {
    // "a//" (an escaped '/') then the final '/': three at the end, not the Accuri pattern
    byte[] bytes = slashFirst().keyword("$COM", "a/").build();
    try (FcsFile f = open("escaped.fcs", bytes)) {
      assertEquals("a/", f.first().keywords().getOrNull("$COM"));
      assertEquals(List.of(), codes(f.first()));
    }
  }

  @Test
  void theRealAccuriFileKeepsItsLastValue() throws IOException {
    Path file = SharedData.sharedOrSkip("fcs-corpus/files/cytoflow/Accuri - C6.fcs");
    try (FcsFile f = FcsReader.open(file)) {
      FcsDataset ds = f.first();
      assertEquals("1567", ds.keywords().getOrNull("#P14MAXUSEFULDATACHANNEL"));
      assertWarning(ds, "TEXT_EXTRA_FINAL_DELIMITER");
      assertFalse(codes(ds).contains("TEXT_NO_FINAL_DELIMITER"), codes(ds).toString());
      // its $BEGINSTEXT/$ENDSTEXT (58..2525) point into its own TEXT
      assertMentions(assertWarning(ds, "STEXT_OVERLAP"), "58..2525", "overlap the primary TEXT");
    }
  }

  /**
   * A value of only spaces (FlowIO's test file "Ki67-117 tube 1.LMD" has {@code $TIMESTEP} ' ';
   * NIST fireflow_testing trims "lots of values which are just one space" in CyTOF 2 files).
   */
  @Test
  void aValueOfOnlySpacesIsEmpty() throws IOException {
    try (FcsFile f = open("blank.fcs", slashFirst().keyword("$TIMESTEP", " ").build())) {
      assertEquals("", f.first().keywords().getOrNull("$TIMESTEP"));
      assertEquals(List.of("TEXT_WHITESPACE"), codes(f.first()));
    }
  }

  /** FCS 3.1 section 3.2.9: keyword names are case-insensitive, so "$tot" is $TOT. */
  @Test
  void lowerCaseKeywordNamesAreTheStandardKeywords() throws IOException {
    RawFcs lower =
        RawFcs.fcs31()
            .keyword("$byteord", "4,3,2,1")
            .keyword("$datatype", "I")
            .keyword("$mode", "L")
            .keyword("$par", "1")
            .keyword("$tot", "2")
            .keyword("$p1n", "FL1-H")
            .keyword("$p1b", "16")
            .keyword("$p1e", "0,0")
            .keyword("$p1r", "1024")
            .data(RawFcs.Data.big().u16(5).u16(1023).bytes());
    try (FcsFile f = open("lower.fcs", lower.build())) {
      FcsDataset ds = f.first();
      assertEquals("FL1-H", ds.parameters().get(0).name());
      assertEquals(ByteOrder.BIG_ENDIAN, ds.byteOrder());
      assertValues(new double[] {5, 1023}, readDoubles(f, ds));
      assertEquals(List.of(), codes(ds));
    }
  }

  // ---- HEADER ----

  /**
   * "0,-1" for an empty segment (NIST fireflow COMMON_ISSUES.md, "Negative offsets in HEADER";
   * fireflow_testing reads a BD FACSAria II file whose "analysis has -1 for end").
   */
  @Test
  void anEmptyAnalysisSegmentWrittenAsZeroToMinusOneIsRead() throws IOException {
    byte[] bytes = slashFirst().headerAnalysisFields("0", "-1").build();
    try (FcsFile f = open("aria.fcs", bytes)) {
      assertValues(SLASH_FIRST, readDoubles(f, f.first()));
      assertEquals(List.of("HEADER_NEGATIVE_OFFSET"), codes(f.first()));
      assertMentions(assertWarning(f.first(), "HEADER_NEGATIVE_OFFSET"), "ANALYSIS", "0..-1");
      assertEquals(0, f.first().header().analysisEnd());
    }
  }

  @Test
  void otherNegativeHeaderOffsetsAreStillRejected() {
    byte[] bytes = slashFirst().headerAnalysisFields("10", "-1").build();
    FcsFormatException e = assertThrows(FcsFormatException.class, () -> open("neg.fcs", bytes));
    assertEquals(FcsErrorCode.BAD_HEADER_FIELD, e.code());
    assertMentions(e.getMessage(), "ANALYSIS end field is negative: -1", "(byte 50)");
  }

  /**
   * A HEADER DATA start without an end (NIST fireflow COMMON_ISSUES.md, "Split offsets", seen in
   * FR-FCM-ZZZ4's "1 WT_001.fcs"): the TEXT offsets are used.
   */
  @Test
  void aHeaderDataStartWithoutAnEndDefersToText() throws IOException {
    long start;
    try (FcsFile f = open("probe.fcs", slashFirst().build())) {
      start = f.first().data().start();
    }
    byte[] bytes = slashFirst().headerDataFields(Long.toString(start), "0").build();
    try (FcsFile f = open("split.fcs", bytes)) {
      assertValues(SLASH_FIRST, readDoubles(f, f.first()));
      assertEquals("TEXT", f.first().data().source());
      assertEquals(List.of("HEADER_DATA_SPLIT"), codes(f.first()));
    }
  }

  /** FlowIO's test files write HEADER offsets zero-padded ("00000074000060800000608100006944"). */
  @Test
  void zeroPaddedHeaderOffsetsAreNumbers() throws IOException {
    byte[] bytes = slashFirst().headerTextFields("00000058", null).build();
    try (FcsFile f = open("zeros.fcs", bytes)) {
      assertValues(SLASH_FIRST, readDoubles(f, f.first()));
      assertEquals(List.of(), codes(f.first()));
    }
  }

  /**
   * FlowJo exports FCS 3.x without {@code $BEGINDATA}/{@code $ENDDATA} (flowCore checkOffset in
   * IO.R and PR #25; citrus issue #72, FlowJo 10.0.7; spade issue #101).
   */
  @Test
  void missingTextDataOffsetsInFcs3AreRecorded() throws IOException {
    byte[] v3 = slashFirst().dataOffsetsIn(RawFcs.Offsets.HEADER).build();
    try (FcsFile f = open("flowjo.fcs", v3)) {
      assertValues(SLASH_FIRST, readDoubles(f, f.first()));
      assertEquals(List.of("MISSING_TEXT_DATA_OFFSETS"), codes(f.first()));
      assertMentions(assertWarning(f.first(), "MISSING_TEXT_DATA_OFFSETS"), "$BEGINDATA, $ENDDATA");
    }
    byte[] v2 = slashFirst().version("FCS2.0").build();
    try (FcsFile f = open("v2.fcs", v2)) {
      assertEquals(List.of(), codes(f.first()), "FCS 2.0 has no such keywords");
    }
  }

  // ---- parameters ----

  /**
   * Log amplification on floating-point data (NIST fireflow_testing forces linear scale for the
   * MACSQuantify FCS 3.0 export, Millipore easyCyte InCyte and BD FACSAria II files of FR-FCM-ZZZ4;
   * flowCore applies $PnE to integer data only, IO.R).
   */
  @Test
  void logAmplificationOfFloatsIsReadAsLinear() throws IOException {
    byte[] bytes =
        RawFcs.listMode("F", "1,2,3,4", 1, 32, 32)
            .keyword("$P1R", "1024")
            .keyword("$P2R", "1024")
            .keyword("$P2E", "4,1")
            .data(RawFcs.Data.little().f32(2.5f).f32(700.25f).bytes())
            .build();
    try (FcsFile f = open("mq.fcs", bytes)) {
      FcsDataset ds = f.first();
      assertEquals(0, ds.parameters().get(1).decades());
      assertFalse(ds.parameters().get(1).isLogAmplified());
      assertValues(new double[] {2.5, 700.25}, readDoubles(f, ds));
      assertEquals(List.of("PNE_LOG_FLOAT"), codes(ds));
      assertMentions(assertWarning(ds, "PNE_LOG_FLOAT"), "$P2E", "linear");
    }
    byte[] ints = slashFirst().keyword("$P2E", "4,1").build();
    try (FcsFile f = open("int.fcs", ints)) {
      assertEquals(4, f.first().parameters().get(1).decades(), "integer data keeps its $PnE");
      assertEquals(List.of(), codes(f.first()));
    }
  }

  /** flowCore reads a missing $PnE as "0,0" (IO.R); FCS 3.x requires the keyword. */
  @Test
  void aMissingPneIsLinearAndRecordedInFcs3() throws IOException {
    try (FcsFile f = open("nope.fcs", slashFirst().remove("$P2E").build())) {
      assertEquals(0, f.first().parameters().get(1).decades());
      assertEquals(List.of("MISSING_PNE"), codes(f.first()));
      assertMentions(assertWarning(f.first(), "MISSING_PNE"), "$P2E: missing");
    }
    try (FcsFile f = open("nope2.fcs", slashFirst().remove("$P2E").version("FCS2.0").build())) {
      assertEquals(List.of(), codes(f.first()), "$PnE is optional in FCS 2.0");
    }
  }

  /**
   * $PnR written as a decimal (MACSQuantify "$P1R/241.642", FlowCal issue #203), as "1024.0", or
   * absurdly large (NIST fireflow COMMON_ISSUES.md "Large $PnR values"; CyTOF files carry
   * 12010402): integer values are masked by the bits the range needs, all bits when it exceeds
   * the width.
   */
  @Test
  void decimalAndHugeRangesMaskIntegerValues() throws IOException {
    byte[] bytes =
        RawFcs.listMode("I", "1,2,3,4", 1, 16, 16, 16)
            .keyword("$P1R", "1024.0")
            .keyword("$P2R", "241.642")
            .keyword("$P3R", "99999999999999999999")
            .data(RawFcs.Data.little().u16(0xFFFF).u16(0xFFFF).u16(0xFFFF).bytes())
            .build();
    try (FcsFile f = open("ranges.fcs", bytes)) {
      assertValues(new double[] {1023, 255, 65535}, readDoubles(f, f.first()));
      assertEquals(List.of(), codes(f.first()));
    }
  }

  /**
   * Two parameters with one $PnN (NIST fireflow_testing de-duplicates the names of Partec PAS
   * files, FR-FCM-Z45W; fcsparser warns on non-unique names).
   */
  @Test
  void duplicateNamesAreRecordedAndTheFirstIsFound() throws IOException {
    byte[] bytes = slashFirst().keyword("$P2N", "P1").build();
    try (FcsFile f = open("partec.fcs", bytes)) {
      FcsDataset ds = f.first();
      assertValues(SLASH_FIRST, readDoubles(f, ds));
      assertEquals(0, ds.indexOf("P1"));
      assertEquals(List.of("DUPLICATE_PNN"), codes(ds));
      assertMentions(assertWarning(ds, "DUPLICATE_PNN"), "$P1N, $P2N are all 'P1'");
    }
  }

  // ---- spillover keywords ----

  /** flowCore looks the matrix up as "SPILL", "spillover" and "$SPILLOVER" (R/utils.R). */
  @Test
  void aSpilloverKeywordWithoutTheDollarIsRead() throws IOException {
    byte[] bytes = slashFirst().keyword("SPILLOVER", "2,P1,P2,1,0.1,0.02,1").build();
    try (FcsFile f = open("spill.fcs", bytes)) {
      Spillover s = f.first().spillover().orElseThrow();
      assertEquals("SPILLOVER", s.keyword());
      assertEquals(0.1, s.value(0, 1));
      assertEquals(List.of(), codes(f.first()));
    }
  }

  /**
   * FCS 3.0's $COMP and FCS 2.0's $DFCnTOm (Beckman Gallios and FC500 LMD files, NIST
   * fireflow_testing) name no channels: not read as spillover, and said so.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {"$COMP; 2,1,0.1,0.02,1", "$DFC1TO2; 12.5"})
  void olderCompensationKeywordsAreNotReadAsSpillover(String key, String value) throws IOException {
    byte[] bytes = slashFirst().keyword(key, value).build();
    try (FcsFile f = open("comp.fcs", bytes)) {
      assertTrue(f.first().spillover().isEmpty());
      assertEquals(List.of("COMPENSATION_NOT_READ"), codes(f.first()));
      assertMentions(assertWarning(f.first(), "COMPENSATION_NOT_READ"), key);
    }
  }

  // ---- supplemental TEXT ----

  @Test
  void supplementalTextOffsetsInsideThePrimaryTextAreIgnored() throws IOException {
    byte[] bytes = slashFirst().keyword("$BEGINSTEXT", "58").keyword("$ENDSTEXT", "100").build();
    try (FcsFile f = open("overlap.fcs", bytes)) {
      assertValues(SLASH_FIRST, readDoubles(f, f.first()));
      assertEquals(List.of("STEXT_OVERLAP"), codes(f.first()));
    }
  }

  /** The Sysmex CyFlow Cube 8 file of the corpus keeps a ZIP archive at its supplemental TEXT. */
  @Test
  void binarySupplementalTextIsIgnored() throws IOException {
    byte[] zip = {'P', 'K', 3, 4, 20, 0, 8, 0, 8, 0, '/', 'x', '/', 0, 0, 1, 'y'};
    byte[] bytes = slashFirst().supplementalBytes(zip).build();
    try (FcsFile f = open("cube8.fcs", bytes)) {
      FcsDataset ds = f.first();
      assertValues(SLASH_FIRST, readDoubles(f, ds));
      assertEquals(List.of("STEXT_NOT_TEXT"), codes(ds));
      assertNull(ds.keywords().getOrNull("X"));
    }
  }

  @Test
  void theRealCyflowFileIgnoresItsZipArchive() throws IOException {
    Path file = SharedData.sharedOrSkip("fcs-corpus/files/fcsparser/cyflow_cube_8.fcs");
    try (FcsFile f = FcsReader.open(file)) {
      assertMentions(assertWarning(f.first(), "STEXT_NOT_TEXT"), "16681..58392");
      assertEquals(725, f.first().eventCount());
    }
  }

  /**
   * An exclusive $ENDSTEXT that is the DATA start (NIST fireflow_testing corrects the
   * supplemental TEXT end of the MACSQuantify FCS 3.1 export by -1).
   */
  @Test
  void aSupplementalTextEndThatIsTheDataStartIsExclusive() throws IOException {
    byte[] bytes =
        RawFcs.listMode("I", "1,2,3,4", 2, 16, 16)
            .keyword("$P1R", "1024")
            .keyword("$P2R", "1024")
            .data(RawFcs.Data.little().u16('A').u16(2).u16(3).u16(4).bytes())
            .supplementalText(Map.of("$COM", "x"))
            .supplementalEndDelta(1)
            .build();
    try (FcsFile f = open("mq31.fcs", bytes)) {
      FcsDataset ds = f.first();
      assertEquals("x", ds.keywords().getOrNull("$COM"));
      assertValues(new double[] {'A', 2, 3, 4}, readDoubles(f, ds));
      assertEquals(List.of("STEXT_END_EXCLUSIVE"), codes(ds), ds.warnings().toString());
    }
  }

  /** Opens {@code bytes} and reads the first data set's events, which must fail; the failure. */
  private static FcsFormatException eventsFail(String name, byte[] bytes) {
    return assertThrows(
        FcsFormatException.class,
        () -> {
          try (FcsFile f = open(name, bytes)) {
            f.events(f.first());
          }
        });
  }
}
