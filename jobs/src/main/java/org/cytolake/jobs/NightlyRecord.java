package org.cytolake.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.cytolake.tables.RunRecord;
import org.cytolake.tables.TableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a nightly run is recorded when it ends, whatever its outcome: its summary, a row of the
 * {@code runs} table ({@link RunRecord}) and its HTML page written again from that summary.
 */
final class NightlyRecord {
  private static final Logger LOG = LoggerFactory.getLogger(NightlyJob.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private NightlyRecord() {}

  /**
   * Records the run: its summary ({@code _runs/<run>/nightly.json}) and its {@code runs} row
   * ({@link RunRecord}); returns its result.
   */
  static NightlyJob.Result finish(
      NightlyRun night, String status, String failedStep, String message, String html)
      throws IOException {
    RunContext ctx = night.ctx();
    String report = night.writeSummary(status, failedStep, message);
    Instant end = Instant.now();
    List<NightlyJob.Step> steps = night.steps();
    Map<String, Long> counts = night.counts();
    List<String> warnings = night.warnings();
    NightlyJob.Result r =
        new NightlyJob.Result(
            ctx.runId(),
            status,
            ctx.run().startedAt(),
            end,
            List.copyOf(steps),
            Map.copyOf(counts),
            List.copyOf(warnings),
            failedStep,
            message,
            report,
            html);
    TableSchema contract = ctx.lake().schema("runs");
    Row row =
        RowFactory.create(
            RunRecord.row(
                r.runId(),
                r.startedAt(),
                end,
                status,
                failedStep,
                message,
                JSON.writeValueAsString(steps),
                counts,
                warnings,
                report));
    ctx.lake()
        .write(
            ctx.spark().createDataFrame(List.of(row), contract.sparkSchema()).coalesce(1),
            contract,
            SaveMode.Append);
    LOG.info(
        "nightly {}: {} in {} s; steps {}; counts {}; report {}{}",
        r.runId(),
        status,
        Duration.between(r.startedAt(), end).toMillis() / 1000.0,
        steps.stream().map(s -> s.name() + "=" + s.status()).toList(),
        new TreeMap<>(counts),
        report,
        html == null ? "" : "; HTML report " + html);
    return r;
  }

  /**
   * Writes the run's HTML page from its final {@code nightly.json}, so the page shows the outcome
   * and warnings as recorded (a status other than succeeded opens it with a banner): the report
   * step rendered it while the run was still in progress. A run that failed before its report
   * step gets a page too when the lake can still be read. Never throws: the run is recorded.
   */
  static void showOutcome(NightlyRun night, String summary) {
    try {
      ReportJob.Page p = night.page() != null ? night.page() : ReportJob.build(night.ctx(), null);
      ReportJob.write(night.ctx().spark(), p, summary);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "nightly {}: the report page does not show the run's outcome: {}",
          night.ctx().runId(),
          e.toString());
    }
  }
}
