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
 * every sample is spread over several (the shuffling fallback), or some samples are kept; on generated
 * events and on real CyTOF events.
 */
class MappedEventsIT {
  private static final List<String> COLS = List.of("a", "b", "c");

  private final Random random = new Random(11);
  private final ClusterModel bare = model();
  private final List<Row> rows = rows();
  private final Dataset<Row> data = SparkTestSession.get().createDataFrame(rows, schema());
  private final ClusterModel fitted = trained(bare, data, "S2", "S5");
  private final Case gen = new Case(rows, data, fitted, COLS);

  /** Events with their model: generated here, or real. */
  private record Case(List<Row> rows, Dataset<Row> data, ClusterModel fitted, List<String> cols) {
    List<String> fields() {
      return cols.stream().map(c -> "m." + c).toList();
    }

    Map<String, String> visits() {
      Map<String, String> out = new TreeMap<>();
      rows.forEach(r -> out.put(r.getString(0), r.getString(1)));
      return out;
    }

    Dataset<Row> assigned() {
      return ClusterModelMapper.transform(data, fitted)
          .withColumn(
              "m",
              functions.struct(
                  cols.stream()
                      .map(c -> functions.col(c).cast(DataTypes.DoubleType).as(c))
                      .toArray(Column[]::new)));
    }
  }

  @Test
  void samplesInOnePartitionAreSummarisedWhereTheyLie() {
    Dataset<Row> bySample = data.repartition(3, functions.col("sample_id"));
    assertSameAsShuffles(gen, bySample, Set.of(), false);
  }

  @Test
  void samplesSpreadOverPartitionsFallBackToTheShuffles() {
    assertSameAsShuffles(gen, data.repartition(4), Set.of(), true);
  }

  @Test
  void keptSamplesAreLeftOutOfTheirRows() {
    assertSameAsShuffles(
        gen, data.repartition(3, functions.col("sample_id")), Set.of("S1", "S4"), false);
    assertSameAsShuffles(gen, data.repartition(2), Set.of("S0"), true);
  }

  @Test
  void metaclusterMediansTooManyToSelectAreLeftToGroupMedians() {
    var spark = SparkTestSession.get();
    MappedEvents mapped = MappedEvents.map(data.repartition(3), fitted, gen.visits(), COLS);
    try {
      MappedEvents.Tally tally = mapped.tally();
      Map<Integer, Map<String, Double>> selected =
          ClusterMapping.metaclusterMedians(spark, mapped, tally, COLS, Long.MAX_VALUE);
      Map<Integer, Map<String, Double>> shuffled =
          ClusterMapping.metaclusterMedians(spark, mapped, tally, COLS, 0);
      assertEquals(reference(gen, gen.assigned()).medians, selected);
      assertEquals(selected, shuffled);
    } finally {
      mapped.release();
    }
  }

  /**
   * Real events: CytoNorm's six CyTOF files in ../shared/real (skipped without it), each a sample,
   * eight lineage markers through asinh(x/5) (many events at 0: ties), on a 6×6 SOM fitted to
   * them with 8 metaclusters: the shuffling classes' outputs, samples each in one partition, and
   * spread over several with one sample kept.
   */
  @Test
  void realCytofEventsGiveTheShufflesOutputs() throws java.io.IOException {
    Case real = realCase();
    assertSameAsShuffles(
        real, real.data().repartition(3, functions.col("sample_id")), Set.of(), false);
    assertSameAsShuffles(
        real, real.data().repartition(4), Set.of(real.rows().get(0).getString(0)), true);
  }

  private static Case realCase() throws java.io.IOException {
    java.nio.file.Path dir = org.cytolake.testing.SharedData.sharedOrSkip("real/cytonorm");
    List<java.nio.file.Path> files;
    try (var list = java.nio.file.Files.list(dir)) {
      files = list.filter(f -> f.toString().endsWith(".fcs")).sorted().toList();
    }
    // 1-based $Pn of CD45, CD3, CD4, CD8a, CD19, CD14, CD56 and HLADR in these files
    int[] channels = {11, 45, 20, 21, 17, 50, 51, 49};
    List<String> cols = List.of("cd45", "cd3", "cd4", "cd8a", "cd19", "cd14", "cd56", "hladr");
    StructType schema =
        new StructType()
            .add("sample_id", DataTypes.StringType, false)
            .add("visit", DataTypes.StringType, false)
            .add("event_index", DataTypes.LongType, false);
    for (String c : cols) {
      schema = schema.add(c, DataTypes.FloatType, false);
    }
    List<Row> rows = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int f = 0; f < files.size(); f++) {
      String sample = files.get(f).getFileName().toString().replace(".fcs", "");
      try (org.cytolake.fcs.FcsFile fcs = org.cytolake.fcs.FcsReader.open(files.get(f))) {
        org.cytolake.fcs.FcsDataset d = fcs.first();
        double[] all = fcs.readAll(d, "test");
        int p = d.parameters().size();
        for (int e = 0; e < d.eventCount(); e++) {
          Object[] o = new Object[3 + cols.size()];
          o[0] = sample;
          o[1] = "V" + (f % 2);
          o[2] = (long) e;
          for (int c = 0; c < channels.length; c++) {
            double x = all[e * p + channels[c] - 1] / 5;
            float y = (float) Math.log(x + Math.sqrt(x * x + 1));
            o[3 + c] = y;
            values.add((double) y);
          }
          rows.add(RowFactory.create(o));
        }
      }
    }
    assertEquals(6, files.size(), "CytoNorm's six files");
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    org.cytolake.som.SomModel som =
        org.cytolake.som.SomTrainer.fit(
            org.cytolake.som.SomParams.defaults().withGrid(6, 6).withSeed(1),
            cols.size(),
            List.of(v));
    int[] meta =
        org.cytolake.som.Metaclustering.defaults()
            .withK(8)
            .withSeed(1)
            .fit(som)
            .nodeToMetacluster();
    ClusterModel.Provenance prov =
        new ClusterModel.Provenance(1, "P1", "flowsom", new TreeMap<>(), 3, "f", "run");
    ClusterModel bare = ClusterModel.unsummarised(prov, cols, som.codes(), meta, 8);
    Dataset<Row> data = SparkTestSession.get().createDataFrame(rows, schema);
    String first = rows.get(0).getString(0);
    String last = rows.get(rows.size() - 1).getString(0);
    return new Case(rows, data, trained(bare, data, first, last), cols);
  }

  @Test
  void aNullModelColumnNamesTheColumnSampleAndEvent() {
    List<Row> withNull = new ArrayList<>(rows);
    Row r = withNull.get(500);
    withNull.set(500, RowFactory.create(r.get(0), r.get(1), r.get(2), null, r.get(4), r.get(5)));
    Dataset<Row> bad = SparkTestSession.get().createDataFrame(withNull, schema());
    Exception e =
        assertThrows(
            Exception.class, () -> MappedEvents.map(bad, fitted, gen.visits(), COLS).tally());
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
      cause = cause.getCause();
    }
    String message = String.valueOf(cause.getMessage());
    assertTrue(message.contains("column 'a' is null"), message);
    assertTrue(message.contains("event_index 500"), message);
  }

  private static void assertSameAsShuffles(
      Case c, Dataset<Row> events, Set<String> kept, boolean split) {
    var spark = SparkTestSession.get();
    Reference ref = reference(c, c.assigned());
    ClusterMapping.Mapped mapped =
        ClusterMapping.map(
            spark,
            events,
            c.fitted(),
            c.cols(),
            c.visits(),
            c.rows().size(),
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

      Dataset<Row> assigned = c.assigned();
      Dataset<Row> fresh =
          assigned.where(functions.not(functions.col("sample_id").isin(kept.toArray())));
      Map<String, Map<Integer, Long>> counts = new TreeMap<>();
      for (Row r : fresh.groupBy("sample_id", "metacluster").count().collectAsList()) {
        counts.computeIfAbsent(r.getString(0), x -> new TreeMap<>()).put(r.getInt(1), r.getLong(2));
      }
      assertEquals(counts, mapped.counts());
      assertEquals(
          org.cytolake.clustering.MisfitReport.of(
                  c.fitted(),
                  ClusterMapping.distances(fresh, c.fitted().metaclusters()),
                  counts,
                  0.25)
              .misfits(),
          mapped.misfits().misfits());

      String[] medianCols = {"sample_id", "metacluster", "column", "events", "median"};
      assertSameRows(
          SampleGroupMedians.of(fresh, List.of("sample_id", "metacluster"), c.fields())
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

  private static Reference reference(Case c, Dataset<Row> assigned) {
    Map<Integer, Long> sizes = new TreeMap<>();
    for (Row r : assigned.groupBy("metacluster").count().collectAsList()) {
      sizes.put(r.getInt(0), r.getLong(1));
    }
    Map<Integer, Map<String, Double>> medians = new TreeMap<>();
    for (Row r : GroupMedians.of(assigned, List.of("metacluster"), c.fields()).collectAsList()) {
      medians
          .computeIfAbsent(r.getInt(0), x -> new TreeMap<>())
          .put(r.getString(1), r.getDouble(3));
    }
    assertFalse(medians.isEmpty());
    return new Reference(sizes, medians);
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

  /** {@code bare} as trained on the given samples (the misfit rule needs their distances). */
  private static ClusterModel trained(ClusterModel bare, Dataset<Row> data, String... samples) {
    int k = bare.metaclusters();
    List<String> labels = new ArrayList<>();
    for (int m = 0; m < k; m++) {
      labels.add("M" + m);
    }
    List<ClusterModel.TrainingSample> training =
        ClusterMapping.distances(
            ClusterModelMapper.transform(
                data.where(functions.col("sample_id").isin((Object[]) samples)), bare),
            k);
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
