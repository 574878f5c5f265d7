package org.cytolake.fcs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Writes single-data-set list-mode FCS files (3.1 by default; 3.0 and 2.0 for tests and for
 * exercising other reader paths): float32 ({@code F}), float64 ({@code D}) or unsigned integers
 * ({@code I}, 8/16/32 bits), either byte order, an optional spillover matrix, any extra keywords.
 * Events stream in: memory does not grow with the file. The event count is declared up front
 * because the offsets in HEADER and TEXT depend on it.
 *
 * <pre>{@code
 * FcsWriter.Spec spec = FcsWriter.spec(List.of(
 *     FcsWriter.channel("FSC-A", null, 262144), FcsWriter.channel("PE-A", "CD25", 262144)));
 * try (FcsWriter.Output out = FcsWriter.open(path, spec, nEvents)) {
 *   out.write(rowMajorValues, nEvents);
 * }
 * }</pre>
 */
public final class FcsWriter {
  private FcsWriter() {}

  /** One channel to write: {@code $PnN}, optional {@code $PnS}, {@code $PnR}. */
  public record Channel(String name, String label, long range) {
    public Channel {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("Cannot write channel: $PnN must not be blank");
      }
      if (range < 1) {
        throw new IllegalArgumentException(
            "Cannot write channel '" + name + "': $PnR " + range + " must be >= 1");
      }
    }
  }

  public static Channel channel(String name, String label, long range) {
    return new Channel(name, label, range);
  }

  /**
   * How segment ends are written. {@code INCLUSIVE}: the last byte of the segment, as FCS 3.1
   * section 3.1 says. {@code EXCLUSIVE}: one past it, as Cytobank's "PengQiu FCS writer" (and the
   * Helios and MACSQuantify exports) do: the HEADER's TEXT end is the first DATA byte, the HEADER's
   * DATA end and {@code $ENDDATA} are one past the last event byte, and no CRC field follows, so
   * DATA ends at the file length. Exclusive files exist to test readers.
   */
  public enum EndOffsets {
    INCLUSIVE,
    EXCLUSIVE
  }

  /**
   * What to write.
   *
   * @param version {@code FCS2.0}, {@code FCS3.0} or {@code FCS3.1}
   * @param dataType I, F or D
   * @param bits bits per integer value (8, 16 or 32) when {@code dataType} is I; ignored otherwise
   * @param order byte order
   * @param delimiter TEXT delimiter character
   * @param channels parameters in order
   * @param spillover spillover matrix to store (as {@code $SPILLOVER} in 3.1, {@code SPILL} before),
   *     or null
   * @param keywords extra keywords, in order (values must not be empty)
   * @param endOffsets how segment ends are written
   */
  public record Spec(
      String version,
      DataType dataType,
      int bits,
      ByteOrder order,
      char delimiter,
      List<Channel> channels,
      Spillover spillover,
      Map<String, String> keywords,
      EndOffsets endOffsets) {
    public Spec {
      Objects.requireNonNull(endOffsets, "endOffsets");
      if (!List.of("FCS2.0", "FCS3.0", "FCS3.1").contains(version)) {
        throw new IllegalArgumentException(
            "Cannot write FCS: version '" + version + "' is not one of FCS2.0, FCS3.0, FCS3.1");
      }
      if (dataType == DataType.A) {
        throw new IllegalArgumentException("Cannot write FCS: $DATATYPE A is not supported");
      }
      if (dataType == DataType.I && bits != 8 && bits != 16 && bits != 32) {
        throw new IllegalArgumentException(
            "Cannot write FCS: integer bits must be 8, 16 or 32, " + "not " + bits);
      }
      if (channels.isEmpty()) {
        throw new IllegalArgumentException("Cannot write FCS: no channels");
      }
      FcsTextParser.checkDelimiterChar(delimiter);
      channels = List.copyOf(channels);
      keywords = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keywords));
    }

    public Spec withVersion(String v) {
      return new Spec(
          v, dataType, bits, order, delimiter, channels, spillover, keywords, endOffsets);
    }

    public Spec withDataType(DataType t, int b) {
      return new Spec(version, t, b, order, delimiter, channels, spillover, keywords, endOffsets);
    }

    public Spec withOrder(ByteOrder o) {
      return new Spec(
          version, dataType, bits, o, delimiter, channels, spillover, keywords, endOffsets);
    }

    public Spec withDelimiter(char d) {
      return new Spec(version, dataType, bits, order, d, channels, spillover, keywords, endOffsets);
    }

    public Spec withSpillover(Spillover s) {
      return new Spec(version, dataType, bits, order, delimiter, channels, s, keywords, endOffsets);
    }

    public Spec withKeywords(Map<String, String> k) {
      return new Spec(
          version, dataType, bits, order, delimiter, channels, spillover, k, endOffsets);
    }

    public Spec withEndOffsets(EndOffsets e) {
      return new Spec(version, dataType, bits, order, delimiter, channels, spillover, keywords, e);
    }

    int valueBytes() {
      return switch (dataType) {
        case F -> 4;
        case D -> 8;
        default -> bits / 8;
      };
    }
  }

  /** FCS 3.1, float32, little endian, '/' delimiter, no spillover, no extra keywords. */
  public static Spec spec(List<Channel> channels) {
    return new Spec(
        "FCS3.1",
        DataType.F,
        32,
        ByteOrder.LITTLE_ENDIAN,
        '/',
        channels,
        null,
        Map.of(),
        EndOffsets.INCLUSIVE);
  }

  /** Opens {@code path} for writing exactly {@code events} events. */
  public static Output open(Path path, Spec spec, long events) throws IOException {
    OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20);
    try {
      return new Output(out, path.toString(), spec, events);
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
  }

  /** Writes to a stream (not closed until the returned output is). */
  public static Output open(OutputStream out, String name, Spec spec, long events)
      throws IOException {
    return new Output(out, name, spec, events);
  }

  /** Writes a whole file from row-major values. */
  public static void write(Path path, Spec spec, float[] rowMajor, int events) throws IOException {
    try (Output o = open(path, spec, events)) {
      o.write(rowMajor, events);
    }
  }

  /** The streaming side of a write: events go in, the file is complete on {@link #close()}. */
  public static final class Output implements AutoCloseable {
    private final OutputStream out;
    private final String name;
    private final Spec spec;
    private final long events;
    private final int par;
    private final long[] max;
    private final ByteBuffer block;
    private long written;

    private Output(OutputStream out, String name, Spec spec, long events) throws IOException {
      if (events < 0) {
        throw new IllegalArgumentException("Cannot write FCS: negative event count " + events);
      }
      this.out = out;
      this.name = name;
      this.spec = spec;
      this.events = events;
      this.par = spec.channels().size();
      // Per channel, the largest I value that reads back unchanged under the $PnR mask.
      this.max = new long[par];
      for (int i = 0; i < par && spec.dataType() == DataType.I; i++) {
        Channel c = spec.channels().get(i);
        max[i] =
            new FcsParameter(
                    i + 1, c.name(), c.label(), spec.bits(), c.range(), DataType.I, 0, 0, 1)
                .integerMask(spec.bits());
      }
      this.block = ByteBuffer.allocate(1 << 16).order(spec.order());
      writeHeaderAndText();
    }

    /** Appends {@code n} events from {@code rowMajor[0 .. n*channels)}. */
    public void write(float[] rowMajor, int n) throws IOException {
      if (written + n > events) {
        throw new IllegalStateException(
            "Cannot write "
                + n
                + " more events to '"
                + name
                + "': "
                + written
                + " of the declared "
                + events
                + " are already written");
      }
      int count = n * par;
      for (int i = 0; i < count; i++) {
        if (block.remaining() < 8) {
          flushBlock();
        }
        float v = rowMajor[i];
        switch (spec.dataType()) {
          case F -> block.putFloat(v);
          case D -> block.putDouble(v);
          default -> putInt(v, i);
        }
      }
      written += n;
    }

    /** Appends events given as doubles (exact for D data). */
    public void write(double[] rowMajor, int n) throws IOException {
      if (spec.dataType() != DataType.D) {
        float[] f = new float[n * par];
        for (int i = 0; i < f.length; i++) {
          f[i] = (float) rowMajor[i];
        }
        write(f, n);
        return;
      }
      if (written + n > events) {
        throw new IllegalStateException("Cannot write " + n + " more events to '" + name + "'");
      }
      for (int i = 0; i < n * par; i++) {
        if (block.remaining() < 8) {
          flushBlock();
        }
        block.putDouble(rowMajor[i]);
      }
      written += n;
    }

    private void putInt(float v, int i) {
      long x = Math.round((double) v);
      long limit = max[i % par];
      if (x < 0 || x > limit || Float.isNaN(v)) {
        throw new IllegalArgumentException(
            "Cannot write value "
                + v
                + " of event "
                + (written + i / par)
                + ", channel '"
                + spec.channels().get(i % par).name()
                + "' to '"
                + name
                + "': "
                + spec.bits()
                + "-bit integers with $PnR "
                + spec.channels().get(i % par).range()
                + " hold 0.."
                + limit);
      }
      switch (spec.bits()) {
        case 8 -> block.put((byte) x);
        case 16 -> block.putShort((short) x);
        default -> block.putInt((int) x);
      }
    }

    private void flushBlock() throws IOException {
      out.write(block.array(), 0, block.position());
      block.clear();
    }

    @Override
    public void close() throws IOException {
      try {
        if (written != events) {
          throw new IllegalStateException(
              "Cannot finish '"
                  + name
                  + "': "
                  + written
                  + " events written but "
                  + events
                  + " were declared");
        }
        flushBlock();
        if (!spec.version().equals("FCS2.0") && spec.endOffsets() == EndOffsets.INCLUSIVE) {
          out.write("00000000".getBytes(StandardCharsets.US_ASCII)); // CRC field, not computed
        }
      } finally {
        out.close();
      }
    }

    private void writeHeaderAndText() throws IOException {
      long dataBytes = events * par * spec.valueBytes();
      // an end offset is the last byte of its segment, or one past it in the EXCLUSIVE dialect
      long pastLast = spec.endOffsets() == EndOffsets.EXCLUSIVE ? 1 : 0;
      long textStart = FcsHeader.LENGTH;
      long dataStart = 0;
      byte[] text = null;
      // The TEXT holds the DATA offsets, which depend on the TEXT length: iterate to a fixed point.
      for (int iter = 0; iter < 8; iter++) {
        long end = dataBytes == 0 ? dataStart : dataStart + dataBytes - 1 + pastLast;
        text = text(dataStart, end);
        long next = textStart + text.length;
        if (next == dataStart) {
          break;
        }
        dataStart = next;
      }
      long textEnd = textStart + text.length - 1 + pastLast;
      long dataEnd = dataBytes == 0 ? dataStart : dataStart + dataBytes - 1 + pastLast;
      boolean fits = dataEnd <= FcsHeader.MAX_HEADER_OFFSET;
      if (!fits && spec.version().equals("FCS2.0")) {
        throw new IOException(
            "Cannot write '"
                + name
                + "' as FCS2.0: its DATA would end at byte "
                + dataEnd
                + ", past the HEADER limit of 99,999,999 that FCS 2.0 cannot exceed");
      }
      StringBuilder h = new StringBuilder(spec.version()).append("    ");
      h.append(field(textStart)).append(field(textEnd));
      h.append(field(fits ? dataStart : 0)).append(field(fits ? dataEnd : 0));
      h.append(field(0)).append(field(0));
      out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(text);
    }

    private static String field(long v) {
      return String.format(Locale.ROOT, "%8d", v);
    }

    private byte[] text(long dataStart, long dataEnd) {
      Map<String, String> kw = new LinkedHashMap<>();
      boolean v3 = !spec.version().equals("FCS2.0");
      if (v3) {
        kw.put("$BEGINANALYSIS", "0");
        kw.put("$ENDANALYSIS", "0");
        kw.put("$BEGINSTEXT", "0");
        kw.put("$ENDSTEXT", "0");
        kw.put("$BEGINDATA", Long.toString(dataStart));
        kw.put("$ENDDATA", Long.toString(dataEnd));
      }
      kw.put("$BYTEORD", spec.order() == ByteOrder.LITTLE_ENDIAN ? "1,2,3,4" : "4,3,2,1");
      kw.put("$DATATYPE", spec.dataType().name());
      kw.put("$MODE", "L");
      kw.put("$NEXTDATA", "0");
      kw.put("$PAR", Integer.toString(par));
      kw.put("$TOT", Long.toString(events));
      for (int i = 0; i < par; i++) {
        Channel c = spec.channels().get(i);
        int n = i + 1;
        kw.put("$P" + n + "N", c.name());
        if (c.label() != null && !c.label().isBlank()) {
          kw.put("$P" + n + "S", c.label());
        }
        kw.put(
            "$P" + n + "B",
            Integer.toString(spec.dataType() == DataType.I ? spec.bits() : spec.valueBytes() * 8));
        kw.put("$P" + n + "E", "0,0");
        kw.put("$P" + n + "R", Long.toString(c.range()));
      }
      if (spec.spillover() != null) {
        kw.put(spec.version().equals("FCS3.1") ? "$SPILLOVER" : "SPILL", spec.spillover().format());
      }
      for (Map.Entry<String, String> e : spec.keywords().entrySet()) {
        String k = e.getKey().trim();
        if (kw.containsKey(k.toUpperCase(Locale.ROOT))) {
          throw new IllegalArgumentException(
              "Cannot write keyword " + k + " to '" + name + "': the writer sets it");
        }
        if (k.indexOf(spec.delimiter()) >= 0) {
          throw new IllegalArgumentException(
              "Cannot write keyword "
                  + k
                  + " to '"
                  + name
                  + "': its name holds the delimiter '"
                  + spec.delimiter()
                  + "', which readers take "
                  + "for an empty value");
        }
        kw.put(k, e.getValue());
      }
      StringBuilder sb = new StringBuilder();
      String d = String.valueOf(spec.delimiter());
      sb.append(d);
      for (Map.Entry<String, String> e : kw.entrySet()) {
        if (e.getValue() == null || e.getValue().isEmpty()) {
          throw new IllegalArgumentException(
              "Cannot write keyword "
                  + e.getKey()
                  + " to '"
                  + name
                  + "': FCS values must not be empty");
        }
        sb.append(escape(e.getKey(), d)).append(d).append(escape(e.getValue(), d)).append(d);
      }
      return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String s, String d) {
      return s.replace(d, d + d);
    }
  }

  /** Extra keywords for {@link Spec#withKeywords}, in insertion order. */
  public static Map<String, String> keywords(String... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("keywords() takes key/value pairs");
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }
}
