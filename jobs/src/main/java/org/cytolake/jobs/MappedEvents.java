package org.cytolake.jobs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.types.UTF8String;
import org.cytolake.clustering.ClusterModel;
import org.cytolake.jobs.som.SomEstimator;
import org.cytolake.som.SomModel;
import org.cytolake.stats.LongCounts;
import org.cytolake.stats.Quantiles;

/**
 * A panel's events mapped onto a cluster model and held in blocks of primitive arrays ({@link Block}): the events are
 * read once from the lake's Parquet as Spark's internal rows, mapped {@value #BLOCK} at a time by
 * {@link SomModel#mapInto(double[], int, double[], int, int[])} (the nearest-node rule of {@link ClusterModel}, as
 * {@link ClusterModelMapper}), and cached; every summary of step 4 is then a scan of the cached arrays:
 * {@link #tally} (sizes, sample × metacluster counts, the bins of {@link BinnedMedians}, which samples lie in one
 * partition), {@link #select} (scan 2 of {@link BinnedMedians}), {@link #sampleStats} (each sample's medians of
 * distance and of every column per metacluster, the values of {@link SampleDistances} and {@link SampleGroupMedians},
 * computed where the sample's events are when a sample lies in one partition, which a lake partitioned by sample gives
 * for every file under Spark's split size) and {@link #frame} (the rows as a DataFrame: {@code cluster_events}, and the
 * shuffling classes for what the arrays do not settle). Replaces a columnar cache of every column as Spark rows, whose
 * building took most of the step (BENCHMARKS.md, session 15).
 */
final class MappedEvents {
  /** Events per block. */
  static final int BLOCK = 4096;

  private final JavaRDD<Block> blocks;
  private final List<String> sampleIds;
  private final List<String> visits;
  private final List<String> columns;
  private final int metaclusters;

  private MappedEvents(
      JavaRDD<Block> blocks,
      List<String> sampleIds,
      List<String> visits,
      List<String> columns,
      int metaclusters) {
    this.blocks = blocks;
    this.sampleIds = List.copyOf(sampleIds);
    this.visits = List.copyOf(visits);
    this.columns = List.copyOf(columns);
    this.metaclusters = metaclusters;
  }

  /**
   * Maps {@code events} onto {@code model} and caches the blocks (memory, then disk): the first scan maps.
   *
   * @param visitOf every sample of {@code events} → its visit
   * @param columns the panel's columns, whose values the blocks keep (the model's columns need not be among them)
   * @throws IllegalArgumentException naming every model column that is missing or not numeric
   */
  static MappedEvents map(
      Dataset<Row> events, ClusterModel model, Map<String, String> visitOf, List<String> columns) {
    SomEstimator.checkSchema(events.schema(), model.columns(), "map events onto the cluster model");
    List<String> held = new ArrayList<>(new LinkedHashSet<>(columns));
    for (String c : model.columns()) {
      if (!held.contains(c)) {
        held.add(c);
      }
    }
    List<Column> select =
        new ArrayList<>(List.of(functions.col("sample_id"), functions.col("event_index")));
    held.forEach(c -> select.add(functions.col(c).cast(DataTypes.DoubleType)));
    List<String> ids = new ArrayList<>(new java.util.TreeSet<>(visitOf.keySet()));
    List<String> visits = ids.stream().map(visitOf::get).toList();
    double[][] codes = model.codebook();
    int dims = model.columns().size();
    double[] flat = new double[codes.length * dims];
    for (int j = 0; j < codes.length; j++) {
      System.arraycopy(codes[j], 0, flat, j * dims, dims);
    }
    int[] nodeToMeta = model.nodeToMetacluster();
    int k = Math.max(model.metaclusters(), Arrays.stream(nodeToMeta).max().orElse(-1) + 1);
    JavaRDD<Block> blocks =
        events
            .select(select.toArray(Column[]::new))
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .mapPartitions(
                new ToBlocks(
                    ids,
                    held,
                    model.columns().stream().mapToInt(held::indexOf).toArray(),
                    flat,
                    nodeToMeta))
            .persist(StorageLevel.MEMORY_AND_DISK());
    return new MappedEvents(blocks, ids, visits, columns, k);
  }

  /** Unpersists the blocks. */
  void release() {
    blocks.unpersist(false);
  }

  /** The samples, sorted: a block's sample numbers index this list. */
  List<String> sampleIds() {
    return sampleIds;
  }

  /** Up to {@link #BLOCK} mapped events of one partition, one array per field. */
  static final class Block implements Serializable {
    private static final long serialVersionUID = 1L;
    final int size;
    final int[] sample;
    final long[] eventIndex;
    final int[] node;
    final int[] metacluster;
    final double[] distance;

    /** One array per held column (the panel's columns, then any model column not among them). */
    final double[][] values;

    Block(
        int size,
        int[] sample,
        long[] eventIndex,
        int[] node,
        int[] metacluster,
        double[] distance,
        double[][] values) {
      this.size = size;
      this.sample = sample;
      this.eventIndex = eventIndex;
      this.node = node;
      this.metacluster = metacluster;
      this.distance = distance;
      this.values = values;
    }
  }

  /** A partition's internal rows (sample_id, event_index, held columns as doubles) as mapped blocks. */
  private static final class ToBlocks implements FlatMapFunction<Iterator<InternalRow>, Block> {
    private static final long serialVersionUID = 1L;
    private final List<String> ids;
    private final List<String> names;
    private final int[] model;
    private final double[] codebook;
    private final int[] nodeToMeta;

    ToBlocks(
        List<String> ids, List<String> names, int[] model, double[] codebook, int[] nodeToMeta) {
      this.ids = List.copyOf(ids);
      this.names = List.copyOf(names);
      this.model = model;
      this.codebook = codebook;
      this.nodeToMeta = nodeToMeta;
    }

    @Override
    public Iterator<Block> call(Iterator<InternalRow> rows) {
      Map<UTF8String, Integer> index = new HashMap<>();
      for (int i = 0; i < ids.size(); i++) {
        index.put(UTF8String.fromString(ids.get(i)), i);
      }
      boolean[] inModel = new boolean[names.size()];
      for (int p : model) {
        inModel[p] = true;
      }
      int dims = model.length;
      double[] lineage = new double[BLOCK * dims];
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Block next() {
          if (!rows.hasNext()) {
            throw new NoSuchElementException();
          }
          int[] sample = new int[BLOCK];
          long[] eventIndex = new long[BLOCK];
          double[][] values = new double[names.size()][BLOCK];
          int n = 0;
          while (n < BLOCK && rows.hasNext()) {
            InternalRow r = rows.next();
            Integer s = index.get(r.getUTF8String(0));
            if (s == null) {
              throw new IllegalStateException(
                  "Cannot map events: sample '"
                      + r.getUTF8String(0)
                      + "' appeared after the panel's samples were listed (the events changed"
                      + " during the run)");
            }
            sample[n] = s;
            eventIndex[n] = r.getLong(1);
            for (int c = 0; c < names.size(); c++) {
              if (r.isNullAt(2 + c)) {
                if (inModel[c]) {
                  throw new IllegalArgumentException(
                      "Cannot map event onto the cluster model: column '"
                          + names.get(c)
                          + "' is null (sample '"
                          + ids.get(s)
                          + "', event_index "
                          + eventIndex[n]
                          + ")");
                }
                values[c][n] = Double.NaN;
              } else {
                values[c][n] = r.getDouble(2 + c);
              }
            }
            n++;
          }
          for (int e = 0; e < n; e++) {
            for (int d = 0; d < dims; d++) {
              lineage[e * dims + d] = values[model[d]][e];
            }
          }
          int[] node = new int[n];
          SomModel.mapInto(codebook, dims, lineage, n, node);
          int[] meta = new int[n];
          double[] distance = new double[n];
          for (int e = 0; e < n; e++) {
            meta[e] = nodeToMeta[node[e]];
            distance[e] =
                Math.sqrt(SomModel.squaredDistance(codebook, dims, node[e], lineage, e * dims));
          }
          if (n < BLOCK) {
            sample = Arrays.copyOf(sample, n);
            eventIndex = Arrays.copyOf(eventIndex, n);
            for (int c = 0; c < values.length; c++) {
              values[c] = Arrays.copyOf(values[c], n);
            }
          }
          return new Block(n, sample, eventIndex, node, meta, distance, values);
        }
      };
    }
  }

  /**
   * What one scan of the blocks counts: events per metacluster, per sample × metacluster, per (metacluster, column,
   * bin) of {@link BinnedMedians}, and in which partition each sample's events lie.
   */
  static final class Tally implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@link #partition} of a sample with no events. */
    static final int NONE = -1;

    /** {@link #partition} of a sample whose events lie in more than one partition. */
    static final int SEVERAL = -2;

    final int metaclusters;
    final long[] sizes;
    final long[] counts;
    final int[] partition;
    final LongCounts bins;

    Tally(int samples, int metaclusters) {
      this.metaclusters = metaclusters;
      this.sizes = new long[metaclusters];
      this.counts = new long[samples * metaclusters];
      this.partition = new int[samples];
      Arrays.fill(partition, NONE);
      this.bins = new LongCounts(1 << 16);
    }

    void add(Block b, int columns, int partitionId) {
      for (int e = 0; e < b.size; e++) {
        int m = b.metacluster[e];
        int s = b.sample[e];
        sizes[m]++;
        counts[s * metaclusters + m]++;
        partition[s] = partitionId;
        for (int c = 0; c < columns; c++) {
          bins.add(BinnedMedians.pack(m, c, BinnedMedians.bin(b.values[c][e])), 1);
        }
      }
    }

    /** This tally with {@code o}'s counts added. */
    Tally merge(Tally o) {
      for (int m = 0; m < sizes.length; m++) {
        sizes[m] += o.sizes[m];
      }
      for (int i = 0; i < counts.length; i++) {
        counts[i] += o.counts[i];
      }
      for (int s = 0; s < partition.length; s++) {
        partition[s] = mergePartition(partition[s], o.partition[s]);
      }
      o.bins.forEach(bins::add);
      return this;
    }

    static int mergePartition(int a, int b) {
      if (a == NONE) {
        return b;
      }
      if (b == NONE || a == b) {
        return a;
      }
      return SEVERAL;
    }

    long count(int sample, int metacluster) {
      return counts[sample * metaclusters + metacluster];
    }
  }

  /** Scan 1: the tally of every event. */
  Tally tally() {
    int samples = sampleIds.size();
    int k = metaclusters;
    int c = columns.size();
    if (blocks.getNumPartitions() == 0) {
      return new Tally(samples, k);
    }
    return blocks
        .mapPartitionsWithIndex(
            (p, it) -> {
              Tally t = new Tally(samples, k);
              while (it.hasNext()) {
                t.add(it.next(), c, p);
              }
              return List.of(t).iterator();
            },
            false)
        .treeReduce(Tally::merge);
  }

  /** Scan 2 of {@link BinnedMedians}: every value in a {@code wanted} (metacluster, column, bin). */
  void select(LongCounts wanted, BinnedMedians.Selection into) {
    int c = columns.size();
    for (Selected s :
        blocks
            .mapPartitions(
                it -> {
                  Selected out = new Selected();
                  while (it.hasNext()) {
                    Block b = it.next();
                    for (int e = 0; e < b.size; e++) {
                      for (int j = 0; j < c; j++) {
                        double v = b.values[j][e];
                        long p = BinnedMedians.pack(b.metacluster[e], j, BinnedMedians.bin(v));
                        if (wanted.contains(p)) {
                          out.add(p, v);
                        }
                      }
                    }
                  }
                  return List.of(out).iterator();
                })
            .collect()) {
      for (int i = 0; i < s.size; i++) {
        long p = s.packed[i];
        into.add(
            BinnedMedians.packedKey(p),
            BinnedMedians.packedColumn(p),
            BinnedMedians.packedBin(p),
            s.values[i]);
      }
    }
  }

  /** A partition's selected values with their (metacluster, column, bin). */
  private static final class Selected implements Serializable {
    private static final long serialVersionUID = 1L;
    long[] packed = new long[64];
    double[] values = new double[64];
    int size;

    void add(long p, double v) {
      if (size == packed.length) {
        packed = Arrays.copyOf(packed, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      packed[size] = p;
      values[size++] = v;
    }
  }

  /**
   * One sample's medians: of its distances overall and per metacluster, and of every column per metacluster (NaN
   * ordered last, as {@link SampleDistances} and {@link SampleGroupMedians}).
   *
   * @param metaclusters the metaclusters with events, ascending
   * @param events the sample's events in each
   * @param distance the median distance in each
   * @param medians per metacluster, the median of every column
   */
  record SampleStats(
      int sample,
      long total,
      double overallDistance,
      int[] metaclusters,
      long[] events,
      double[] distance,
      double[][] medians)
      implements Serializable {

    /**
     * The stats of {@code n} events: their metaclusters, distances and column values (none for distances only).
     *
     * @param sample the sample's number in {@link #sampleIds}, or -1 where there is none
     */
    static SampleStats of(int sample, int[] meta, double[] distance, double[][] values, int n) {
      int k = 0;
      for (int i = 0; i < n; i++) {
        k = Math.max(k, meta[i] + 1);
      }
      int[] count = new int[k];
      for (int i = 0; i < n; i++) {
        count[meta[i]]++;
      }
      int groups = 0;
      for (int c : count) {
        groups += c > 0 ? 1 : 0;
      }
      int[] start = new int[k + 1];
      for (int m = 0; m < k; m++) {
        start[m + 1] = start[m] + count[m];
      }
      int[] order = new int[n];
      int[] at = Arrays.copyOf(start, k);
      for (int i = 0; i < n; i++) {
        order[at[meta[i]]++] = i;
      }
      int[] metaclusters = new int[groups];
      long[] events = new long[groups];
      double[] dist = new double[groups];
      double[][] medians = new double[groups][values.length];
      double[] buf = new double[n];
      int g = 0;
      for (int m = 0; m < k; m++) {
        int len = count[m];
        if (len == 0) {
          continue;
        }
        metaclusters[g] = m;
        events[g] = len;
        for (int i = 0; i < len; i++) {
          buf[i] = distance[order[start[m] + i]];
        }
        dist[g] = Quantiles.medianInPlace(buf, len, Quantiles.NaNs.ORDERED_LAST);
        for (int c = 0; c < values.length; c++) {
          for (int i = 0; i < len; i++) {
            buf[i] = values[c][order[start[m] + i]];
          }
          medians[g][c] = Quantiles.medianInPlace(buf, len, Quantiles.NaNs.ORDERED_LAST);
        }
        g++;
      }
      System.arraycopy(distance, 0, buf, 0, n);
      double overall = Quantiles.medianInPlace(buf, n, Quantiles.NaNs.ORDERED_LAST);
      return new SampleStats(sample, n, overall, metaclusters, events, dist, medians);
    }
  }

  /**
   * The {@link SampleStats} of every sample whose {@code wanted} is true and whose events lie in one partition
   * ({@code partition} of the {@link Tally}), computed in that partition one sample at a time.
   */
  JavaRDD<SampleStats> sampleStats(boolean[] wanted, int[] partition) {
    int c = columns.size();
    return blocks.mapPartitionsWithIndex(
        (p, it) -> {
          List<Block> held = new ArrayList<>();
          it.forEachRemaining(held::add);
          int samples = wanted.length;
          int[] count = new int[samples];
          for (Block b : held) {
            for (int e = 0; e < b.size; e++) {
              count[b.sample[e]]++;
            }
          }
          // positions (block << 32 | row) grouped by sample: a counting sort
          int[] start = new int[samples + 1];
          for (int s = 0; s < samples; s++) {
            boolean take = wanted[s] && partition[s] == p;
            start[s + 1] = start[s] + (take ? count[s] : 0);
          }
          long[] positions = new long[start[samples]];
          int[] at = Arrays.copyOf(start, samples);
          for (int bi = 0; bi < held.size(); bi++) {
            Block b = held.get(bi);
            for (int e = 0; e < b.size; e++) {
              int s = b.sample[e];
              if (wanted[s] && partition[s] == p) {
                positions[at[s]++] = ((long) bi << 32) | e;
              }
            }
          }
          List<SampleStats> out = new ArrayList<>();
          for (int s = 0; s < samples; s++) {
            int n = start[s + 1] - start[s];
            if (n == 0) {
              continue;
            }
            int[] meta = new int[n];
            double[] distance = new double[n];
            double[][] values = new double[c][n];
            for (int i = 0; i < n; i++) {
              long pos = positions[start[s] + i];
              Block b = held.get((int) (pos >>> 32));
              int e = (int) pos;
              meta[i] = b.metacluster[e];
              distance[i] = b.distance[e];
              for (int j = 0; j < c; j++) {
                values[j][i] = b.values[j][e];
              }
            }
            out.add(SampleStats.of(s, meta, distance, values, n));
          }
          return out.iterator();
        },
        false);
  }

  /**
   * The rows of the samples whose {@code keep} is true, in the shape the shuffling classes take: {@code sample_id},
   * {@code visit}, {@code event_index}, {@code node}, {@code metacluster}, {@code distance} and, with
   * {@code withValues}, the struct {@code m} of the panel's columns (as doubles).
   */
  Dataset<Row> frame(SparkSession spark, boolean[] keep, boolean withValues) {
    StructType m = new StructType();
    for (String col : columns) {
      m = m.add(col, DataTypes.DoubleType, true);
    }
    StructType schema =
        new StructType()
            .add("sample_id", DataTypes.StringType, false)
            .add("visit", DataTypes.StringType, false)
            .add("event_index", DataTypes.LongType, false)
            .add("node", DataTypes.IntegerType, false)
            .add("metacluster", DataTypes.IntegerType, false)
            .add("distance", DataTypes.DoubleType, false);
    if (withValues) {
      schema = schema.add("m", m, false);
    }
    JavaRDD<InternalRow> rows =
        blocks.mapPartitions(new ToRows(sampleIds, visits, keep, withValues, columns.size()));
    return ((org.apache.spark.sql.classic.SparkSession) spark)
        .internalCreateDataFrame(rows.rdd(), schema, false);
  }

  /** A partition's blocks as internal rows of {@link #frame}. */
  private static final class ToRows implements FlatMapFunction<Iterator<Block>, InternalRow> {
    private static final long serialVersionUID = 1L;
    private final List<String> ids;
    private final List<String> visits;
    private final boolean[] keep;
    private final boolean withValues;
    private final int columns;

    ToRows(List<String> ids, List<String> visits, boolean[] keep, boolean withValues, int columns) {
      this.ids = List.copyOf(ids);
      this.visits = List.copyOf(visits);
      this.keep = keep;
      this.withValues = withValues;
      this.columns = columns;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<Block> it) {
      UTF8String[] id = ids.stream().map(UTF8String::fromString).toArray(UTF8String[]::new);
      UTF8String[] visit = visits.stream().map(UTF8String::fromString).toArray(UTF8String[]::new);
      return new Iterator<>() {
        private Block b;
        private int e;

        @Override
        public boolean hasNext() {
          while (true) {
            while (b != null && e < b.size) {
              if (keep[b.sample[e]]) {
                return true;
              }
              e++;
            }
            if (!it.hasNext()) {
              return false;
            }
            b = it.next();
            e = 0;
          }
        }

        @Override
        public InternalRow next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          int s = b.sample[e];
          Object[] v = new Object[withValues ? 7 : 6];
          v[0] = id[s];
          v[1] = visit[s];
          v[2] = b.eventIndex[e];
          v[3] = b.node[e];
          v[4] = b.metacluster[e];
          v[5] = b.distance[e];
          if (withValues) {
            Object[] values = new Object[columns];
            for (int j = 0; j < columns; j++) {
              values[j] = b.values[j][e];
            }
            v[6] = new GenericInternalRow(values);
          }
          e++;
          return new GenericInternalRow(v);
        }
      };
    }
  }

  /** The sample rows of {@link SampleStats}: a {@link SampleGroupMedians} row per metacluster and column. */
  static Dataset<Row> sampleMedianRows(
      SparkSession spark, JavaRDD<SampleStats> stats, List<String> ids, List<String> columns) {
    StructType schema =
        new StructType()
            .add("sample_id", DataTypes.StringType, false)
            .add("metacluster", DataTypes.IntegerType, false)
            .add("column", DataTypes.StringType, false)
            .add("events", DataTypes.LongType, false)
            .add("median", DataTypes.DoubleType, false);
    List<String> names = List.copyOf(columns);
    List<String> sampleIds = List.copyOf(ids);
    return spark.createDataFrame(
        stats.flatMap(
            st -> {
              List<Row> out = new ArrayList<>();
              for (int g = 0; g < st.metaclusters().length; g++) {
                for (int c = 0; c < names.size(); c++) {
                  out.add(
                      RowFactory.create(
                          sampleIds.get(st.sample()),
                          st.metaclusters()[g],
                          names.get(c),
                          st.events()[g],
                          st.medians()[g][c]));
                }
              }
              return out.iterator();
            }),
        schema);
  }

  /** The samples of {@code partition} (a {@link Tally}'s) that lie in more than one partition. */
  static Set<Integer> split(int[] partition) {
    Set<Integer> out = new java.util.TreeSet<>();
    for (int s = 0; s < partition.length; s++) {
      if (partition[s] == Tally.SEVERAL) {
        out.add(s);
      }
    }
    return out;
  }
}
