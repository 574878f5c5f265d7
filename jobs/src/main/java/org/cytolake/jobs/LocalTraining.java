package org.cytolake.jobs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.cytolake.clustering.ClusterModel;
import org.cytolake.jobs.som.SomEstimator;
import org.cytolake.stats.Quantiles;

/**
 * A panel's training events held on the driver, when they are few enough ({@link
 * SomEstimator#LOCAL_FIT_MAX_VALUES}): the SOM is fitted on them there ({@link
 * org.cytolake.som.SomTrainer#fit}) and each training sample's quantisation distances are taken there, instead of a
 * Spark job per epoch and three more for the distances (measured on 46 training samples of a 1,400-file trial: 11
 * jobs of 215-228 tasks, 20-25 s, against one job to collect them).
 *
 * @param blocks the events, row-major blocks of the lineage columns in order
 * @param sampleIds the sample of every event of each block
 * @param events all events
 */
record LocalTraining(List<double[]> blocks, List<String[]> sampleIds, long events) {

  /** One block of events with their samples, as a task hands it to the driver. */
  private record Block(String[] ids, double[] values) implements Serializable {}

  /**
   * The training events ({@code sample_id} and {@code lineage}) of {@code training} on the driver, or empty when
   * they are more than {@code maxValues} values (events × columns); then nothing is collected.
   */
  static Optional<LocalTraining> collect(
      Dataset<Row> training, List<String> lineage, long maxValues) {
    List<String> names = List.copyOf(lineage);
    int dims = names.size();
    List<Column> cols = new ArrayList<>(List.of(functions.col("sample_id")));
    names.forEach(c -> cols.add(functions.col(c).cast(DataTypes.DoubleType)));
    // one RDD for both actions, so the collect reuses the count's shuffle output
    JavaRDD<Block> rdd =
        training
            .select(cols.toArray(Column[]::new))
            .toJavaRDD()
            .mapPartitions(rows -> blocks(rows, names));
    long events = rdd.map(b -> (long) b.ids().length).fold(0L, Long::sum);
    if (events * dims > maxValues) {
      return Optional.empty();
    }
    List<double[]> values = new ArrayList<>();
    List<String[]> ids = new ArrayList<>();
    for (Block b : rdd.collect()) {
      values.add(b.values());
      ids.add(b.ids());
    }
    return Optional.of(new LocalTraining(values, ids, events));
  }

  private static Iterator<Block> blocks(Iterator<Row> rows, List<String> names) {
    int dims = names.size();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Block next() {
        int size = SomEstimator.BLOCK_EVENTS;
        String[] ids = new String[size];
        double[] values = new double[size * dims];
        int n = 0;
        while (n < size && rows.hasNext()) {
          Row r = rows.next();
          ids[n] = r.getString(0);
          for (int d = 0; d < dims; d++) {
            if (r.isNullAt(d + 1)) {
              throw new IllegalArgumentException(
                  "Cannot map event to SOM: column '" + names.get(d) + "' is null");
            }
            values[n * dims + d] = r.getDouble(d + 1);
          }
          n++;
        }
        return n == size
            ? new Block(ids, values)
            : new Block(Arrays.copyOf(ids, n), Arrays.copyOf(values, n * dims));
      }
    };
  }

  /**
   * Every training sample's events and median quantisation distance on {@code model}, overall and per metacluster,
   * by sample id: what {@link ClusterMapping#distances} computes in Spark, by the same median ({@link
   * Quantiles#medianInPlace}).
   */
  List<ClusterModel.TrainingSample> distances(ClusterModel model) {
    Map<String, DoubleList> overall = new TreeMap<>();
    Map<String, Map<Integer, DoubleList>> perMeta = new TreeMap<>();
    int dims = model.columns().size();
    for (int b = 0; b < blocks.size(); b++) {
      String[] ids = sampleIds.get(b);
      ClusterModel.Mapping m = model.map(blocks.get(b), blocks.get(b).length / dims);
      for (int e = 0; e < ids.length; e++) {
        overall.computeIfAbsent(ids[e], x -> new DoubleList()).add(m.distances()[e]);
        perMeta
            .computeIfAbsent(ids[e], x -> new TreeMap<>())
            .computeIfAbsent(m.metaclusters()[e], x -> new DoubleList())
            .add(m.distances()[e]);
      }
    }
    List<ClusterModel.TrainingSample> out = new ArrayList<>();
    overall.forEach(
        (id, d) -> {
          Map<Integer, Double> byMeta = new TreeMap<>();
          perMeta.get(id).forEach((meta, v) -> byMeta.put(meta, v.median()));
          out.add(
              ClusterModel.TrainingSample.of(id, d.size, d.median(), byMeta, model.metaclusters()));
        });
    return out;
  }

  /** A growable array of doubles. */
  private static final class DoubleList {
    private double[] v = new double[16];
    private int size;

    void add(double x) {
      if (size == v.length) {
        v = Arrays.copyOf(v, size * 2);
      }
      v[size++] = x;
    }

    double median() {
      return Quantiles.medianInPlace(v, size, Quantiles.NaNs.ORDERED_LAST);
    }
  }
}
