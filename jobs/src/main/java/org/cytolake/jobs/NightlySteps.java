package org.cytolake.jobs;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.cytolake.config.Settings;

/**
 * The steps of the nightly run, in order, each declaring what it reads (its fingerprint) and
 * what it writes (the table that must exist for it to be skipped). {@link NightlyJob} runs them.
 * The ingest steps are {@link NightlyIngestSteps}, gate, cluster and aggregate {@link
 * NightlyAnalysisSteps}; qc and report, which run every night, are here.
 */
final class NightlySteps {
  private NightlySteps() {}

  /** The steps in order. */
  static List<NightlyStep> all() {
    return List.of(
        new NightlyIngestSteps.Clinical(),
        new NightlyIngestSteps.Fcs(),
        new Qc(),
        new NightlyAnalysisSteps.Normalise(),
        new NightlyAnalysisSteps.Gate(),
        new NightlyAnalysisSteps.Cluster(),
        new NightlyAnalysisSteps.Aggregate(),
        new Report());
  }

  /**
   * A step's declaration: its name, whether it reads the run's input, whether it needs samples in
   * the lake, and the table that must exist for it to be skipped.
   */
  abstract static class Declared implements NightlyStep {
    private final String name;
    private final boolean ingests;
    private final boolean needsSamples;
    private final String output;

    Declared(String name, boolean ingests, boolean needsSamples, String output) {
      this.name = name;
      this.ingests = ingests;
      this.needsSamples = needsSamples;
      this.output = output;
    }

    @Override
    public final String name() {
      return name;
    }

    @Override
    public final boolean ingests() {
      return ingests;
    }

    @Override
    public final boolean needsSamples() {
      return needsSamples;
    }

    @Override
    public final String output() {
      return output;
    }
  }

  /** Skipped when the fingerprint and the output are what they were. */
  static Optional<String> unless(boolean changed, String why) {
    return changed ? Optional.empty() : Optional.of(why);
  }

  /** {@code report}: the HTML report of this run, every night (it is per run, not a table). */
  static final class Report extends Declared {
    Report() {
      super("report", false, false, null);
    }

    @Override
    public Optional<String> skip(NightlyRun night, Map<String, Object> last, boolean changed) {
      return Optional.empty();
    }

    @Override
    public Ran run(NightlyRun night, Map<String, Object> last, boolean changed) throws IOException {
      // The report shows the outcome the run will have if the report itself succeeds.
      String summary = night.writeSummary(night.outcome(), null, null);
      ReportJob.Page page = ReportJob.build(night.ctx(), summary);
      night.page(page);
      ReportJob.Result rep = ReportJob.write(night.ctx().spark(), page);
      return new Ran(Map.of("page", rep.path()));
    }
  }

  /**
   * {@code qc}: what acquisition QC found in the lake's samples ({@code sample_qc}, written by
   * ingest-fcs for new or changed files): samples by status, events flagged by reason, and one
   * warning of the run per sample whose flagged share exceeds {@code qc.warn-share}. It reads one
   * small table, so it runs every night.
   */
  static final class Qc extends Declared {
    Qc() {
      super("qc", false, true, null);
    }

    @Override
    public Optional<String> skip(NightlyRun night, Map<String, Object> last, boolean changed) {
      return Optional.empty();
    }

    @Override
    public Ran run(NightlyRun night, Map<String, Object> last, boolean changed) {
      RunContext ctx = night.ctx();
      if (!ctx.lake().exists(ctx.spark(), IngestFcsJob.SAMPLE_QC)) {
        return new Ran(Map.of("samples", 0));
      }
      double warnShare = ctx.config().settings().getDouble(Settings.QC_WARN_SHARE);
      Map<String, Long> byStatus = new TreeMap<>();
      long events = 0;
      long flagged = 0;
      long flowRate = 0;
      long signal = 0;
      long margin = 0;
      int over = 0;
      List<Row> rows =
          ctx.lake()
              .read(ctx.spark(), IngestFcsJob.SAMPLE_QC)
              .orderBy("sample_id")
              .select(
                  "sample_id",
                  "status",
                  "events",
                  "flagged",
                  "flagged_share",
                  "flow_rate_events",
                  "signal_events",
                  "margin_events",
                  "segments")
              .collectAsList();
      for (Row r : rows) {
        byStatus.merge(r.getString(1), 1L, Long::sum);
        events += r.getLong(2);
        flagged += r.getLong(3);
        flowRate += r.getLong(5);
        signal += r.getLong(6);
        margin += r.getLong(7);
        if (r.getDouble(4) > warnShare) {
          over++;
          night
              .warnings()
              .add(
                  String.format(
                      java.util.Locale.ROOT,
                      "acquisition QC: sample %s has %.1f%% of its events flagged "
                          + "(flow rate %d, signal %d, margin %d; qc.warn-share %s)%s",
                      r.getString(0),
                      100 * r.getDouble(4),
                      r.getLong(5),
                      r.getLong(6),
                      r.getLong(7),
                      warnShare,
                      r.getString(8).isEmpty() ? "" : ": " + r.getString(8)));
        }
      }
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("samples", rows.size());
      detail.put("status", byStatus);
      detail.put("events", events);
      detail.put("events_flagged", flagged);
      detail.put("flow_rate_events", flowRate);
      detail.put("signal_events", signal);
      detail.put("margin_events", margin);
      detail.put("samples_over_warn_share", over);
      detail.put(
          "downstream",
          QcEvents.cleanOnly(ctx.config().settings()) ? "clean events" : "all events");
      return new Ran(detail);
    }
  }
}
