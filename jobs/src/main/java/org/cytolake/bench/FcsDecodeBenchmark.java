package org.cytolake.bench;

import static org.cytolake.stats.Quantiles.NaNs.ORDERED_LAST;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cytolake.fcs.DataType;
import org.cytolake.fcs.EventReader;
import org.cytolake.fcs.FcsDataset;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsInput;
import org.cytolake.fcs.FcsReader;
import org.cytolake.fcs.FcsWriter;
import org.cytolake.stats.Quantiles;

/**
 * FCS decode throughput against reading the same DATA bytes raw, side by side in one run: the
 * reader's cost over plain I/O. Every pass reads the DATA segment of one file through the same
 * {@link FcsInput} in blocks of {@link FcsFile#DEFAULT_BLOCK_BYTES}: the raw pass into a byte
 * array (the baseline of the {@code fcs_decode_vs_raw_read} ratio since it was first measured),
 * the direct raw pass into a direct buffer (one copy from the page cache, the floor of any read),
 * the decode pass through {@link EventReader} into float32 values. Two encodings are measured:
 * little endian (what cytolake's writer and most current instruments write: no byte swap) and big
 * endian (BD FACSDiva: every value is byte-swapped). Passes alternate after a warm-up; the median
 * of each is reported.
 */
public final class FcsDecodeBenchmark {
  /** Channels of the generated file (FSC/SSC, 12 fluorescence, Time...). */
  public static final int CHANNELS = 16;

  private FcsDecodeBenchmark() {}

  /**
   * One measured comparison.
   *
   * @param file the FCS file measured
   * @param bytes DATA segment bytes
   * @param events events decoded per pass
   * @param rawSeconds median seconds of a raw pass
   * @param decodeSeconds median seconds of a decode pass
   * @param rawDirectSeconds median seconds of a raw pass into a direct buffer
   */
  public record Result(
      Path file,
      long bytes,
      long events,
      double rawSeconds,
      double decodeSeconds,
      double rawDirectSeconds,
      List<Double> rawRuns,
      List<Double> decodeRuns,
      List<Double> rawDirectRuns) {
    /** Decode throughput over raw (array) throughput (1 = decoding is free; higher is better). */
    public double ratio() {
      return rawSeconds / decodeSeconds;
    }

    /** Decode throughput over the throughput of a raw read into a direct buffer. */
    public double directRatio() {
      return rawDirectSeconds / decodeSeconds;
    }

    public double decodeEventsPerSecond() {
      return events / decodeSeconds;
    }

    public double rawBytesPerSecond() {
      return bytes / rawSeconds;
    }
  }

  /**
   * Writes a float32 big-endian FCS 3.1 file of about {@code bytes} bytes of events (or reuses one
   * of that size) and measures it.
   */
  public static Result run(Path dir, long bytes, ByteOrder order, int repeats, BenchLog log)
      throws IOException {
    long events = Math.max(1, bytes / (CHANNELS * 4L));
    String tag = order == ByteOrder.BIG_ENDIAN ? "be" : "le";
    Path file = dir.resolve("bench-decode-" + events + "-" + tag + ".fcs");
    if (!Files.exists(file)) {
      log.info(
          "writing %s: %d events x %d float32 %s channels (%.2f GB)",
          file, events, CHANNELS, order, events * CHANNELS * 4 / 1e9);
      write(file, events, order);
    }
    return measure(file, repeats, log);
  }

  /** Measures an existing file's first data set. */
  public static Result measure(Path file, int repeats, BenchLog log) throws IOException {
    try (FcsFile fcs = FcsReader.open(file)) {
      FcsDataset ds = fcs.first();
      long start = ds.data().start();
      long length = ds.data().length();
      long events = ds.eventCount();
      FcsInput raw = FcsInput.of(file);
      ByteBuffer array = ByteBuffer.allocate(FcsFile.DEFAULT_BLOCK_BYTES);
      ByteBuffer direct = ByteBuffer.allocateDirect(FcsFile.DEFAULT_BLOCK_BYTES);
      try {
        // warm-up: every path once (JIT, page cache)
        rawPass(raw, start, length, array);
        rawPass(raw, start, length, direct);
        decodePass(fcs, ds);
        List<Double> r = new ArrayList<>();
        List<Double> d = new ArrayList<>();
        List<Double> rd = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
          long t0 = System.nanoTime();
          rawPass(raw, start, length, array);
          long t1 = System.nanoTime();
          decodePass(fcs, ds);
          long t2 = System.nanoTime();
          rawPass(raw, start, length, direct);
          long t3 = System.nanoTime();
          r.add((t1 - t0) / 1e9);
          d.add((t2 - t1) / 1e9);
          rd.add((t3 - t2) / 1e9);
          log.info(
              "fcs-decode %s pass %d/%d: raw %.3f s, decode %.3f s, raw into a direct buffer %.3f s",
              ds.byteOrder(), i + 1, repeats, r.get(i), d.get(i), rd.get(i));
        }
        return new Result(
            file,
            length,
            events,
            Quantiles.median(r, ORDERED_LAST),
            Quantiles.median(d, ORDERED_LAST),
            Quantiles.median(rd, ORDERED_LAST),
            r,
            d,
            rd);
      } finally {
        raw.close();
      }
    }
  }

  /**
   * Reads {@code length} bytes from {@code start} in blocks into {@code buf}: a heap buffer reads
   * into its array (the baseline of {@code fcs_decode_vs_raw_read}), a direct one straight from the
   * file.
   */
  private static long rawPass(FcsInput in, long start, long length, ByteBuffer buf)
      throws IOException {
    long sum = 0;
    for (long at = 0; at < length; at += buf.capacity()) {
      int n = (int) Math.min(buf.capacity(), length - at);
      buf.clear().limit(n);
      in.readFully(start + at, buf);
      sum += buf.get(n - 1);
    }
    return sum;
  }

  private static double decodePass(FcsFile fcs, FcsDataset ds) throws IOException {
    EventReader r = fcs.events(ds);
    float[] block = new float[FcsFile.DEFAULT_BLOCK_BYTES / 4];
    double sum = 0;
    int n;
    while ((n = r.read(block)) > 0) {
      sum += block[n * r.parameters() - 1];
    }
    return sum;
  }

  private static void write(Path file, long events, ByteOrder order) throws IOException {
    List<FcsWriter.Channel> ch = new ArrayList<>();
    for (int i = 0; i < CHANNELS; i++) {
      ch.add(FcsWriter.channel("P" + (i + 1) + "-A", null, 262144));
    }
    FcsWriter.Spec spec = FcsWriter.spec(ch).withDataType(DataType.F, 32).withOrder(order);
    int blockEvents = 65536;
    float[] block = new float[blockEvents * CHANNELS];
    long state = 42;
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FcsWriter.Output out = FcsWriter.open(tmp, spec, events)) {
      for (long done = 0; done < events; ) {
        int n = (int) Math.min(blockEvents, events - done);
        for (int i = 0; i < n * CHANNELS; i++) {
          state = state * 6364136223846793005L + 1442695040888963407L;
          block[i] = (float) ((state >>> 40) * 0x1p-24 * 262144.0);
        }
        out.write(block, n);
        done += n;
      }
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
