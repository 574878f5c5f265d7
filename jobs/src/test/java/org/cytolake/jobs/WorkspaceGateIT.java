package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.GatingConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.config.PanelGatingExport;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.GatingMlWriter;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.generate.SeparableSamples;
import org.cytolake.testing.Lakes;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gate} with a lab's own document as a panel's strategy: separable samples gated once with the
 * shipped {@code conf/gating/P1.yaml}, once with {@code conf/gating/P1.xml}, P1's Gating-ML export
 * on the FCS detectors (compensated with the file's spillover, fasinh), which the tasks read
 * through {@link GatingConfig#parse} as they read a FlowJo or FACSDiva workspace. The two {@code
 * populations} tables are equal row for row.
 */
class WorkspaceGateIT {
  @TempDir static Path dir;

  private static final String COLUMNS =
      "sample_id, population, population_name, parent, count, parent_count, total_count";

  private static List<String> p1Rows(SparkSession spark, Path lake) {
    return spark
        .read()
        .parquet(lake.resolve("populations").toString())
        .filter("panel = 'P1'")
        .selectExpr(COLUMNS.split(", "))
        .orderBy("sample_id", "population")
        .collectAsList()
        .stream()
        .map(Row::toString)
        .toList();
  }

  @Test
  void aGatingMlStrategyGatesTheLakeAsTheCompactOne() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Path home = SharedData.projectDir();
    Path lake = dir.resolve("lake");
    Lakes.ingestAndGate(spark, SeparableSamples.dir(), lake, "wsp");
    List<String> compact = p1Rows(spark, lake);

    Path conf = dir.resolve("conf");
    try (Stream<Path> files = Files.walk(home.resolve("conf"))) {
      for (Path f : files.toList()) {
        Path to = conf.resolve(home.resolve("conf").relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    CytolakeConfig config = CytolakeConfig.load(conf);
    PanelConfig p1 = config.panel("P1");
    GatingStrategy strategy = GatingConfig.load(config).strategies().get("P1");
    Set<String> spill =
        new TreeSet<>(
            EventTable.read(
                    SeparableSamples.dir().resolve("fcs/2015-05-29/TRANSREG-BEH-01_M6_P1.fcs"))
                .spillover()
                .channels());
    Files.delete(conf.resolve("gating/P1.yaml"));
    Files.writeString(
        conf.resolve("gating/P1.xml"),
        GatingMlWriter.toXml(PanelGatingExport.toDetectors(strategy, p1, spill)));

    GateJob.Result r =
        GateJob.run(
            spark,
            new GateJob.Options(lake.toString(), conf, home.resolve("schemas"), "wsp-xml-gate"));
    assertEquals(List.of("P1", "P2", "P3"), r.panels());
    List<String> xml = p1Rows(spark, lake);
    assertTrue(compact.size() > 100, "rows " + compact.size());
    assertEquals(compact, xml);
    assertTrue(
        xml.stream().anyMatch(x -> x.contains("cells/singlets/live/lymphocytes/T/CD4/Treg,Treg,")),
        xml.get(0));
  }
}
