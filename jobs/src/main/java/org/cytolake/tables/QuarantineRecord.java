package org.cytolake.tables;

import java.util.Objects;

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
}
