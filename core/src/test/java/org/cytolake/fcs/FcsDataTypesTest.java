package org.cytolake.fcs;

import static org.cytolake.fcs.FcsTestSupport.assertValues;
import static org.cytolake.fcs.FcsTestSupport.assertWarning;
import static org.cytolake.fcs.FcsTestSupport.codes;
import static org.cytolake.fcs.FcsTestSupport.open;
import static org.cytolake.fcs.FcsTestSupport.readDoubles;
import static org.cytolake.fcs.FcsTestSupport.readFloats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decoding of every binary data type, width and byte order (FCS 3.1 sections 3.2.18 and 3.3), FCS
 * 3.2 per-parameter types, {@code $PnR} masking and block-wise streaming, on files built here with
 * {@link RawFcs}. Every value is checked exactly through {@code read(double[])}, and
 * {@code read(float[])} must give the float of each double.
 */
class FcsDataTypesTest {

  /** The double an unsigned 64-bit pattern stands for, computed without the reader's arithmetic. */
  private static double unsigned(long v) {
    return Double.parseDouble(Long.toUnsignedString(v));
  }

  private static long mask(int bits) {
    return bits >= 64 ? -1L : (1L << bits) - 1;
  }

  private static ByteOrder orderOf(String byteOrd) {
    return byteOrd.startsWith("1") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
  }

  /**
   * Stored integers that catch byte-order and width mistakes: 0, 1, all ones, a pattern of distinct
   * bytes, the top bit alone.
   */
  private static long[] integerSamples(int bits) {
    long m = mask(bits);
    return new long[] {
      0,
      1,
      m,
      0x0807060504030201L & m,
      0x1122334455667788L & m,
      (1L << (bits - 1)) & m,
      0xA5A5A5A5A5A5A5A5L & m,
      2
    };
  }

  static Stream<Arguments> integerLayouts() {
    List<Arguments> out = new ArrayList<>();
    for (int bits : new int[] {8, 10, 16, 24, 32, 64}) {
      out.add(Arguments.of(bits, "1,2,3,4"));
      out.add(Arguments.of(bits, "4,3,2,1"));
    }
    out.add(Arguments.of(16, "1,2"));
    out.add(Arguments.of(16, "2,1"));
    return out.stream();
  }

  @ParameterizedTest(name = "I, $PnB {0}, $BYTEORD {1}")
  @MethodSource("integerLayouts")
  void unsignedIntegersOfEveryWidthAndOrderDecodeExactly(int bits, String byteOrd)
      throws IOException {
    int width = (bits + 7) / 8;
    long[] samples = integerSamples(bits);
    // Two parameters: event e holds samples[e] and samples[samples.length - 1 - e].
    RawFcs.Data data = new RawFcs.Data(orderOf(byteOrd));
    double[] expected = new double[samples.length * 2];
    for (int e = 0; e < samples.length; e++) {
      long a = samples[e];
      long b = samples[samples.length - 1 - e];
      data.uint(a, width).uint(b, width);
      expected[2 * e] = unsigned(a);
      expected[2 * e + 1] = unsigned(b);
    }
    RawFcs raw = RawFcs.listMode("I", byteOrd, samples.length, bits, bits).data(data.bytes());
    if (bits == 10) {
      raw.keyword("$P1R", "1024").keyword("$P2R", "1024");
    }
    try (FcsFile f = open("int" + bits + ".fcs", raw.build())) {
      FcsDataset ds = f.first();
      assertEquals(width, ds.layout().width(0), "storage width of $PnB " + bits);
      assertEquals(2 * width, ds.layout().eventBytes());
      assertEquals(orderOf(byteOrd), ds.byteOrder());
      assertEquals(samples.length, ds.eventCount());
      assertValues(expected, readDoubles(f, ds));
      assertFloatsMatchDoubles(f, ds);
    }
  }

  @ParameterizedTest(name = "F, $BYTEORD {0}")
  @ValueSource(strings = {"1,2,3,4", "4,3,2,1"})
  void singlePrecisionFloatsDecodeBitExactly(String byteOrd) throws IOException {
    float[] samples = {
      0f,
      -0f,
      1.5f,
      -3.25e-7f,
      Float.MAX_VALUE,
      Float.MIN_VALUE,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      Float.NaN,
      123456.79f,
      -262143f,
      1e-38f
    };
    RawFcs.Data data = new RawFcs.Data(orderOf(byteOrd));
    double[] expected = new double[samples.length];
    for (int i = 0; i < samples.length; i++) {
      data.f32(samples[i]);
      expected[i] = samples[i];
    }
    // 3 parameters × 4 events.
    byte[] file = RawFcs.listMode("F", byteOrd, 4, 32, 32, 32).data(data.bytes()).build();
    try (FcsFile f = open("float.fcs", file)) {
      assertEquals(DataType.F, f.first().dataType());
      assertValues(expected, readDoubles(f, f.first()));
      assertFloatsMatchDoubles(f, f.first());
    }
  }

  @ParameterizedTest(name = "D, $BYTEORD {0}")
  @ValueSource(strings = {"1,2,3,4", "4,3,2,1", "1,2,3,4,5,6,7,8", "8,7,6,5,4,3,2,1"})
  void doublePrecisionFloatsDecodeBitExactly(String byteOrd) throws IOException {
    double[] samples = {
      0,
      -0.0,
      Math.PI,
      -1e300,
      Double.MAX_VALUE,
      Double.MIN_VALUE,
      Double.POSITIVE_INFINITY,
      Double.NaN,
      1.0000000000000002,
      -262143.5
    };
    RawFcs.Data data = new RawFcs.Data(orderOf(byteOrd));
    for (double v : samples) {
      data.f64(v);
    }
    byte[] file = RawFcs.listMode("D", byteOrd, 5, 64, 64).data(data.bytes()).build();
    try (FcsFile f = open("double.fcs", file)) {
      assertEquals(DataType.D, f.first().dataType());
      assertValues(samples, readDoubles(f, f.first()));
      assertFloatsMatchDoubles(f, f.first());
    }
  }

  @ParameterizedTest(name = "$BYTEORD {0}")
  @ValueSource(strings = {"1,2,3,4", "4,3,2,1"})
  void mixedIntegerWidthsWithinOneEventDecodeAtTheirOffsets(String byteOrd) throws IOException {
    RawFcs.Data data = new RawFcs.Data(orderOf(byteOrd));
    long[][] events = {
      {0xBEEF, 0xDEADBEEFL, 0x7F},
      {1, 2, 3},
      {0xFFFF, 0xFFFFFFFFL, 0xFF},
      {0x0102, 0x03040506, 0x07},
    };
    double[] expected = new double[events.length * 3];
    for (int e = 0; e < events.length; e++) {
      data.u16(events[e][0]).u32(events[e][1]).u8(events[e][2]);
      for (int p = 0; p < 3; p++) {
        expected[e * 3 + p] = events[e][p];
      }
    }
    byte[] file =
        RawFcs.listMode("I", byteOrd, events.length, 16, 32, 8).data(data.bytes()).build();
    try (FcsFile f = open("mixed.fcs", file)) {
      EventLayout layout = f.first().layout();
      assertEquals(7, layout.eventBytes());
      assertEquals(List.of(2, 4, 1), List.of(layout.width(0), layout.width(1), layout.width(2)));
      assertValues(expected, readDoubles(f, f.first()));
      assertFloatsMatchDoubles(f, f.first());
    }
  }

  @ParameterizedTest(name = "$BYTEORD {0}")
  @ValueSource(strings = {"1,2,3,4", "4,3,2,1"})
  void perParameterDataTypeOfFcs32OverridesDataType(String byteOrd) throws IOException {
    RawFcs.Data data = new RawFcs.Data(orderOf(byteOrd));
    data.u16(1000).f32(2.5f).f64(-7.125).u8(200);
    data.u16(65535).f32(-0f).f64(1e-300).u8(0);
    byte[] file =
        RawFcs.listMode("I", byteOrd, 2, 16, 32, 64, 8)
            .version("FCS3.2")
            .keyword("$P2DATATYPE", "F")
            .keyword("$P3DATATYPE", "D")
            .data(data.bytes())
            .build();
    try (FcsFile f = open("fcs32.fcs", file)) {
      FcsDataset ds = f.first();
      assertEquals(DataType.I, ds.dataType());
      assertEquals(
          List.of(DataType.I, DataType.F, DataType.D, DataType.I),
          ds.parameters().stream().map(FcsParameter::type).toList());
      assertEquals(2 + 4 + 8 + 1, ds.layout().eventBytes());
      assertValues(
          new double[] {1000, 2.5, -7.125, 200, 65535, -0.0, 1e-300, 0}, readDoubles(f, ds));
      assertFloatsMatchDoubles(f, ds);
    }
  }

  @Test
  void oneFloatParameterAmongIntegersIsDecodedAsFloat() throws IOException {
    byte[] data = RawFcs.Data.big().u32(7).f32(0.25f).u32(0xFFFFFFFFL).f32(1e10f).bytes();
    byte[] file =
        RawFcs.listMode("I", "4,3,2,1", 2, 32, 32)
            .version("FCS3.2")
            .keyword("$P2DATATYPE", "F")
            .data(data)
            .build();
    try (FcsFile f = open("i-with-f.fcs", file)) {
      assertValues(new double[] {7, 0.25, 4294967295.0, 1e10f}, readDoubles(f, f.first()));
      assertFloatsMatchDoubles(f, f.first());
    }
  }

  /**
   * FCS 3.1 section 3.3: type I values are masked with {@code 2^ceil(log2 $PnR) - 1} when
   * {@code $PnR} is smaller than the storage width allows; without {@code $PnR} nothing is masked.
   * Parameter 1 carries the {@code $PnR}, parameter 2 (same width) none.
   */
  @ParameterizedTest(name = "$PnB {0}, $PnR {1}, stored {2} -> {3}")
  @CsvSource(
      nullValues = "none",
      value = {
        "16, 1024,  0xFC05, 5",
        "16, 1024,  0xABCD, 0x3CD",
        "16, 1000,  0xFFFF, 1023",
        "16, 1025,  0xFFFF, 2047",
        "16, 1023.5, 0xFFFF, 1023",
        "16, 65536, 0xFFFF, 65535",
        "16, 262144, 0xFFFF, 65535",
        "16, none,  0xFFFF, 65535",
        "10, 1024,  0xFFFF, 1023",
        "10, 1024,  0x8001, 1",
        "10, none,  0xFC01, 0xFC01",
        "8,  128,   0xFF,   127",
        "24, 4096,  0xFFFFFF, 4095",
        "32, 262144, 0xFFFFFFFF, 262143",
        "32, 4294967296, 0xFFFFFFFF, 0xFFFFFFFF",
        "64, 4294967296, 0xFFFFFFFFFFFFFFFF, 0xFFFFFFFF",
      })
  void integerValuesAreMaskedByTheirRange(int bits, String range, String stored, String masked)
      throws IOException {
    long raw = Long.parseUnsignedLong(stored.substring(2), 16);
    long want =
        masked.startsWith("0x")
            ? Long.parseUnsignedLong(masked.substring(2), 16)
            : Long.parseLong(masked);
    int width = (bits + 7) / 8;
    for (String byteOrd : new String[] {"1,2,3,4", "4,3,2,1"}) {
      RawFcs.Data data = new RawFcs.Data(orderOf(byteOrd));
      data.uint(raw, width).uint(raw, width).uint(0, width).uint(raw, width);
      RawFcs f = RawFcs.listMode("I", byteOrd, 2, bits, bits).data(data.bytes());
      if (range != null) {
        f.keyword("$P1R", range);
      }
      try (FcsFile file = open("mask.fcs", f.build())) {
        FcsDataset ds = file.first();
        double all = unsigned(raw & mask(width * 8));
        assertValues(new double[] {unsigned(want), all, 0, all}, readDoubles(file, ds));
        assertFloatsMatchDoubles(file, ds);
        assertWarning(ds, "MISSING_PNR");
      }
    }
  }

  @Test
  void sixtyFourBitRangeOfTwoToTheSixtyFourMasksNothing() throws IOException {
    long raw = 0xFFFFFFFFFFFFFFFFL;
    byte[] file =
        RawFcs.listMode("I", "4,3,2,1", 1, 64)
            .keyword("$P1R", "18446744073709551616")
            .data(RawFcs.Data.big().u64(raw).bytes())
            .build();
    try (FcsFile f = open("r64.fcs", file)) {
      assertFalse(codes(f.first()).contains("MISSING_PNR"));
      assertValues(new double[] {unsigned(raw)}, readDoubles(f, f.first()));
    }
  }

  static Stream<Arguments> blockLayouts() {
    return Stream.of(
        Arguments.of("I", new int[] {16, 16}),
        Arguments.of("I", new int[] {32, 32, 32}),
        Arguments.of("I", new int[] {8}),
        Arguments.of("I", new int[] {16, 32, 8}),
        Arguments.of("I", new int[] {24, 10}),
        Arguments.of("F", new int[] {32, 32}),
        Arguments.of("D", new int[] {64, 64, 64}));
  }

  /**
   * Reading in small blocks, into small or large destinations, or a sub-range of events, gives the
   * same values as reading everything at once.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("blockLayouts")
  void blockWiseAndSubRangeReadsMatchTheWholeRead(String type, int[] bits) throws IOException {
    int events = 23;
    int par = bits.length;
    RawFcs.Data data = RawFcs.Data.little();
    double[] expected = new double[events * par];
    for (int e = 0; e < events; e++) {
      for (int p = 0; p < par; p++) {
        long v = (e * 977L + p * 131L + 7) & mask(Math.min(bits[p], 16));
        int i = e * par + p;
        switch (type) {
          case "F" -> {
            data.f32(v + 0.5f);
            expected[i] = v + 0.5f;
          }
          case "D" -> {
            data.f64(v - 0.25);
            expected[i] = v - 0.25;
          }
          default -> {
            data.uint(v, (bits[p] + 7) / 8);
            expected[i] = v;
          }
        }
      }
    }
    byte[] file = RawFcs.listMode(type, "1,2,3,4", events, bits).data(data.bytes()).build();
    try (FcsFile f = open("blocks.fcs", file)) {
      FcsDataset ds = f.first();
      int eventBytes = ds.layout().eventBytes();
      assertValues(expected, readDoubles(f, ds));
      for (int block : new int[] {1, eventBytes, 2 * eventBytes + 1, 5 * eventBytes, 1 << 20}) {
        for (int dst : new int[] {1, 3, events}) {
          String what = "block " + block + " bytes, destination " + dst + " events";
          double[] d = readDoubles(f, ds, 0, events, block, dst);
          assertValues(expected, d);
          float[] fl = readFloats(f, ds, 0, events, block, dst);
          for (int i = 0; i < d.length; i++) {
            assertEquals((float) d[i], fl[i], what + ", value " + i);
          }
          double[] sub = readDoubles(f, ds, 5, 11, block, dst);
          double[] want = new double[11 * par];
          System.arraycopy(expected, 5 * par, want, 0, want.length);
          assertValues(want, sub);
        }
      }
      assertEquals(0, readDoubles(f, ds, events, 0, 64, 4).length, "empty range at the end");
      double[] last = readDoubles(f, ds, events - 1, 1, 64, 1);
      assertValues(java.util.Arrays.copyOfRange(expected, (events - 1) * par, events * par), last);
    }
  }

  @Test
  void rangesOutsideTheDataSetAndDestinationsSmallerThanAnEventAreRefused() throws IOException {
    byte[] file =
        RawFcs.listMode("I", "1,2,3,4", 3, 16, 16)
            .data(RawFcs.Data.little().u16(1).u16(2).u16(3).u16(4).u16(5).u16(6).bytes())
            .build();
    try (FcsFile f = open("ranges.fcs", file)) {
      FcsDataset ds = f.first();
      assertThrows(IllegalArgumentException.class, () -> f.events(ds, 2, 2, 64));
      assertThrows(IllegalArgumentException.class, () -> f.events(ds, -1, 1, 64));
      assertThrows(IllegalArgumentException.class, () -> f.events(ds, 0, -1, 64));
      EventReader r = f.events(ds);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> r.read(new double[1]));
      FcsTestSupport.assertMentions(e.getMessage(), "ranges.fcs", "fewer than one event");
      assertEquals(3, r.remaining(), "a refused read consumes nothing");
    }
  }

  /** {@code read(float[])} gives exactly the float of each value {@code read(double[])} gives. */
  private static void assertFloatsMatchDoubles(FcsFile f, FcsDataset ds) throws IOException {
    int n = (int) ds.eventCount();
    double[] d = readDoubles(f, ds, 0, n, FcsFile.DEFAULT_BLOCK_BYTES, n);
    float[] fl = readFloats(f, ds, 0, n, FcsFile.DEFAULT_BLOCK_BYTES, n);
    for (int i = 0; i < d.length; i++) {
      assertEquals((float) d[i], fl[i], "float of value " + i + " (" + d[i] + ")");
    }
  }
}
