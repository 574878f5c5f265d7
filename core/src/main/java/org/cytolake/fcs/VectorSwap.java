package org.cytolake.fcs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Byte-swapped float32 decoding with the incubator Vector API: one shuffle reverses the bytes of
 * every 4-byte lane, then the lanes are reinterpreted as floats. About 3× the JDK's byte-swapping
 * bulk copy on AVX2/AVX-512 (see BENCHMARKS.md). Only loaded when the {@code jdk.incubator.vector}
 * module is present (Spark 4.1's {@code spark-submit} adds it; {@code bin/cytolake} adds it for
 * Spark jobs and benchmarks): see {@link EventLayout}.
 */
final class VectorSwap {
  private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_PREFERRED;
  private static final VectorShuffle<Byte> REVERSE_4;

  static {
    int[] idx = new int[BYTES.length()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = (i & ~3) + 3 - (i & 3);
    }
    REVERSE_4 = VectorShuffle.fromArray(BYTES, idx, 0);
  }

  private VectorSwap() {}

  /**
   * Decodes {@code count} float32 values stored in the opposite byte order from
   * {@code src[off..]} into {@code dst[dstOff..]}.
   */
  static void swapFloats(byte[] src, int off, int count, float[] dst, int dstOff) {
    swapFloats(ByteBuffer.wrap(src), off, count, dst, dstOff);
  }

  /**
   * Like {@link #swapFloats(byte[], int, int, float[], int)} from a heap or direct buffer; {@code
   * off} is an absolute index; the buffer's position, limit and order are not used or changed.
   */
  static void swapFloats(ByteBuffer src, int off, int count, float[] dst, int dstOff) {
    int bytes = count * 4;
    int bound = BYTES.loopBound(bytes);
    int b = 0;
    ByteOrder nat = ByteOrder.nativeOrder();
    for (; b < bound; b += BYTES.length()) {
      ByteVector.fromByteBuffer(BYTES, src, off + b, nat)
          .rearrange(REVERSE_4)
          .reinterpretAsFloats()
          .intoArray(dst, dstOff + b / 4);
    }
    if (b < bytes) {
      src.duplicate()
          .clear()
          .position(off + b)
          .limit(off + bytes)
          .slice()
          .order(nat == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN)
          .asFloatBuffer()
          .get(dst, dstOff + b / 4, (bytes - b) / 4);
    }
  }
}
