package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.Test;

/** The wide, one-group-at-a-time medians are GroupMedians' rows, nulls and NaN included. */
class SampleGroupMediansIT {
  @Test
  void sameRowsAsGroupMedians() {
    Random r = new Random(11);
    List<Row> rows = new ArrayList<>();
    for (int e = 0; e < 6_000; e++) {
      rows.add(
          RowFactory.create(
              "S" + r.nextInt(7),
              r.nextInt(5),
              (float) r.nextGaussian(),
              r.nextInt(50) == 0 ? null : r.nextGaussian() * 3,
              r.nextInt(40) == 0 ? Double.NaN : (double) r.nextInt(4)));
    }
    StructType schema =
        new StructType()
            .add("sample_id", DataTypes.StringType, false)
            .add("metacluster", DataTypes.IntegerType, false)
            .add("a", DataTypes.FloatType, false)
            .add("b", DataTypes.DoubleType, true)
            .add("c", DataTypes.DoubleType, false);
    Dataset<Row> data =
        SparkTestSession.get()
            .createDataFrame(rows, schema)
            .repartition(3)
            .select(
                functions.col("sample_id"),
                functions.col("metacluster"),
                functions.struct("a", "b", "c").as("m"));
    List<String> keys = List.of("sample_id", "metacluster");
    List<String> fields = List.of("m.a", "m.b", "m.c");
    List<Row> expected =
        GroupMedians.of(data, keys, fields)
            .orderBy("sample_id", "metacluster", "column")
            .collectAsList();
    List<Row> actual =
        SampleGroupMedians.of(data, keys, fields)
            .orderBy("sample_id", "metacluster", "column")
            .collectAsList();
    assertEquals(7 * 5 * 3, expected.size());
    assertEquals(expected.toString(), actual.toString());
    assertEquals(
        SampleGroupMedians.of(data, keys, fields).schema(),
        GroupMedians.of(data, keys, fields).schema());
  }
}
