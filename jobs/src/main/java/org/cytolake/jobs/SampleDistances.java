package org.cytolake.jobs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.stats.Quantiles;

/**
 * Each sample's median quantisation distance, overall and per metacluster, in one shuffle by sample: a sample's
 * (metacluster, distance) pairs are held at a time and the medians taken by {@link MappedEvents.SampleStats#of}
 * ({@link Quantiles#medianInPlace}, NaN ordered last), the values {@link GroupMedians} gives by sample and by sample × metacluster in two shuffles.
 */
final class SampleDistances implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  static final StructType SCHEMA =
      new StructType()
          .add("sample_id", DataTypes.StringType, false)
          .add("metacluster", DataTypes.IntegerType, true)
          .add("events", DataTypes.LongType, false)
          .add("median", DataTypes.DoubleType, false);

  /**
   * One row per sample with {@code metacluster} null (all its events) and one per sample and metacluster.
   *
   * @param mapped rows with {@code sample_id}, {@code metacluster} and {@code distance}
   */
  static Dataset<Row> of(Dataset<Row> mapped) {
    return mapped
        .select(
            functions.col("sample_id"),
            functions.col("metacluster"),
            functions.coalesce(
                functions.col("distance").cast(DataTypes.DoubleType), functions.lit(Double.NaN)))
        .repartition(functions.col("sample_id"))
        .sortWithinPartitions("sample_id")
        .mapPartitions(new SampleDistances(), Encoders.row(SCHEMA));
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    List<Row> out = new ArrayList<>();
    String current = null;
    double[] d = new double[1024];
    int[] m = new int[1024];
    int n = 0;
    while (rows.hasNext()) {
      Row r = rows.next();
      String id = r.getString(0);
      if (current != null && !current.equals(id)) {
        emit(current, d, m, n, out);
        n = 0;
      }
      current = id;
      if (n == d.length) {
        d = Arrays.copyOf(d, n * 2);
        m = Arrays.copyOf(m, n * 2);
      }
      m[n] = r.getInt(1);
      d[n] = r.getDouble(2);
      n++;
    }
    if (current != null) {
      emit(current, d, m, n, out);
    }
    return out.iterator();
  }

  private static void emit(String id, double[] d, int[] m, int n, List<Row> out) {
    rows(id, MappedEvents.SampleStats.of(-1, m, d, new double[0][], n), out);
  }

  /** The rows of one sample's distance medians: overall (metacluster null), then per metacluster. */
  static void rows(String id, MappedEvents.SampleStats stats, List<Row> out) {
    out.add(RowFactory.create(id, null, stats.total(), stats.overallDistance()));
    for (int g = 0; g < stats.metaclusters().length; g++) {
      out.add(
          RowFactory.create(id, stats.metaclusters()[g], stats.events()[g], stats.distance()[g]));
    }
  }
}
