package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.Test;

/** The two-scan medians are GroupMedians' medians, bit for bit, whatever the values. */
class BinnedMediansIT {
  @Test
  void sameMediansAsGroupMedians() {
    Random r = new Random(5);
    List<Row> rows = new ArrayList<>();
    for (int e = 0; e < 20_000; e++) {
      int k = r.nextInt(9); // group 8 gets many ties; group sizes odd and even
      double spread = r.nextGaussian() * 1e3;
      Double b = r.nextInt(60) == 0 ? null : r.nextGaussian() * (k + 1);
      double c = k == 8 ? 0.0 : (r.nextBoolean() ? -0.0 : 0.0) + r.nextInt(3);
      double d = k == 7 && r.nextInt(2) == 0 ? Double.NaN : -Math.abs(spread);
      rows.add(RowFactory.create(k, (float) (spread * 1e-3), b, c, d));
    }
    rows.add(RowFactory.create(9, 1f, null, 1.0, Double.NaN)); // a group of one
    StructType schema =
        new StructType()
            .add("metacluster", DataTypes.IntegerType, false)
            .add("a", DataTypes.FloatType, false)
            .add("b", DataTypes.DoubleType, true)
            .add("c", DataTypes.DoubleType, false)
            .add("d", DataTypes.DoubleType, false);
    Dataset<Row> data =
        SparkTestSession.get()
            .createDataFrame(rows, schema)
            .repartition(4)
            .select(functions.col("metacluster"), functions.struct("a", "b", "c", "d").as("m"))
            .cache();
    List<String> fields = List.of("m.a", "m.b", "m.c", "m.d");
    Map<Integer, Map<String, Double>> expected = new TreeMap<>();
    for (Row x : GroupMedians.of(data, List.of("metacluster"), fields).collectAsList()) {
      expected
          .computeIfAbsent(x.getInt(0), k -> new TreeMap<>())
          .put(x.getString(1), x.getDouble(3));
    }
    assertEquals(10, expected.size());
    assertEquals(expected.toString(), BinnedMedians.of(data, "metacluster", fields).toString());
    // every group left to GroupMedians, and some of them
    assertEquals(expected.toString(), BinnedMedians.of(data, "metacluster", fields, 0).toString());
    assertEquals(
        expected.toString(), BinnedMedians.of(data, "metacluster", fields, 300).toString());
  }

  @Test
  void binsFollowDoubleCompareOrder() {
    double[] ordered = {
      Double.NEGATIVE_INFINITY,
      -1e300,
      -2.5,
      -1e-300,
      -0.0,
      0.0,
      1e-300,
      2.5,
      1e300,
      Double.POSITIVE_INFINITY,
      Double.NaN
    };
    for (int i = 1; i < ordered.length; i++) {
      assertEquals(
          true, BinnedMedians.sortable(ordered[i - 1]) < BinnedMedians.sortable(ordered[i]));
      assertEquals(
          true, BinnedMedians.bin(ordered[i - 1]) <= BinnedMedians.bin(ordered[i]), "" + i);
      long p = BinnedMedians.pack(7, 13, BinnedMedians.bin(ordered[i]));
      assertEquals(7, BinnedMedians.packedKey(p));
      assertEquals(13, BinnedMedians.packedColumn(p));
      assertEquals(BinnedMedians.bin(ordered[i]), BinnedMedians.packedBin(p));
    }
  }
}
