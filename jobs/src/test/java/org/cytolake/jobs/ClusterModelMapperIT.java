package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.clustering.ClusterModel;
import org.cytolake.som.SomModel;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.Test;

/**
 * Mapping in chunks of {@link SomModel#CHUNK} rows gives every row the node {@link SomModel#bmu}
 * gives it, its metacluster and quantisation distance, with every column kept, whatever the
 * partition sizes (none a multiple of the chunk).
 */
class ClusterModelMapperIT {
  private static final List<String> COLS = List.of("a", "b", "c");

  @Test
  void everyRowGetsItsBestMatchingNode() {
    Random r = new Random(3);
    double[][] codes = new double[12][3];
    for (double[] c : codes) {
      for (int d = 0; d < 3; d++) {
        c[d] = r.nextInt(4); // ties between nodes at equal distance happen
      }
    }
    int[] meta = new int[codes.length];
    for (int j = 0; j < meta.length; j++) {
      meta[j] = j % 5;
    }
    ClusterModel.Provenance p =
        new ClusterModel.Provenance(1, "P1", "flowsom", new java.util.TreeMap<>(), 3, "f", "run");
    ClusterModel model = ClusterModel.unsummarised(p, COLS, codes, meta, 5);
    List<Row> rows = new ArrayList<>();
    for (int e = 0; e < 2_345; e++) {
      rows.add(
          RowFactory.create(
              "S" + (e % 7),
              (long) e,
              (float) (r.nextInt(9) * 0.5),
              r.nextGaussian() * 2,
              (float) r.nextGaussian()));
    }
    StructType schema =
        new StructType()
            .add("sample_id", DataTypes.StringType, false)
            .add("event_index", DataTypes.LongType, false)
            .add("a", DataTypes.FloatType, false)
            .add("b", DataTypes.DoubleType, false)
            .add("c", DataTypes.FloatType, true);
    Dataset<Row> data = SparkTestSession.get().createDataFrame(rows, schema).repartition(3);
    double[] flat = new double[codes.length * 3];
    for (int j = 0; j < codes.length; j++) {
      System.arraycopy(codes[j], 0, flat, j * 3, 3);
    }
    List<Row> mapped = ClusterModelMapper.transform(data, model).collectAsList();
    assertEquals(rows.size(), mapped.size());
    for (Row m : mapped) {
      Row in = rows.get((int) m.getLong(1));
      assertEquals(in.getString(0), m.getString(0));
      double[] v = {m.getFloat(2), m.getDouble(3), m.getFloat(4)};
      assertEquals(in.getFloat(2), (float) v[0]);
      int node = SomModel.bmu(flat, 3, v, 0);
      assertEquals(node, m.getInt(5), "node of event " + m.getLong(1));
      assertEquals(meta[node], m.getInt(6));
      assertEquals(Math.sqrt(SomModel.squaredDistance(flat, 3, node, v, 0)), m.getDouble(7));
    }
    rows.set(1_000, RowFactory.create("S1", 1_000L, 1f, 1.0, null));
    Dataset<Row> withNull = SparkTestSession.get().createDataFrame(rows, schema).repartition(2);
    Exception e =
        assertThrows(Exception.class, () -> ClusterModelMapper.transform(withNull, model).count());
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
      cause = cause.getCause();
    }
    assertTrue(
        String.valueOf(cause.getMessage()).contains("column 'c' is null"), String.valueOf(e));
  }

  /**
   * Real events: every FCS file of ../shared/real (CyTOF, FlowJo and Gating-ML samples; skipped
   * without it), up to 20 channels through a fixed signed log, mapped in Spark onto a codebook of
   * 100 of the file's own events (seeded): every event's node is {@link SomModel#bmu}'s.
   */
  @Test
  void realEventsMapToTheirBestMatchingNode() throws Exception {
    java.nio.file.Path real = org.cytolake.testing.SharedData.sharedOrSkip("real");
    List<java.nio.file.Path> files;
    try (var walk = java.nio.file.Files.walk(real)) {
      files =
          walk.filter(f -> f.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".fcs"))
              .sorted()
              .toList();
    }
    long events = 0;
    for (java.nio.file.Path f : files) {
      double[] all;
      int p;
      int n;
      try (org.cytolake.fcs.FcsFile fcs = org.cytolake.fcs.FcsReader.open(f)) {
        org.cytolake.fcs.FcsDataset d = fcs.first();
        all = fcs.readAll(d, "mapping");
        p = d.parameters().size();
        n = (int) d.eventCount();
      }
      int dims = Math.min(p, 20);
      List<String> cols = new ArrayList<>();
      StructType schema = new StructType().add("event_index", DataTypes.LongType, false);
      for (int c = 0; c < dims; c++) {
        cols.add("c" + c);
        schema = schema.add("c" + c, DataTypes.DoubleType, false);
      }
      double[] v = new double[n * dims];
      List<Row> rows = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Object[] o = new Object[dims + 1];
        o[0] = (long) i;
        for (int c = 0; c < dims; c++) {
          double x = all[i * p + c];
          v[i * dims + c] = Double.isFinite(x) ? Math.signum(x) * Math.log1p(Math.abs(x)) : 0;
          o[c + 1] = v[i * dims + c];
        }
        rows.add(RowFactory.create(o));
      }
      Random r = new Random(7);
      double[][] codes = new double[100][dims];
      double[] flat = new double[100 * dims];
      for (int j = 0; j < codes.length; j++) {
        System.arraycopy(v, r.nextInt(n) * dims, codes[j], 0, dims);
        System.arraycopy(codes[j], 0, flat, j * dims, dims);
      }
      int[] meta = new int[codes.length];
      for (int j = 0; j < meta.length; j++) {
        meta[j] = j % 10;
      }
      ClusterModel model =
          ClusterModel.unsummarised(
              new ClusterModel.Provenance(
                  1, "R", "flowsom", new java.util.TreeMap<>(), 1, "f", "run"),
              cols,
              codes,
              meta,
              10);
      Dataset<Row> data = SparkTestSession.get().createDataFrame(rows, schema).repartition(3);
      List<Row> mapped =
          ClusterModelMapper.transform(data, model).select("event_index", "node").collectAsList();
      assertEquals(n, mapped.size(), f.getFileName().toString());
      for (Row m : mapped) {
        int i = (int) m.getLong(0);
        assertEquals(
            SomModel.bmu(flat, dims, v, i * dims), m.getInt(1), f.getFileName() + " event " + i);
      }
      events += n;
    }
    assertTrue(files.size() >= 10 && events > 250_000, files.size() + " files, " + events);
  }
}
