package org.cytolake.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cytolake.cytometry.Compensation;
import org.cytolake.cytometry.transform.TransformSpec;
import org.cytolake.fcs.FcsWriter;
import org.cytolake.fcs.Spillover;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FcsDataSourceIT {
  static final int EVENTS = 5000;
  static final List<String> CH = List.of("FSC-A", "PE-A", "APC-A");
  static final double[][] SPILL = {{1, 0, 0}, {0, 1, 0.2}, {0, 0.1, 1}};

  @TempDir static Path dir;
  static Path a;
  static Path b;
  static float[] valuesA;

  @BeforeAll
  static void writeFiles() throws Exception {
    a = dir.resolve("a.fcs");
    b = dir.resolve("b.fcs");
    valuesA = values(EVENTS, 1);
    FcsWriter.Spec spec =
        FcsWriter.spec(
                List.of(
                    FcsWriter.channel("FSC-A", null, 262144),
                    FcsWriter.channel("PE-A", "CD25", 262144),
                    FcsWriter.channel("APC-A", "FOXP3", 262144)))
            .withSpillover(new Spillover("$SPILLOVER", CH, SPILL));
    FcsWriter.write(a, spec, valuesA, EVENTS);
    FcsWriter.write(b, spec, values(EVENTS, 2), EVENTS);
  }

  static float[] values(int n, int seed) {
    float[] v = new float[n * 3];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((i * 7919L + seed * 104729L) % 100000) - 500;
    }
    return v;
  }

  @Test
  void readsEveryEventOfEveryFileWithExactValues() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> df = spark.read().format("fcs").load(a.toString(), b.toString());
    assertEquals(
        List.of("file", "dataset", "event", "FSC-A", "PE-A", "APC-A"), List.of(df.columns()));
    assertEquals(2L * EVENTS, df.count());
    List<Row> rows = df.where("file = '" + a + "'").orderBy("event").collectAsList();
    assertEquals(EVENTS, rows.size());
    for (int e = 0; e < EVENTS; e += 997) {
      Row r = rows.get(e);
      assertEquals(e, r.getLong(2));
      for (int c = 0; c < 3; c++) {
        assertEquals(valuesA[e * 3 + c], r.getFloat(3 + c), 0f);
      }
    }
  }

  @Test
  void splitsLargeFilesIntoEventRangesWithoutChangingTheRows() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> whole = spark.read().format("fcs").load(a.toString());
    Dataset<Row> split =
        spark.read().format("fcs").option("split-bytes", "4096").load(a.toString());
    assertTrue(split.rdd().getNumPartitions() > 10, "split into many tasks");
    assertEquals(0, whole.exceptAll(split).count());
    assertEquals(0, split.exceptAll(whole).count());
  }

  @Test
  void compensatesSelectsRenamesAndTransforms() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> df =
        spark
            .read()
            .format("fcs")
            .option("channels", "APC-A,PE-A")
            .option("names", "FOXP3,CD25")
            .option("transforms", "asinh:cofactor=150;none")
            .option("compensate", "true")
            .load(a.toString());
    assertEquals(List.of("file", "dataset", "event", "FOXP3", "CD25"), List.of(df.columns()));
    float[] comp = valuesA.clone();
    Compensation.of(CH, SPILL).bind(CH).compensate(comp, EVENTS, 3);
    var asinh = TransformSpec.parse("asinh:cofactor=150");
    Row r = df.orderBy("event").limit(3).collectAsList().get(2);
    assertArrayEquals(
        new float[] {(float) asinh.apply(comp[2 * 3 + 2]), comp[2 * 3 + 1]},
        new float[] {r.getFloat(3), r.getFloat(4)},
        1e-5f);
  }

  @Test
  void aMissingChannelIsNamedWithTheFile() {
    SparkSession spark = SparkTestSession.get();
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                spark
                    .read()
                    .format("fcs")
                    .option("channels", "FSC-A,BV421-A")
                    .load(a.toString())
                    .count());
    String msg = String.valueOf(e.getMessage());
    assertTrue(msg.contains("BV421-A") && msg.contains(a.toString()), msg);
  }

  @Test
  void aGivenSpilloverMatrixReplacesTheFiles() {
    SparkSession spark = SparkTestSession.get();
    double[][] other = {{1, 0.3}, {0, 1}};
    Row r =
        spark
            .read()
            .format("fcs")
            .option("channels", "PE-A,APC-A")
            .option("compensate", "true")
            .option("spillover-channels", "PE-A,APC-A")
            .option("spillover-matrix", "[[1,0.3],[0,1]]")
            .load(a.toString())
            .orderBy("event")
            .limit(1)
            .collectAsList()
            .get(0);
    float[] comp = valuesA.clone();
    Compensation.of(List.of("PE-A", "APC-A"), other).bind(CH).compensate(comp, EVENTS, 3);
    assertArrayEquals(
        new float[] {comp[1], comp[2]}, new float[] {r.getFloat(3), r.getFloat(4)}, 1e-4f);
  }
}
