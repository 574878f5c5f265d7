package org.cytolake.jobs;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.clustering.ClusterModel;
import org.cytolake.jobs.som.SomEstimator;
import org.cytolake.som.SomModel;

/**
 * {@link ClusterModel#map} in Spark: appends to every row its {@code node}, {@code metacluster} (int) and
 * {@code distance} (double, the quantisation distance) by the model's rule ({@link SomModel#bmu(double[], int,
 * double[], int)} on the codebook: nearest node, lowest index on ties), so a row maps to the node the pure model
 * gives it, whatever the partitioning. Ships only the flat codebook and the node map.
 */
final class ClusterModelMapper implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final int[] positions;
  private final List<String> names;
  private final double[] codebook;
  private final int[] nodeToMeta;

  private ClusterModelMapper(
      int[] positions, List<String> names, double[] codebook, int[] nodeToMeta) {
    this.positions = positions;
    this.names = List.copyOf(names);
    this.codebook = codebook;
    this.nodeToMeta = nodeToMeta;
  }

  /**
   * {@code data} with {@code node}, {@code metacluster} and {@code distance} appended.
   *
   * @throws IllegalArgumentException naming every model column that is missing or not numeric
   */
  static Dataset<Row> transform(Dataset<Row> data, ClusterModel model) {
    StructType schema = data.schema();
    SomEstimator.checkSchema(schema, model.columns(), "map events onto the cluster model");
    double[][] codes = model.codebook();
    int dims = model.columns().size();
    double[] flat = new double[codes.length * dims];
    for (int j = 0; j < codes.length; j++) {
      System.arraycopy(codes[j], 0, flat, j * dims, dims);
    }
    StructType out =
        schema
            .add("node", DataTypes.IntegerType, false)
            .add("metacluster", DataTypes.IntegerType, false)
            .add("distance", DataTypes.DoubleType, false);
    int[] positions = model.columns().stream().mapToInt(schema::fieldIndex).toArray();
    return data.mapPartitions(
        new ClusterModelMapper(positions, model.columns(), flat, model.nodeToMetacluster()),
        Encoders.row(out));
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    int dims = positions.length;
    double[] v = new double[dims];
    return MappedIterator.map(
        rows,
        row -> {
          for (int d = 0; d < dims; d++) {
            if (row.isNullAt(positions[d])) {
              throw new IllegalArgumentException(
                  "Cannot map event onto the cluster model: column '" + names.get(d) + "' is null");
            }
            v[d] = ((Number) row.get(positions[d])).doubleValue();
          }
          int node = SomModel.bmu(codebook, dims, v, 0);
          Object[] values = new Object[row.size() + 3];
          for (int i = 0; i < row.size(); i++) {
            values[i] = row.get(i);
          }
          values[row.size()] = node;
          values[row.size() + 1] = nodeToMeta[node];
          values[row.size() + 2] = Math.sqrt(SomModel.squaredDistance(codebook, dims, node, v, 0));
          return RowFactory.create(values);
        });
  }
}
