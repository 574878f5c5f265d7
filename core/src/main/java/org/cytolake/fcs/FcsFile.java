package org.cytolake.fcs;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * An open FCS file: the metadata of all its data sets, and streams of their events. Closing it
 * closes the underlying input.
 */
public final class FcsFile implements Closeable {
  /**
   * Default size of one decoded block, in bytes of the DATA segment: 1 MiB keeps the buffer and
   * the decoded block in cache (measured fastest of 64 KiB..4 MiB by the fcs-decode benchmark).
   */
  public static final int DEFAULT_BLOCK_BYTES = 1 << 20;

  private final FcsInput input;
  private final List<FcsDataset> datasets;

  FcsFile(FcsInput input, List<FcsDataset> datasets) {
    this.input = input;
    this.datasets = datasets;
  }

  public String name() {
    return input.name();
  }

  /** All data sets, in {@code $NEXTDATA} order; never empty. */
  public List<FcsDataset> datasets() {
    return datasets;
  }

  /** The first data set. */
  public FcsDataset first() {
    return datasets.get(0);
  }

  /** Streams all events of a data set. */
  public EventReader events(FcsDataset dataset) throws FcsFormatException {
    DataSegment d = dataset.data();
    return new EventReader(input, dataset, 0, d.events(), DEFAULT_BLOCK_BYTES);
  }

  /**
   * Reads all events of a data set into one array, event after event (the parameters of an event
   * side by side), as stored: for the tools that hold one file in memory.
   *
   * @param purpose what the caller does with them, for the message when they do not fit (e.g.
   *     {@code gate})
   * @throws IOException when the events do not fit one array, naming the file and the counts
   */
  public double[] readAll(FcsDataset dataset, String purpose) throws IOException {
    long n = dataset.eventCount();
    int p = dataset.parameters().size();
    if (n * p > Integer.MAX_VALUE - 8) {
      throw new IOException(
          "Cannot "
              + purpose
              + " FCS file '"
              + name()
              + "' in memory: "
              + n
              + " events of "
              + p
              + " channels are more than one array holds");
    }
    double[] values = new double[(int) (n * p)];
    EventReader reader = events(dataset);
    double[] block = new double[Math.max(p, 65536 / Math.max(1, p) * p)];
    int at = 0;
    int read;
    while ((read = reader.read(block)) > 0) {
      System.arraycopy(block, 0, values, at, read * p);
      at += read * p;
    }
    return at == values.length ? values : java.util.Arrays.copyOf(values, at);
  }

  /**
   * Streams events {@code [first, first + count)} of a data set (a byte range of its DATA segment:
   * how a large file is split across tasks).
   */
  public EventReader events(FcsDataset dataset, long first, long count, int blockBytes)
      throws FcsFormatException {
    DataSegment d = dataset.data();
    if (first < 0 || count < 0 || first + count > d.events()) {
      throw new IllegalArgumentException(
          "Cannot read events "
              + first
              + ".."
              + (first + count)
              + " of '"
              + name()
              + "': it has "
              + d.events()
              + " events");
    }
    return new EventReader(input, dataset, first, count, blockBytes);
  }

  @Override
  public void close() throws IOException {
    input.close();
  }
}
