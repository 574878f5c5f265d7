package org.cytolake.tables;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One rejected input, as a row of the {@code quarantine} table (without run id and time, which
 * the job adds): the dead letter that keeps what was rejected and why.
 *
 * @param job the job that rejected it
 * @param source file relative to the input root
 * @param locator where in the source ("file", "byte 5912", "line 17", "manifest line 4")
 * @param reasonCode the {@link QuarantineReason#code()} of a reason, e.g. {@code TRUNCATED_DATA}
 * @param message human-readable reason naming the field and the value
 * @param field offending field or keyword, or null
 * @param value offending value, or null
 * @param events events of a rejected FCS file (reconciliation), or null
 * @param record the original record for rejected rows, or null
 */
public record QuarantineRecord(
    String job,
    String source,
    String locator,
    String reasonCode,
    String message,
    String field,
    String value,
    Long events,
    String record) {
  public QuarantineRecord {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(locator, "locator");
    Objects.requireNonNull(reasonCode, "reasonCode");
    Objects.requireNonNull(message, "message");
  }

  /** A record for one of the {@link QuarantineReason}s (how the jobs make them). */
  public QuarantineRecord(
      String job,
      String source,
      String locator,
      QuarantineReason reason,
      String message,
      String field,
      String value,
      Long events,
      String record) {
    this(job, source, locator, reason.code(), message, field, value, events, record);
  }

  /**
   * The rows of {@code records} in the {@code quarantine} contract's column order, each value
   * placed by its column's name ({@link RowShape}); fails naming the columns when the contract and
   * the record disagree.
   *
   * @param producer who writes them, for the error message
   * @param runId the run id recorded with a record (the run that first saw it)
   * @param detectedAt the time recorded with a record
   */
  public static List<Object[]> rows(
      String producer,
      TableSchema contract,
      List<QuarantineRecord> records,
      Function<QuarantineRecord, String> runId,
      Function<QuarantineRecord, java.sql.Timestamp> detectedAt) {
    return RowShape.<QuarantineRecord>of(
            producer,
            q ->
                new Object[] {
                  runId.apply(q),
                  q.job(),
                  q.source(),
                  q.locator(),
                  q.reasonCode(),
                  q.message(),
                  q.field(),
                  q.value(),
                  q.events(),
                  q.record(),
                  detectedAt.apply(q)
                },
            "run_id",
            "job",
            "source",
            "locator",
            "reason_code",
            "message",
            "field",
            "value",
            "events",
            "record",
            "detected_at")
        .rows(contract, records);
  }
}
