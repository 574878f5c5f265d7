package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.clustering.ClusterModel;
import org.cytolake.clustering.MetaclusterSummary;
import org.cytolake.som.PhenotypeRules;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.Test;

/**
 * {@link ClusterMapping#map} on cached blocks ({@link MappedEvents}) gives what the shuffling classes give on the rows
 * {@link ClusterModelMapper} maps: metacluster sizes and medians ({@link GroupMedians}), sample × metacluster counts,
 * each sample's distance medians ({@link SampleDistances}, through the misfit rule), its medians per metacluster
 * ({@link SampleGroupMedians}) and the event rows, whether every sample lies in one partition (the arrays settle it),
 * every sample is spread over several (the shuffling fallback), or some samples are kept.
 */
class MappedEventsIT {
  private static final List<String> COLS = List.of("a", "b", "c");
  private static final List<String> FIELDS = List.of("m.a", "m.b", "m.c");

  private final Random random = new Random(11);
  private final ClusterModel bare = model();
  private final List<Row> rows = rows();
  private final Dataset<Row> data = SparkTestSession.get().createDataFrame(rows, schema());
  private final ClusterModel fitted = trained(bare);

  @Test
  void samplesInOnePartitionAreSummarisedWhereTheyLie() {
    Dataset<Row> bySample = data.repartition(3, functions.col("sample_id"));
    assertSameAsShuffles(bySample, Set.of(), false);
  }

  @Test
  void samplesSpreadOverPartitionsFallBackToTheShuffles() {
    assertSameAsShuffles(data.repartition(4), Set.of(), true);
  }

  @Test
  void keptSamplesAreLeftOutOfTheirRows() {
    assertSameAsShuffles(
        data.repartition(3, functions.col("sample_id")), Set.of("S1", "S4"), false);
    assertSameAsShuffles(data.repartition(2), Set.of("S0"), true);
  }

  @Test
  void metaclusterMediansTooManyToSelectAreLeftToGroupMedians() {
    var spark = SparkTestSession.get();
    MappedEvents mapped = MappedEvents.map(data.repartition(3), fitted, visits(), COLS);
    try {
      MappedEvents.Tally tally = mapped.tally();
      Map<Integer, Map<String, Double>> selected =
          ClusterMapping.metaclusterMedians(spark, mapped, tally, COLS, Long.MAX_VALUE);
      Map<Integer, Map<String, Double>> shuffled =
          ClusterMapping.metaclusterMedians(spark, mapped, tally, COLS, 0);
      assertEquals(reference(assignedRef()).medians, selected);
      assertEquals(selected, shuffled);
    } finally {
      mapped.release();
    }
  }

  @Test
  void aNullModelColumnNamesTheColumnSampleAndEvent() {
    List<Row> withNull = new ArrayList<>(rows);
    Row r = withNull.get(500);
    withNull.set(500, RowFactory.create(r.get(0), r.get(1), r.get(2), null, r.get(4), r.get(5)));
    Dataset<Row> bad = SparkTestSession.get().createDataFrame(withNull, schema());
    Exception e =
        assertThrows(Exception.class, () -> MappedEvents.map(bad, fitted, visits(), COLS).tally());
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
      cause = cause.getCause();
    }
    String message = String.valueOf(cause.getMessage());
    assertTrue(message.contains("column 'a' is null"), message);
    assertTrue(message.contains("event_index 500"), message);
  }

  private void assertSameAsShuffles(Dataset<Row> events, Set<String> kept, boolean split) {
    var spark = SparkTestSession.get();
    Reference ref = reference(assignedRef());
    ClusterMapping.Mapped mapped =
        ClusterMapping.map(
            spark,
            events,
            fitted,
            COLS,
            visits(),
            rows.size(),
            kept,
            0.25,
            Optional.<PhenotypeRules>empty());
    try {
      MappedEvents.Tally tally = mapped.events().tally();
      assertEquals(split, !MappedEvents.split(tally.partition).isEmpty(), "samples split");
      Map<Integer, Long> sizes = new TreeMap<>();
      Map<Integer, Map<String, Double>> medians = new TreeMap<>();
      for (MetaclusterSummary m : mapped.summaries()) {
        sizes.put(m.metacluster(), m.size());
        medians.put(m.metacluster(), m.medians());
      }
      assertEquals(ref.sizes, sizes);
      assertEquals(ref.medians, medians);

      Dataset<Row> assigned = assignedRef();
      Dataset<Row> fresh =
          assigned.where(functions.not(functions.col("sample_id").isin(kept.toArray())));
      Map<String, Map<Integer, Long>> counts = new TreeMap<>();
      for (Row r : fresh.groupBy("sample_id", "metacluster").count().collectAsList()) {
        counts.computeIfAbsent(r.getString(0), x -> new TreeMap<>()).put(r.getInt(1), r.getLong(2));
      }
      assertEquals(counts, mapped.counts());
      assertEquals(
          org.cytolake.clustering.MisfitReport.of(
                  fitted, ClusterMapping.distances(fresh, fitted.metaclusters()), counts, 0.25)
              .misfits(),
          mapped.misfits().misfits());

      String[] medianCols = {"sample_id", "metacluster", "column", "events", "median"};
      assertSameRows(
          SampleGroupMedians.of(fresh, List.of("sample_id", "metacluster"), FIELDS)
              .selectExpr(medianCols),
          mapped.sampleMedians().selectExpr(medianCols));
      String[] eventCols = {"sample_id", "visit", "event_index", "node", "metacluster"};
      assertSameRows(fresh.selectExpr(eventCols), mapped.eventRows().selectExpr(eventCols));
    } finally {
      mapped.release();
    }
  }

  private static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    assertEquals(expected.count(), actual.count());
    assertEquals(0, expected.exceptAll(actual).count(), "rows missing");
    assertEquals(0, actual.exceptAll(expected).count(), "rows extra");
  }

  /** What the shuffling classes give on rows mapped by {@link ClusterModelMapper}. */
  private record Reference(Map<Integer, Long> sizes, Map<Integer, Map<String, Double>> medians) {}

  private Reference reference(Dataset<Row> assigned) {
    Map<Integer, Long> sizes = new TreeMap<>();
    for (Row r : assigned.groupBy("metacluster").count().collectAsList()) {
      sizes.put(r.getInt(0), r.getLong(1));
    }
    Map<Integer, Map<String, Double>> medians = new TreeMap<>();
    for (Row r : GroupMedians.of(assigned, List.of("metacluster"), FIELDS).collectAsList()) {
      medians
          .computeIfAbsent(r.getInt(0), x -> new TreeMap<>())
          .put(r.getString(1), r.getDouble(3));
    }
    assertFalse(medians.isEmpty());
    return new Reference(sizes, medians);
  }

  private Dataset<Row> assignedRef() {
    return ClusterModelMapper.transform(data, fitted)
        .withColumn(
            "m",
            functions.struct(
                COLS.stream()
                    .map(c -> functions.col(c).cast(DataTypes.DoubleType).as(c))
                    .toArray(Column[]::new)));
  }

  private Map<String, String> visits() {
    Map<String, String> out = new TreeMap<>();
    rows.forEach(r -> out.put(r.getString(0), r.getString(1)));
    return out;
  }

  private ClusterModel model() {
    double[][] codes = new double[12][2];
    for (double[] c : codes) {
      c[0] = random.nextInt(5);
      c[1] = random.nextGaussian() * 2;
    }
    int[] meta = new int[codes.length];
    for (int j = 0; j < meta.length; j++) {
      meta[j] = j % 6; // metacluster 5 only on nodes 5 and 11
    }
    ClusterModel.Provenance p =
        new ClusterModel.Provenance(1, "P1", "flowsom", new TreeMap<>(), 3, "f", "run");
    return ClusterModel.unsummarised(p, List.of("a", "b"), codes, meta, 6);
  }

  /** {@code bare} as trained on S2 and S5 (the misfit rule needs their distances). */
  private ClusterModel trained(ClusterModel bare) {
    List<String> labels = new ArrayList<>();
    for (int m = 0; m < 6; m++) {
      labels.add("M" + m);
    }
    List<ClusterModel.TrainingSample> training =
        ClusterMapping.distances(
            ClusterModelMapper.transform(
                data.where(functions.col("sample_id").isin("S2", "S5")), bare),
            6);
    return new ClusterModel(
        bare.provenance(),
        bare.columns(),
        bare.codebook(),
        bare.nodeToMetacluster(),
        labels,
        training);
  }

  private List<Row> rows() {
    List<Row> out = new ArrayList<>();
    long index = 0;
    for (int s = 0; s < 9; s++) {
      int n = 150 + random.nextInt(900);
      for (int e = 0; e < n; e++) {
        Float c;
        int u = random.nextInt(40);
        c = u == 0 ? null : u == 1 ? Float.NaN : (float) random.nextGaussian();
        out.add(
            RowFactory.create(
                "S" + s,
                "V" + (s % 3),
                index++,
                (float) (random.nextInt(9) * 0.5), // many equal values
                random.nextGaussian() * 2,
                c));
      }
    }
    return out;
  }

  private static StructType schema() {
    return new StructType()
        .add("sample_id", DataTypes.StringType, false)
        .add("visit", DataTypes.StringType, false)
        .add("event_index", DataTypes.LongType, false)
        .add("a", DataTypes.FloatType, true)
        .add("b", DataTypes.DoubleType, false)
        .add("c", DataTypes.FloatType, true);
  }
}
