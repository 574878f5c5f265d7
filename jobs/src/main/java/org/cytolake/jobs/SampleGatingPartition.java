package org.cytolake.jobs;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.cytolake.config.GatingConfig;
import org.cytolake.gating.GatingStrategy;

/**
 * Gates the samples of one partition, which holds whole samples sorted by sample id: buffers one sample's events,
 * hands them to {@link #gateSample}, emits its rows, then goes on with the next sample; one sample's events are in
 * memory at a time. Input rows are {@code sample_id}, then {@code event_index} if {@code withEventIndex}, then the
 * panel's columns (a null value is NaN). The strategy is parsed once per partition from its text, as
 * {@link GatingConfig#parse} reads a {@link GatingConfig#texts()} entry (compact YAML or a workspace's envelope).
 */
abstract class SampleGatingPartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  protected final String panel;
  protected final List<String> columns;
  private final String strategyText;
  private final boolean withEventIndex;

  SampleGatingPartition(
      String panel, List<String> columns, String strategyText, boolean withEventIndex) {
    this.panel = panel;
    this.columns = List.copyOf(columns);
    this.strategyText = strategyText;
    this.withEventIndex = withEventIndex;
  }

  /**
   * The output rows of one sample.
   *
   * @param values {@code n × columns.size()} values, row-major
   * @param eventIndex the events' {@code event_index}, or null without {@code withEventIndex}
   */
  abstract List<Row> gateSample(
      GatingStrategy strategy, String sample, double[] values, long[] eventIndex, int n);

  @Override
  public Iterator<Row> call(Iterator<Row> input) throws Exception {
    GatingStrategy strategy = GatingConfig.parse(strategyText, panel);
    int p = columns.size();
    int first = withEventIndex ? 2 : 1;
    return new Iterator<>() {
      private Row pending = input.hasNext() ? input.next() : null;
      private Iterator<Row> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && pending != null) {
          String sample = pending.getString(0);
          double[] values = new double[1024 * p];
          long[] index = withEventIndex ? new long[1024] : null;
          int n = 0;
          while (pending != null && pending.getString(0).equals(sample)) {
            if ((n + 1) * p > values.length) {
              values = Arrays.copyOf(values, values.length * 2);
            }
            if (index != null) {
              if (n == index.length) {
                index = Arrays.copyOf(index, n * 2);
              }
              index[n] = pending.getLong(1);
            }
            for (int c = 0; c < p; c++) {
              values[n * p + c] =
                  pending.isNullAt(c + first) ? Double.NaN : pending.getDouble(c + first);
            }
            n++;
            pending = input.hasNext() ? input.next() : null;
          }
          current = gateSample(strategy, sample, Arrays.copyOf(values, n * p), index, n).iterator();
        }
        return current.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }
}
