package org.cytolake.qc;

/**
 * Refines a run of anomalous bins to the events where the anomaly starts and ends. Each event gets
 * a score, the log-likelihood ratio of "inside the anomaly" against "normal"; the segment is the
 * stretch {@code [i, j)} with the largest total score, its start {@code i} searched from the bin
 * before the run to the end of the run's first bin and its end {@code j} from the start of the
 * run's last bin to the end of the bin after it. With one anomaly and independent events this is
 * the maximum-likelihood change-point pair of an epidemic change (a maximum-sum subarray,
 * computed in one pass over prefix sums).
 */
final class SegmentLocator {
  private SegmentLocator() {}

  /**
   * The best segment, or null when no segment has a positive total score (the caller keeps the
   * run's bin edges).
   *
   * @param score scores of the events at positions {@code [lo, hi)}, index 0 = position lo
   * @param lo first position a segment may start at
   * @param leftEnd last position a segment may start at
   * @param rightStart first position a segment may end at (exclusive end)
   * @param hi last position a segment may end at
   * @return {@code {i, j}}
   */
  static int[] locate(double[] score, int lo, int leftEnd, int rightStart, int hi) {
    double best = 0;
    int bi = -1;
    int bj = -1;
    double minP = Double.POSITIVE_INFINITY;
    int argMin = -1;
    double p = 0;
    for (int pos = lo; pos <= hi; pos++) {
      if (pos <= leftEnd && p < minP) {
        minP = p;
        argMin = pos;
      }
      if (pos >= rightStart && argMin >= 0 && p - minP > best) {
        best = p - minP;
        bi = argMin;
        bj = pos;
      }
      if (pos < hi) {
        p += score[pos - lo];
      }
    }
    return bi < 0 ? null : new int[] {bi, bj};
  }
}
