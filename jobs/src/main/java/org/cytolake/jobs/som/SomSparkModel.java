package org.cytolake.jobs.som;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.jobs.MappedIterator;
import org.cytolake.som.Metaclustering;
import org.cytolake.som.SomModel;

/**
 * A fitted SOM with its metaclusters, as a Spark ML Model: {@link #transform} adds to every row its node and
 * metacluster (both int, 0-based). Holds only the codebook and the node-to-metacluster map (small), so it is cheap
 * to ship with tasks. Immutable.
 */
public record SomSparkModel(
    List<String> inputCols,
    SomModel som,
    Metaclustering.Result metaclusters,
    String nodeCol,
    String metaclusterCol) {

  public SomSparkModel {
    inputCols = List.copyOf(inputCols);
    if (inputCols.size() != som.dims()) {
      throw new IllegalArgumentException(
          "Cannot create SOM model: "
              + inputCols.size()
              + " input columns but the"
              + " codebook has "
              + som.dims()
              + " dimensions");
    }
    if (metaclusters.nodeToMetacluster().length != som.nodes()) {
      throw new IllegalArgumentException(
          "Cannot create SOM model: metaclusters cover "
              + metaclusters.nodeToMetacluster().length
              + " nodes but the SOM has "
              + som.nodes());
    }
  }

  /**
   * {@code data} with the node and metacluster columns appended.
   *
   * @throws IllegalArgumentException naming every input column that is missing or not numeric, or an output column
   *     that already exists
   */
  public Dataset<Row> transform(Dataset<Row> data) {
    StructType schema = data.schema();
    SomEstimator.checkSchema(schema, inputCols, "map events to SOM nodes");
    List<String> existing = List.of(schema.fieldNames());
    for (String out : List.of(nodeCol, metaclusterCol)) {
      if (existing.contains(out)) {
        throw new IllegalArgumentException(
            "Cannot map events to SOM nodes: output column '" + out + "' already exists");
      }
    }
    StructType outSchema =
        schema
            .add(nodeCol, DataTypes.IntegerType, false)
            .add(metaclusterCol, DataTypes.IntegerType, false);
    int[] positions = inputCols.stream().mapToInt(schema::fieldIndex).toArray();
    NodeMapper map = new NodeMapper(positions, inputCols, som, metaclusters.nodeToMetacluster());
    return data.mapPartitions(map, Encoders.row(outSchema));
  }

  /** Appends node and metacluster to each row; a static class so that only what it needs is shipped. */
  private record NodeMapper(int[] positions, List<String> names, SomModel model, int[] nodeToMeta)
      implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      double[] v = new double[positions.length];
      return MappedIterator.map(
          rows,
          row -> {
            for (int d = 0; d < positions.length; d++) {
              if (row.isNullAt(positions[d])) {
                throw new IllegalArgumentException(
                    "Cannot map event to SOM: column '" + names.get(d) + "' is null");
              }
              v[d] = ((Number) row.get(positions[d])).doubleValue();
            }
            int node = model.bmu(v, 0);
            Object[] values = new Object[row.size() + 2];
            for (int i = 0; i < row.size(); i++) {
              values[i] = row.get(i);
            }
            values[row.size()] = node;
            values[row.size() + 1] = nodeToMeta[node];
            return RowFactory.create(values);
          });
    }
  }
}
