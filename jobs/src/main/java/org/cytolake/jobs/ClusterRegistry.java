package org.cytolake.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.clustering.ClusterModel;
import org.cytolake.clustering.ClusterModelFormat;
import org.cytolake.clustering.ModelPlan;
import org.cytolake.lake.Lake;
import org.cytolake.lake.LakeState;

/**
 * The lake's cluster model registry: every version of every panel and algorithm in {@code cluster_models} (one row
 * per version, {@link ClusterModelFormat}), and the pins ({@code cluster --activate VERSION}) in the lake state
 * {@value #PINS} ({@code _state/cluster-model-pins.json}: {@code "<panel>/<algorithm>" → version}). The active model
 * of a panel and algorithm is the pinned version, or else the highest
 * ({@link ModelPlan#active(List, Optional)}).
 */
final class ClusterRegistry {
  /** The lake state holding the pins. */
  static final String PINS = "cluster-model-pins";

  private static final String TABLE = "cluster_models";

  private final SparkSession spark;
  private final Lake lake;
  private final LakeState state;

  ClusterRegistry(SparkSession spark, Lake lake, LakeState state) {
    this.spark = spark;
    this.lake = lake;
    this.state = state;
  }

  /** Every stored version of {@code panel} and {@code algorithm}, ascending. */
  List<ClusterModel> versions(String panel, String algorithm) {
    if (!lake.exists(spark, TABLE)) {
      return List.of();
    }
    List<ClusterModel> out = new ArrayList<>();
    for (Row r :
        lake.read(spark, TABLE)
            .where(
                functions
                    .col("panel")
                    .equalTo(panel)
                    .and(functions.col("algorithm").equalTo(algorithm)))
            .collectAsList()) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (String c : ClusterModelFormat.COLUMNS) {
        row.put(c, r.getAs(c));
      }
      out.add(
          ClusterModelFormat.fromRow(
              row, TABLE + " " + panel + " " + algorithm + " v" + row.get("version")));
    }
    out.sort(Comparator.comparingInt(ClusterModel::version));
    ModelPlan.active(out);
    return out;
  }

  /** The pinned version of {@code panel} and {@code algorithm}, if any. */
  Optional<Integer> pin(String panel, String algorithm) throws IOException {
    Object v = state.read(PINS).get(key(panel, algorithm));
    return v instanceof Number n ? Optional.of(n.intValue()) : Optional.empty();
  }

  /** Pins {@code version} (null: removes the pin, the highest version is active again). */
  void setPin(String panel, String algorithm, Integer version) throws IOException {
    Map<String, Object> pins = new TreeMap<>(state.read(PINS));
    if (version == null) {
      pins.remove(key(panel, algorithm));
    } else {
      pins.put(key(panel, algorithm), version);
    }
    state.write(PINS, pins);
  }

  /**
   * Writes {@code versions} (every version of one panel and algorithm) as that partition of {@code cluster_models}:
   * {@code Lake.write} with Overwrite replaces the panel/algorithm partition, so the old rows are written again.
   */
  void write(List<ClusterModel> versions) {
    List<Row> rows = new ArrayList<>();
    StructType schema = new StructType();
    for (String c : ClusterModelFormat.COLUMNS) {
      schema =
          schema.add(
              c,
              switch (c) {
                case "version" -> DataTypes.IntegerType;
                case "seed" -> DataTypes.LongType;
                default -> DataTypes.StringType;
              },
              false);
    }
    for (ClusterModel m : versions) {
      rows.add(RowFactory.create(ClusterModelFormat.toRow(m).values().toArray()));
    }
    Dataset<Row> data = spark.createDataFrame(rows, schema);
    lake.write(data, lake.schema(TABLE), SaveMode.Overwrite);
  }

  private static String key(String panel, String algorithm) {
    return panel + "/" + algorithm;
  }
}
