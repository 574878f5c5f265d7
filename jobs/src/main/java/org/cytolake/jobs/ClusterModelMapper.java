package org.cytolake.jobs;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
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
    return new Chunks(rows);
  }

  /**
   * The rows of a partition {@link SomModel#CHUNK} at a time: their model values gathered into one
   * block and mapped by {@link SomModel#mapInto(double[], int, double[], int, int[])} (the same
   * nodes as {@link SomModel#bmu(double[], int, double[], int)}, about 1.5× faster), then given out
   * one by one with their columns appended. At most one chunk of rows is held.
   */
  private final class Chunks implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final int dims = positions.length;
    private final Row[] held = new Row[SomModel.CHUNK];
    private final double[] block = new double[SomModel.CHUNK * positions.length];
    private final int[] nodes = new int[SomModel.CHUNK];
    private int size;
    private int next;

    Chunks(Iterator<Row> rows) {
      this.rows = rows;
    }

    @Override
    public boolean hasNext() {
      if (next < size) {
        return true;
      }
      size = 0;
      next = 0;
      while (size < held.length && rows.hasNext()) {
        Row row = rows.next();
        for (int d = 0; d < dims; d++) {
          if (row.isNullAt(positions[d])) {
            throw new IllegalArgumentException(
                "Cannot map event onto the cluster model: column '" + names.get(d) + "' is null");
          }
          block[size * dims + d] = ((Number) row.get(positions[d])).doubleValue();
        }
        held[size++] = row;
      }
      if (size == 0) {
        return false;
      }
      SomModel.mapInto(codebook, dims, block, size, nodes);
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row row = held[next];
      held[next] = null;
      int node = nodes[next];
      double distance =
          Math.sqrt(SomModel.squaredDistance(codebook, dims, node, block, next * dims));
      next++;
      Object[] values = new Object[row.size() + 3];
      for (int i = 0; i < row.size(); i++) {
        values[i] = row.get(i);
      }
      values[row.size()] = node;
      values[row.size() + 1] = nodeToMeta[node];
      values[row.size() + 2] = distance;
      return RowFactory.create(values);
    }
  }
}
