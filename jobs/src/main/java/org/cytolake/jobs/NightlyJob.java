package org.cytolake.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.cytolake.ingest.QuarantineLimit;
import org.cytolake.lake.Lake;
import org.cytolake.lake.LakeLock;
import org.cytolake.lake.LakeState;
import org.cytolake.lake.TablePublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly run: every job in order, as one Spark application, incremental and idempotent.
 *
 * <ol>
 *   <li>Take the lake's lock ({@link LakeLock}) and roll forward any publication a killed run left
 *       unfinished ({@link TablePublisher#recover}).
 *   <li>{@code ingest-clinical}, when the clinical files or the configuration changed since the
 *       last completed run (clinical tables are small: they are rebuilt whole). It runs before
 *       FCS ingest so that FCS files of unknown patients are caught.
 *   <li>{@code ingest-fcs}, incremental: files whose path, size and modification time (else
 *       SHA-256) match the ledger are not read again; only new or changed samples' events
 *       partitions are written; samples the input no longer yields are removed.
 *   <li>{@code gate}: only the new or changed samples (all of them when the gating strategies
 *       changed); the other samples' rows are kept.
 *   <li>{@code cluster}: when any panel's events changed or conf/clustering.yaml did (the model is
 *       refitted on the whole panel; deterministic for the seed).
 *   <li>{@code aggregate}: when clinical tables, populations or clusters changed, or its conf.
 *   <li>{@code report}: the HTML report of the run, every run.
 *   <li>Record the run: a {@code runs} row and {@code _runs/<run>/nightly.json}; then the HTML
 *       page is written again from that final summary, so it shows the run's outcome.
 * </ol>
 *
 * <p>Steps 2-7 are {@link NightlySteps}, each declaring its fingerprint (what its result depends
 * on) and output; this class is the loop over them: a step whose fingerprint is the one it
 * recorded when it last completed, and whose output exists, is skipped.
 *
 * <p>Every table write is staged and published atomically per table or partition
 * ({@link Lake#write}); a step records what it completed in {@link LakeState} only after its
 * tables are published, so a run killed anywhere is completed by the next one.
 *
 * <p>Outcome: {@code succeeded}; {@code degraded} when the quarantined share of input files, FCS
 * events or clinical records exceeds {@code ingest.max-quarantined-fraction} ({@link
 * QuarantineLimit}: every step still runs on what was accepted, and the first warning says what
 * was rejected and why); {@code failed} when a step failed. Every outcome is recorded.
 */
public final class NightlyJob {
  private static final Logger LOG = LoggerFactory.getLogger(NightlyJob.class);

  /** Steps in order. */
  public static final List<String> STEPS =
      NightlySteps.all().stream().map(NightlyStep::name).toList();

  /**
   * Options of a nightly run.
   *
   * @param input directory with {@code clinical/} (CSV/JSON), FCS files anywhere below it and
   *     {@code manifest.csv} (unless {@code manifest} is given)
   * @param manifest sample manifest, or null for {@code <input>/manifest.csv}
   * @param full ignore the incremental state: recompute every step
   * @param lockStale a lock not touched for this long is taken over
   */
  public record Options(
      String input,
      String manifest,
      String lake,
      Path conf,
      Path schemas,
      String runId,
      boolean full,
      Duration lockStale) {}

  /** One step of the run. */
  public record Step(String name, String status, double seconds, Map<String, Object> detail) {}

  /** What the run did. */
  public record Result(
      String runId,
      String status,
      Instant startedAt,
      Instant finishedAt,
      List<Step> steps,
      Map<String, Long> counts,
      List<String> warnings,
      String failedStep,
      String message,
      String reportPath,
      String htmlReport) {}

  private NightlyJob() {}

  public static Result run(SparkSession spark, Options o) throws IOException {
    RunContext ctx = RunContext.openChecked(spark, o.lake(), o.conf(), o.schemas(), o.runId());
    Lake lake = ctx.lake();
    // Refuses, before anything is read or locked, a lake whose file system cannot publish
    // atomically (unless conf accepts it).
    lake.publisher(spark);
    NightlyRun night = new NightlyRun(ctx, o.input(), o.manifest(), o.full());
    String current = "lock";
    String html = null;
    LOG.info(
        "nightly {}: input {}, lake {}{}",
        ctx.runId(),
        o.input(),
        o.lake(),
        o.full() ? " (full: incremental state ignored)" : "");
    try (LakeLock lock = lake.lock(ctx.hadoopConf(), ctx.runId(), o.lockStale())) {
      Result result;
      try {
        int recovered = lake.publisher(spark).recover();
        if (recovered > 0) {
          night
              .warnings()
              .add(
                  "rolled forward "
                      + recovered
                      + " publication(s) left unfinished "
                      + "by a stopped run");
        }
        LakeState state = lake.state(ctx.hadoopConf());
        List<NightlyStep> steps = NightlySteps.all();
        if (o.full()) {
          for (NightlyStep s : steps) {
            state.clear(s.name());
            for (String own : s.ownState()) {
              state.clear(own);
            }
          }
        }
        boolean ingested = false;
        for (NightlyStep step : steps) {
          if (!ingested && !step.ingests()) {
            night.ingested();
            ingested = true;
          }
          current = step.name();
          night.steps().add(run(night, state, step));
          if (step instanceof NightlySteps.Report && night.page() != null) {
            html = night.page().path();
          }
        }
        current = null;
        result = NightlyRecord.finish(night, night.outcome(), null, null, html);
        NightlyRecord.showOutcome(night, result.reportPath());
      } catch (IOException | RuntimeException e) {
        String failed = current;
        String message = failed + " failed: " + e.getMessage();
        LOG.error("nightly {}: step {} failed", ctx.runId(), failed, e);
        try {
          Result r = NightlyRecord.finish(night, "failed", failed, message, html);
          NightlyRecord.showOutcome(night, r.reportPath());
        } catch (IOException | RuntimeException e2) {
          e.addSuppressed(e2);
        }
        throw new NightlyFailedException(ctx.runId(), failed, message, e);
      }
      return result;
    }
  }

  /**
   * Runs one step, or skips it: when it needs samples and the lake has none, or when it says so
   * (its fingerprint and output unchanged); records its state after it completed.
   */
  private static Step run(NightlyRun night, LakeState state, NightlyStep step) throws IOException {
    String name = step.name();
    if (step.needsSamples() && night.samples().isEmpty()) {
      return skipped(name, "no samples in the lake");
    }
    Map<String, Object> last = state.read(name);
    String print = step.fingerprint(night);
    RunContext ctx = night.ctx();
    boolean changed =
        NightlyStep.changed(
            print, last, step.output() != null && !ctx.lake().exists(ctx.spark(), step.output()));
    var skip = step.skip(night, last, changed);
    if (skip.isPresent()) {
      step.skipped(night, last);
      return skipped(name, skip.get());
    }
    long t0 = System.nanoTime();
    LOG.info("nightly {}: step {} started", ctx.runId(), name);
    ctx.spark()
        .sparkContext()
        .setJobGroup("cytolake-nightly", "nightly " + ctx.runId() + ": " + name, false);
    NightlyStep.Ran ran = step.run(night, last, changed);
    if (print != null) {
      state.write(name, NightlyStep.completed(ran.state(), print, ctx.runId()));
    }
    double s = (System.nanoTime() - t0) / 1e9;
    LOG.info(
        "nightly step {} done in {} s: {}",
        name,
        String.format(Locale.ROOT, "%.1f", s),
        ran.detail());
    return new Step(name, "ran", Math.round(s * 1000) / 1000.0, ran.detail());
  }

  private static Step skipped(String name, String why) {
    LOG.info("nightly step {} skipped: {}", name, why);
    return new Step(name, "skipped", 0, Map.of("reason", why));
  }

  /** A failed run: the step that failed and why. */
  public static final class NightlyFailedException extends RuntimeException {
    private final String runId;
    private final String step;

    NightlyFailedException(String runId, String step, String message, Throwable cause) {
      super("nightly run " + runId + " failed: " + message, cause);
      this.runId = runId;
      this.step = step;
    }

    public String runId() {
      return runId;
    }

    public String step() {
      return step;
    }
  }
}
