package org.cytolake.jobs;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.cytolake.config.Settings;
import org.cytolake.ingest.QuarantineLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one nightly run has gathered so far, handed from step to step: the run context, the
 * input, counts and warnings for the run's record, the quarantined shares of the input, the
 * samples the lake holds after ingest, and the outcome ({@code succeeded} or {@code degraded})
 * the run will have if no step fails.
 */
final class NightlyRun {
  private static final Logger LOG = LoggerFactory.getLogger(NightlyJob.class);
  private static final String SALT_WARNING =
      "pseudonyms use the development salt (set the salt "
          + "environment variable for real patient data)";

  private final RunContext ctx;
  private final String input;
  private final String given;
  private final String manifest;
  private final boolean full;
  private final List<NightlyJob.Step> steps = new ArrayList<>();
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<QuarantineLimit.Share> shares = new ArrayList<>();
  private final Map<String, Long> reasons = new TreeMap<>();
  private Map<String, String> samples;
  private Map<String, String> contents;
  private String outcome = "succeeded";
  private ReportJob.Page page;

  NightlyRun(RunContext ctx, String input, String manifest, boolean full) {
    this.ctx = ctx;
    this.full = full;
    this.given = input;
    this.input = input.replaceAll("/+$", "");
    this.manifest = manifest != null ? manifest : this.input + "/manifest.csv";
  }

  RunContext ctx() {
    return ctx;
  }

  /** The input directory, without a trailing slash. */
  String input() {
    return input;
  }

  /** The sample manifest. */
  String manifest() {
    return manifest;
  }

  /** The steps done so far, skipped ones included. */
  List<NightlyJob.Step> steps() {
    return steps;
  }

  Map<String, Long> counts() {
    return counts;
  }

  List<String> warnings() {
    return warnings;
  }

  /** Records that pseudonyms used the development salt (one warning per run). */
  void developmentSalt() {
    if (!warnings.contains(SALT_WARNING)) {
      warnings.add(SALT_WARNING);
    }
  }

  /** Adds a quarantined share of the input and its rejections by reason. */
  void quarantined(QuarantineLimit.Share share, Map<String, Long> byReason) {
    shares.add(share);
    byReason.forEach((k, v) -> reasons.merge(k, v, Long::sum));
  }

  /**
   * After the last ingest step: marks the run degraded when the quarantined share exceeds
   * {@code ingest.max-quarantined-fraction}, and reads what the lake's samples are now ({@link
   * #readSamples}).
   */
  void ingested() {
    QuarantineLimit limit =
        new QuarantineLimit(
            ctx.config().settings().getDouble(Settings.INGEST_MAX_QUARANTINED_FRACTION));
    limit
        .exceeded(shares, reasons)
        .ifPresent(
            degraded -> {
              LOG.warn("nightly {}: DEGRADED: {}", ctx.runId(), degraded);
              warnings.add(0, "DEGRADED: " + degraded);
              outcome = "degraded";
            });
    readSamples();
  }

  /**
   * Reads what the lake's samples are now: sample id → identity, the content hash, and for a
   * sample normalised between batches also the key of its batch's spline ({@code
   * normalisation_samples.model_key}). Gating and clustering compare it with what they last
   * completed, so a sample whose file or normalisation changed is done again, and work a killed
   * run left is done now. The normalise step reads it again after it ran.
   */
  void readSamples() {
    samples = new TreeMap<>();
    if (ctx.lake().exists(ctx.spark(), "samples")) {
      for (Row r :
          ctx.lake().read(ctx.spark(), "samples").select("sample_id", "sha256").collectAsList()) {
        samples.put(r.getString(0), r.getString(1));
      }
    }
    contents = Map.copyOf(samples);
    if (ctx.lake().exists(ctx.spark(), NormaliseFrames.SAMPLES)) {
      for (Row r :
          ctx.lake()
              .read(ctx.spark(), NormaliseFrames.SAMPLES)
              .where(org.apache.spark.sql.functions.col("model_key").isNotNull())
              .select("sample_id", "model_key")
              .collectAsList()) {
        samples.computeIfPresent(r.getString(0), (id, sha) -> sha + "+norm:" + r.getString(1));
      }
    }
  }

  /** The lake's samples after ingest: sample id → content hash (without normalisation keys). */
  Map<String, String> contents() {
    if (contents == null) {
      throw new IllegalStateException("the lake's samples are read after the ingest steps");
    }
    return contents;
  }

  /** The lake's samples after ingest: sample id → identity ({@link #readSamples}). */
  Map<String, String> samples() {
    if (samples == null) {
      throw new IllegalStateException("the lake's samples are read after the ingest steps");
    }
    return samples;
  }

  /** {@code succeeded} or {@code degraded}: the outcome the run has if no step fails. */
  String outcome() {
    return outcome;
  }

  /** The report step's page, or null before it. */
  ReportJob.Page page() {
    return page;
  }

  void page(ReportJob.Page page) {
    this.page = page;
  }

  /**
   * Writes the run's summary, {@code _runs/<run>/nightly.json}: while the run is still going (for
   * its HTML report) and when it ends.
   *
   * @param status the run's status
   * @param failedStep the step that failed, or null
   * @param message why it failed, or null
   * @return the summary's path
   */
  String writeSummary(String status, String failedStep, String message) throws IOException {
    Instant end = Instant.now();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("run_id", ctx.runId());
    doc.put("status", status);
    doc.put("started_at", ctx.run().startedAt().toString());
    doc.put("finished_at", "running".equals(status) ? null : end.toString());
    doc.put("seconds", Duration.between(ctx.run().startedAt(), end).toMillis() / 1000.0);
    doc.put("failed_step", failedStep);
    doc.put("message", message);
    doc.put("input", given);
    doc.put("full", full);
    doc.put("steps", steps);
    doc.put("counts", new TreeMap<>(counts));
    doc.put("warnings", warnings);
    return ctx.writeRunSummary("nightly", doc);
  }
}
