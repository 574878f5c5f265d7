package org.cytolake.bench;

import static org.cytolake.stats.Quantiles.NaNs.ORDERED_LAST;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.clustering.KMeans;
import org.apache.spark.mllib.clustering.KMeansModel;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.cytolake.jobs.som.SomEstimator;
import org.cytolake.som.InitSample;
import org.cytolake.som.SomModel;
import org.cytolake.som.SomParams;
import org.cytolake.som.SomTrainer;
import org.cytolake.stats.Quantiles;

/**
 * {@code bench --only som}: one distributed SOM epoch ({@link SomEstimator#epochSums}) against one MLlib k-means
 * iteration with k = the SOM's nodes (100), started from the same 100 centres (the SOM's initial codebook), on the
 * same cached events in the same process, alternating which side goes first; medians of {@code repeats} passes
 * after one warm-up. Each side runs over its own cached training representation derived from one cached Dataset
 * (the SOM's row-major {@code double[]} blocks of {@link SomEstimator#BLOCK_EVENTS} events as {@link SomEstimator#fit}
 * caches them, MLlib's dense vectors as its k-means
 * caches them). Then whole SOM fits (10 epochs + metaclustering) at growing event counts, with the heap the JVM
 * retains after each fit (after a full GC).
 *
 * <p>Events: {@link #DIMS} columns, a mixture of {@link #CENTRES} Gaussian blobs (sd {@link #SD}) drawn by Spark
 * from seeded hashes of the row id, so any size is the same data at every run.
 */
public final class SomBenchmark {
  public static final int DIMS = 10;
  public static final int CENTRES = 20;
  public static final double SD = 0.4;
  public static final long SEED = 1;

  /** Storage memory (task broadcasts) below which no cached events are left in the local block store. */
  static final long STORAGE_SETTLED_BYTES = 8L << 20;

  private SomBenchmark() {}

  /** A whole fit at one size. */
  public record Scale(long events, double fitSeconds, long heapRetainedBytes) {}

  /** The measured comparison. */
  public record Result(
      long events,
      int nodes,
      int partitions,
      double epochSeconds,
      double kmeansSeconds,
      List<Double> epochRuns,
      List<Double> kmeansRuns,
      List<Scale> scaling) {
    /** SOM epoch time over k-means iteration time (≤ 1: an epoch costs no more than an iteration). */
    public double ratio() {
      return epochSeconds / kmeansSeconds;
    }

    public double epochEventsPerSecond() {
      return events / epochSeconds;
    }
  }

  /** The columns of the generated events. */
  public static List<String> columns() {
    List<String> c = new ArrayList<>();
    for (int d = 0; d < DIMS; d++) {
      c.add("m" + d);
    }
    return c;
  }

  /** {@code n} generated events in {@code partitions} partitions (not cached). */
  public static Dataset<Row> events(SparkSession spark, long n, int partitions) {
    Column blob =
        functions.pmod(
            functions.xxhash64(functions.col("id"), functions.lit(SEED)), functions.lit(CENTRES));
    List<Column> cols = new ArrayList<>();
    for (int d = 0; d < DIMS; d++) {
      // centre coordinate in [0, 6) from a hash of (blob, d); noise: Box-Muller of two hashed
      // uniforms
      Column centre =
          functions
              .pmod(
                  functions.xxhash64(blob, functions.lit(d), functions.lit(SEED + 7)),
                  functions.lit(600))
              .divide(100.0);
      Column u1 = uniform(functions.col("id"), 2L * d + 11);
      Column u2 = uniform(functions.col("id"), 2L * d + 12);
      Column normal =
          functions
              .sqrt(functions.log(u1).multiply(-2.0))
              .multiply(functions.cos(u2.multiply(2 * Math.PI)));
      cols.add(centre.plus(normal.multiply(SD)).as("m" + d));
    }
    return spark.range(0, n, 1, partitions).select(cols.toArray(new Column[0]));
  }

  /** A uniform in (0, 1] from a hash of {@code id} and {@code salt}. */
  private static Column uniform(Column id, long salt) {
    return functions
        .pmod(functions.xxhash64(id, functions.lit(salt)), functions.lit(1L << 30))
        .plus(1)
        .divide((double) (1L << 30));
  }

  public static Result run(
      SparkSession spark, long events, List<Long> scaleEvents, int repeats, BenchLog log) {
    int partitions = Math.max(2, spark.sparkContext().defaultParallelism());
    List<String> cols = columns();
    SomParams params = SomParams.defaults().withSeed(SEED);
    Dataset<Row> data = events(spark, events, partitions).persist(StorageLevel.MEMORY_ONLY());
    data.count();
    JavaRDD<double[]> som = SomEstimator.blocks(data, cols).persist(StorageLevel.MEMORY_ONLY());
    JavaRDD<Vector> km =
        SomEstimator.vectors(data, cols).map(Vectors::dense).persist(StorageLevel.MEMORY_ONLY());
    log.info(
        "som: caching %d events of %d columns in %d partitions: %d blocks and %d rows",
        events, DIMS, partitions, som.count(), km.count());
    InitSample sample =
        som.treeAggregate(
            new InitSample(params.nodes(), DIMS, params.seed()),
            (acc, block) -> {
              for (int offset = 0; offset < block.length; offset += DIMS) {
                acc.add(block, offset);
              }
              return acc;
            },
            InitSample::merge,
            SomEstimator.TREE_DEPTH);
    SomModel start = SomTrainer.initialise(params, DIMS, sample);
    Vector[] centres = Arrays.stream(start.codes()).map(Vectors::dense).toArray(Vector[]::new);
    KMeansModel initial = new KMeansModel(centres);

    List<Double> epoch = new ArrayList<>();
    List<Double> iteration = new ArrayList<>();
    for (int i = 0; i <= repeats; i++) {
      double te = 0;
      double tk = 0;
      for (int side = 0; side < 2; side++) {
        boolean somSide = (side + i) % 2 == 0;
        long t0 = System.nanoTime();
        if (somSide) {
          spark.sparkContext().setJobDescription("bench som: one SOM epoch");
          SomEstimator.epochSums(som, start);
          te = (System.nanoTime() - t0) / 1e9;
        } else {
          spark.sparkContext().setJobDescription("bench som: one MLlib k-means iteration");
          new KMeans()
              .setK(centres.length)
              .setMaxIterations(1)
              .setInitialModel(initial)
              .setSeed(SEED)
              .run(km.rdd());
          tk = (System.nanoTime() - t0) / 1e9;
        }
      }
      if (i == 0) {
        log.info(
            "som warm-up pass: SOM epoch %.3f s, k-means iteration %.3f s (not counted)", te, tk);
        continue;
      }
      epoch.add(te);
      iteration.add(tk);
      log.info(
          "som pass %d/%d: SOM epoch %.3f s, k-means iteration (k = %d) %.3f s",
          i, repeats, te, centres.length, tk);
    }
    km.unpersist(true);
    som.unpersist(true);
    data.unpersist(true);

    List<Scale> scaling = new ArrayList<>();
    for (long n : scaleEvents) {
      spark.sparkContext().setJobDescription("bench som: whole fit of " + n + " events");
      Dataset<Row> d = events(spark, n, Math.max(partitions, (int) (n / 1_000_000) * 2));
      long t0 = System.nanoTime();
      SomEstimator.of(cols, 15).withSom(params).fit(d);
      double t = (System.nanoTime() - t0) / 1e9;
      long heap = retainedHeap(spark);
      scaling.add(new Scale(n, t, heap));
      log.info(
          "som whole fit of %d events: %.1f s; heap retained after fit %.1f MiB",
          n, t, heap / 1048576.0);
    }
    spark.sparkContext().setJobDescription(null);
    return new Result(
        events,
        params.nodes(),
        partitions,
        Quantiles.median(epoch, ORDERED_LAST),
        Quantiles.median(iteration, ORDERED_LAST),
        epoch,
        iteration,
        scaling);
  }

  /**
   * Used heap after a full GC, once the fit's cached events are gone: {@link SomEstimator#fit} unpersists them
   * without blocking, and in local mode the executors' block store shares this heap, so without the wait an
   * executor's cache still being dropped would be counted as driver memory.
   */
  static long retainedHeap(SparkSession spark) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    // the driver forgets an RDD at once; the block stores drop its blocks asynchronously afterwards
    while ((!spark.sparkContext().getPersistentRDDs().isEmpty()
            || org.apache.spark.SparkEnv.get().memoryManager().storageMemoryUsed()
                > STORAGE_SETTLED_BYTES)
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
