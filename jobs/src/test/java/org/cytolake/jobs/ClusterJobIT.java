package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cytolake.generate.SeparableSamples;
import org.cytolake.scoring.ClusterScoring;
import org.cytolake.stats.Quantiles;
import org.cytolake.tables.TableSchema;
import org.cytolake.testing.LakeSnapshot;
import org.cytolake.testing.Lineages;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClusterJob} on the separable samples' P3 files (B / NK / monocytes / granulocytes), ingested into a temp lake
 * as {@link DataSamplesIngestIT} does (only P3, to keep the test short): the tables match their contracts, every
 * event falls in exactly one metacluster, flowsom reaches mean F1 ≥ 0.9 against the generator's truth labels
 * (scored on live leukocytes merged to lineages; the MLlib baselines are scored and printed side by side), and a
 * second flowsom run with the same seed writes the same model; two runs from scratch on copies of the same lake
 * write the same cluster tables to the last bit, and the per-sample medians equal a pure-Java recomputation. Flowsom trains on all events, the baselines on
 * 1000 events per sample (the stratified subsample path), and all are applied to every event.
 */
class ClusterJobIT {
  @TempDir static Path dir;
  static Path lake;

  /** The lake as ingest left it, before any cluster run. */
  static Path clean;

  static Map<String, ClusterJob.Result> results = new LinkedHashMap<>();

  /** Truth label (merged) of every P3 event, by sample_id then event_index. */
  static Map<String, List<String>> truth = new HashMap<>();

  static final String LEUKOCYTES = "cells/singlets/live/leukocytes/";

  /** The baselines train on a stratified subsample (--sample-per-file), which keeps the test short. */
  static final int SAMPLE_PER_FILE = 1000;

  @BeforeAll
  static void ingestAndCluster() throws Exception {
    Path home = SharedData.projectDir();
    Path samples = SeparableSamples.dir();
    Path input = dir.resolve("input");
    List<String> manifest = Files.readAllLines(samples.resolve("manifest.csv"));
    List<String> p3 = new ArrayList<>(List.of(manifest.get(0)));
    Set<String> p3Files = new HashSet<>();
    for (String line : manifest.subList(1, manifest.size())) {
      String[] f = line.split(",");
      if (f[3].equals("P3") && Files.exists(samples.resolve(f[0]))) {
        Path to = input.resolve(f[0]);
        Files.createDirectories(to.getParent());
        Files.copy(samples.resolve(f[0]), to);
        p3.add(line);
        p3Files.add(f[0]);
      }
    }
    Files.write(input.resolve("manifest.csv"), p3);
    lake = dir.resolve("lake");
    clean = dir.resolve("clean");
    SparkSession spark = SparkTestSession.get();
    IngestFcsJob.run(
        spark,
        new IngestFcsJob.Options(
            input.toString(),
            input.resolve("manifest.csv").toString(),
            lake.toString(),
            home.resolve("conf"),
            home.resolve("schemas"),
            "cluster-it-ingest"));
    copy(lake, clean);
    Map<String, String> sampleOfFile = new HashMap<>();
    for (Row r : spark.read().parquet(lake.resolve("ingest_ledger").toString()).collectAsList()) {
      String path = r.getAs("path");
      String id = r.getAs("sample_id");
      for (String f : p3Files) {
        if (id != null && path.endsWith("/" + f)) {
          sampleOfFile.put(f, id);
        }
      }
    }
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(
                    Files.newInputStream(samples.resolve("truth/event_labels.csv.gz"))),
                StandardCharsets.UTF_8))) {
      r.readLine();
      for (String line; (line = r.readLine()) != null; ) {
        String[] f = line.split(",", 3);
        String id = sampleOfFile.get(f[0]);
        if (id != null) {
          truth.computeIfAbsent(id, k -> new ArrayList<>()).add(merge(f[2]));
        }
      }
    }
    for (String algorithm : ClusterJob.ALGORITHMS) {
      results.put(
          algorithm,
          ClusterJob.run(
              spark,
              new ClusterJob.Options(
                  lake.toString(),
                  home.resolve("conf"),
                  home.resolve("schemas"),
                  algorithm,
                  algorithm.equals("flowsom") ? 0 : SAMPLE_PER_FILE,
                  1L,
                  15,
                  "cluster-it-" + algorithm)));
    }
  }

  /** A truth leaf merged to a lineage; events that are not live singlet leukocytes are Unlabeled. */
  static String merge(String label) {
    return label.startsWith(LEUKOCYTES)
        ? Lineages.merge(label.substring(LEUKOCYTES.length()))
        : "Unlabeled";
  }

  static Dataset<Row> table(String name) {
    return SparkTestSession.get().read().parquet(lake.resolve(name).toString());
  }

  @Test
  void tablesMatchTheirContracts() {
    Path schemas = SharedData.projectDir().resolve("schemas");
    for (String t :
        List.of(
            "cluster_model",
            "clusters",
            "cluster_abundance",
            "cluster_sample_medians",
            "cluster_events",
            "cluster_models",
            "cluster_qc")) {
      TableSchema contract = TableSchema.load(schemas, t);
      assertEquals(List.of(), contract.differences(table(t).schema()), t);
      assertTrue(table(t).count() > 0, t);
    }
  }

  @Test
  void everyEventIsInExactlyOneMetacluster() {
    Map<String, Long> events = new HashMap<>();
    for (Row r :
        table("events_p3").where("qc_flag = 0").groupBy("sample_id").count().collectAsList()) {
      events.put(r.getString(0), r.getLong(1));
    }
    for (String algorithm : ClusterJob.ALGORITHMS) {
      Map<String, Long> sums = new HashMap<>();
      Map<String, Double> pcts = new HashMap<>();
      for (Row r :
          table("cluster_abundance")
              .where("panel = 'P3' and algorithm = '" + algorithm + "'")
              .groupBy("sample_id")
              .agg(
                  org.apache.spark.sql.functions.sum("count"),
                  org.apache.spark.sql.functions.sum("pct_of_sample"))
              .collectAsList()) {
        sums.put(r.getString(0), r.getLong(1));
        pcts.put(r.getString(0), r.getDouble(2));
      }
      assertEquals(events, sums, algorithm);
      pcts.values().forEach(p -> assertEquals(100.0, p, 1e-6, algorithm));
      long size =
          table("clusters")
              .where("panel = 'P3' and algorithm = '" + algorithm + "'")
              .agg(org.apache.spark.sql.functions.sum("size"))
              .first()
              .getLong(0);
      assertEquals(events.values().stream().mapToLong(Long::longValue).sum(), size, algorithm);
    }
  }

  @Test
  void flowsomReachesF1OfAtLeast09AndBaselinesAreReported() throws Exception {
    Map<String, Double> f1 = new LinkedHashMap<>();
    for (String algorithm : ClusterJob.ALGORITHMS) {
      ClusterScoring.Score s = score(algorithm);
      f1.put(algorithm, s.meanF1());
      System.out.printf(
          "separable samples P3 cluster --algorithm %s (k = 15, seed 1): mean F1 %.4f %s%n",
          algorithm, s.meanF1(), s.perPopulation());
    }
    assertTrue(f1.get("flowsom") >= 0.9, "flowsom mean F1 " + f1);
  }

  /** Maps every P3 event to its nearest codebook node of cluster_model (as the job does) and scores it. */
  static ClusterScoring.Score score(String algorithm) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<Row> model =
        table("cluster_model")
            .where("panel = 'P3' and algorithm = '" + algorithm + "'")
            .orderBy("node")
            .collectAsList();
    List<String> cols = new ArrayList<>();
    json.readTree(model.get(0).<String>getAs("codebook")).fieldNames().forEachRemaining(cols::add);
    double[][] codes = new double[model.size()][cols.size()];
    int[] meta = new int[model.size()];
    for (int j = 0; j < model.size(); j++) {
      JsonNode c = json.readTree(model.get(j).<String>getAs("codebook"));
      for (int d = 0; d < cols.size(); d++) {
        codes[j][d] = c.get(cols.get(d)).asDouble();
      }
      meta[j] = model.get(j).<Integer>getAs("metacluster");
    }
    List<String> select = new ArrayList<>(List.of("sample_id", "event_index"));
    select.addAll(cols);
    List<String> reference = new ArrayList<>();
    List<Integer> clusters = new ArrayList<>();
    for (Row r : table("events_p3").selectExpr(select.toArray(new String[0])).collectAsList()) {
      List<String> labels = truth.get(r.getString(0));
      reference.add(labels.get((int) r.getLong(1)));
      int best = 0;
      double bestD = Double.POSITIVE_INFINITY;
      for (int j = 0; j < codes.length; j++) {
        double s = 0;
        for (int d = 0; d < cols.size(); d++) {
          double diff = ((Number) r.get(2 + d)).doubleValue() - codes[j][d];
          s += diff * diff;
        }
        if (s < bestD) {
          bestD = s;
          best = j;
        }
      }
      clusters.add(meta[best]);
    }
    return ClusterScoring.score(reference, clusters.stream().mapToInt(Integer::intValue).toArray());
  }

  @Test
  void sameSeedGivesTheSameFlowsomModel() throws Exception {
    Path home = SharedData.projectDir();
    List<Row> before =
        table("cluster_model")
            .where("panel = 'P3' and algorithm = 'flowsom'")
            .select("node", "metacluster", "codebook")
            .orderBy("node")
            .collectAsList();
    ClusterJob.run(
        SparkTestSession.get(),
        new ClusterJob.Options(
            lake.toString(),
            home.resolve("conf"),
            home.resolve("schemas"),
            "flowsom",
            0,
            1L,
            15,
            "cluster-it-again"));
    List<Row> after =
        table("cluster_model")
            .where("panel = 'P3' and algorithm = 'flowsom'")
            .select("node", "metacluster", "codebook")
            .orderBy("node")
            .collectAsList();
    assertEquals(before, after);
  }

  @Test
  void twoRunsFromScratchWriteTheSameClusterTables() throws Exception {
    Path home = SharedData.projectDir();
    SparkSession spark = SparkTestSession.get();
    Map<String, Map<String, List<String>>> runs = new LinkedHashMap<>();
    for (String name : List.of("repro-a", "repro-b")) {
      Path copy = dir.resolve(name);
      copy(clean, copy);
      ClusterJob.run(
          spark,
          new ClusterJob.Options(
              copy.toString(),
              home.resolve("conf"),
              home.resolve("schemas"),
              "flowsom",
              SAMPLE_PER_FILE,
              1L,
              15,
              "cluster-it-repro"));
      Map<String, List<String>> tables = new TreeMap<>();
      LakeSnapshot.withRunColumns(spark, copy)
          .forEach(
              (leaf, rows) -> {
                if (leaf.startsWith("cluster")) {
                  tables.put(leaf, rows);
                }
              });
      runs.put(name, tables);
    }
    Map<String, List<String>> a = runs.get("repro-a");
    Map<String, List<String>> b = runs.get("repro-b");
    for (String t :
        List.of(
            "cluster_model",
            "clusters",
            "cluster_abundance",
            "cluster_sample_medians",
            "cluster_events")) {
      assertTrue(
          a.keySet().stream().anyMatch(k -> k.startsWith(t + "/")),
          t + " not written: " + a.keySet());
    }
    assertEquals(a.keySet(), b.keySet());
    for (String leaf : a.keySet()) {
      List<String> onlyA = new ArrayList<>(a.get(leaf));
      onlyA.removeAll(b.get(leaf));
      List<String> onlyB = new ArrayList<>(b.get(leaf));
      onlyB.removeAll(a.get(leaf));
      assertEquals(
          a.get(leaf),
          b.get(leaf),
          leaf + " differs: first run only " + head(onlyA) + ", second only " + head(onlyB));
    }
  }

  private static List<String> head(List<String> rows) {
    return rows.subList(0, Math.min(3, rows.size()));
  }

  @Test
  void sampleMediansEqualAPureJavaRecomputation() {
    String where = "panel = 'P3' and algorithm = 'kmeans'";
    Dataset<Row> medians = table("cluster_sample_medians").where(where);
    String sample = medians.orderBy("sample_id").first().getAs("sample_id");
    List<String> columns = new ArrayList<>();
    for (String c : table("events_p3").columns()) {
      if (!List.of("sample_id", "visit", "event_index", "qc_flag").contains(c)) {
        columns.add(c);
      }
    }
    Dataset<Row> events =
        table("events_p3")
            .where("sample_id = '" + sample + "'")
            .join(
                table("cluster_events")
                    .where(where)
                    .select("sample_id", "visit", "event_index", "metacluster"),
                scala.jdk.javaapi.CollectionConverters.asScala(
                        List.of("sample_id", "visit", "event_index"))
                    .toSeq());
    Map<Integer, Map<String, List<Double>>> values = new TreeMap<>();
    for (Row r : events.collectAsList()) {
      Map<String, List<Double>> byColumn =
          values.computeIfAbsent(r.<Integer>getAs("metacluster"), k -> new HashMap<>());
      for (String c : columns) {
        Object v = r.getAs(c);
        byColumn
            .computeIfAbsent(c, k -> new ArrayList<>())
            .add(v == null ? Double.NaN : ((Number) v).doubleValue());
      }
    }
    List<Row> rows = medians.where("sample_id = '" + sample + "'").collectAsList();
    int clusters = (int) table("clusters").where(where).count();
    assertEquals(clusters * columns.size(), rows.size(), "every metacluster x column of " + sample);
    for (Row r : rows) {
      int mc = r.getAs("metacluster");
      String c = r.getAs("column");
      List<Double> v = values.getOrDefault(mc, Map.of()).getOrDefault(c, List.of());
      assertEquals((long) v.size(), r.<Long>getAs("events"), sample + " mc " + mc + " " + c);
      Double expected = v.isEmpty() ? null : Quantiles.median(v, Quantiles.NaNs.ORDERED_LAST);
      assertEquals(expected, r.<Double>getAs("median"), sample + " mc " + mc + " " + c);
    }
  }

  /**
   * The registry across runs: a first run without one sample trains version 1; the second run, with the sample
   * back, maps only it onto version 1 and keeps every earlier sample's rows of cluster_events, cluster_abundance,
   * cluster_sample_medians (and cluster_qc) exactly; a third run with another metacluster count trains version 2
   * and reports the correspondence to version 1.
   */
  @Test
  void laterSamplesAreMappedOntoTheStoredModelAndAParameterChangeTrainsVersion2() throws Exception {
    Path home = SharedData.projectDir();
    SparkSession spark = SparkTestSession.get();
    Path copy = dir.resolve("registry");
    copy(clean, copy);
    Path held = dir.resolve("registry-held");
    Path partition;
    try (Stream<Path> s = Files.walk(copy.resolve("events_p3"))) {
      partition =
          s.filter(p -> p.getFileName().toString().startsWith("sample_id="))
              .sorted()
              .findFirst()
              .get();
    }
    String late = partition.getFileName().toString().substring("sample_id=".length());
    Files.createDirectories(held);
    Files.move(partition, held.resolve("p"));
    ClusterJob.Result first = runOn(copy, 15, "registry-1");
    assertEquals("train", first.panels().get(0).action());
    assertEquals(1, first.panels().get(0).modelVersion());
    Map<String, Map<String, List<String>>> before = rowsBySample(spark, copy);
    assertTrue(before.get("cluster_events").keySet().stream().noneMatch(late::equals));

    Files.move(held.resolve("p"), partition);
    ClusterJob.Result second = runOn(copy, 15, "registry-2");
    ClusterJob.PanelResult p2 = second.panels().get(0);
    assertEquals("map", p2.action());
    assertEquals(1, p2.modelVersion());
    assertEquals(1, p2.mappedSamples());
    Map<String, Map<String, List<String>>> after = rowsBySample(spark, copy);
    for (String t : before.keySet()) {
      for (var e : before.get(t).entrySet()) {
        assertEquals(e.getValue(), after.get(t).get(e.getKey()), t + " rows of " + e.getKey());
      }
      assertTrue(after.get(t).containsKey(late), t + " has the new sample " + late);
    }
    assertEquals(1L, spark.read().parquet(copy.resolve("cluster_models").toString()).count());
    Row qc =
        spark
            .read()
            .parquet(copy.resolve("cluster_qc").toString())
            .where("sample_id = '" + late + "'")
            .first();
    assertEquals(1, qc.<Integer>getAs("model_version"));
    assertEquals(false, qc.<Boolean>getAs("training_sample"));

    ClusterJob.Result third = runOn(copy, 12, "registry-3");
    ClusterJob.PanelResult p3 = third.panels().get(0);
    assertEquals("train", p3.action());
    assertEquals(2, p3.modelVersion());
    assertEquals(1, p3.previousVersion());
    assertTrue(p3.correspondence().contains("v2 <- v1"), p3.correspondence());
    assertTrue(p3.warnings().stream().anyMatch(w -> w.contains("RETRAINED")), "" + p3.warnings());
    assertEquals(2L, spark.read().parquet(copy.resolve("cluster_models").toString()).count());
  }

  private static ClusterJob.Result runOn(Path lakeDir, int k, String runId) throws IOException {
    Path home = SharedData.projectDir();
    return ClusterJob.run(
        SparkTestSession.get(),
        new ClusterJob.Options(
            lakeDir.toString(),
            home.resolve("conf"),
            home.resolve("schemas"),
            "flowsom",
            SAMPLE_PER_FILE,
            1L,
            k,
            runId));
  }

  /** Per table, per sample, its rows as sorted text (every column, run_id included). */
  private static Map<String, Map<String, List<String>>> rowsBySample(
      SparkSession spark, Path lakeDir) {
    Map<String, Map<String, List<String>>> out = new TreeMap<>();
    for (String t :
        List.of("cluster_events", "cluster_abundance", "cluster_sample_medians", "cluster_qc")) {
      Dataset<Row> d = spark.read().parquet(lakeDir.resolve(t).toString());
      Map<String, List<String>> bySample = new TreeMap<>();
      for (Row r : d.collectAsList()) {
        bySample.computeIfAbsent(r.getAs("sample_id"), x -> new ArrayList<>()).add(r.toString());
      }
      bySample.values().forEach(java.util.Collections::sort);
      out.put(t, bySample);
    }
    return out;
  }

  /** Copies a directory tree. */
  static void copy(Path from, Path to) throws IOException {
    org.cytolake.testing.Lakes.copy(from, to);
  }
}
