package org.cytolake.jobs;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * The values of a few double columns brought to the driver as one primitive array per column, for
 * the exact quantiles of a sample ({@link PlotFrames#quantiles}): each partition fills growing
 * {@code double[]} from Spark's internal rows, so no {@link Row} or boxed value is made per event.
 * A null is NaN. Callers pass a sample (about 10^5-10^6 rows): everything reaches the driver.
 */
final class DoubleColumns {
  private DoubleColumns() {}

  /**
   * Per column of {@code doubles} (all of type double), its values in partition order.
   *
   * @throws IllegalArgumentException naming the first column that is not a double
   */
  static double[][] collect(Dataset<Row> doubles) {
    StructField[] fields = doubles.schema().fields();
    for (StructField f : fields) {
      DataType t = f.dataType();
      if (!t.equals(DataTypes.DoubleType)) {
        throw new IllegalArgumentException(
            "Cannot collect column '" + f.name() + "': it is " + t.simpleString() + ", not double");
      }
    }
    List<double[][]> parts =
        doubles
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .mapPartitions(new Fill(fields.length))
            .collect();
    int rows = parts.stream().mapToInt(p -> p.length == 0 ? 0 : p[0].length).sum();
    double[][] out = new double[fields.length][rows];
    int at = 0;
    for (double[][] p : parts) {
      if (p.length == 0 || p[0].length == 0) {
        continue;
      }
      for (int c = 0; c < fields.length; c++) {
        System.arraycopy(p[c], 0, out[c], at, p[c].length);
      }
      at += p[0].length;
    }
    return out;
  }

  /** One partition's values, per column, trimmed to its rows. */
  static final class Fill implements FlatMapFunction<Iterator<InternalRow>, double[][]> {
    private static final long serialVersionUID = 1L;
    private final int columns;

    Fill(int columns) {
      this.columns = columns;
    }

    @Override
    public Iterator<double[][]> call(Iterator<InternalRow> rows) {
      double[][] v = new double[columns][1024];
      int n = 0;
      while (rows.hasNext()) {
        InternalRow r = rows.next();
        if (n == v[0].length) {
          for (int c = 0; c < columns; c++) {
            v[c] = Arrays.copyOf(v[c], n * 2);
          }
        }
        for (int c = 0; c < columns; c++) {
          v[c][n] = r.isNullAt(c) ? Double.NaN : r.getDouble(c);
        }
        n++;
      }
      double[][] trimmed = new double[columns][];
      for (int c = 0; c < columns; c++) {
        trimmed[c] = Arrays.copyOf(v[c], n);
      }
      return List.<double[][]>of(trimmed).iterator();
    }
  }
}
