package org.cytolake.jobs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.stats.Quantiles;

/**
 * Exact medians of columns per group, in Spark, by the project's one median definition
 * ({@link Quantiles#medianInPlace}, NaN {@link Quantiles.NaNs#ORDERED_LAST} as {@code population_medians}: a null
 * value counts as NaN, ordered above every other). The data is turned to long form (group keys, column, value),
 * shuffled by (keys, column) and sorted within partitions, so one task holds the values of one group and column at
 * a time, never a whole group's rows; the result does not depend on partitioning or event order.
 */
final class GroupMedians implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final int keys;

  private GroupMedians(int keys) {
    this.keys = keys;
  }

  /**
   * The median of every column of {@code columns} per group of {@code keys}.
   *
   * @param data rows with the key columns and the value columns (any numeric type; read as double)
   * @param keys group key columns
   * @param columns value columns, as named in {@code data} (a struct field such as {@code m.cd3} is named
   *     {@code cd3} in the output)
   * @return the keys, {@code column} (string), {@code events} (long: rows of the group) and {@code median}
   *     (double), one row per group and column; groups without rows are absent
   */
  static Dataset<Row> of(Dataset<Row> data, List<String> keys, List<String> columns) {
    List<Column> pairs = new ArrayList<>();
    for (String c : columns) {
      String name = c.substring(c.lastIndexOf('.') + 1);
      pairs.add(
          functions.struct(
              functions.lit(name).as("column"),
              functions
                  .coalesce(functions.col(c).cast(DataTypes.DoubleType), functions.lit(Double.NaN))
                  .as("value")));
    }
    List<Column> select = new ArrayList<>(keys.stream().map(functions::col).toList());
    select.add(functions.explode(functions.array(pairs.toArray(new Column[0]))).as("_kv"));
    List<Column> flat = new ArrayList<>(keys.stream().map(functions::col).toList());
    flat.add(functions.col("_kv.column").as("column"));
    flat.add(functions.col("_kv.value").as("value"));
    Dataset<Row> longForm =
        data.select(select.toArray(new Column[0])).select(flat.toArray(new Column[0]));
    List<Column> byList = new ArrayList<>(keys.stream().map(functions::col).toList());
    byList.add(functions.col("column"));
    Column[] by = byList.toArray(new Column[0]);
    StructType out = new StructType();
    StructType in = longForm.schema();
    for (String k : keys) {
      out = out.add(in.apply(k));
    }
    out =
        out.add("column", DataTypes.StringType, false)
            .add("events", DataTypes.LongType, false)
            .add("median", DataTypes.DoubleType, false);
    return longForm
        .repartition(by)
        .sortWithinPartitions(by)
        .mapPartitions(new GroupMedians(keys.size()), Encoders.row(out));
  }

  /** Rows sorted by (keys, column), each (keys..., column, value): one output row per run of equal keys. */
  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    List<Row> out = new ArrayList<>();
    Object[] current = null;
    double[] buf = new double[1024];
    int n = 0;
    while (rows.hasNext()) {
      Row r = rows.next();
      Object[] key = new Object[keys + 1];
      for (int i = 0; i <= keys; i++) {
        key[i] = r.get(i);
      }
      if (current != null && !Arrays.equals(current, key)) {
        out.add(emit(current, buf, n));
        n = 0;
      }
      current = key;
      if (n == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      buf[n++] = r.getDouble(keys + 1);
    }
    if (current != null) {
      out.add(emit(current, buf, n));
    }
    return out.iterator();
  }

  private static Row emit(Object[] key, double[] buf, int n) {
    Object[] v = Arrays.copyOf(key, key.length + 2);
    v[key.length] = (long) n;
    v[key.length + 1] = Quantiles.medianInPlace(buf, n, Quantiles.NaNs.ORDERED_LAST);
    return RowFactory.create(v);
  }
}
