package org.cytolake.generate;

import java.util.List;
import org.cytolake.generate.EventSimulator.FloatList;

/** Draws the events of one file in blocks: the separable or the realistic simulator. */
interface EventSource {
  /**
   * Draws {@code n} events into {@code out} (row-major, {@link PanelModel#CHANNELS} per event),
   * their panel label indices into {@code labels} and their anomaly codes ({@link
   * Anomaly.Kind#code}; the separable model has none) into {@code anomalies}; appends tracked
   * statistics to {@code values}.
   */
  void next(int n, float[] out, int[] labels, byte[] anomalies, List<FloatList> values);
}
