package org.cytolake.jobs.som;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.cytolake.scoring.ClusterScoring;
import org.cytolake.som.SomModel;
import org.cytolake.som.SomParams;
import org.cytolake.som.SomTrainer;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The distributed SOM gives the core trainer's codebook bitwise, for any number of partitions. */
class SparkSomEstimatorIT {

  static final List<String> COLS = List.of("m1", "m2", "m3", "m4");
  static Dataset<Row> data;
  static double[] events;
  static SparkSession spark;

  @BeforeAll
  static void data() {
    spark = SparkTestSession.get();
    Random r = new Random(4);
    double[][] centres = {{0, 0, 0, 0}, {6, 0, 0, 0}, {0, 6, 0, 0}, {0, 0, 6, 6}, {6, 6, 6, 6}};
    int n = 20_000;
    List<Row> rows = new ArrayList<>();
    events = new double[n * 4];
    for (int e = 0; e < n; e++) {
      int b = r.nextInt(centres.length);
      Object[] values = new Object[5];
      for (int d = 0; d < 4; d++) {
        float v = (float) (centres[b][d] + r.nextGaussian());
        values[d] = v;
        events[e * 4 + d] = v;
      }
      values[4] = "blob" + b;
      rows.add(RowFactory.create(values));
    }
    List<StructField> fields = new ArrayList<>();
    for (String c : COLS) {
      fields.add(DataTypes.createStructField(c, DataTypes.FloatType, false));
    }
    fields.add(DataTypes.createStructField("label", DataTypes.StringType, false));
    data = spark.createDataFrame(rows, DataTypes.createStructType(fields));
  }

  @Test
  void sameCodebookAsTheCoreForAnyPartitioning() {
    SomEstimator estimator = SomEstimator.of(COLS, 5).withSom(SomParams.defaults().withSeed(12));
    SomModel core = SomTrainer.fit(estimator.som(), 4, List.of(events));
    int[] coreMeta = estimator.metaclustering().fit(core).nodeToMetacluster();
    for (int partitions : new int[] {1, 3, 7}) {
      // fit(): these few events are fitted on the driver; fitDistributed: one Spark job an epoch
      for (SomSparkModel model :
          List.of(
              estimator.fit(data.repartition(partitions)),
              estimator.fitDistributed(data.repartition(partitions)))) {
        assertArrayEquals(core.codebook(), model.som().codebook(), partitions + " partitions");
        assertArrayEquals(
            coreMeta, model.metaclusters().nodeToMetacluster(), partitions + " partitions");
      }
    }
  }

  @Test
  void transformAddsNodeAndMetaclusterAndFindsTheBlobs() {
    SomSparkModel model = SomEstimator.of(COLS, 5).fit(data.repartition(3));
    Dataset<Row> out = model.transform(data);
    StructType schema = out.schema();
    assertEquals(
        List.of("m1", "m2", "m3", "m4", "label", "som_node", "metacluster"),
        Arrays.asList(schema.fieldNames()));
    List<Row> rows = out.select("label", "som_node", "metacluster").collectAsList();
    assertEquals(20_000, rows.size());
    List<String> labels = new ArrayList<>();
    int[] clusters = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      labels.add(rows.get(i).getString(0));
      int node = rows.get(i).getInt(1);
      assertEquals(model.metaclusters().nodeToMetacluster()[node], rows.get(i).getInt(2));
      clusters[i] = rows.get(i).getInt(2);
    }
    double f1 = ClusterScoring.score(labels, clusters).meanF1();
    assertTrue(f1 >= 0.95, "mean F1 " + f1);
  }

  @Test
  void schemaProblemsAreReportedTogether() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SomEstimator.of(List.of("m1", "label", "nope"), 3).fit(data));
    assertTrue(e.getMessage().contains("column 'label' is string, not numeric"), e.getMessage());
    assertTrue(e.getMessage().contains("column 'nope' is missing"), e.getMessage());
  }
}
