package org.cytolake.fcs;

import static org.cytolake.fcs.FcsTestSupport.assertMentions;
import static org.cytolake.fcs.FcsTestSupport.assertValues;
import static org.cytolake.fcs.FcsTestSupport.assertWarning;
import static org.cytolake.fcs.FcsTestSupport.codes;
import static org.cytolake.fcs.FcsTestSupport.open;
import static org.cytolake.fcs.FcsTestSupport.readDoubles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link FcsWriter} output read back by {@link FcsReader}: every version, data type, width, byte
 * order and delimiter the writer offers, spillover, extra keywords, empty files, and the writer's
 * refusals. Also the reader's use of TEXT DATA offsets when the HEADER's are 0, blank or
 * 99,999,999 (FCS 3.1 section 3.1), on files built with {@link RawFcs}.
 */
class FcsWriterRoundTripTest {
  private static final List<FcsWriter.Channel> CHANNELS =
      List.of(
          FcsWriter.channel("FSC-A", null, 262144),
          FcsWriter.channel("SSC-A", "", 262144),
          FcsWriter.channel("FL1-A", "CD3 FITC", 262144));

  /** The {@code (type, bits)} pairs the writer supports, with values each holds exactly. */
  private enum Encoding {
    F(DataType.F, 32, new double[] {0, 1.5, -2.25, 262143, 1e-3f, -0.0, 3.4e38f, 1.17549435E-38f}),
    D(
        DataType.D,
        64,
        new double[] {0, Math.PI, -1e300, 262143.75, Double.MIN_VALUE, -0.0, 1e-9, 7}),
    I8(DataType.I, 8, new double[] {0, 1, 255, 128, 17, 254, 99, 3}),
    I16(DataType.I, 16, new double[] {0, 1, 65535, 32768, 258, 65534, 1023, 7}),
    I32(DataType.I, 32, new double[] {0, 1, 16777216, 4294967040.0, 2147483648.0, 65536, 77, 3});

    final DataType type;
    final int bits;
    final double[] values;

    Encoding(DataType type, int bits, double[] values) {
      this.type = type;
      this.bits = bits;
      this.values = values;
    }

    List<FcsWriter.Channel> channels() {
      if (type != DataType.I) {
        return CHANNELS;
      }
      long range = 1L << bits; // the full width: nothing masked
      return CHANNELS.stream().map(c -> FcsWriter.channel(c.name(), c.label(), range)).toList();
    }

    /** Row-major events: the values cycled over 3 channels, 8 events. */
    double[] events() {
      double[] out = new double[8 * 3];
      for (int i = 0; i < out.length; i++) {
        out[i] = values[(i * 5 + i / 3) % values.length];
      }
      return out;
    }
  }

  static Stream<Arguments> formats() {
    List<Arguments> out = new ArrayList<>();
    for (String version : List.of("FCS2.0", "FCS3.0", "FCS3.1")) {
      for (Encoding e : Encoding.values()) {
        out.add(Arguments.of(version, e, ByteOrder.LITTLE_ENDIAN));
        out.add(Arguments.of(version, e, ByteOrder.BIG_ENDIAN));
      }
    }
    return out.stream();
  }

  private static byte[] write(FcsWriter.Spec spec, double[] rowMajor, int events)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (FcsWriter.Output out = FcsWriter.open(bytes, "written.fcs", spec, events)) {
      out.write(rowMajor, events);
    }
    return bytes.toByteArray();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("formats")
  void everyVersionTypeAndByteOrderReadsBackExactly(String version, Encoding enc, ByteOrder order)
      throws IOException {
    FcsWriter.Spec spec =
        FcsWriter.spec(enc.channels())
            .withVersion(version)
            .withDataType(enc.type, enc.bits)
            .withOrder(order);
    double[] events = enc.events();
    byte[] bytes = write(spec, events, 8);
    try (FcsFile f = open("written.fcs", bytes)) {
      assertEquals(1, f.datasets().size());
      FcsDataset ds = f.first();
      assertEquals(List.of(), ds.warnings(), "a file of our own writer needs no leniency");
      assertEquals(version, ds.version());
      assertEquals(enc.type, ds.dataType());
      assertEquals(order, ds.byteOrder());
      assertEquals(order == ByteOrder.LITTLE_ENDIAN ? "1,2,3,4" : "4,3,2,1", ds.byteOrderKeyword());
      assertEquals(8, ds.declaredEvents());
      assertEquals(8, ds.eventCount());
      Keywords kw = ds.keywords();
      assertEquals("3", kw.getOrNull("$PAR"));
      assertEquals("L", kw.getOrNull("$MODE"));
      assertEquals("0", kw.getOrNull("$NEXTDATA"));
      List<FcsWriter.Channel> channels = enc.channels();
      for (int p = 0; p < 3; p++) {
        FcsParameter param = ds.parameters().get(p);
        assertEquals(channels.get(p).name(), param.name());
        assertEquals(enc.bits, param.bits());
        assertEquals((double) channels.get(p).range(), param.range());
        assertEquals(0, param.decades());
        assertEquals(1, param.gain());
      }
      assertNull(ds.parameters().get(0).label());
      assertFalse(kw.contains("$P2S"), "a blank label is not written");
      assertEquals("CD3 FITC", ds.parameters().get(2).label());
      DataSegment data = ds.data();
      assertEquals("HEADER", data.source());
      if (!version.equals("FCS2.0")) {
        assertEquals(Long.toString(data.start()), kw.getOrNull("$BEGINDATA"));
        assertEquals(Long.toString(data.start() + data.length() - 1), kw.getOrNull("$ENDDATA"));
        assertEquals(
            "00000000",
            new String(bytes, bytes.length - 8, 8, StandardCharsets.US_ASCII),
            "CRC field");
        assertEquals(bytes.length - 8, data.start() + data.length());
      } else {
        assertFalse(kw.contains("$BEGINDATA"));
        assertEquals(bytes.length, data.start() + data.length());
      }
      assertEquals(ds.header().dataStart(), data.start());
      assertEquals(ds.header().textEnd() + 1, data.start(), "DATA follows TEXT");
      assertValues(events, readDoubles(f, ds));
    }
  }

  @ParameterizedTest(name = "delimiter {0}")
  @ValueSource(chars = {'/', '|', ',', '\\', '!', ';', '~'})
  void delimitersIncludingOnesInsideValuesAreEscapedAndReadBack(char delimiter) throws IOException {
    Spillover spill =
        new Spillover(
            "$SPILLOVER", List.of("FSC-A", "FL1-A"), new double[][] {{1, 0.125}, {0.0625, 1}});
    Map<String, String> extra =
        FcsWriter.keywords(
            "$SRC", "tube 1/2, well A|B; 50% \\ done!",
            "$FIL", "run" + delimiter + "x.fcs",
            "TRAILING", "ends with " + delimiter,
            "DOUBLED", "a" + delimiter + delimiter + "b",
            "LEADING", delimiter + "starts with the delimiter",
            "ONLY", String.valueOf(delimiter));
    List<FcsWriter.Channel> channels =
        List.of(
            FcsWriter.channel("FSC-A", "size" + delimiter + "shape", 1024),
            FcsWriter.channel("FL1-A", "CD4" + delimiter + "CD8", 1024));
    FcsWriter.Spec spec =
        FcsWriter.spec(channels).withDelimiter(delimiter).withSpillover(spill).withKeywords(extra);
    byte[] bytes = write(spec, new double[] {1, 2, 3, 4}, 2);
    try (FcsFile f = open("delim.fcs", bytes)) {
      FcsDataset ds = f.first();
      assertEquals(List.of(), ds.warnings());
      assertEquals(delimiter, (char) bytes[FcsHeader.LENGTH]);
      for (Map.Entry<String, String> e : extra.entrySet()) {
        assertEquals(e.getValue(), ds.keywords().getOrNull(e.getKey()), e.getKey());
      }
      assertEquals("size" + delimiter + "shape", ds.parameters().get(0).label());
      assertEquals("CD4" + delimiter + "CD8", ds.parameters().get(1).label());
      assertEquals("1,2,3,4", ds.byteOrderKeyword());
      assertEquals(spill, ds.spillover().orElseThrow());
      assertValues(new double[] {1, 2, 3, 4}, readDoubles(f, ds));
    }
  }

  @ParameterizedTest(name = "{0} stores spillover as {1}")
  @CsvSource({
    "FCS3.1, $SPILLOVER, SPILL",
    "FCS3.0, SPILL, $SPILLOVER",
    "FCS2.0, SPILL, $SPILLOVER"
  })
  void spilloverRoundTripsUnderTheKeywordOfItsVersion(String version, String keyword, String absent)
      throws IOException {
    double[][] matrix = {
      {1, 0.123456789, 0},
      {0.5, 1, 1e-5},
      {0.0012, 0.3333333333333333, 1},
    };
    Spillover spill = new Spillover("$SPILLOVER", List.of("FL1-A", "FSC-A", "SSC-A"), matrix);
    FcsWriter.Spec spec = FcsWriter.spec(CHANNELS).withVersion(version).withSpillover(spill);
    byte[] bytes = write(spec, new double[3], 1);
    try (FcsFile f = open("spill.fcs", bytes)) {
      FcsDataset ds = f.first();
      assertTrue(ds.keywords().contains(keyword), keyword + " written");
      assertFalse(ds.keywords().contains(absent), absent + " not written");
      Spillover read = ds.spillover().orElseThrow();
      assertEquals(new Spillover(keyword, spill.channels(), matrix), read);
      assertArrayEquals(matrix[1], read.matrix()[1]);
      assertEquals(Spillover.parse(keyword, spill.format()), read);
    }
  }

  @Test
  void extraKeywordsKeepTheirValuesAndOrderAfterTheStandardOnes() throws IOException {
    Map<String, String> extra =
        FcsWriter.keywords(
            "$CYT",
            "cytolake",
            "$DATE",
            "05-JAN-2024",
            "Custom Key",
            "mixed Case value",
            "UNICODE",
            "CD45 – µm², α/β");
    byte[] bytes = write(FcsWriter.spec(CHANNELS).withKeywords(extra), new double[3], 1);
    try (FcsFile f = open("extra.fcs", bytes)) {
      Keywords kw = f.first().keywords();
      assertEquals("mixed Case value", kw.getOrNull("custom key"), "names are case-insensitive");
      assertEquals("CD45 – µm², α/β", kw.getOrNull("UNICODE"), "UTF-8 values");
      List<String> names = new ArrayList<>(kw.asMap().keySet());
      assertEquals(
          List.of("$CYT", "$DATE", "CUSTOM KEY", "UNICODE"),
          names.subList(names.size() - 4, names.size()));
      assertTrue(names.indexOf("$TOT") < names.indexOf("$CYT"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"FCS2.0", "FCS3.0", "FCS3.1"})
  void zeroEventsGiveAReadableEmptyDataSet(String version) throws IOException {
    byte[] bytes = write(FcsWriter.spec(CHANNELS).withVersion(version), new double[0], 0);
    try (FcsFile f = open("empty.fcs", bytes)) {
      FcsDataset ds = f.first();
      assertEquals(0, ds.declaredEvents());
      assertEquals(0, ds.eventCount());
      assertTrue(ds.hasReadableData());
      assertEquals(0, ds.data().events());
      EventReader r = f.events(ds);
      assertEquals(0, r.remaining());
      assertEquals(0, r.read(new double[3]));
      assertEquals(0, r.read(new float[0]), "no destination is needed when nothing is left");
    }
  }

  @Test
  void manyWritesAcrossBlockFlushesKeepEveryEventInOrder() throws IOException {
    int events = 9000;
    double[] all = new double[events * 3];
    for (int i = 0; i < all.length; i++) {
      all[i] = (i * 7919L) % 1_000_003 + 0.5;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FcsWriter.Spec spec = FcsWriter.spec(CHANNELS).withDataType(DataType.D, 64);
    try (FcsWriter.Output out = FcsWriter.open(bytes, "many.fcs", spec, events)) {
      int at = 0;
      for (int n = 1; at < events; n = n * 2 + 1) {
        int k = Math.min(n, events - at);
        out.write(Arrays.copyOfRange(all, at * 3, (at + k) * 3), k);
        at += k;
      }
    }
    try (FcsFile f = open("many.fcs", bytes.toByteArray())) {
      assertEquals(events, f.first().eventCount());
      assertValues(all, readDoubles(f, f.first()));
    }
  }

  @Test
  void floatWritesToADoubleFileAndDoubleWritesToAFloatFileConvert() throws IOException {
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    try (FcsWriter.Output out =
        FcsWriter.open(a, "a.fcs", FcsWriter.spec(CHANNELS).withDataType(DataType.D, 64), 1)) {
      out.write(new float[] {0.1f, 2, -3}, 1);
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (FcsWriter.Output out = FcsWriter.open(b, "b.fcs", FcsWriter.spec(CHANNELS), 1)) {
      out.write(new double[] {0.1, 2, -3}, 1);
    }
    try (FcsFile fa = open("a.fcs", a.toByteArray());
        FcsFile fb = open("b.fcs", b.toByteArray())) {
      assertValues(new double[] {0.1f, 2, -3}, readDoubles(fa, fa.first()));
      assertValues(new double[] {0.1f, 2, -3}, readDoubles(fb, fb.first()));
    }
  }

  @Test
  void aWrittenFileOnDiskReadsThroughTheFileChannel(@TempDir Path dir) throws IOException {
    Path path = dir.resolve("disk.fcs");
    float[] values = {1, 2, 3, 4, 5, 6};
    FcsWriter.write(path, FcsWriter.spec(CHANNELS), values, 2);
    try (FcsFile f = FcsReader.open(path)) {
      assertEquals(path.toString(), f.name());
      assertValues(new double[] {1, 2, 3, 4, 5, 6}, readDoubles(f, f.first()));
    }
  }

  // ---- the writer's refusals ----

  @ParameterizedTest(name = "{0}-bit value {1}")
  @CsvSource({
    "8, 256",
    "8, -1",
    "16, 65536",
    "16, -0.6",
    "32, 4294967296",
    "8, NaN",
    "16, Infinity"
  })
  void integerValuesOutsideTheWidthAreRefusedNamingValueAndChannel(int bits, float value)
      throws IOException {
    FcsWriter.Spec spec = FcsWriter.spec(CHANNELS).withDataType(DataType.I, bits);
    FcsWriter.Output out = FcsWriter.open(new ByteArrayOutputStream(), "ints.fcs", spec, 2);
    out.write(new float[] {1, 2, 3}, 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> out.write(new float[] {0, value, 0}, 1));
    assertMentions(
        e.getMessage(), "ints.fcs", "value " + value, "event 1", "'SSC-A'", bits + "-bit");
  }

  /**
   * A reader masks type I values with {@code 2^ceil(log2 $PnR) - 1} (FCS 3.1 section 3.3), so a
   * larger value would not read back as written: the writer refuses it.
   */
  @Test
  void integerValuesAboveWhatTheRangeKeepsAreRefused() throws IOException {
    List<FcsWriter.Channel> channels =
        List.of(FcsWriter.channel("FSC-A", null, 1000), FcsWriter.channel("SSC-A", null, 1024));
    FcsWriter.Spec spec = FcsWriter.spec(channels).withDataType(DataType.I, 16);
    byte[] ok = write(spec, new double[] {1023, 1023}, 1);
    try (FcsFile f = open("range.fcs", ok)) {
      assertValues(new double[] {1023, 1023}, readDoubles(f, f.first()));
    }
    FcsWriter.Output out = FcsWriter.open(new ByteArrayOutputStream(), "range.fcs", spec, 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> out.write(new float[] {5, 2000}, 1));
    assertMentions(e.getMessage(), "value 2000.0", "'SSC-A'", "$PnR 1024", "0..1023");
  }

  @Test
  void closingBeforeTheDeclaredCountIsReachedFails() throws IOException {
    FcsWriter.Output out =
        FcsWriter.open(new ByteArrayOutputStream(), "short.fcs", FcsWriter.spec(CHANNELS), 3);
    out.write(new float[6], 2);
    IllegalStateException e = assertThrows(IllegalStateException.class, out::close);
    assertMentions(e.getMessage(), "short.fcs", "2 events written", "3 were declared");
  }

  @Test
  void writingMoreThanTheDeclaredCountFails() throws IOException {
    FcsWriter.Output out =
        FcsWriter.open(new ByteArrayOutputStream(), "long.fcs", FcsWriter.spec(CHANNELS), 1);
    out.write(new float[3], 1);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> out.write(new float[3], 1));
    assertMentions(e.getMessage(), "long.fcs", "1 of the declared 1");
    assertThrows(IllegalStateException.class, () -> out.write(new double[3], 1));
  }

  @Test
  void emptyKeywordValuesAreRefused() {
    FcsWriter.Spec spec = FcsWriter.spec(CHANNELS).withKeywords(FcsWriter.keywords("$OP", ""));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FcsWriter.open(new ByteArrayOutputStream(), "kw.fcs", spec, 0));
    assertMentions(e.getMessage(), "$OP", "kw.fcs", "must not be empty");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"$TOT", "$par", "$P1N", "$BeginData"})
  void keywordsTheWriterSetsCannotBeOverridden(String name) {
    FcsWriter.Spec spec = FcsWriter.spec(CHANNELS).withKeywords(FcsWriter.keywords(name, "9"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FcsWriter.open(new ByteArrayOutputStream(), "kw.fcs", spec, 0));
    assertMentions(e.getMessage(), name, "the writer sets it");
  }

  @Test
  void keywordNamesHoldingTheDelimiterAreRefused() {
    FcsWriter.Spec spec =
        FcsWriter.spec(CHANNELS).withKeywords(FcsWriter.keywords("LASER/1", "488"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FcsWriter.open(new ByteArrayOutputStream(), "kw.fcs", spec, 0));
    assertMentions(e.getMessage(), "LASER/1", "kw.fcs", "delimiter");
  }

  @Test
  void invalidSpecsAreRefused() {
    FcsWriter.Spec ok = FcsWriter.spec(CHANNELS);
    assertMentions(
        assertThrows(IllegalArgumentException.class, () -> ok.withVersion("FCS3.2")).getMessage(),
        "FCS3.2");
    assertThrows(IllegalArgumentException.class, () -> ok.withDataType(DataType.A, 8));
    assertMentions(
        assertThrows(IllegalArgumentException.class, () -> ok.withDataType(DataType.I, 12))
            .getMessage(),
        "12");
    assertThrows(IllegalArgumentException.class, () -> ok.withDelimiter('a'));
    assertThrows(IllegalArgumentException.class, () -> ok.withDelimiter('$'));
    assertThrows(IllegalArgumentException.class, () -> ok.withDelimiter('\0'));
    assertThrows(IllegalArgumentException.class, () -> FcsWriter.spec(List.of()));
    assertThrows(IllegalArgumentException.class, () -> FcsWriter.channel(" ", null, 1024));
    assertThrows(IllegalArgumentException.class, () -> FcsWriter.channel("X", null, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> FcsWriter.open(new ByteArrayOutputStream(), "neg.fcs", ok, -1));
  }

  /** A refused open of a path must not leave the file open (counted through /proc/self/fd). */
  @Test
  void aRefusedOpenOfAPathClosesTheFile(@TempDir Path dir) throws IOException {
    Path fds = Path.of("/proc/self/fd");
    Assumptions.assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
    FcsWriter.Spec bad = FcsWriter.spec(CHANNELS).withKeywords(FcsWriter.keywords("$OP", ""));
    assertThrows(
        IllegalArgumentException.class, () -> FcsWriter.open(dir.resolve("warm.fcs"), bad, 1));
    long before = countFds(fds);
    for (int i = 0; i < 20; i++) {
      Path p = dir.resolve("bad" + i + ".fcs");
      assertThrows(IllegalArgumentException.class, () -> FcsWriter.open(p, bad, 1));
    }
    long after = countFds(fds);
    assertTrue(after - before < 5, "open descriptors grew from " + before + " to " + after);
  }

  private static long countFds(Path fds) throws IOException {
    try (Stream<Path> s = Files.list(fds)) {
      return s.count();
    }
  }

  // ---- HEADER DATA offsets the reader must look past (FCS 3.1 section 3.1) ----

  @ParameterizedTest(name = "HEADER DATA fields ''{0}'' ''{1}''")
  @CsvSource({"0, 0", "'', ''", "99999999, 99999999", "0, 99999999", "100, 99999999"})
  void headerDataOffsetsThatAreZeroBlankOrTheSentinelDeferToText(String start, String end)
      throws IOException {
    byte[] data = RawFcs.Data.big().u16(11).u16(22).u16(33).u16(44).bytes();
    byte[] bytes =
        RawFcs.listMode("I", "4,3,2,1", 2, 16, 16)
            .keyword("$P1R", "65536")
            .keyword("$P2R", "65536")
            .headerDataFields(start, end)
            .data(data)
            .build();
    try (FcsFile f = open("sentinel.fcs", bytes)) {
      FcsDataset ds = f.first();
      assertFalse(ds.header().hasDataOffsets());
      assertEquals("TEXT", ds.data().source());
      assertValues(new double[] {11, 22, 33, 44}, readDoubles(f, ds));
      if (end.trim().equals("99999999")) {
        assertMentions(assertWarning(ds, "HEADER_DATA_SENTINEL"), "99999999", "TEXT");
        assertEquals(List.of("HEADER_DATA_SENTINEL"), codes(ds));
      } else {
        assertEquals(List.of(), codes(ds));
      }
    }
  }
}
