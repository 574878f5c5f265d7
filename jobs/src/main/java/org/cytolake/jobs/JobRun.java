package org.cytolake.jobs;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.cytolake.tables.QuarantineRecord;
import org.cytolake.tables.RowShape;
import org.cytolake.tables.TableSchema;

/**
 * Identity and clock of one job run: a run id ({@code 20261125T120301Z-1a2b3c4d}), the start time,
 * and helpers that turn the run's small results into rows.
 */
public record JobRun(String runId, Instant startedAt) {
  private static final DateTimeFormatter ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** A new run starting now; {@code runId} may be given (the nightly run passes its own). */
  public static JobRun start(String runId) {
    Instant now = Instant.now();
    return new JobRun(
        runId != null ? runId : ID.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8),
        now);
  }

  public Timestamp timestamp() {
    return Timestamp.from(startedAt);
  }

  /** Quarantine rows of this run, shaped by the {@code quarantine} contract. */
  public Dataset<Row> quarantineRows(
      SparkSession spark, TableSchema contract, List<QuarantineRecord> records) {
    return spark.createDataFrame(quarantineRows(contract, records), contract.sparkSchema());
  }

  /**
   * Quarantine rows of this run in the {@code quarantine} contract's column order, each value
   * placed by its column's name ({@link RowShape}), so that a reordered contract moves the values
   * with their columns; fails naming the columns when the contract and the record disagree.
   */
  public List<Row> quarantineRows(TableSchema contract, List<QuarantineRecord> records) {
    Timestamp detectedAt = timestamp();
    return QuarantineRecord.rows("run " + runId, contract, records, q -> runId, q -> detectedAt)
        .stream()
        .map(RowFactory::create)
        .toList();
  }
}
