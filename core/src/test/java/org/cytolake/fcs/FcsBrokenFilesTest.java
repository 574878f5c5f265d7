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

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Broken files are rejected with an {@link FcsFormatException} (never another exception) whose
 * code, segment and offset say what is wrong and whose message names the file and the offending
 * value; tolerated deviations are read correctly and each leaves its {@link FcsWarning}.
 */
class FcsBrokenFilesTest {
  private static final double[] VALUES = {1, 2, 3, 4};

  /** Two events of two 16-bit parameters, little endian: a file that reads without a warning. */
  private static RawFcs valid() {
    return RawFcs.listMode("I", "1,2,3,4", 2, 16, 16)
        .keyword("$P1R", "1024")
        .keyword("$P2R", "1024")
        .data(RawFcs.Data.little().u16(1).u16(2).u16(3).u16(4).bytes());
  }

  /** Opens {@code bytes} and reads every event of every data set, expecting a rejection. */
  private static FcsFormatException rejected(String name, byte[] bytes) {
    FcsFormatException e =
        assertThrows(
            FcsFormatException.class,
            () -> {
              try (FcsFile f = open(name, bytes)) {
                for (FcsDataset ds : f.datasets()) {
                  readDoubles(f, ds);
                }
              }
            });
    assertEquals(name, e.source());
    assertTrue(e.getMessage().startsWith("Cannot read FCS file '" + name + "': "), e.getMessage());
    return e;
  }

  private static void assertRejection(
      FcsFormatException e,
      FcsErrorCode code,
      FcsSegment segment,
      long offset,
      String... mentions) {
    assertEquals(code, e.code(), e.getMessage());
    assertEquals(segment, e.segment(), e.getMessage());
    assertEquals(offset, e.offset(), e.getMessage());
    assertMentions(e.getMessage(), mentions);
    if (offset >= 0) {
      assertMentions(e.getMessage(), "(byte " + offset + ")");
    }
  }

  /** Reads the single data set of a file that must open, returning it with its values checked. */
  private static FcsDataset readsAs(String name, byte[] bytes, double[] expected)
      throws IOException {
    try (FcsFile f = open(name, bytes)) {
      assertValues(expected, readDoubles(f, f.first()));
      return f.first();
    }
  }

  private static long dataStartOf(byte[] bytes) throws IOException {
    try (FcsFile f = open("probe.fcs", bytes)) {
      return f.first().data().start();
    }
  }

  @Test
  void theControlFileReadsWithoutWarnings() throws IOException {
    FcsDataset ds = readsAs("valid.fcs", valid().build(), VALUES);
    assertEquals(List.of(), ds.warnings());
  }

  // ---- HEADER ----

  @Test
  void anEmptyFileIsRejected() {
    assertRejection(
        rejected("empty.fcs", new byte[0]),
        FcsErrorCode.TRUNCATED_HEADER,
        FcsSegment.FILE,
        -1,
        "the file is empty");
  }

  @Test
  void aFileShorterThanTheHeaderIsRejected() {
    assertRejection(
        rejected("short.fcs", RawFcs.ascii("FCS3.1    ")),
        FcsErrorCode.TRUNCATED_HEADER,
        FcsSegment.HEADER,
        0,
        "needs 58 bytes",
        "has only 10");
  }

  @Test
  void aZipFileIsNotFcs() {
    byte[] zip = Arrays.copyOf(new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0}, 200);
    assertRejection(
        rejected("archive.zip", zip),
        FcsErrorCode.NOT_FCS,
        FcsSegment.HEADER,
        0,
        "not an FCS file",
        "'PK\\x03\\x04");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"FCS1.0", "FCS4.0", "FCS3.9"})
  void unknownVersionsAreUnsupported(String version) {
    assertRejection(
        rejected("v.fcs", valid().version(version).build()),
        FcsErrorCode.UNSUPPORTED,
        FcsSegment.HEADER,
        0,
        "'" + version + "'",
        "not supported");
  }

  @ParameterizedTest(name = "{0} field ''{1}''")
  @CsvSource({"TEXT end, 12a4, 18", "TEXT end, -5, 18", "TEXT end, 0x3A, 18"})
  void nonNumericHeaderOffsetsAreRejected(String field, String value, long offset) {
    FcsFormatException e = rejected("hdr.fcs", valid().headerTextFields(null, value).build());
    assertRejection(e, FcsErrorCode.BAD_HEADER_FIELD, FcsSegment.HEADER, offset, field, value);
  }

  @Test
  void aNonNumericHeaderDataOffsetIsRejected() {
    FcsFormatException e = rejected("hdr.fcs", valid().headerDataFields("abc", "200").build());
    assertRejection(e, FcsErrorCode.BAD_HEADER_FIELD, FcsSegment.HEADER, 26, "DATA start", "'abc'");
  }

  @Test
  void aTextStartInsideTheHeaderIsRejected() {
    FcsFormatException e = rejected("hdr.fcs", valid().headerTextFields("20", null).build());
    assertRejection(
        e,
        FcsErrorCode.BAD_OFFSETS,
        FcsSegment.HEADER,
        10,
        "TEXT start 20",
        "inside the 58-byte HEADER");
  }

  @Test
  void aTextEndBeforeItsStartIsRejected() {
    FcsFormatException e = rejected("hdr.fcs", valid().headerTextFields("100", "80").build());
    assertRejection(
        e, FcsErrorCode.BAD_OFFSETS, FcsSegment.HEADER, 18, "TEXT end 80", "before TEXT start 100");
  }

  @Test
  void aTextEndPastTheEndOfTheFileIsRejected() {
    byte[] bytes = valid().headerTextFields(null, "99999").build();
    FcsFormatException e = rejected("hdr.fcs", bytes);
    assertRejection(
        e,
        FcsErrorCode.BAD_OFFSETS,
        FcsSegment.TEXT,
        58,
        "ends at byte 99999",
        "the file has " + bytes.length + " bytes");
  }

  // ---- TEXT ----

  @ParameterizedTest(name = "delimiter 0x{0}")
  @CsvSource({"61, 'a'", "37, '7'", "24, '$'", "00, 0x00", "80, 0x80", "7f, 0x7f"})
  void illegalDelimitersAreRejected(String hex, String shown) {
    int d = Integer.parseInt(hex, 16);
    FcsFormatException e = rejected("delim.fcs", valid().delimiter(d).build());
    assertRejection(e, FcsErrorCode.BAD_DELIMITER, FcsSegment.TEXT, 58, "0x" + hex, shown);
  }

  @Test
  void aMissingParIsRejected() {
    assertRejection(
        rejected("par.fcs", valid().remove("$PAR").build()),
        FcsErrorCode.MISSING_KEYWORD,
        FcsSegment.TEXT,
        -1,
        "$PAR",
        "missing");
  }

  @ParameterizedTest(name = "$PAR ''{0}''")
  @CsvSource({
    "abc, 'abc', not a whole number",
    "-1, -1, outside",
    "2.5, '2.5', whole number",
    "1000001, 1000001, outside 0..1000000"
  })
  void aParThatIsNotACountIsRejected(String value, String shown, String why) {
    FcsFormatException e = rejected("par.fcs", valid().keyword("$PAR", value).build());
    assertRejection(e, FcsErrorCode.BAD_KEYWORD_VALUE, FcsSegment.TEXT, -1, "$PAR", shown, why);
  }

  @Test
  void aMissingDataTypeIsRejected() {
    assertRejection(
        rejected("dt.fcs", valid().remove("$DATATYPE").build()),
        FcsErrorCode.MISSING_KEYWORD,
        FcsSegment.TEXT,
        -1,
        "$DATATYPE",
        "missing");
  }

  @Test
  void anUnknownDataTypeIsRejected() {
    assertRejection(
        rejected("dt.fcs", valid().keyword("$DATATYPE", "X").build()),
        FcsErrorCode.BAD_KEYWORD_VALUE,
        FcsSegment.TEXT,
        -1,
        "$DATATYPE",
        "'X'",
        "I, F, D, A");
  }

  @Test
  void anUnknownPerParameterDataTypeIsRejected() {
    byte[] bytes = valid().version("FCS3.2").keyword("$P2DATATYPE", "Q").build();
    assertRejection(
        rejected("pdt.fcs", bytes),
        FcsErrorCode.BAD_KEYWORD_VALUE,
        FcsSegment.TEXT,
        -1,
        "$P2DATATYPE",
        "'Q'");
  }

  @Test
  void aMissingByteOrderIsRejectedForMultiByteValues() {
    assertRejection(
        rejected("bo.fcs", valid().remove("$BYTEORD").build()),
        FcsErrorCode.MISSING_KEYWORD,
        FcsSegment.TEXT,
        -1,
        "$BYTEORD",
        "missing");
  }

  @Test
  void aMissingByteOrderIsAcceptedForSingleBytes() throws IOException {
    byte[] bytes =
        RawFcs.listMode("I", "1,2,3,4", 2, 8)
            .remove("$BYTEORD")
            .data(new byte[] {7, (byte) 200})
            .build();
    readsAs("bytes.fcs", bytes, new double[] {7, 200});
  }

  @ParameterizedTest(name = "$BYTEORD {0}")
  @ValueSource(strings = {"3,4,1,2", "2,1,4,3", "1,2,4,3", "big"})
  void mixedEndianByteOrdersAreUnsupported(String byteOrd) {
    FcsFormatException e = rejected("bo.fcs", valid().keyword("$BYTEORD", byteOrd).build());
    assertRejection(
        e,
        FcsErrorCode.UNSUPPORTED,
        FcsSegment.TEXT,
        -1,
        "$BYTEORD '" + byteOrd + "' is not supported",
        "1,2,3,4",
        "4,3,2,1");
  }

  @Test
  void aMissingBitWidthIsRejected() {
    assertRejection(
        rejected("pnb.fcs", valid().remove("$P2B").build()),
        FcsErrorCode.MISSING_KEYWORD,
        FcsSegment.TEXT,
        -1,
        "$P2B",
        "missing",
        "parameter 2");
  }

  @ParameterizedTest(name = "$P1B {0}")
  @CsvSource({
    "0, UNSUPPORTED, $P1B is 0",
    "65, UNSUPPORTED, $P1B is 65",
    "-8, UNSUPPORTED, $P1B is -8",
    "abc, BAD_KEYWORD_VALUE, $P1B is 'abc'",
    "*, BAD_KEYWORD_VALUE, $P1B is '*'"
  })
  void integerBitWidthsOutsideOneToSixtyFourAreRejected(
      String bits, FcsErrorCode code, String shown) {
    FcsFormatException e = rejected("pnb.fcs", valid().keyword("$P1B", bits).build());
    assertRejection(e, code, FcsSegment.TEXT, -1, shown);
  }

  @ParameterizedTest(name = "$MODE {0}")
  @ValueSource(strings = {"C", "U"})
  void histogramModesAreUnsupported(String mode) {
    FcsFormatException e = rejected("mode.fcs", valid().keyword("$MODE", mode).build());
    assertRejection(
        e, FcsErrorCode.UNSUPPORTED, FcsSegment.TEXT, -1, "$MODE is '" + mode + "'", "list mode");
  }

  // ---- DATA ----

  @Test
  void aDataSegmentEndingPastTheEndOfTheFileIsTruncated() throws IOException {
    byte[] whole = valid().build();
    long start = dataStartOf(whole);
    byte[] cut = Arrays.copyOf(whole, whole.length - 3);
    FcsFormatException e = rejected("cut.fcs", cut);
    assertRejection(
        e,
        FcsErrorCode.TRUNCATED_DATA,
        FcsSegment.DATA,
        start,
        "DATA segment ends at byte "
            + (start + 7)
            + " (0-based, inclusive) but the file's last "
            + "byte is "
            + (cut.length - 1)
            + " (the file has "
            + cut.length
            + " bytes)",
        "$TOT 2");
    try (FcsFile f = open("cut.fcs", cut)) {
      assertFalse(f.first().hasReadableData(), "the metadata is read, the events are not");
      assertEquals(2, f.first().eventCount(), "$TOT when DATA cannot be located");
    }
  }

  @Test
  void aDataSegmentStartingPastTheEndOfTheFileIsTruncated() {
    byte[] bytes = valid().headerDataDelta(1000, 1000).textDataDelta(1000, 1000).build();
    FcsFormatException e = rejected("far.fcs", bytes);
    assertEquals(FcsErrorCode.TRUNCATED_DATA, e.code());
    assertEquals(FcsSegment.DATA, e.segment());
    assertMentions(
        e.getMessage(),
        "DATA segment starts at byte " + e.offset(),
        "the file has " + bytes.length + " bytes");
    assertTrue(e.offset() >= bytes.length);
  }

  @Test
  void aDataEndBeforeItsStartIsRejected() throws IOException {
    byte[] ok = valid().build();
    long start = dataStartOf(ok);
    byte[] bytes = valid().dataOffsetsIn(RawFcs.Offsets.TEXT).textDataDelta(0, -20).build();
    FcsFormatException e = rejected("rev.fcs", bytes);
    assertRejection(
        e,
        FcsErrorCode.BAD_OFFSETS,
        FcsSegment.DATA,
        start,
        "DATA end " + (start + 7 - 20),
        "before its start " + start);
  }

  @Test
  void headerAndTextDataOffsetsThatDisagreeWhereNeitherFitsAreRejected() throws IOException {
    byte[] bytes = valid().headerDataDelta(500, 500).textDataDelta(0, 4).build();
    long start = dataStartOf(valid().build());
    FcsFormatException e = rejected("disagree.fcs", bytes);
    assertRejection(
        e,
        FcsErrorCode.OFFSET_DISAGREEMENT,
        FcsSegment.DATA,
        -1,
        "HEADER says DATA is at " + (start + 500) + ".." + (start + 507),
        "TEXT ($BEGINDATA/$ENDDATA) says " + start + ".." + (start + 11),
        "2 × 4 = 8 bytes",
        bytes.length + " bytes");
  }

  @Test
  void missingDataOffsetsWithEventsAreRejected() {
    byte[] bytes = valid().dataOffsetsIn(RawFcs.Offsets.NONE).build();
    assertRejection(
        rejected("nodata.fcs", bytes),
        FcsErrorCode.BAD_OFFSETS,
        FcsSegment.DATA,
        -1,
        "neither the HEADER nor $BEGINDATA/$ENDDATA",
        "HEADER 0..0");
  }

  @Test
  void asciiDataKeepsItsMetadataButItsEventsAreUnsupported() throws IOException {
    byte[] bytes =
        RawFcs.listMode("A", "1,2,3,4", 2, 4, 4)
            .keyword("$P2B", "*")
            .data(RawFcs.ascii("0001000200030004"))
            .build();
    try (FcsFile f = open("ascii.fcs", bytes)) {
      FcsDataset ds = f.first();
      assertEquals(DataType.A, ds.dataType());
      assertEquals(List.of("P1", "P2"), ds.parameters().stream().map(FcsParameter::name).toList());
      assertNull(ds.layout());
      assertFalse(ds.hasReadableData());
      assertEquals(2, ds.eventCount());
      FcsFormatException e = assertThrows(FcsFormatException.class, () -> f.events(ds));
      assertRejection(e, FcsErrorCode.UNSUPPORTED, FcsSegment.TEXT, -1, "$DATATYPE A", "ascii.fcs");
      assertEquals(e, ds.dataError().orElseThrow());
    }
  }

  @Test
  void aBrokenSecondDataSetIsDroppedWithAWarningOnTheFirst() throws IOException {
    byte[] bytes = valid().next(valid().version("FCS9.9"), 0).build();
    try (FcsFile f = open("two.fcs", bytes)) {
      assertEquals(1, f.datasets().size());
      assertMentions(assertWarning(f.first(), "NEXTDATA_UNREADABLE"), "FCS9.9", "not supported");
      assertEquals(0, f.first().nextOffset());
      assertValues(VALUES, readDoubles(f, f.first()));
    }
  }

  // ---- tolerated deviations, each with its warning ----

  @Test
  void textOffsetsOffByOneLoseToFittingHeaderOffsets() throws IOException {
    FcsDataset ds = readsAs("h.fcs", valid().textDataDelta(1, 1).build(), VALUES);
    assertEquals("HEADER", ds.data().source());
    assertMentions(assertWarning(ds, "DATA_OFFSET_DISAGREEMENT"), "using HEADER");
  }

  @Test
  void headerOffsetsOffByOneLoseToFittingTextOffsets() throws IOException {
    FcsDataset ds = readsAs("t.fcs", valid().headerDataDelta(1, 1).build(), VALUES);
    assertEquals("TEXT", ds.data().source());
    assertMentions(assertWarning(ds, "DATA_OFFSET_DISAGREEMENT"), "using TEXT");
  }

  @Test
  void whenBothFitTheHeaderWinsAndTheDisagreementIsRecorded() throws IOException {
    FcsDataset ds = readsAs("both.fcs", valid().textDataDelta(0, 1).build(), VALUES);
    assertEquals("HEADER", ds.data().source());
    assertMentions(assertWarning(ds, "DATA_OFFSET_DISAGREEMENT"), "as the other does too");
  }

  @ParameterizedTest(name = "offsets in {0}")
  @ValueSource(strings = {"HEADER", "TEXT", "BOTH"})
  void aDataEndOnePastTheLastByteIsReadAsAnExclusiveEnd(RawFcs.Offsets where) throws IOException {
    byte[] bytes = valid().dataOffsetsIn(where).headerDataDelta(0, 1).textDataDelta(0, 1).build();
    FcsDataset ds = readsAs("excl.fcs", bytes, VALUES);
    assertMentions(assertWarning(ds, "DATA_END_EXCLUSIVE"), "one byte past");
  }

  @Test
  void aTextWithoutItsFinalDelimiterKeepsItsLastValue() throws IOException {
    FcsDataset ds =
        readsAs(
            "nofinal.fcs", valid().keyword("$CYT", "Aurora").omitFinalDelimiter().build(), VALUES);
    assertEquals("Aurora", ds.keywords().getOrNull("$CYT"));
    assertWarning(ds, "TEXT_NO_FINAL_DELIMITER");
  }

  @Test
  void paddingAfterTheLastDelimiterIsIgnored() throws IOException {
    FcsDataset ds = readsAs("pad.fcs", valid().textPadding(RawFcs.fill(6, 0)).build(), VALUES);
    assertMentions(assertWarning(ds, "TEXT_PADDING"), "6 padding byte(s)");
  }

  @Test
  void spacesAroundKeywordsAndValuesAreTrimmed() throws IOException {
    byte[] bytes =
        valid()
            .remove("$P1R")
            .keyword(" $P1R ", " 1024 ")
            .keyword("$CYT ", "  FACSCanto II ")
            .build();
    FcsDataset ds = readsAs("spaces.fcs", bytes, VALUES);
    assertEquals(1024.0, ds.parameters().get(0).range());
    assertEquals("FACSCanto II", ds.keywords().getOrNull("$CYT"));
    assertMentions(assertWarning(ds, "TEXT_WHITESPACE"), "2 keyword(s)");
  }

  @Test
  void aRepeatedKeywordKeepsItsFirstValue() throws IOException {
    FcsDataset ds = readsAs("dup.fcs", valid().keyword("$tot", "7").build(), VALUES);
    assertEquals("2", ds.keywords().getOrNull("$TOT"));
    assertMentions(assertWarning(ds, "TEXT_DUPLICATE_KEYWORD"), "$TOT", "'7'");
  }

  @Test
  void aTotSmallerThanTheDataReadsEveryEventThere() throws IOException {
    FcsDataset ds = readsAs("tot1.fcs", valid().keyword("$TOT", "1").build(), VALUES);
    assertEquals(1, ds.declaredEvents());
    assertEquals(2, ds.eventCount());
    assertMentions(assertWarning(ds, "TOT_MISMATCH"), "$TOT says 1", "reading the 2");
  }

  @Test
  void aTotLargerThanTheDataReadsOnlyWhatIsThere() throws IOException {
    FcsDataset ds = readsAs("tot9.fcs", valid().keyword("$TOT", "9").build(), VALUES);
    assertEquals(2, ds.eventCount());
    assertMentions(assertWarning(ds, "TOT_MISMATCH"), "$TOT says 9", "holds 8 bytes");
  }

  @Test
  void trailingPartialEventBytesAreIgnored() throws IOException {
    byte[] data =
        RawFcs.Data.little().u16(1).u16(2).u16(3).u16(4).raw(new byte[] {9, 9, 9}).bytes();
    FcsDataset ds = readsAs("partial.fcs", valid().data(data).build(), VALUES);
    assertMentions(assertWarning(ds, "TOT_MISMATCH"), "ignoring 3 trailing byte(s)");
  }

  @Test
  void aMissingTotIsTakenFromTheDataLength() throws IOException {
    FcsDataset ds = readsAs("notot.fcs", valid().remove("$TOT").build(), VALUES);
    assertEquals(-1, ds.declaredEvents());
    assertEquals(List.of("MISSING_TOT", "TOT_FROM_DATA"), codes(ds));
    FcsDataset v2 = readsAs("notot2.fcs", valid().remove("$TOT").version("FCS2.0").build(), VALUES);
    assertEquals(List.of("TOT_FROM_DATA"), codes(v2), "$TOT is optional in FCS 2.0");
  }

  @Test
  void anEmptyDataSegmentWithBeginEqualToEndHasNoEvents() throws IOException {
    byte[] bytes =
        valid()
            .keyword("$TOT", "0")
            .data(new byte[0])
            .emptyDataAsOneByte()
            .trailer(RawFcs.ascii("00000000"))
            .build();
    try (FcsFile f = open("none.fcs", bytes)) {
      FcsDataset ds = f.first();
      assertEquals(0, ds.eventCount());
      assertEquals(0, f.events(ds).read(new double[2]));
      // $BEGINDATA = $ENDDATA with $TOT 0 is the usual way to say "no events": not a deviation
      assertTrue(
          ds.warnings().stream().noneMatch(w -> w.code().equals("DATA_END_EXCLUSIVE")),
          ds.warnings().toString());
    }
  }

  @Test
  void zeroEventsWithoutDataOffsetsAreAnEmptyDataSet() throws IOException {
    byte[] bytes = valid().keyword("$TOT", "0").data(new byte[0]).build();
    try (FcsFile f = open("none.fcs", bytes)) {
      assertEquals("NONE", f.first().data().source());
      assertEquals(0, f.first().eventCount());
      assertEquals(List.of(), f.first().warnings());
    }
  }

  @Test
  void anExactNextDataChainsThreeDataSets() throws IOException {
    RawFcs third = RawFcs.listMode("F", "4,3,2,1", 1, 32).data(RawFcs.Data.big().f32(9.5f).bytes());
    RawFcs second =
        RawFcs.listMode("I", "4,3,2,1", 1, 8, 16)
            .keyword("$P2R", "1024")
            .data(RawFcs.Data.big().u8(5).u16(6).bytes())
            .trailer(RawFcs.ascii("00000000"))
            .next(third, 0);
    byte[] bytes = valid().next(second, 0).build();
    try (FcsFile f = open("three.fcs", bytes)) {
      assertEquals(3, f.datasets().size());
      assertEquals(List.of(), codes(f.datasets().get(0)));
      assertEquals(List.of("MISSING_PNR"), codes(f.datasets().get(1)));
      assertEquals(List.of("MISSING_PNR"), codes(f.datasets().get(2)));
      assertValues(VALUES, readDoubles(f, f.datasets().get(0)));
      assertValues(new double[] {5, 6}, readDoubles(f, f.datasets().get(1)));
      assertValues(new double[] {9.5}, readDoubles(f, f.datasets().get(2)));
      assertEquals(f.datasets().get(0).nextOffset(), f.datasets().get(1).offset());
      assertEquals(List.of(0, 1, 2), f.datasets().stream().map(FcsDataset::index).toList());
    }
  }

  @ParameterizedTest(name = "$NEXTDATA off by {0}")
  @ValueSource(ints = {-1, 1})
  void aNextDataOneByteOffStillFindsTheSecondDataSet(int delta) throws IOException {
    RawFcs second =
        RawFcs.listMode("I", "1,2,3,4", 1, 16)
            .keyword("$P1R", "65536")
            .data(RawFcs.Data.little().u16(4242).bytes());
    byte[] bytes = valid().trailer(RawFcs.ascii("00000000")).next(second, delta).build();
    try (FcsFile f = open("offbyone.fcs", bytes)) {
      assertEquals(2, f.datasets().size());
      assertMentions(
          assertWarning(f.first(), "NEXTDATA_OFF_BY_ONE"),
          delta > 0 ? "one byte after" : "one byte before");
      assertValues(new double[] {4242}, readDoubles(f, f.datasets().get(1)));
      assertValues(VALUES, readDoubles(f, f.first()));
    }
  }

  @ParameterizedTest(name = "$NEXTDATA {0}")
  @ValueSource(strings = {"999999", "9223372036854775800", "60"})
  void aNextDataThatDoesNotPointToAHeaderIsIgnored(String next) throws IOException {
    byte[] bytes = valid().keyword("$NEXTDATA", next).build();
    try (FcsFile f = open("nonext.fcs", bytes)) {
      assertEquals(1, f.datasets().size());
      assertMentions(assertWarning(f.first(), "NEXTDATA_INVALID"), "$NEXTDATA " + next);
      assertValues(VALUES, readDoubles(f, f.first()));
    }
  }

  @Test
  void aSpilloverMayNameASubsetOfTheChannels() throws IOException {
    byte[] bytes =
        RawFcs.listMode("F", "1,2,3,4", 1, 32, 32, 32)
            .keyword("$P1N", "FSC-A")
            .keyword("$P2N", "FL1-A")
            .keyword("$P3N", "FL2-A")
            .keyword("$SPILLOVER", "2,FL2-A,FL1-A,1,0.2,0.05,1")
            .data(RawFcs.Data.little().f32(1).f32(2).f32(3).bytes())
            .build();
    FcsDataset ds = readsAs("subset.fcs", bytes, new double[] {1, 2, 3});
    Spillover s = ds.spillover().orElseThrow();
    assertEquals(List.of("FL2-A", "FL1-A"), s.channels());
    assertEquals(0.2, s.value(0, 1));
    assertEquals(0.05, s.value(1, 0));
    assertFalse(codes(ds).stream().anyMatch(c -> c.startsWith("SPILLOVER")), codes(ds).toString());
  }

  @Test
  void aSpilloverNamingChannelsByLabelOrNumberIsMappedToNames() throws IOException {
    byte[] bytes =
        RawFcs.listMode("F", "1,2,3,4", 1, 32, 32, 32)
            .keyword("$P1N", "FSC-A")
            .keyword("$P2N", "FL1-A")
            .keyword("$P2S", "CD3")
            .keyword("$P3N", "FL2-A")
            .keyword("SPILL", "3,CD3,3,Other,1,0.1,0,0,1,0,0,0,1")
            .data(RawFcs.Data.little().f32(1).f32(2).f32(3).bytes())
            .build();
    FcsDataset ds = readsAs("bylabel.fcs", bytes, new double[] {1, 2, 3});
    Spillover s = ds.spillover().orElseThrow();
    assertEquals("SPILL", s.keyword());
    assertEquals(List.of("FL1-A", "FL2-A", "Other"), s.channels());
    assertMentions(assertWarning(ds, "SPILLOVER_BY_LABEL"), "'CD3'", "'FL1-A'");
    assertMentions(assertWarning(ds, "SPILLOVER_BY_INDEX"), "'3'", "'FL2-A'");
    assertMentions(assertWarning(ds, "SPILLOVER_UNKNOWN_CHANNEL"), "'Other'");
  }

  @Test
  void anUnparsableSpilloverIsDroppedWithAWarning() throws IOException {
    byte[] bytes = valid().keyword("$SPILLOVER", "2,P1,P2,1,0.1,x,1").build();
    FcsDataset ds = readsAs("badspill.fcs", bytes, VALUES);
    assertTrue(ds.spillover().isEmpty());
    assertMentions(assertWarning(ds, "BAD_SPILLOVER"), "row 2, column 1", "'x'");
  }

  @Test
  void anEmptyValueAfterANameDiffersFromAnEscapedDelimiterInAValue() throws IOException {
    byte[] bytes =
        valid()
            .keyword("$OP", "")
            .keyword("$SRC", "tube 1/2")
            .keyword("$COM", "/leading and trailing/")
            .build();
    FcsDataset ds = readsAs("empty-value.fcs", bytes, VALUES);
    assertEquals("", ds.keywords().getOrNull("$OP"));
    assertEquals("tube 1/2", ds.keywords().getOrNull("$SRC"));
    assertEquals("/leading and trailing/", ds.keywords().getOrNull("$COM"));
    assertMentions(assertWarning(ds, "TEXT_EMPTY_VALUE"), "1 keyword(s)");
    assertEquals(List.of("TEXT_EMPTY_VALUE"), codes(ds));
  }

  @Test
  void supplementalTextKeywordsAreMergedAndThePrimaryWinsConflicts() throws IOException {
    byte[] bytes =
        valid()
            .supplementalText(
                Map.of(
                    "$SPILLOVER", "2,P1,P2,1,0.5,0,1",
                    "$PAR", "99"))
            .build();
    FcsDataset ds = readsAs("stext.fcs", bytes, VALUES);
    assertEquals("2", ds.keywords().getOrNull("$PAR"));
    assertEquals(List.of("P1", "P2"), ds.spillover().orElseThrow().channels());
    assertMentions(assertWarning(ds, "STEXT_CONFLICT"), "$PAR", "'99'", "'2' kept");
    assertTrue(ds.keywords().contains("$BEGINSTEXT"));
  }

  @Test
  void supplementalTextOutsideTheFileIsIgnoredWithAWarning() throws IOException {
    byte[] bytes = valid().keyword("$BEGINSTEXT", "5000").keyword("$ENDSTEXT", "6000").build();
    FcsDataset ds = readsAs("stext-far.fcs", bytes, VALUES);
    assertMentions(assertWarning(ds, "STEXT_OFFSETS"), "5000..6000", bytes.length + " bytes");
  }

  @Test
  void headerBytesSixToNineThatAreNotSpacesAreTolerated() throws IOException {
    FcsDataset ds = readsAs("hdr-spaces.fcs", valid().version("FCS3.1\0\0\0\0").build(), VALUES);
    assertMentions(assertWarning(ds, "HEADER_SPACES"), "byte 6", "0x0");
  }

  @Test
  void floatBitWidthsOtherThanThirtyTwoAreCorrected() throws IOException {
    byte[] bytes =
        RawFcs.listMode("F", "1,2,3,4", 1, 16).data(RawFcs.Data.little().f32(2.5f).bytes()).build();
    FcsDataset ds = readsAs("pnbf.fcs", bytes, new double[] {2.5});
    assertEquals(32, ds.parameters().get(0).bits());
    assertMentions(assertWarning(ds, "PNB_FLOAT"), "$P1B is 16", "using 32");
  }

  @Test
  void aLogAmplificationWithZeroOffsetUsesOne() throws IOException {
    FcsDataset ds = readsAs("pne.fcs", valid().keyword("$P2E", "4,0").build(), VALUES);
    assertEquals(4, ds.parameters().get(1).decades());
    assertEquals(1, ds.parameters().get(1).logOffset());
    assertMentions(assertWarning(ds, "PNE_ZERO_OFFSET"), "$P2E");
  }
}
