package org.cytolake.cytometry;

import java.util.Arrays;

/**
 * A {@link Compensation} resolved against one file's channel list: applies observed × S⁻¹ in place to the bound
 * channels of events stored row-major (event after event, each with every file channel in order). Other channels
 * are left as they are. Immutable and thread-safe; each call uses its own scratch space.
 */
public final class BoundCompensation {

  private final int fileChannelCount;
  private final int[] indices;

  /** S⁻¹, row-major: compensated[j] = Σ_i observed[i] · matrix[i·n + j]. */
  private final double[] matrix;

  BoundCompensation(int fileChannelCount, int[] indices, double[] matrix) {
    this.fileChannelCount = fileChannelCount;
    this.indices = indices;
    this.matrix = matrix;
  }

  /** Positions in the file's channel list of the compensation's channels, in the compensation's order. */
  public int[] channelIndices() {
    return indices.clone();
  }

  /**
   * Compensates {@code nEvents} events in place, computing in double precision.
   *
   * @param events row-major event values, at least {@code nEvents · nChannelsPerEvent} long
   * @param nChannelsPerEvent values per event; must equal the number of channels of the file bound to
   * @throws IllegalArgumentException if the shape does not match
   */
  public void compensate(float[] events, int nEvents, int nChannelsPerEvent) {
    checkShape(events.length, nEvents, nChannelsPerEvent);
    int n = indices.length;
    double[] observed = new double[n];
    double[] compensated = new double[n];
    for (int base = 0, e = 0; e < nEvents; e++, base += nChannelsPerEvent) {
      for (int i = 0; i < n; i++) {
        observed[i] = events[base + indices[i]];
      }
      multiply(observed, compensated);
      for (int j = 0; j < n; j++) {
        events[base + indices[j]] = (float) compensated[j];
      }
    }
  }

  /**
   * Compensates {@code nEvents} events in place.
   *
   * @param events row-major event values, at least {@code nEvents · nChannelsPerEvent} long
   * @param nChannelsPerEvent values per event; must equal the number of channels of the file bound to
   * @throws IllegalArgumentException if the shape does not match
   */
  public void compensate(double[] events, int nEvents, int nChannelsPerEvent) {
    checkShape(events.length, nEvents, nChannelsPerEvent);
    int n = indices.length;
    double[] observed = new double[n];
    double[] compensated = new double[n];
    for (int base = 0, e = 0; e < nEvents; e++, base += nChannelsPerEvent) {
      for (int i = 0; i < n; i++) {
        observed[i] = events[base + indices[i]];
      }
      multiply(observed, compensated);
      for (int j = 0; j < n; j++) {
        events[base + indices[j]] = compensated[j];
      }
    }
  }

  /** out = in × S⁻¹, walking the matrix row by row so that the inner loop is contiguous. */
  private void multiply(double[] in, double[] out) {
    int n = in.length;
    Arrays.fill(out, 0);
    for (int i = 0, row = 0; i < n; i++, row += n) {
      double value = in[i];
      for (int j = 0; j < n; j++) {
        out[j] += value * matrix[row + j];
      }
    }
  }

  private void checkShape(int length, int nEvents, int nChannelsPerEvent) {
    if (nChannelsPerEvent != fileChannelCount) {
      throw new IllegalArgumentException(
          "Cannot compensate: events have "
              + nChannelsPerEvent
              + " channels each but the compensation was bound to a file with "
              + fileChannelCount);
    }
    if (nEvents < 0 || (long) nEvents * nChannelsPerEvent > length) {
      throw new IllegalArgumentException(
          "Cannot compensate: "
              + nEvents
              + " events of "
              + nChannelsPerEvent
              + " channels need "
              + (long) nEvents * nChannelsPerEvent
              + " values but the array has "
              + length);
    }
  }
}
