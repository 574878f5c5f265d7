package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.fcs.FcsDataset;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsParameter;
import org.cytolake.fcs.FcsReader;
import org.cytolake.testing.NightlyFixture;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export-fcs} on the nightly fixture's lake: the written file holds the source file's raw
 * values and spillover again, its population_id channel reproduces the gate step's counts, and an
 * independent reader (npm fcs) reads it.
 */
class ExportFcsIT {
  @TempDir static Path tmp;
  static SparkSession spark;
  static Path lake;
  static RunContext ctx;
  static String sample;
  static String source;

  @BeforeAll
  static void lake() {
    lake = NightlyFixture.referenceLake();
    spark = NightlyFixture.spark();
    Path home = SharedData.projectDir();
    ctx =
        RunContext.open(
            spark, lake.toString(), home.resolve("conf"), home.resolve("schemas"), null);
    Row r =
        ctx.lake()
            .read(spark, "ingest_ledger")
            .filter("panel = 'P1' and outcome = 'ingested'")
            .orderBy("path")
            .select("sample_id", "path")
            .first();
    sample = r.getString(0);
    source = r.getString(1);
  }

  @Test
  void theFileHoldsTheSourcesRawValuesAndSpilloverAndTheGateStepsPopulations() throws Exception {
    Path out = tmp.resolve("all.fcs");
    ExportFcsJob.Result res =
        ExportFcsJob.run(ctx, new ExportFcsJob.Options(sample, null, "flowsom", out));
    assertTrue(res.spilloverWritten());
    try (FcsFile written = FcsReader.open(out);
        FcsFile original = FcsReader.open(Path.of(URI.create(source)))) {
      FcsDataset w = written.first();
      FcsDataset o = original.first();
      assertEquals(o.declaredEvents(), w.declaredEvents());
      assertEquals(o.spillover().orElseThrow().channels(), w.spillover().orElseThrow().channels());
      double[] wv = written.readAll(w, "test");
      double[] ov = original.readAll(o, "test");
      int wp = w.parameters().size();
      int op = o.parameters().size();
      List<String> names = w.parameters().stream().map(FcsParameter::id).toList();
      double worst = 0;
      for (int c = 0; c < op; c++) {
        int k = names.indexOf(o.parameters().get(c).id());
        if (k < 0) {
          continue;
        }
        for (int e = 0; e < o.declaredEvents(); e++) {
          double a = ov[e * op + c];
          double b = wv[e * wp + k];
          worst = Math.max(worst, Math.abs(a - b) / Math.max(1, Math.abs(a)));
        }
      }
      assertTrue(worst < 1e-4, "worst relative difference to the source " + worst);

      // population_id: events of a population and its descendants = the gate step's count.
      Map<Integer, String> paths = new HashMap<>();
      w.keywords()
          .asMap()
          .forEach(
              (k, v) -> {
                if (k.startsWith("CYTOLAKE_POPULATION_")) {
                  paths.put(Integer.parseInt(k.substring("CYTOLAKE_POPULATION_".length())), v);
                }
              });
      assertTrue(paths.size() > 5, paths.toString());
      int pid = names.indexOf("population_id");
      List<Row> gated =
          ctx.lake()
              .read(spark, "populations")
              .filter(functions.col("sample_id").equalTo(sample))
              .select("population", "count")
              .collectAsList();
      assertEquals(paths.size(), gated.size());
      for (Row g : gated) {
        String path = g.getString(0);
        long n = 0;
        for (int e = 0; e < w.declaredEvents(); e++) {
          String p = paths.get((int) wv[e * wp + pid]);
          if (p != null && (p.equals(path) || p.startsWith(path + "/"))) {
            n++;
          }
        }
        boolean leaf = paths.values().stream().noneMatch(q -> q.startsWith(path + "/"));
        if (leaf) {
          // Overlapping siblings (FOXP3+, Helios+ and aTreg within Treg) share events: an event
          // carries the first of them in strategy order, so a leaf may show fewer.
          assertTrue(n <= g.getLong(1), path + ": " + n + " > " + g.getLong(1));
        } else {
          assertEquals(g.getLong(1), n, path);
        }
      }
      int mc = names.indexOf("metacluster");
      long clustered = 0;
      for (int e = 0; e < w.declaredEvents(); e++) {
        clustered += wv[e * wp + mc] > 0 ? 1 : 0;
      }
      assertTrue(clustered > 0);
    }
    nodeReads(out);
  }

  @Test
  void aPopulationKeepsOnlyItsEventsAndAnUnknownOneIsNamed() throws Exception {
    Path out = tmp.resolve("live.fcs");
    ExportFcsJob.Result res =
        ExportFcsJob.run(
            ctx, new ExportFcsJob.Options(sample, "cells/singlets/live", "flowsom", out));
    long live =
        ctx.lake()
            .read(spark, "populations")
            .filter(
                functions
                    .col("sample_id")
                    .equalTo(sample)
                    .and(functions.col("population").equalTo("cells/singlets/live")))
            .select("count")
            .first()
            .getLong(0);
    assertEquals(live, res.events());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ExportFcsJob.run(
                    ctx, new ExportFcsJob.Options(sample, "cells/nope", "flowsom", out)));
    assertTrue(e.getMessage().contains("cells/nope") && e.getMessage().contains("cells/singlets"));
  }

  /** The npm package fcs reads the file (skipped when node or the package is missing). */
  private static void nodeReads(Path file) throws Exception {
    Path scripts = SharedData.projectDir().resolve("scripts");
    if (!Files.exists(scripts.resolve("node_modules/fcs/fcs.js"))) {
      return;
    }
    Process p;
    try {
      p =
          new ProcessBuilder(
                  "node", scripts.resolve("fcs-check.js").toString(), "3", file.toString())
              .start();
    } catch (java.io.IOException e) {
      return; // no node on the PATH
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    JsonNode node = new ObjectMapper().readTree(out.strip());
    assertEquals("FCS3.1", node.get("version").asText());
    assertNotNull(node.get("tot"));
    try (FcsFile f = FcsReader.open(file)) {
      assertEquals(f.first().declaredEvents(), node.get("tot").asLong());
      assertEquals(f.first().parameters().size(), node.get("par").asInt());
    }
  }
}
