package org.cytolake.tables;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One nightly run as a row of the {@code runs} table ({@code schemas/runs.schema.json}): its
 * outcome, its steps (as JSON), its counts and its warnings.
 */
public final class RunRecord {
  private RunRecord() {}

  /** The counts of the {@code runs} table, in its column order; a count the run lacks is 0. */
  public static final List<String> COUNTS =
      List.of(
          "files_in",
          "files_unchanged",
          "files_quarantined",
          "samples_written",
          "samples_removed",
          "events_in",
          "events_written",
          "events_unchanged",
          "events_quarantined",
          "records_in",
          "records_written",
          "records_quarantined");

  /**
   * The row, in the contract's column order.
   *
   * @param failedStep the step that failed, or null
   * @param message why it failed, or null
   * @param steps the steps as JSON
   * @param warnings one line each
   * @param report the path of the run's summary
   */
  public static Object[] row(
      String runId,
      Instant startedAt,
      Instant finishedAt,
      String status,
      String failedStep,
      String message,
      String steps,
      Map<String, Long> counts,
      List<String> warnings,
      String report) {
    List<Object> row = new ArrayList<>();
    row.add(runId);
    row.add(Timestamp.from(startedAt));
    row.add(Timestamp.from(finishedAt));
    row.add(status);
    row.add(failedStep);
    row.add(message);
    row.add(steps);
    COUNTS.forEach(c -> row.add(counts.getOrDefault(c, 0L)));
    row.add(String.join("\n", warnings));
    row.add(report);
    return row.toArray();
  }
}
