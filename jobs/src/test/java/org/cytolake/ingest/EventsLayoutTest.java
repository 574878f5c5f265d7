package org.cytolake.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cytolake.config.VisitSchedule;
import org.junit.jupiter.api.Test;

/** The events tables' file layout, and which input files ingest reads. */
class EventsLayoutTest {
  @Test
  void fewerLargerFilesButNeverFewerTasksThanCoresNorMoreThanReadTasks() {
    assertEquals(4, EventsLayout.writeTasks(40, 4, 1_000, 5_000_000));
    assertEquals(7, EventsLayout.writeTasks(40, 4, 30_000_001, 5_000_000));
    assertEquals(3, EventsLayout.writeTasks(3, 4, 30_000_001, 5_000_000));
  }

  @Test
  void upToFourInspectionTasksPerCoreButNeverMoreThanFiles() {
    assertEquals(1, FileCheck.inspectTasks(0, 4));
    assertEquals(3, FileCheck.inspectTasks(3, 4));
    assertEquals(16, FileCheck.inspectTasks(100, 4));
  }

  @Test
  void oneOpenWriterPerVisitAndNoDictionaryForMarkerColumns() {
    assertEquals(1, EventsLayout.concurrentWriters(new VisitSchedule("D1", List.of())));
    assertEquals(
        IngestPlanTest.CONFIG.visits().visits().size(),
        EventsLayout.concurrentWriters(IngestPlanTest.CONFIG.visits()));
    assertEquals(
        IngestPlanTest.P1.columns().size(), EventsLayout.parquetOptions(IngestPlanTest.P1).size());
    assertEquals(
        "false",
        EventsLayout.parquetOptions(IngestPlanTest.P1).get("parquet.enable.dictionary#cd45ra"));
  }

  @Test
  void ingestReadsFcsAndLmdFilesAndNamesThemRelativeToTheInput() {
    assertTrue(InputFile.isFcs("A.FCS"));
    assertTrue(InputFile.isFcs("run.lmd"));
    assertFalse(InputFile.isFcs("manifest.csv"));
    assertEquals("fcs/a.fcs", InputFile.relative("hdfs://nn/raw", "hdfs://nn/raw/fcs/a.fcs"));
    assertEquals("fcs/a.fcs", InputFile.relative("file:/raw/", "file:/raw/fcs/a.fcs"));
    assertEquals("file:/other/a.fcs", InputFile.relative("file:/raw", "file:/other/a.fcs"));
  }
}
