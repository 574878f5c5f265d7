package org.cytolake.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.report.ReportModel.PrimaryPlot;
import org.cytolake.report.ReportModel.PrimaryPlot.SampleValue;
import org.cytolake.report.ReportModel.SampleEvents;
import org.cytolake.tables.Pseudonymizer;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How ReportJob shapes the lake's rows into the report's model, without Spark. */
class ReportShapingTest {
  static final Comparator<String> VISITS =
      org.cytolake.config.VisitSchedule.order(List.of("D1", "D8", "M6"));

  @Test
  void sampleWarningsAndOrder() {
    assertEquals(List.of(), SampleEvents.warnings(null));
    assertEquals(List.of(), SampleEvents.warnings("  "));
    assertEquals(
        List.of("TOT_MISMATCH", "label CD3 is CD4"),
        SampleEvents.warnings("TOT_MISMATCH;  label CD3 is CD4"));
    List<SampleEvents> s =
        new ArrayList<>(
            List.of(
                new SampleEvents("b", "P2", "D1", 1, List.of()),
                new SampleEvents("c", "P1", "M6", 1, List.of()),
                new SampleEvents("a", "P1", "M6", 1, List.of()),
                new SampleEvents("z", "P1", "D8", 1, List.of())));
    s.sort(SampleEvents.order(VISITS));
    assertEquals(List.of("z", "a", "c", "b"), s.stream().map(SampleEvents::sampleId).toList());
  }

  @Test
  void quarantineIsOrderedWithPositionsInNumericOrder() {
    Pseudonymizer keys = Pseudonymizer.withSalt("t");
    List<QuarantineEntry> q = new ArrayList<>();
    for (String locator : List.of("line 10", "line 9", "file")) {
      q.add(
          QuarantineEntry.sanitise(
              "ingest-clinical", "BAD_VALUE", "clinical/lb.csv", locator, "LBORRES", null, keys));
    }
    q.add(
        QuarantineEntry.sanitise(
            "ingest-clinical", "BAD_VALUE", "clinical/lb.csv", "not a position", null, null, keys));
    q.add(
        QuarantineEntry.sanitise(
            "ingest-clinical", "AAA", "clinical/lb.csv", "line 99", null, null, keys));
    q.sort(QuarantineEntry.ORDER);
    assertEquals(
        java.util.Arrays.asList("line 99", null, "file", "line 9", "line 10"),
        q.stream().map(QuarantineEntry::locator).toList());
  }

  @Test
  void thePrimaryPlotHasOneSeriesPerCohortOfThePopulationsValues() throws Exception {
    PrimaryPopulation treg = ReportRendererTest.treg();
    String path = treg.path();
    List<SampleValue> values =
        List.of(
            new SampleValue(path, "RA", "M6", 7),
            new SampleValue(path, "RA", "D1", 5),
            new SampleValue(path, "RA", "D1", 4),
            new SampleValue(path, null, "D8", 6),
            new SampleValue(path + "/x", "RA", "D8", 99),
            new SampleValue("cells/singlets", "AS", "D8", 99),
            new SampleValue(path, "AS", "X9", 3));
    PrimaryPlot plot = PrimaryPlot.of(treg, values, true, VISITS);
    assertEquals(
        List.of("AS", "RA", PrimaryPlot.UNKNOWN_COHORT),
        plot.series().stream().map(ReportModel.CohortSeries::cohort).toList());
    assertEquals(List.of(4.0, 5.0), plot.series().get(1).values("D1"));
    assertEquals(
        List.of("D1", "M6"),
        plot.series().get(1).points().stream().map(ReportModel.Point::visit).distinct().toList());
    assertEquals(List.of("D1", "D8", "M6", "X9"), plot.visits());
    assertEquals(treg, plot.population());

    PrimaryPlot all = PrimaryPlot.of(treg, values, false, VISITS);
    assertEquals(
        List.of(PrimaryPlot.ALL_PATIENTS),
        all.series().stream().map(ReportModel.CohortSeries::cohort).toList());
    assertEquals(5, all.series().get(0).points().size());
  }

  @Test
  void clusterMediansAreReadFromTheirJson() throws Exception {
    Map<String, Double> m =
        Heatmaps.ClusterMedians.parseMedians(
            "{\"cd3\": 1.5, \"cd4\": NaN, \"cd8\": null, \"x\": \"a\"}");
    assertEquals(List.of("cd3", "cd4", "cd8", "x"), List.copyOf(m.keySet()));
    assertEquals(1.5, m.get("cd3"));
    assertTrue(
        Double.isNaN(m.get("cd4")) && Double.isNaN(m.get("cd8")) && Double.isNaN(m.get("x")));
    assertEquals(Map.of(), Heatmaps.ClusterMedians.parseMedians(null));
    assertThrows(IOException.class, () -> Heatmaps.ClusterMedians.parseMedians("{oops"));
  }

  @Test
  void thePrimaryPopulationComesFromTheSettingsAndTheGatingStrategy(@TempDir Path dir)
      throws Exception {
    Path shipped = SharedData.projectDir().resolve("conf");
    PrimaryPopulation treg = PrimaryPopulation.of(CytolakeConfig.load(shipped));
    assertEquals(ReportRendererTest.treg().path(), treg.path());
    assertNull(treg.problem());

    for (String f : List.of("panels.yaml", "visits.yaml")) {
      Files.copy(shipped.resolve(f), dir.resolve(f));
    }
    Files.writeString(
        dir.resolve("cytolake.yaml"), "report.treg-panel: P2\n" + "report.treg-population: CD4\n");
    PrimaryPopulation none = PrimaryPopulation.of(CytolakeConfig.load(dir));
    assertEquals("P2", none.panel());
    assertEquals("CD4", none.name());
    assertEquals("panel P2 has no gating strategy (conf/gating/P2.yaml)", none.problem());

    Files.createDirectories(dir.resolve("gating"));
    Files.writeString(dir.resolve("gating/P2.yaml"), "gates: [oops\n");
    PrimaryPopulation broken = PrimaryPopulation.of(CytolakeConfig.load(dir));
    assertTrue(
        broken
            .problem()
            .startsWith(
                "panel P2 has no gating strategy (conf/gating/P2.yaml,"
                    + " which cannot be read: "),
        broken.problem());
  }
}
