package org.cytolake.fcs;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Test-only builder of FCS bytes, including broken ones. Unlike {@link FcsWriter} it writes exactly
 * the keywords it is given, in order, and lets a test put the DATA offsets in the HEADER, the TEXT,
 * both or neither, give them (and the TEXT and supplemental TEXT ends) wrong values, write raw
 * HEADER fields, drop the final delimiter, add a supplemental TEXT (or raw bytes in its place),
 * chain a second data set through {@code $NEXTDATA}, pad and truncate.
 *
 * <p>Layout: HEADER (58 bytes) | primary TEXT (+ padding) | supplemental TEXT | gap | DATA |
 * trailer | next data set. By default every offset is correct: the TEXT holds the offsets of the
 * bytes that follow it, so its length is iterated to a fixed point as {@link FcsWriter} does.
 * Keyword values have the delimiter doubled (FCS 3.1 section 3.2.7); names are written as given.
 * With no DATA bytes the DATA offsets are 0 and 0 unless {@link #emptyDataAsOneByte()} is set.
 */
final class RawFcs {
  /** Where the DATA offsets are written. */
  enum Offsets {
    HEADER,
    TEXT,
    BOTH,
    NONE
  }

  private String version = "FCS3.1";
  private int delimiter = '/';
  private final Map<String, String> keywords = new LinkedHashMap<>();
  private byte[] data = new byte[0];
  private Offsets dataOffsets;
  private String headerTextStart;
  private String headerTextEnd;
  private String headerDataStart;
  private String headerDataEnd;
  private long headerDataStartDelta;
  private long headerDataEndDelta;
  private long textDataStartDelta;
  private long textDataEndDelta;
  private long headerTextEndDelta;
  private String headerAnalysisStart;
  private String headerAnalysisEnd;
  private byte[] supplementalBytes;
  private long stextEndDelta;
  private boolean finalDelimiter = true;
  private byte[] textPadding = new byte[0];
  private Map<String, String> supplemental;
  private int gapBeforeData;
  private byte[] trailer = new byte[0];
  private RawFcs next;
  private long nextDataDelta;
  private int gapBeforeNext;
  private int truncate;
  private boolean emptyDataAtEnd;

  /** An FCS 3.1 file with no keywords and no DATA yet. */
  static RawFcs fcs31() {
    return new RawFcs();
  }

  /**
   * A list-mode data set with the usual required keywords: {@code $BYTEORD}, {@code $DATATYPE},
   * {@code $MODE L}, {@code $PAR}, {@code $TOT}, then {@code $PnN} (P1, P2, ...), {@code $PnB} and
   * {@code $PnE} (0,0) per parameter.
   */
  static RawFcs listMode(String dataType, String byteOrd, long tot, int... bits) {
    RawFcs f =
        new RawFcs()
            .keyword("$BYTEORD", byteOrd)
            .keyword("$DATATYPE", dataType)
            .keyword("$MODE", "L")
            .keyword("$PAR", Integer.toString(bits.length))
            .keyword("$TOT", Long.toString(tot));
    for (int i = 0; i < bits.length; i++) {
      f.keyword("$P" + (i + 1) + "N", "P" + (i + 1))
          .keyword("$P" + (i + 1) + "B", Integer.toString(bits[i]))
          .keyword("$P" + (i + 1) + "E", "0,0");
    }
    return f;
  }

  RawFcs version(String v) {
    this.version = v;
    return this;
  }

  /** The TEXT delimiter as a byte value (any byte, so that illegal ones can be written). */
  RawFcs delimiter(int d) {
    this.delimiter = d;
    return this;
  }

  /** Adds or replaces a keyword (a replaced one keeps its place). The name is written as given. */
  RawFcs keyword(String name, String value) {
    keywords.put(name, value);
    return this;
  }

  RawFcs remove(String name) {
    keywords.remove(name);
    return this;
  }

  RawFcs data(byte[] bytes) {
    this.data = bytes.clone();
    return this;
  }

  /** Where the DATA offsets go; default BOTH for FCS 3.x, HEADER for FCS 2.0. */
  RawFcs dataOffsetsIn(Offsets where) {
    this.dataOffsets = where;
    return this;
  }

  /** Raw HEADER TEXT-offset fields (right-justified to 8 characters). */
  RawFcs headerTextFields(String start, String end) {
    this.headerTextStart = start;
    this.headerTextEnd = end;
    return this;
  }

  /** Adds a delta to the correct TEXT end written in the HEADER (+1: an exclusive end). */
  RawFcs headerTextEndDelta(long delta) {
    this.headerTextEndDelta = delta;
    return this;
  }

  /** Raw HEADER ANALYSIS-offset fields (default 0 and 0). */
  RawFcs headerAnalysisFields(String start, String end) {
    this.headerAnalysisStart = start;
    this.headerAnalysisEnd = end;
    return this;
  }

  /** Raw HEADER DATA-offset fields, e.g. {@code "0"}, {@code ""} or {@code "99999999"}. */
  RawFcs headerDataFields(String start, String end) {
    this.headerDataStart = start;
    this.headerDataEnd = end;
    return this;
  }

  /** Adds deltas to the correct DATA offsets written in the HEADER. */
  RawFcs headerDataDelta(long startDelta, long endDelta) {
    this.headerDataStartDelta = startDelta;
    this.headerDataEndDelta = endDelta;
    return this;
  }

  /** Adds deltas to the correct {@code $BEGINDATA}/{@code $ENDDATA}. */
  RawFcs textDataDelta(long startDelta, long endDelta) {
    this.textDataStartDelta = startDelta;
    this.textDataEndDelta = endDelta;
    return this;
  }

  /** Ends the TEXT after the last value, without the delimiter. */
  RawFcs omitFinalDelimiter() {
    this.finalDelimiter = false;
    return this;
  }

  /** Bytes inside the TEXT segment after its last delimiter (the HEADER TEXT end includes them). */
  RawFcs textPadding(byte[] padding) {
    this.textPadding = padding.clone();
    return this;
  }

  /** A supplemental TEXT after the primary TEXT, found by {@code $BEGINSTEXT}/{@code $ENDSTEXT}. */
  RawFcs supplementalText(Map<String, String> stext) {
    this.supplemental = new LinkedHashMap<>(stext);
    return this;
  }

  /** These bytes, as they are, where the supplemental TEXT goes (binary, say). */
  RawFcs supplementalBytes(byte[] bytes) {
    this.supplementalBytes = bytes.clone();
    return this;
  }

  /** Adds a delta to the correct {@code $ENDSTEXT} (+1: an exclusive end). */
  RawFcs supplementalEndDelta(long delta) {
    this.stextEndDelta = delta;
    return this;
  }

  /** Unused bytes (spaces) between the TEXT segments and DATA. */
  RawFcs gapBeforeData(int bytes) {
    this.gapBeforeData = bytes;
    return this;
  }

  /** Bytes after DATA (a CRC field, say). */
  RawFcs trailer(byte[] bytes) {
    this.trailer = bytes.clone();
    return this;
  }

  /**
   * Appends a second data set and points {@code $NEXTDATA} at it, off by {@code delta} bytes. Its
   * offsets are relative to its own HEADER, as FCS 3.1 section 3.2.19 says.
   */
  RawFcs next(RawFcs second, long delta) {
    this.next = second;
    this.nextDataDelta = delta;
    return this;
  }

  /** Unused bytes between this data set and the next. */
  RawFcs gapBeforeNext(int bytes) {
    this.gapBeforeNext = bytes;
    return this;
  }

  /**
   * For empty DATA, writes {@code $BEGINDATA} = {@code $ENDDATA} = the byte after the TEXT (as
   * {@link FcsWriter} does) instead of 0 and 0.
   */
  RawFcs emptyDataAsOneByte() {
    this.emptyDataAtEnd = true;
    return this;
  }

  /** Drops the last {@code bytes} bytes of the finished file. */
  RawFcs truncate(int bytes) {
    this.truncate = bytes;
    return this;
  }

  /** The file. */
  byte[] build() {
    byte[] nextBytes = next == null ? null : next.build();
    Offsets where =
        dataOffsets != null
            ? dataOffsets
            : version.equals("FCS2.0") ? Offsets.HEADER : Offsets.BOTH;
    byte[] stext =
        supplementalBytes != null
            ? supplementalBytes
            : supplemental == null ? null : text(supplemental, true);
    long dataStart = 0;
    long dataEnd = 0;
    long stextStart = 0;
    long stextEnd = 0;
    long nextOffset = 0;
    byte[] text = null;
    for (int iter = 0; iter < 32; iter++) {
      text =
          text(
              primary(
                  where,
                  dataStart,
                  dataEnd,
                  stextStart,
                  stext == null ? -1 : stextEnd + stextEndDelta,
                  nextOffset),
              finalDelimiter);
      long pos = FcsHeader.LENGTH + text.length + textPadding.length;
      long ss = stext == null ? 0 : pos;
      long se = stext == null ? 0 : pos + stext.length - 1;
      pos += (stext == null ? 0 : stext.length) + gapBeforeData;
      boolean none = data.length == 0 && !emptyDataAtEnd;
      long ds = none ? 0 : pos;
      long de = none ? 0 : data.length == 0 ? pos : pos + data.length - 1;
      pos += data.length + trailer.length + gapBeforeNext;
      long no = nextBytes == null ? 0 : pos + nextDataDelta;
      if (ds == dataStart
          && de == dataEnd
          && ss == stextStart
          && se == stextEnd
          && no == nextOffset) {
        break;
      }
      dataStart = ds;
      dataEnd = de;
      stextStart = ss;
      stextEnd = se;
      nextOffset = no;
    }
    long textEnd = FcsHeader.LENGTH + text.length + textPadding.length - 1;
    boolean headerData = where == Offsets.HEADER || where == Offsets.BOTH;
    StringBuilder h = new StringBuilder(version);
    while (h.length() < 10) {
      h.append(' ');
    }
    h.append(field(headerTextStart, FcsHeader.LENGTH));
    h.append(field(headerTextEnd, textEnd + headerTextEndDelta));
    long hs = headerData && dataStart > 0 ? dataStart + headerDataStartDelta : 0;
    long he = headerData && dataEnd > 0 ? dataEnd + headerDataEndDelta : 0;
    h.append(field(headerDataStart, hs > FcsHeader.MAX_HEADER_OFFSET ? 0 : hs));
    h.append(field(headerDataEnd, he > FcsHeader.MAX_HEADER_OFFSET ? 0 : he));
    h.append(field(headerAnalysisStart, 0)).append(field(headerAnalysisEnd, 0));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(text);
    out.writeBytes(textPadding);
    if (stext != null) {
      out.writeBytes(stext);
    }
    out.writeBytes(spaces(gapBeforeData));
    out.writeBytes(data);
    out.writeBytes(trailer);
    if (nextBytes != null) {
      out.writeBytes(spaces(gapBeforeNext));
      out.writeBytes(nextBytes);
    }
    byte[] all = out.toByteArray();
    return truncate == 0 ? all : Arrays.copyOf(all, all.length - truncate);
  }

  private Map<String, String> primary(
      Offsets where,
      long dataStart,
      long dataEnd,
      long stextStart,
      long stextEnd,
      long nextOffset) {
    Map<String, String> kw = new LinkedHashMap<>();
    if (where == Offsets.TEXT || where == Offsets.BOTH) {
      kw.put("$BEGINDATA", Long.toString(dataStart == 0 ? 0 : dataStart + textDataStartDelta));
      kw.put("$ENDDATA", Long.toString(dataEnd == 0 ? 0 : dataEnd + textDataEndDelta));
    }
    if (stextEnd >= 0) { // -1: no supplemental TEXT
      kw.put("$BEGINSTEXT", Long.toString(stextStart));
      kw.put("$ENDSTEXT", Long.toString(stextEnd));
    }
    if (next != null) {
      kw.put("$NEXTDATA", Long.toString(nextOffset));
    }
    // A test's own value for a managed keyword wins and keeps the managed keyword's place.
    kw.putAll(keywords);
    return kw;
  }

  private byte[] text(Map<String, String> kw, boolean withFinalDelimiter) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(delimiter);
    boolean first = true;
    for (Map.Entry<String, String> e : kw.entrySet()) {
      if (!first) {
        out.write(delimiter);
      }
      first = false;
      out.writeBytes(e.getKey().getBytes(StandardCharsets.UTF_8));
      out.write(delimiter);
      out.writeBytes(escape(e.getValue()));
    }
    if (withFinalDelimiter && !kw.isEmpty()) {
      out.write(delimiter);
    }
    return out.toByteArray();
  }

  private byte[] escape(String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      out.write(b);
      if ((b & 0xff) == delimiter) {
        out.write(b);
      }
    }
    return out.toByteArray();
  }

  private static String field(String raw, long value) {
    String s = raw != null ? raw : Long.toString(value);
    if (s.length() > 8) {
      throw new IllegalArgumentException("HEADER field '" + s + "' is longer than 8 characters");
    }
    return String.format(Locale.ROOT, "%8s", s);
  }

  private static byte[] spaces(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) ' ');
    return b;
  }

  /** Builds DATA bytes value by value in one byte order. */
  static final class Data {
    private final ByteOrder order;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Data(ByteOrder order) {
      this.order = order;
    }

    static Data little() {
      return new Data(ByteOrder.LITTLE_ENDIAN);
    }

    static Data big() {
      return new Data(ByteOrder.BIG_ENDIAN);
    }

    /** The low {@code bytes} bytes of {@code value}, unsigned, in this order. */
    Data uint(long value, int bytes) {
      for (int i = 0; i < bytes; i++) {
        int shift = order == ByteOrder.BIG_ENDIAN ? 8 * (bytes - 1 - i) : 8 * i;
        out.write((int) (value >>> shift) & 0xff);
      }
      return this;
    }

    Data u8(long v) {
      return uint(v, 1);
    }

    Data u16(long v) {
      return uint(v, 2);
    }

    Data u24(long v) {
      return uint(v, 3);
    }

    Data u32(long v) {
      return uint(v, 4);
    }

    Data u64(long v) {
      return uint(v, 8);
    }

    Data f32(float v) {
      return uint(Float.floatToRawIntBits(v) & 0xffffffffL, 4);
    }

    Data f64(double v) {
      return uint(Double.doubleToRawLongBits(v), 8);
    }

    Data raw(byte... b) {
      out.writeBytes(b);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  /** ASCII bytes (for trailers, garbage and hand-made HEADERs). */
  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** {@code n} bytes of {@code value}. */
  static byte[] fill(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }
}
