package org.cytolake.fcs;

/**
 * Where the events of a data set are, after HEADER and TEXT offsets were reconciled.
 *
 * @param start absolute offset of the first event byte
 * @param events number of complete events to read from there
 * @param eventBytes bytes per event
 * @param source which offsets were used: {@code HEADER}, {@code TEXT} or {@code NONE} (no events)
 */
public record DataSegment(long start, long events, int eventBytes, String source) {
  /** Bytes the events occupy. */
  public long length() {
    return events * eventBytes;
  }
}
