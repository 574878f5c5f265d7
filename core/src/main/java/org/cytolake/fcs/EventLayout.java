package org.cytolake.fcs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The byte layout of one event in a DATA segment (FCS 3.1 section 3.3, list mode): parameters in
 * order, each stored in {@code ceil($PnB / 8)} bytes for type I (so 10-bit values in 16-bit words, as
 * Beckman Coulter LMD files store them), 4 bytes for F, 8 for D, in {@code $BYTEORD}. Integer values
 * are unsigned and masked with {@link FcsParameter#integerMask}. Decoding is pure arithmetic on a
 * caller's buffer: instances are immutable and thread-safe.
 */
public final class EventLayout {
  private enum Uniform {
    FLOAT32,
    FLOAT64,
    INT8,
    INT16,
    INT32,
    MIXED
  }

  private final int parameters;
  private final int eventBytes;
  private final ByteOrder order;
  private final DataType[] types;
  private final int[] widths;
  private final int[] offsets;
  private final long[] masks;
  private final Uniform uniform;

  private EventLayout(ByteOrder order, DataType[] types, int[] widths, long[] masks) {
    this.parameters = types.length;
    this.order = order;
    this.types = types;
    this.widths = widths;
    this.masks = masks;
    this.offsets = new int[parameters];
    int off = 0;
    for (int i = 0; i < parameters; i++) {
      offsets[i] = off;
      off += widths[i];
    }
    this.eventBytes = off;
    this.uniform = uniformOf(types, widths);
  }

  /**
   * The layout of the given parameters.
   *
   * @param order byte order of multi-byte values
   * @param params parameters in order; their {@code type} and {@code bits} decide the widths
   */
  public static EventLayout of(ByteOrder order, List<FcsParameter> params) {
    int n = params.size();
    DataType[] types = new DataType[n];
    int[] widths = new int[n];
    long[] masks = new long[n];
    for (int i = 0; i < n; i++) {
      FcsParameter p = params.get(i);
      types[i] = p.type();
      switch (p.type()) {
        case F -> widths[i] = 4;
        case D -> widths[i] = 8;
        case I -> {
          widths[i] = (p.bits() + 7) / 8;
          masks[i] = p.integerMask(widths[i] * 8);
        }
        default ->
            throw new IllegalArgumentException(
                "Cannot lay out parameter " + p.index() + ": type " + p.type() + " is not binary");
      }
    }
    return new EventLayout(order, types, widths, masks);
  }

  private static Uniform uniformOf(DataType[] types, int[] widths) {
    if (types.length == 0) {
      return Uniform.MIXED;
    }
    DataType t = types[0];
    int w = widths[0];
    for (int i = 1; i < types.length; i++) {
      if (types[i] != t || widths[i] != w) {
        return Uniform.MIXED;
      }
    }
    return switch (t) {
      case F -> Uniform.FLOAT32;
      case D -> Uniform.FLOAT64;
      case I ->
          w == 1 ? Uniform.INT8 : w == 2 ? Uniform.INT16 : w == 4 ? Uniform.INT32 : Uniform.MIXED;
      default -> Uniform.MIXED;
    };
  }

  /** Number of parameters (values per event). */
  public int parameters() {
    return parameters;
  }

  /** Bytes of one event. */
  public int eventBytes() {
    return eventBytes;
  }

  public ByteOrder order() {
    return order;
  }

  /** Storage width in bytes of parameter i (0-based). */
  public int width(int i) {
    return widths[i];
  }

  /**
   * Decodes {@code nEvents} events from {@code buf[bufOff..]} into {@code dst[dstOff..]} row-major
   * (event by event, parameters in order), as float32. Integers above 2^24 lose precision; use the
   * double overload when exact values matter.
   */
  public void decode(byte[] buf, int bufOff, int nEvents, float[] dst, int dstOff) {
    decode(ByteBuffer.wrap(buf), bufOff, nEvents, dst, dstOff);
  }

  /**
   * Decodes like {@link #decode(byte[], int, int, float[], int)} from a heap or direct buffer;
   * {@code bufOff} is an absolute index in {@code buf}, whose position, limit and order are left as
   * they were.
   */
  public void decode(ByteBuffer buf, int bufOff, int nEvents, float[] dst, int dstOff) {
    ByteBuffer bb = buf.duplicate().clear().order(order);
    int count = nEvents * parameters;
    switch (uniform) {
      case FLOAT32 -> {
        if (order != ByteOrder.nativeOrder() && org.cytolake.simd.VectorApi.ENABLED) {
          VectorSwap.swapFloats(bb, bufOff, count, dst, dstOff);
        } else {
          bb.position(bufOff);
          bb.asFloatBuffer().get(dst, dstOff, count);
        }
      }
      case INT16 -> {
        for (int e = 0, b = bufOff, d = dstOff; e < nEvents; e++) {
          for (int p = 0; p < parameters; p++, b += 2) {
            dst[d++] = (float) ((bb.getShort(b) & 0xffffL) & masks[p]);
          }
        }
      }
      case INT32 -> {
        for (int e = 0, b = bufOff, d = dstOff; e < nEvents; e++) {
          for (int p = 0; p < parameters; p++, b += 4) {
            dst[d++] = (float) ((bb.getInt(b) & 0xffffffffL) & masks[p]);
          }
        }
      }
      default -> {
        for (int e = 0, b = bufOff, d = dstOff; e < nEvents; e++, b += eventBytes) {
          for (int p = 0; p < parameters; p++) {
            dst[d++] = (float) value(bb, b + offsets[p], p);
          }
        }
      }
    }
  }

  /** Decodes like {@link #decode(byte[], int, int, float[], int)} into doubles (exact for I ≤ 53 bits). */
  public void decode(byte[] buf, int bufOff, int nEvents, double[] dst, int dstOff) {
    decode(ByteBuffer.wrap(buf), bufOff, nEvents, dst, dstOff);
  }

  /** Decodes like {@link #decode(ByteBuffer, int, int, float[], int)} into doubles. */
  public void decode(ByteBuffer buf, int bufOff, int nEvents, double[] dst, int dstOff) {
    ByteBuffer bb = buf.duplicate().clear().order(order);
    for (int e = 0, b = bufOff, d = dstOff; e < nEvents; e++, b += eventBytes) {
      for (int p = 0; p < parameters; p++) {
        dst[d++] = value(bb, b + offsets[p], p);
      }
    }
  }

  private double value(ByteBuffer bb, int at, int p) {
    switch (types[p]) {
      case F:
        return bb.getFloat(at);
      case D:
        return bb.getDouble(at);
      default:
        long raw =
            switch (widths[p]) {
              case 1 -> bb.get(at) & 0xffL;
              case 2 -> bb.getShort(at) & 0xffffL;
              case 4 -> bb.getInt(at) & 0xffffffffL;
              case 8 -> bb.getLong(at);
              default -> assemble(bb, at, widths[p]);
            };
        long v = raw & masks[p];
        return v >= 0 ? (double) v : (double) (v & Long.MAX_VALUE) + 0x1p63;
    }
  }

  private long assemble(ByteBuffer bb, int at, int width) {
    long v = 0;
    if (order == ByteOrder.BIG_ENDIAN) {
      for (int i = 0; i < width; i++) {
        v = (v << 8) | (bb.get(at + i) & 0xffL);
      }
    } else {
      for (int i = width - 1; i >= 0; i--) {
        v = (v << 8) | (bb.get(at + i) & 0xffL);
      }
    }
    return v;
  }
}
