package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.clustering.ClusterModel;
import org.cytolake.jobs.som.SomEstimator;
import org.cytolake.som.Metaclustering;
import org.cytolake.som.SomModel;
import org.cytolake.som.SomParams;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.Test;

/** The driver's fit and distances give what the distributed fit and {@link ClusterMapping#distances} give. */
class LocalTrainingIT {
  static final List<String> COLS = List.of("a", "b", "c");

  @Test
  void driverFitAndDistancesEqualSparks() {
    Random r = new Random(7);
    List<Row> rows = new ArrayList<>();
    for (int s = 0; s < 9; s++) {
      for (int e = 0; e < 700 + 300 * s; e++) {
        int blob = r.nextInt(3);
        rows.add(
            RowFactory.create(
                "S" + s,
                (float) (blob * 4 + r.nextGaussian()),
                (float) (r.nextGaussian() + s * 0.1),
                (float) (blob == 2 ? 5 + r.nextGaussian() : r.nextGaussian())));
      }
    }
    Collections.shuffle(rows, r);
    StructType schema =
        new StructType()
            .add("sample_id", DataTypes.StringType, false)
            .add("a", DataTypes.FloatType, false)
            .add("b", DataTypes.FloatType, false)
            .add("c", DataTypes.FloatType, false);
    Dataset<Row> data = SparkTestSession.get().createDataFrame(rows, schema).repartition(5);

    LocalTraining local = LocalTraining.collect(data, COLS, 1 << 20).orElseThrow();
    assertEquals(rows.size(), local.events());
    assertTrue(LocalTraining.collect(data, COLS, 3L * rows.size() - 1).isEmpty());

    SomParams som = SomParams.defaults().withSeed(3);
    SomEstimator est = new SomEstimator(COLS, som, Metaclustering.defaults().withK(4), "n", "m");
    SomModel driver = org.cytolake.som.SomTrainer.fit(som, 3, local.blocks());
    SomModel spark = est.fitDistributed(data).som();
    assertArrayEquals(spark.codebook(), driver.codebook());

    int[] meta = est.metaclustering().fit(driver).nodeToMetacluster();
    ClusterModel.Provenance p =
        new ClusterModel.Provenance(1, "P1", "flowsom", new java.util.TreeMap<>(), 3, "f", "run");
    double[][] codes = driver.codes();
    ClusterModel model = ClusterModel.unsummarised(p, COLS, codes, meta, 4);
    assertEquals(
        ClusterMapping.distances(ClusterModelMapper.transform(data, model), 4),
        local.distances(model));
  }
}
