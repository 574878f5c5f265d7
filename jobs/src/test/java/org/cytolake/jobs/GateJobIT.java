package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cytolake.tables.TableSchema;
import org.cytolake.testing.Lakes;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingests data-samples and gates it with conf/gating/: the written tables match their contracts
 * and the medians are exact. (The comparison with truth/populations.csv, issue 6's accuracy bound,
 * is not here yet: see the session note.)
 */
class GateJobIT {
  @TempDir static Path dir;
  static Path lake;
  static GateJob.Result result;

  @BeforeAll
  static void ingestAndGate() throws Exception {
    lake = dir.resolve("lake");
    result = Lakes.ingestAndGate(SparkTestSession.get(),
        SharedData.projectDir().resolve("data-samples"), lake, "gate-it");
  }

  @Test
  void everyTableMatchesItsContract() {
    SparkSession spark = SparkTestSession.get();
    Path schemas = SharedData.projectDir().resolve("schemas");
    for (String t : List.of("populations", "population_medians", "gating_qc")) {
      Dataset<Row> read = spark.read().parquet(lake.resolve(t).toString());
      assertEquals(List.of(), TableSchema.load(schemas, t).differences(read.schema()), t);
    }
    assertEquals(List.of("P1", "P2", "P3"), result.panels());
    assertTrue(result.samples() > 90, "samples " + result.samples());
    assertEquals(285_750, result.events());
    assertTrue(result.qcFlags().containsKey("LOW_COUNT"), "qc " + result.qcFlags());
  }

  @Test
  void mediansAreExact() {
    SparkSession spark = SparkTestSession.get();
    Row m = spark.read().parquet(lake.resolve("population_medians").toString())
        .filter("panel = 'P1' AND population = 'cells' AND column = 'fsc_a'").first();
    String sample = m.getAs("sample_id");
    Row exact = spark.read().parquet(lake.resolve("events_p1").toString())
        .filter("sample_id = '" + sample + "' AND (fsc_a >= 30000 OR (fsc_a >= 14000 AND"
            + " ssc_a >= 2000 AND (viability < 1.1 OR viability >= 3.5)))")
        .selectExpr("percentile(cast(fsc_a AS double), 0.5)", "count(*)").first();
    assertEquals(exact.getDouble(0), (double) m.getAs("median"), 1e-9);
    assertEquals(exact.getLong(1), (long) m.getAs("events"));
  }
}
