package org.cytolake.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.cytolake.normalise.LakeClusters;
import org.cytolake.normalise.MonotoneSpline;

/**
 * Normalises the events of a partition: each row's normalised columns go through the spline of
 * its sample's batch ({@link org.cytolake.normalise.NormalisationModel#knots}), of a clustered
 * model the spline of the event's cluster (its nearest SOM node's, on its unnormalised values);
 * the other columns are copied. Rows keep the events contract's column order; values stay float.
 */
final class NormalisePartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final int sampleIndex;
  private final int[] columnIndex;
  private final Broadcast<HashMap<String, String>> batchOf;
  private final Broadcast<Map<String, double[][][]>> knots;
  private final Broadcast<LakeClusters> clustering;
  private transient Map<String, MonotoneSpline[]> splines;

  /**
   * @param sampleIndex the position of {@code sample_id} in a row
   * @param columnIndex the positions of the normalised columns, in the model's column order
   * @param batchOf sample → batch, for the samples written
   * @param knots batch → per slot (column, and cluster: cluster × columns + column) its (batch
   *     quantiles, goal quantiles), null to copy
   * @param clustering the SOM of a clustered model, null for one cluster
   */
  NormalisePartition(
      int sampleIndex,
      int[] columnIndex,
      Broadcast<HashMap<String, String>> batchOf,
      Broadcast<Map<String, double[][][]>> knots,
      Broadcast<LakeClusters> clustering) {
    this.sampleIndex = sampleIndex;
    this.columnIndex = columnIndex.clone();
    this.batchOf = batchOf;
    this.knots = knots;
    this.clustering = clustering;
  }

  /** A row of numbers as doubles (null as 0). */
  static double[] values(Row r) {
    double[] out = new double[r.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.isNullAt(i) ? 0 : ((Number) r.get(i)).doubleValue();
    }
    return out;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    if (splines == null) {
      splines = new HashMap<>();
    }
    LakeClusters som = clustering == null ? null : clustering.value();
    double[] raw = new double[columnIndex.length];
    return MappedIterator.map(
        rows,
        r -> {
          MonotoneSpline[] s = splines(r.getString(sampleIndex));
          Object[] v = new Object[r.length()];
          for (int i = 0; i < v.length; i++) {
            v[i] = r.get(i);
          }
          int offset = 0;
          if (som != null) {
            for (int c = 0; c < columnIndex.length; c++) {
              Object x = v[columnIndex[c]];
              raw[c] = x == null ? 0 : ((Number) x).doubleValue();
            }
            offset = som.clusterOf(raw, 0) * columnIndex.length;
          }
          for (int c = 0; c < columnIndex.length; c++) {
            int i = columnIndex[c];
            MonotoneSpline spline = s[offset + c];
            if (spline != null && v[i] != null) {
              v[i] = (float) spline.value(((Number) v[i]).doubleValue());
            }
          }
          return RowFactory.create(v);
        });
  }

  private MonotoneSpline[] splines(String sample) {
    String batch = batchOf.value().get(sample);
    if (batch == null) {
      throw new IllegalStateException(
          "Cannot normalise an event of sample '" + sample + "': no batch was planned for it");
    }
    return splines.computeIfAbsent(
        batch,
        b -> {
          List<MonotoneSpline> out = new ArrayList<>();
          for (double[][] k : knots.value().get(b)) {
            out.add(k == null ? null : MonotoneSpline.fit(k[0], k[1]));
          }
          return out.toArray(new MonotoneSpline[0]);
        });
  }
}
