package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.plot.BinAxis;
import org.cytolake.stats.LongCounts;
import org.cytolake.stats.Quantiles;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gating QC's binning in a map function ({@link GatingQcPages#tally}) counts what Spark SQL's
 * bin index ({@link PlotFrames#binIndex}) and a group-by count, and the exact range quantiles
 * ({@link PlotFrames#quantiles(Dataset, List, double[])}) are R's type 7 of every value Spark
 * holds, nulls and NaN left out.
 */
class GatingQcBinningIT {
  private static Dataset<Row> data;
  private static final BinAxis A = new BinAxis(-1, 3, 16);
  private static final BinAxis B = new BinAxis(0, 100, 7);

  @BeforeAll
  static void data() {
    Random r = new Random(11);
    double[] specials = {
      Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1, 3, -1.25, 2.75, 0, -0.0
    };
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      int slot = r.nextInt(4);
      Double a = r.nextInt(40) == 0 ? null : r.nextGaussian() * 1.5 + 1;
      if (r.nextInt(30) == 0) {
        a = specials[r.nextInt(specials.length)];
      }
      Double b = r.nextInt(50) == 0 ? null : r.nextDouble() * 120 - 10;
      if (r.nextInt(30) == 0) {
        b = new double[] {0, 100, Double.NaN, 100 - 1e-12}[r.nextInt(4)];
      }
      Boolean p = r.nextInt(25) == 0 ? null : r.nextBoolean();
      rows.add(RowFactory.create(slot, a, b, p));
    }
    StructType schema =
        new StructType()
            .add("_s", DataTypes.IntegerType, false)
            .add("a", DataTypes.DoubleType, true)
            .add("b", DataTypes.DoubleType, true)
            .add("p", DataTypes.BooleanType, true);
    data = SparkTestSession.get().createDataFrame(rows, schema).repartition(5).cache();
  }

  @Test
  void mapFunctionCountsWhatSqlBinsAndGroups() {
    // gate 0: a × b of every event; gate 1: histogram of b where p; gate 2: b × a where p
    int[] x = {1, 2, 2};
    int[] y = {2, -1, 1};
    int[] parent = {-1, 3, 3};
    BinAxis[] axes = {null, A, B};
    Map<String, Long> got = new TreeMap<>();
    for (LongCounts t : GatingQcPages.tally(data, axes, x, y, parent)) {
      t.forEach(
          (k, n) ->
              got.merge(
                  (k >>> 48)
                      + "/"
                      + ((k >>> 32) & 0xffff)
                      + "/"
                      + (short) (k >>> 16)
                      + "/"
                      + (short) k,
                  n,
                  Long::sum));
    }
    Map<String, Long> expected = new TreeMap<>();
    Column ba = PlotFrames.binIndex(functions.col("a"), A);
    Column bb = PlotFrames.binIndex(functions.col("b"), B);
    Column p = functions.col("p").equalTo(true);
    sql(expected, data, 0, ba, bb);
    sql(expected, data.where(p), 1, bb, functions.lit(0));
    sql(expected, data.where(p), 2, bb, ba);
    assertEquals(expected, got);
    long gate0 = got.entrySet().stream().filter(e -> e.getKey().matches("\\d/0/.*")).count();
    assertTrue(gate0 > 100, "gate 0 fills many cells: " + gate0);
    assertTrue(got.keySet().stream().anyMatch(k -> k.endsWith("/-2")), "NaN and null binned");
  }

  private static void sql(
      Map<String, Long> out, Dataset<Row> rows, int gate, Column bx, Column by) {
    for (Row r :
        rows.groupBy(functions.col("_s"), bx.as("bx"), by.as("by")).count().collectAsList()) {
      out.put(r.getInt(0) + "/" + gate + "/" + r.getInt(1) + "/" + r.getInt(2), r.getLong(3));
    }
  }

  @Test
  void exactQuantilesOfEveryValue() {
    double[] probs = {0.001, 0.5, 0.999};
    double[][] q = PlotFrames.quantiles(data, List.of("a", "b"), probs);
    List<Row> all = data.select("a", "b").collectAsList();
    for (int c = 0; c < 2; c++) {
      double[] v = new double[all.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = all.get(i).isNullAt(c) ? Double.NaN : all.get(i).getDouble(c);
      }
      assertArrayEquals(Quantiles.type7(v, probs), q[c], 0.0, "column " + c);
    }
    // a column cast to double (the flag), and one without values
    Dataset<Row> none =
        data.withColumn("n", functions.lit(null).cast("double"))
            .withColumn("s2", functions.col("_s"));
    double[][] r = PlotFrames.quantiles(none, List.of("s2", "n"), new double[] {0, 1});
    assertArrayEquals(new double[] {0, 3}, r[0], 0.0);
    assertEquals(0, r[1].length, "no values: no quantiles");
  }

  @Test
  void doubleColumnsRefusesOtherTypesNamingTheColumn() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DoubleColumns.collect(data.select("_s")));
    assertTrue(e.getMessage().contains("'_s'") && e.getMessage().contains("int"), e.getMessage());
    double[][] v = DoubleColumns.collect(data.select("a").where(functions.col("_s").equalTo(9)));
    assertEquals(0, v[0].length);
  }
}
