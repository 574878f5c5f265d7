package org.cytolake.fcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.List;

/** Opening in-memory FCS bytes and reading their events, for the FCS unit tests. */
final class FcsTestSupport {
  private FcsTestSupport() {}

  /** Opens bytes as a file named {@code name}. */
  static FcsFile open(String name, byte[] bytes) throws IOException {
    return FcsReader.open(FcsInput.of(name, bytes));
  }

  /** All events of a data set as doubles, row-major, read through the default block size. */
  static double[] readDoubles(FcsFile file, FcsDataset ds) throws IOException {
    EventReader r = file.events(ds);
    int par = Math.max(1, ds.parameters().size());
    double[] all = new double[(int) ds.eventCount() * par];
    return drain(r::read, all, new double[Math.max(par, all.length)], par);
  }

  /** Events {@code [first, first+count)} as doubles, in blocks of {@code blockBytes}. */
  static double[] readDoubles(
      FcsFile file, FcsDataset ds, long first, int count, int blockBytes, int dstEvents)
      throws IOException {
    EventReader r = file.events(ds, first, count, blockBytes);
    int par = ds.parameters().size();
    double[] all = drain(r::read, new double[count * par], new double[dstEvents * par], par);
    assertEquals(0, r.remaining(), "events left");
    return all;
  }

  /** Like {@link #readDoubles(FcsFile, FcsDataset, long, int, int, int)} into floats. */
  static float[] readFloats(
      FcsFile file, FcsDataset ds, long first, int count, int blockBytes, int dstEvents)
      throws IOException {
    EventReader r = file.events(ds, first, count, blockBytes);
    int par = ds.parameters().size();
    return drain(r::read, new float[count * par], new float[dstEvents * par], par);
  }

  /** One {@link EventReader#read} overload: events into {@code buf}, their number returned. */
  private interface BlockRead<A> {
    int read(A buf) throws IOException;
  }

  /**
   * Reads blocks into {@code buf} until {@code read} returns 0, appending each to {@code all} (a
   * {@code double[]} or {@code float[]}, {@code par} values an event); asserts {@code all} is full.
   */
  private static <A> A drain(BlockRead<A> read, A all, A buf, int par) throws IOException {
    int at = 0;
    for (int n; (n = read.read(buf)) > 0; ) {
      System.arraycopy(buf, 0, all, at, n * par);
      at += n * par;
    }
    assertEquals(Array.getLength(all), at, "values read");
    return all;
  }

  /** The codes of a data set's warnings, in order. */
  static List<String> codes(FcsDataset ds) {
    return ds.warnings().stream().map(FcsWarning::code).toList();
  }

  /** Asserts that a warning with {@code code} was recorded and returns its message. */
  static String assertWarning(FcsDataset ds, String code) {
    return ds.warnings().stream()
        .filter(w -> w.code().equals(code))
        .findFirst()
        .map(FcsWarning::message)
        .orElseThrow(() -> new AssertionError("no " + code + " warning in " + ds.warnings()));
  }

  /** Asserts exact equality, NaN and signed zeros included, with the index in the message. */
  static void assertValues(double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length, "value count");
    for (int i = 0; i < expected.length; i++) {
      int at = i;
      assertEquals(expected[i], actual[i], () -> "value " + at + " of " + Arrays.toString(actual));
    }
  }

  /** Asserts that a message contains every fragment. */
  static void assertMentions(String message, String... fragments) {
    for (String f : fragments) {
      assertTrue(message.contains(f), "expected '" + f + "' in: " + message);
    }
  }
}
