package org.cytolake.fcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streaming a file allocates one block, not memory proportional to the file. */
class FcsStreamingMemoryTest {

  @Test
  void readingAllEventsAllocatesAboutOneBlockWhateverTheFileSize(@TempDir Path dir)
      throws Exception {
    var threads = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(
        threads instanceof com.sun.management.ThreadMXBean,
        "per-thread allocation counter not available");
    var counter = (com.sun.management.ThreadMXBean) threads;

    int channels = 16;
    int events = 1 << 20; // 64 MiB of float32 DATA
    List<FcsWriter.Channel> ch = new ArrayList<>();
    for (int i = 0; i < channels; i++) {
      ch.add(FcsWriter.channel("C" + i, null, 262144));
    }
    Path file = dir.resolve("big.fcs");
    FcsWriter.Spec spec = FcsWriter.spec(ch).withOrder(ByteOrder.BIG_ENDIAN);
    float[] block = new float[4096 * channels];
    try (FcsWriter.Output out = FcsWriter.open(file, spec, events)) {
      for (int done = 0; done < events; done += 4096) {
        for (int i = 0; i < block.length; i++) {
          block[i] = done + i / channels;
        }
        out.write(block, 4096);
      }
    }

    float[] dst = new float[(FcsFile.DEFAULT_BLOCK_BYTES / 4)];
    // The first passes warm the JIT up (the Vector API byte swap allocates until C2 compiles it,
    // which takes longer on a loaded machine or in a JVM that other tests have warmed with other
    // shapes); the least a pass allocates is the steady state. Reading that allocated per block
    // would allocate at least the file's size on every pass.
    long read = 0;
    double last = -1;
    long allocated = Long.MAX_VALUE;
    for (int pass = 0; pass < 12 && allocated >= 4L * FcsFile.DEFAULT_BLOCK_BYTES; pass++) {
      long before = counter.getThreadAllocatedBytes(Thread.currentThread().getId());
      read = 0;
      try (FcsFile fcs = FcsReader.open(file)) {
        EventReader r = fcs.events(fcs.first());
        int n;
        while ((n = r.read(dst)) > 0) {
          read += n;
          last = dst[(n - 1) * channels];
        }
      }
      allocated =
          Math.min(
              allocated, counter.getThreadAllocatedBytes(Thread.currentThread().getId()) - before);
    }
    assertEquals(events, read);
    assertEquals(events - 1, last, 0.0);
    long dataBytes = (long) events * channels * 4;
    assertTrue(
        allocated < 4L * FcsFile.DEFAULT_BLOCK_BYTES,
        "reading " + dataBytes + " bytes allocated " + allocated + " bytes");
  }
}
