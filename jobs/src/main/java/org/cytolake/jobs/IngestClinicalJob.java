package org.cytolake.jobs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.clinical.ClinicalBatch;
import org.cytolake.clinical.ClinicalDomain;
import org.cytolake.clinical.ClinicalInputException;
import org.cytolake.clinical.ClinicalRows;
import org.cytolake.clinical.ClinicalValidator;
import org.cytolake.clinical.DomainCount;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.Settings;
import org.cytolake.lake.Lake;
import org.cytolake.tables.Pseudonymizer;
import org.cytolake.tables.TableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ingest-clinical}: SDTM-like clinical files (DM, SV, EX, QS, LB, AE as CSV or JSON lines)
 * into the lake tables {@code patients}, {@code visits}, {@code dosing}, {@code disease_scores},
 * {@code labs} and {@code adverse_events}, pseudonymised, with every rejected record in the
 * {@code quarantine} partition {@code job=ingest-clinical}. The records are few, so they are
 * parsed and validated on the driver by {@link ClinicalValidator}; Spark writes the tables.
 *
 * <p>Idempotent: each run replaces the six tables and this job's quarantine partition. Counts
 * reconcile (records in = accepted + rejected per domain; accepted = rows written) or the run
 * fails; they are logged and written to {@code <lake>/_runs/<run id>/ingest-clinical.json}.
 */
public final class IngestClinicalJob {
  /** The job's name (quarantine partition, run summary file). */
  public static final String JOB = ClinicalValidator.JOB;

  private static final Logger LOG = LoggerFactory.getLogger(IngestClinicalJob.class);

  private IngestClinicalJob() {}

  /** Runs the job; tests call this directly. */
  public static IngestClinicalResult run(SparkSession spark, IngestClinicalOptions options) {
    step(spark, "1. load configuration and table contracts");
    return run(
        RunContext.open(
            spark, options.lake(), options.confDir(), options.schemasDir(), options.runId()),
        options.input());
  }

  /**
   * Ingests within a run.
   *
   * @param input directory (any Hadoop path) of the clinical CSV/JSON files
   */
  public static IngestClinicalResult run(RunContext ctx, String input) {
    try {
      return new Steps(ctx, input).execute();
    } finally {
      ctx.spark().sparkContext().setJobDescription(null);
    }
  }

  private static void step(SparkSession spark, String description) {
    spark.sparkContext().setJobDescription(JOB + ": " + description);
    LOG.info("{}: {}", JOB, description);
  }

  /** The numbered steps of one run. */
  private static final class Steps {
    private final RunContext ctx;
    private final SparkSession spark;
    private final String input;
    private final JobRun run;
    private final Lake lake;

    Steps(RunContext ctx, String input) {
      this.ctx = ctx;
      this.spark = ctx.spark();
      this.input = input;
      this.run = ctx.run();
      this.lake = ctx.lake();
    }

    IngestClinicalResult execute() {
      CytolakeConfig config = ctx.config();
      Map<ClinicalDomain, TableSchema> contracts = new LinkedHashMap<>();
      for (ClinicalDomain d : ClinicalDomain.values()) {
        contracts.put(d, lake.schema(d.table()));
      }
      String saltEnv = config.settings().get(Settings.PSEUDONYM_SALT_ENV);
      Pseudonymizer pseudonymizer = Pseudonymizer.fromEnvironment(saltEnv);
      if (pseudonymizer.isDevelopmentSalt()) {
        LOG.warn(
            "{}: environment variable {} is not set, so pseudonyms use the development salt:"
                + " they are not secret; never run on real patient data like this",
            JOB,
            saltEnv);
      }

      step("2. parse and validate clinical records in " + input);
      ClinicalBatch batch = new ClinicalValidator(config.visits(), pseudonymizer).validate(input());
      for (DomainCount c : batch.counts()) {
        if (!c.present()) {
          LOG.warn("{}: {}", JOB, c.summary());
        }
        if (!c.extraColumns().isEmpty()) {
          LOG.info(
              "{}: {}: ignoring columns {} (not used by {})",
              JOB,
              c.source(),
              c.extraColumns(),
              JOB);
        }
      }

      step("3. write the clinical tables");
      Map<ClinicalDomain, Long> written = new LinkedHashMap<>();
      for (ClinicalDomain d : ClinicalDomain.values()) {
        TableSchema contract = contracts.get(d);
        List<Row> rows =
            ClinicalRows.rows(d, batch, contract).stream().map(RowFactory::create).toList();
        written.put(
            d,
            write(
                spark.createDataFrame(rows, contract.sparkSchema()).coalesce(1),
                contract,
                rows.size()));
      }

      step("4. replace the quarantine partition job=" + JOB);
      long quarantined =
          lake.replaceQuarantine(
              spark, JOB, run.quarantineRows(lake.schema(Lake.QUARANTINE), batch.quarantine()));

      step("5. reconcile and write the run summary");
      ClinicalRows.checkWritten(batch, written, quarantined);
      batch.counts().forEach(c -> LOG.info("{}: {}", JOB, c.summary()));
      String summaryPath = lake.runSummary(run.runId(), JOB);
      IngestClinicalResult result =
          new IngestClinicalResult(
              run.runId(),
              batch.counts(),
              batch.rejectedByReason(),
              quarantined,
              pseudonymizer.isDevelopmentSalt(),
              summaryPath);
      writeSummary(result);
      LOG.info(
          "{}: run {}: {} records in = {} accepted + {} rejected; summary {}",
          JOB,
          run.runId(),
          result.recordsIn(),
          result.accepted(),
          result.rejected(),
          summaryPath);
      return result;
    }

    private void step(String description) {
      IngestClinicalJob.step(spark, description);
    }

    private HadoopClinicalInput input() {
      try {
        HadoopClinicalInput in = new HadoopClinicalInput(input, ctx.hadoopConf());
        if (!in.exists()) {
          throw new ClinicalInputException(
              "Cannot ingest clinical records: input directory " + input + " does not exist");
        }
        return in;
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot open clinical input " + input, e);
      }
    }

    /** Writes {@code data}, counting its rows as they pass; an empty table has none to count. */
    private long write(Dataset<Row> data, TableSchema contract, int expected) {
      if (expected == 0) {
        lake.write(data, contract, SaveMode.Overwrite);
        return 0;
      }
      Observation rows = new Observation(JOB + "-" + contract.table());
      lake.write(
          data.observe(rows, functions.count(functions.lit(1)).as("n")),
          contract,
          SaveMode.Overwrite);
      try {
        return ((Number) rows.getAsJava().get("n")).longValue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(
            "Interrupted while counting the rows of " + contract.table(), e);
      }
    }

    private void writeSummary(IngestClinicalResult result) {
      JsonNodeFactory f = JsonNodeFactory.instance;
      ObjectNode o = f.objectNode();
      o.put("job", JOB);
      o.put("run_id", result.runId());
      o.put("started_at", run.startedAt().toString());
      o.put("finished_at", Instant.now().toString());
      o.put("status", "succeeded");
      o.put("input", input);
      o.put("lake", lake.root());
      o.put("development_salt", result.developmentSalt());
      o.put("records_in", result.recordsIn());
      o.put("accepted", result.accepted());
      o.put("rejected", result.rejected());
      o.put("quarantine_rows", result.quarantineRows());
      ArrayNode domains = o.putArray("domains");
      for (DomainCount c : result.domains()) {
        ObjectNode d = domains.addObject();
        d.put("domain", c.domain().name());
        d.put("source", c.source());
        d.put("table", c.domain().table());
        d.put("present", c.present());
        d.put("records_in", c.recordsIn());
        d.put("accepted", c.accepted());
        d.put("rejected", c.rejected());
        d.put("quarantine_rows", c.quarantineRows());
        ArrayNode extra = d.putArray("ignored_columns");
        c.extraColumns().forEach(extra::add);
      }
      ObjectNode reasons = o.putObject("rejected_by_reason");
      new java.util.TreeMap<>(result.rejectedByReason()).forEach(reasons::put);
      try {
        ctx.writeRunSummary(JOB, o);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write run summary " + result.summaryPath(), e);
      }
    }
  }
}
