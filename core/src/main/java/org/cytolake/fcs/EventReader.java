package org.cytolake.fcs;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Streams the events of one data set in blocks. Memory is one block buffer whatever the file size.
 * Values are raw stored values: integers masked per {@code $PnR}, no {@code $PnE}/{@code $PnG}
 * scaling, no compensation. Not thread-safe; one reader per task. The block buffer is direct when
 * the input fills direct buffers itself ({@link FcsInput#directReads()}): the bytes are then copied
 * once from the source into the buffer and once, decoded, into the caller's array.
 */
public final class EventReader {
  private final FcsInput input;
  private final FcsDataset dataset;
  private final EventLayout layout;
  private final long startByte;
  private final long count;
  private final ByteBuffer buffer;
  private final int blockEvents;
  private long done;

  EventReader(FcsInput input, FcsDataset dataset, long first, long count, int blockBytes)
      throws FcsFormatException {
    DataSegment d = dataset.data();
    this.input = input;
    this.dataset = dataset;
    this.layout = dataset.layout();
    this.startByte = d.start() + first * d.eventBytes();
    this.count = count;
    int w = Math.max(1, layout.eventBytes());
    long events = Math.max(1, Math.min(count, Math.max(1, blockBytes / w)));
    this.blockEvents = (int) events;
    int bytes = (int) (events * w);
    this.buffer =
        input.directReads() ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes);
  }

  /** Values per event. */
  public int parameters() {
    return layout.parameters();
  }

  /** Events not yet read. */
  public long remaining() {
    return count - done;
  }

  /**
   * Reads the next events into {@code dst} row-major, at most {@code dst.length / parameters()}.
   *
   * @return number of events read; 0 at the end
   */
  public int read(float[] dst) throws IOException {
    int n = fill(dst.length);
    layout.decode(buffer, 0, n, dst, 0);
    return n;
  }

  /** Like {@link #read(float[])}, into doubles (exact for integers up to 53 bits). */
  public int read(double[] dst) throws IOException {
    int n = fill(dst.length);
    layout.decode(buffer, 0, n, dst, 0);
    return n;
  }

  private int fill(int dstLength) throws IOException {
    int par = Math.max(1, layout.parameters());
    if (dstLength < par && remaining() > 0) {
      throw new IllegalArgumentException(
          "Cannot read events of '"
              + dataset.source()
              + "': the destination holds "
              + dstLength
              + " values, fewer than one event ("
              + par
              + ")");
    }
    int n = (int) Math.min(remaining(), Math.min(blockEvents, dstLength / par));
    if (n == 0) {
      return 0;
    }
    long at = startByte + done * layout.eventBytes();
    int len = n * layout.eventBytes();
    try {
      buffer.clear().limit(len);
      input.readFully(at, buffer);
    } catch (EOFException e) {
      throw new FcsFormatException(
          dataset.source(),
          FcsSegment.DATA,
          at,
          FcsErrorCode.TRUNCATED_DATA,
          "the file ends inside the DATA segment: " + e.getMessage(),
          e);
    }
    done += n;
    return n;
  }
}
