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
import org.cytolake.normalise.MonotoneSpline;

/**
 * Normalises the events of a partition: each row's normalised columns go through the spline of
 * its sample's batch ({@link org.cytolake.normalise.NormalisationModel#knots}); the other columns
 * are copied. Rows keep the events contract's column order; values stay float.
 */
final class NormalisePartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final int sampleIndex;
  private final int[] columnIndex;
  private final Broadcast<HashMap<String, String>> batchOf;
  private final Broadcast<Map<String, double[][][]>> knots;
  private transient Map<String, MonotoneSpline[]> splines;

  /**
   * @param sampleIndex the position of {@code sample_id} in a row
   * @param columnIndex the positions of the normalised columns, in the model's column order
   * @param batchOf sample → batch, for the samples written
   * @param knots batch → per column its (batch quantiles, goal quantiles), null to copy
   */
  NormalisePartition(
      int sampleIndex,
      int[] columnIndex,
      Broadcast<HashMap<String, String>> batchOf,
      Broadcast<Map<String, double[][][]>> knots) {
    this.sampleIndex = sampleIndex;
    this.columnIndex = columnIndex.clone();
    this.batchOf = batchOf;
    this.knots = knots;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    if (splines == null) {
      splines = new HashMap<>();
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row r = rows.next();
        MonotoneSpline[] s = splines(r.getString(sampleIndex));
        Object[] v = new Object[r.length()];
        for (int i = 0; i < v.length; i++) {
          v[i] = r.get(i);
        }
        for (int c = 0; c < columnIndex.length; c++) {
          int i = columnIndex[c];
          if (s[c] != null && v[i] != null) {
            v[i] = (float) s[c].value(((Number) v[i]).doubleValue());
          }
        }
        return RowFactory.create(v);
      }
    };
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
