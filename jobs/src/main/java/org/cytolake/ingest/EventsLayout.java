package org.cytolake.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cytolake.config.PanelConfig;
import org.cytolake.config.VisitSchedule;

/** How ingest lays out the Parquet files of an {@code events_<panel>} table. */
public final class EventsLayout {
  private EventsLayout() {}

  /**
   * Tasks that write the events: fewer, larger files than one per read task (each file up to
   * {@code maxRecordsPerFile} rows), but never fewer tasks than cores, nor more than read tasks.
   */
  public static int writeTasks(int readTasks, int cores, long events, long maxRecordsPerFile) {
    return (int)
        Math.min(readTasks, Math.max(cores, (events + maxRecordsPerFile - 1) / maxRecordsPerFile));
  }

  /**
   * Parquet writers a task keeps open: one per visit partition it meets, instead of sorting its
   * rows by visit first.
   */
  public static int concurrentWriters(VisitSchedule visits) {
    return Math.max(1, visits.visits().size());
  }

  /**
   * Parquet options of the events tables: no dictionary for the float columns (continuous values
   * never fit one; trying costs time), dictionary for the sample and visit columns.
   */
  public static Map<String, String> parquetOptions(PanelConfig panel) {
    Map<String, String> o = new LinkedHashMap<>();
    for (String c : panel.columns()) {
      o.put("parquet.enable.dictionary#" + c, "false");
    }
    return o;
  }
}
