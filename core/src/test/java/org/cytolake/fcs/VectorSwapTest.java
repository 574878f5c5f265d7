package org.cytolake.fcs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The Vector API swap equals the JDK's byte-swapping copy, tails included. */
class VectorSwapTest {
  @Test
  void vectorSwapEqualsTheJdkBulkCopyForEveryLengthAndOffset() {
    Assumptions.assumeTrue(
        org.cytolake.simd.VectorApi.ENABLED, "jdk.incubator.vector not in the boot layer");
    ByteOrder other =
        ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN
            ? ByteOrder.LITTLE_ENDIAN
            : ByteOrder.BIG_ENDIAN;
    SplittableRandom rnd = new SplittableRandom(7);
    for (int count : new int[] {0, 1, 3, 15, 16, 17, 63, 64, 65, 1000, 4099}) {
      for (int off : new int[] {0, 1, 4, 7}) {
        byte[] src = new byte[off + count * 4 + 3];
        for (int i = 0; i < src.length; i++) {
          src[i] = (byte) rnd.nextInt(256);
        }
        float[] expected = new float[count + 2];
        ByteBuffer.wrap(src, off, count * 4).order(other).asFloatBuffer().get(expected, 1, count);
        float[] got = new float[count + 2];
        VectorSwap.swapFloats(src, off, count, got, 1);
        // compare bit patterns (NaN payloads included)
        int[] e = new int[expected.length];
        int[] g = new int[got.length];
        for (int i = 0; i < e.length; i++) {
          e[i] = Float.floatToRawIntBits(expected[i]);
          g[i] = Float.floatToRawIntBits(got[i]);
        }
        assertArrayEquals(e, g, "count " + count + " offset " + off);
        float[] fromDirect = new float[count + 2];
        ByteBuffer direct = ByteBuffer.allocateDirect(src.length).put(src);
        VectorSwap.swapFloats(direct, off, count, fromDirect, 1);
        for (int i = 0; i < g.length; i++) {
          g[i] = Float.floatToRawIntBits(fromDirect[i]);
        }
        assertArrayEquals(e, g, "direct buffer, count " + count + " offset " + off);
      }
    }
    assertTrue(org.cytolake.simd.VectorApi.ENABLED);
  }
}
