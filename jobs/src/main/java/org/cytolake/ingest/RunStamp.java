package org.cytolake.ingest;

import java.sql.Timestamp;
import java.time.Instant;

/**
 * Which run wrote a row, and when: a row that an incremental run finds unchanged keeps the stamp
 * of the run that first wrote it, so re-running changes nothing.
 *
 * @param runId the run id
 * @param at the run's start
 */
public record RunStamp(String runId, Instant at) {
  /** {@link #at} as a table value. */
  public Timestamp timestamp() {
    return Timestamp.from(at);
  }
}
