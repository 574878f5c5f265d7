package org.cytolake.jobs.som;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.cytolake.som.EpochSums;
import org.cytolake.som.InitSample;
import org.cytolake.som.Metaclustering;
import org.cytolake.som.SomModel;
import org.cytolake.som.SomParams;
import org.cytolake.som.SomTrainer;

/**
 * Fits a FlowSOM-style SOM and its metaclustering on a Spark {@link Dataset}, in the shape of a Spark ML Estimator
 * (configuration → {@link #fit} → {@link SomSparkModel}) written in plain Java.
 *
 * <p>The steps of {@link SomTrainer} run distributed: one {@code treeAggregate} of {@link InitSample}s picks the
 * initial codebook, then one {@code treeAggregate} of {@link EpochSums} per epoch (each task maps its events to
 * best-matching units on the current codebook, shipped with the task; only nodes × (dims + 1) sums come back), and
 * the codebook update and metaclustering run on the driver. Both reductions are exact and order-free, so the
 * codebook and metaclusters are bitwise the same as {@link SomTrainer#fit} on the same events, whatever the number
 * of partitions or executors. Driver memory does not grow with the number of events. A training set of at most
 * {@link #LOCAL_FIT_MAX_VALUES} values is instead collected and fitted on the driver, with the same result. The input columns are cast
 * to double and cached (memory and disk) for the rlen + 1 passes as row-major blocks of {@value #BLOCK_EVENTS}
 * events ({@link #blocks}; one array per block, not per event, and {@link SomModel#mapInto}'s chunked search),
 * then unpersisted.
 *
 * <p>Immutable.
 *
 * @param inputCols numeric columns, in codebook order (e.g. a panel's transformed lineage markers)
 * @param som SOM parameters
 * @param metaclustering metaclustering parameters
 * @param nodeCol name of the node column {@link SomSparkModel#transform} adds
 * @param metaclusterCol name of the metacluster column {@link SomSparkModel#transform} adds
 */
public record SomEstimator(
    List<String> inputCols,
    SomParams som,
    Metaclustering metaclustering,
    String nodeCol,
    String metaclusterCol) {

  public static final String NODE_COL_DEFAULT = "som_node";
  public static final String METACLUSTER_COL_DEFAULT = "metacluster";

  /** Depth of the aggregation trees. */
  public static final int TREE_DEPTH = 2;

  /** Events per cached training block. */
  public static final int BLOCK_EVENTS = 4096;

  /**
   * Largest training set, in values (events × columns), fitted on the driver: 2²⁴ doubles, 128 MiB (1.6 million
   * events of 10 markers). Below it the rlen + 1 Spark jobs of the distributed fit cost more than the arithmetic
   * (measured: 46,000 events, 11 jobs of 228 tasks, 13 s against under 1 s on the driver).
   */
  public static final long LOCAL_FIT_MAX_VALUES = 1L << 24;

  public SomEstimator {
    inputCols = List.copyOf(inputCols);
    Objects.requireNonNull(som, "som");
    Objects.requireNonNull(metaclustering, "metaclustering");
    List<String> problems = new ArrayList<>();
    if (inputCols.isEmpty()) {
      problems.add("no input columns given");
    }
    if (inputCols.stream().distinct().count() != inputCols.size()) {
      problems.add("input columns " + inputCols + " repeat a name");
    }
    if (nodeCol == null
        || nodeCol.isBlank()
        || metaclusterCol == null
        || metaclusterCol.isBlank()
        || nodeCol.equals(metaclusterCol)) {
      problems.add(
          "node and metacluster columns must be two different non-blank names but are '"
              + nodeCol
              + "' and '"
              + metaclusterCol
              + "'");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot create SOM estimator: " + String.join("; ", problems));
    }
  }

  /** An estimator on {@code inputCols} with FlowSOM's SOM defaults and {@code k} metaclusters (0: elbow). */
  public static SomEstimator of(List<String> inputCols, int k) {
    return new SomEstimator(
        inputCols,
        SomParams.defaults(),
        Metaclustering.defaults().withK(k),
        NODE_COL_DEFAULT,
        METACLUSTER_COL_DEFAULT);
  }

  public SomEstimator withSom(SomParams newSom) {
    return new SomEstimator(inputCols, newSom, metaclustering, nodeCol, metaclusterCol);
  }

  public SomEstimator withMetaclustering(Metaclustering newMetaclustering) {
    return new SomEstimator(inputCols, som, newMetaclustering, nodeCol, metaclusterCol);
  }

  /**
   * Fits the SOM and metaclusters its nodes.
   *
   * @throws IllegalArgumentException naming every input column that is missing or not numeric, or (from the
   *     trainer) a null or non-finite value, or too few distinct events
   */
  public SomSparkModel fit(Dataset<Row> data) {
    checkSchema(data.schema(), inputCols, "fit SOM");
    return fit(data, data.count());
  }

  /**
   * Fits the SOM on {@code data}, which holds {@code events} rows: on the driver ({@link SomTrainer#fit}, the blocks
   * summed in parallel) when events × columns is at most {@link #LOCAL_FIT_MAX_VALUES}, else distributed; the model
   * is bitwise the same either way.
   */
  public SomSparkModel fit(Dataset<Row> data, long events) {
    checkSchema(data.schema(), inputCols, "fit SOM");
    if (events * inputCols.size() <= LOCAL_FIT_MAX_VALUES) {
      data.sparkSession()
          .sparkContext()
          .setJobDescription("SOM: collect " + events + " training events to fit on the driver");
      List<double[]> local = blocks(data, inputCols).collect();
      data.sparkSession().sparkContext().setJobDescription(null);
      SomModel model = SomTrainer.fit(som, inputCols.size(), local);
      return new SomSparkModel(
          inputCols, model, metaclustering.fit(model), nodeCol, metaclusterCol);
    }
    return fitDistributed(data);
  }

  /** The distributed fit (class comment), whatever the size of {@code data}. */
  public SomSparkModel fitDistributed(Dataset<Row> data) {
    int dims = inputCols.size();
    JavaRDD<double[]> events = blocks(data, inputCols).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      SomParams params = som;
      events
          .context()
          .setJobDescription("SOM: sample the initial codebook (seed " + params.seed() + ")");
      InitSample sample =
          events.treeAggregate(
              new InitSample(params.nodes(), dims, params.seed()),
              (acc, block) -> {
                for (int offset = 0; offset < block.length; offset += dims) {
                  acc.add(block, offset);
                }
                return acc;
              },
              InitSample::merge,
              TREE_DEPTH);
      SomModel model = SomTrainer.initialise(params, dims, sample);
      for (int epoch = 0; epoch < params.rlen(); epoch++) {
        events.context().setJobDescription("SOM: epoch " + (epoch + 1) + " of " + params.rlen());
        model = SomTrainer.update(model, epochSums(events, model), epoch);
      }
      events.context().setJobDescription(null);
      Metaclustering.Result meta = metaclustering.fit(model);
      return new SomSparkModel(inputCols, model, meta, nodeCol, metaclusterCol);
    } finally {
      events.unpersist(false);
    }
  }

  /**
   * One epoch's pass over the event blocks ({@link #blocks}): each task maps its events to their best-matching units on {@code model}'s
   * codebook and sums them per node; the per-task sums are merged by a {@code treeAggregate}. Only nodes × (dims +
   * 1) numbers per task leave the executors.
   */
  public static EpochSums epochSums(JavaRDD<double[]> blocks, SomModel model) {
    int dims = model.dims();
    return blocks.treeAggregate(
        new EpochSums(model.nodes(), dims),
        (acc, block) -> SomTrainer.addBlock(acc, model, block, block.length / dims),
        EpochSums::merge,
        TREE_DEPTH);
  }

  /**
   * The input columns as row-major blocks of up to {@value #BLOCK_EVENTS} events ({@code double[events × dims]}),
   * the form {@link #fit} caches and {@link #epochSums} reads; a null value is an error naming its column.
   */
  public static JavaRDD<double[]> blocks(Dataset<Row> data, List<String> cols) {
    List<String> names = List.copyOf(cols);
    int dims = names.size();
    return asDoubles(data, names)
        .mapPartitions(
            rows ->
                new Iterator<double[]>() {
                  @Override
                  public boolean hasNext() {
                    return rows.hasNext();
                  }

                  @Override
                  public double[] next() {
                    double[] block = new double[BLOCK_EVENTS * dims];
                    int n = 0;
                    while (n < BLOCK_EVENTS && rows.hasNext()) {
                      copyRow(rows.next(), names, block, n * dims);
                      n++;
                    }
                    return n == BLOCK_EVENTS ? block : Arrays.copyOf(block, n * dims);
                  }
                });
  }

  /** Each row's input columns as a double vector. */
  public static JavaRDD<double[]> vectors(Dataset<Row> data, List<String> cols) {
    List<String> names = List.copyOf(cols);
    return asDoubles(data, names).map(row -> toVector(row, names));
  }

  static double[] toVector(Row row, List<String> names) {
    double[] v = new double[names.size()];
    copyRow(row, names, v, 0);
    return v;
  }

  /** The columns {@code names}, cast to double, as rows. */
  private static JavaRDD<Row> asDoubles(Dataset<Row> data, List<String> names) {
    return data.select(
            names.stream()
                .map(c -> functions.col(c).cast(DataTypes.DoubleType))
                .toArray(Column[]::new))
        .toJavaRDD();
  }

  /** Copies a row of {@link #asDoubles} into {@code into[offset ..]}; a null value is an error naming its column. */
  private static void copyRow(Row row, List<String> names, double[] into, int offset) {
    for (int d = 0; d < names.size(); d++) {
      if (row.isNullAt(d)) {
        throw new IllegalArgumentException(
            "Cannot map event to SOM: column '" + names.get(d) + "' is null");
      }
      into[offset + d] = row.getDouble(d);
    }
  }

  /** Checks that every column exists and is numeric, reporting all problems at once. */
  public static void checkSchema(StructType schema, List<String> cols, String verb) {
    List<String> problems = new ArrayList<>();
    List<String> names = List.of(schema.fieldNames());
    for (String c : cols) {
      if (!names.contains(c)) {
        problems.add("column '" + c + "' is missing");
      } else {
        StructField f = schema.apply(c);
        if (!(f.dataType() instanceof NumericType)) {
          problems.add("column '" + c + "' is " + f.dataType().simpleString() + ", not numeric");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot "
              + verb
              + ": "
              + String.join("; ", problems)
              + " (columns: "
              + String.join(", ", names)
              + ")");
    }
  }
}
