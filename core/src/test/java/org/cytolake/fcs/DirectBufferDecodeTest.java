package org.cytolake.fcs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoding from a direct buffer gives the bits decoding from an array gives, for every layout the
 * decoder has a path for (float32 in both orders, the integer widths, float64, mixed), and a local
 * file read through direct buffers gives the values of the same bytes read from memory.
 */
class DirectBufferDecodeTest {

  private static FcsParameter param(int i, DataType type, int bits) {
    return new FcsParameter(i, "P" + i, null, bits, 1024, type, 0, 0, 1);
  }

  private static List<EventLayout> layouts() {
    List<EventLayout> out = new ArrayList<>();
    for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
      for (DataType t : List.of(DataType.F, DataType.D)) {
        List<FcsParameter> ps = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
          ps.add(param(i, t, t == DataType.F ? 32 : 64));
        }
        out.add(EventLayout.of(order, ps));
      }
      for (int bits : new int[] {8, 10, 16, 24, 32}) {
        List<FcsParameter> ps = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
          ps.add(param(i, DataType.I, bits));
        }
        out.add(EventLayout.of(order, ps));
      }
      out.add(
          EventLayout.of(
              order,
              List.of(
                  param(1, DataType.F, 32), param(2, DataType.I, 16), param(3, DataType.D, 64))));
    }
    return out;
  }

  private static int[] bits(float[] f) {
    int[] b = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      b[i] = Float.floatToRawIntBits(f[i]);
    }
    return b;
  }

  private static long[] bits(double[] d) {
    long[] b = new long[d.length];
    for (int i = 0; i < d.length; i++) {
      b[i] = Double.doubleToRawLongBits(d[i]);
    }
    return b;
  }

  @Test
  void directAndHeapBuffersDecodeToTheSameBitsForEveryLayoutCountAndOffset() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (EventLayout layout : layouts()) {
      for (int events : new int[] {0, 1, 7, 64, 1001}) {
        for (int off : new int[] {0, 3, 8}) {
          byte[] src = new byte[off + events * layout.eventBytes() + 5];
          for (int i = 0; i < src.length; i++) {
            src[i] = (byte) rnd.nextInt(256);
          }
          ByteBuffer direct = ByteBuffer.allocateDirect(src.length).put(src);
          direct.position(2).limit(4); // the decoder must ignore position and limit
          String what =
              layout.order() + " width " + layout.width(0) + ", " + events + " events at " + off;
          int n = events * layout.parameters();
          float[] fromArray = new float[n + 2];
          float[] fromDirect = new float[n + 2];
          layout.decode(src, off, events, fromArray, 1);
          layout.decode(direct, off, events, fromDirect, 1);
          assertArrayEquals(bits(fromArray), bits(fromDirect), what);
          double[] dArray = new double[n + 2];
          double[] dDirect = new double[n + 2];
          layout.decode(src, off, events, dArray, 1);
          layout.decode(direct, off, events, dDirect, 1);
          assertArrayEquals(bits(dArray), bits(dDirect), what);
          assertEquals(2, direct.position(), what);
          assertEquals(4, direct.limit(), what);
          assertEquals(ByteOrder.BIG_ENDIAN, direct.order(), what);
        }
      }
    }
  }

  @Test
  void aLocalFileReadThroughDirectBuffersGivesTheValuesOfItsBytesInMemory(@TempDir Path dir)
      throws IOException {
    for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
      List<FcsWriter.Channel> ch = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        ch.add(FcsWriter.channel("P" + (i + 1) + "-A", null, 262144));
      }
      FcsWriter.Spec spec = FcsWriter.spec(ch).withDataType(DataType.F, 32).withOrder(order);
      int events = 70_001; // several blocks of a small reader, a short last one
      float[] values = new float[events * 6];
      SplittableRandom rnd = new SplittableRandom(3);
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (rnd.nextDouble() * 262144 - 1000);
      }
      Path file = dir.resolve("f-" + order + ".fcs");
      try (FcsWriter.Output out = FcsWriter.open(file, spec, events)) {
        out.write(values, events);
      }
      try (FcsInput fromFile = FcsInput.of(file)) {
        assertTrue(fromFile.directReads());
        assertFalse(FcsInput.of("mem", new byte[0]).directReads());
      }
      float[] direct = readAll(FcsReader.open(file), 4096);
      float[] heap = readAll(FcsReader.open(FcsInput.of("mem", Files.readAllBytes(file))), 4096);
      assertArrayEquals(bits(values), bits(direct), order.toString());
      assertArrayEquals(bits(values), bits(heap), order.toString());
    }
  }

  @Test
  void aDirectReadPastTheEndOfALocalFileNamesTheFileAndTheRange(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("short.bin");
    Files.write(file, new byte[100]);
    try (FcsInput in = FcsInput.of(file)) {
      ByteBuffer buf = ByteBuffer.allocateDirect(64);
      EOFException e = assertThrows(EOFException.class, () -> in.readFully(60, buf));
      assertTrue(e.getMessage().contains("64 bytes at byte 60"), e.getMessage());
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
    // the default (array-backed) path fills heap and direct buffers alike
    FcsInput mem = FcsInput.of("mem", new byte[] {1, 2, 3, 4, 5, 6});
    ByteBuffer heap = ByteBuffer.allocate(4);
    mem.readFully(1, heap);
    ByteBuffer direct = ByteBuffer.allocateDirect(4);
    mem.readFully(2, direct);
    assertEquals(4, heap.position());
    assertEquals(4, direct.position());
    assertEquals(2, heap.get(0));
    assertEquals(3, direct.get(0));
    assertThrows(EOFException.class, () -> mem.readFully(3, ByteBuffer.allocateDirect(4)));
  }

  private static float[] readAll(FcsFile fcs, int blockFloats) throws IOException {
    try (fcs) {
      FcsDataset ds = fcs.first();
      EventReader r = fcs.events(ds);
      float[] all = new float[(int) ds.eventCount() * r.parameters()];
      float[] block = new float[blockFloats];
      int at = 0;
      int n;
      while ((n = r.read(block)) > 0) {
        System.arraycopy(block, 0, all, at, n * r.parameters());
        at += n * r.parameters();
      }
      assertEquals(all.length, at);
      return all;
    }
  }
}
