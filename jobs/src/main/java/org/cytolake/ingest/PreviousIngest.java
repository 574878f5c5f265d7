package org.cytolake.ingest;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cytolake.tables.QuarantineRecord;

/**
 * What the lake held before an incremental ingest-fcs run, from its own tables: the ledger by
 * path, the samples by id, and this job's quarantine rows by identity (the record without run id
 * and time). {@link #EMPTY} for a full run. Built from rows given as column → value maps, as any
 * table reader gives them.
 */
public record PreviousIngest(
    Map<String, LedgerRow> ledger,
    Map<String, SampleRow> samples,
    Map<QuarantineRecord, RunStamp> quarantine) {
  /** Nothing: every file is read, every row is stamped with this run. */
  public static final PreviousIngest EMPTY = new PreviousIngest(Map.of(), Map.of(), Map.of());

  public PreviousIngest {
    ledger = Map.copyOf(ledger);
    samples = Map.copyOf(samples);
    quarantine = Map.copyOf(quarantine);
  }

  /**
   * A row of {@code ingest_ledger}.
   *
   * @param entry the file's outcome in that run
   * @param modifiedAt the file's modification time then, or null
   * @param firstRunId run that first saw the file with this outcome
   * @param lastRunId the {@code last_run_id} recorded
   * @param lastSeenAt the {@code last_seen_at} recorded
   */
  public record LedgerRow(
      LedgerEntry entry,
      Instant modifiedAt,
      String firstRunId,
      String lastRunId,
      Instant lastSeenAt) {
    /** Whether {@code now} is the same outcome of the same bytes (its run stamps stay). */
    public boolean sameOutcome(LedgerEntry now) {
      return now.sha256().equals(entry.sha256())
          && now.outcome().equals(entry.outcome())
          && Objects.equals(now.sampleId(), entry.sampleId())
          && Objects.equals(now.reasonCode(), entry.reasonCode());
    }
  }

  /**
   * A row of {@code samples}, the columns an incremental run needs.
   *
   * @param sampleId sample id
   * @param panel panel code
   * @param visit visit code
   * @param ingested the run that ingested it ({@code ingest_run_id}, {@code ingested_at})
   */
  public record SampleRow(String sampleId, String panel, String visit, RunStamp ingested) {}

  /**
   * The lake's state from its rows.
   *
   * @param ledger rows of {@code ingest_ledger}
   * @param samples rows of {@code samples}
   * @param quarantine this job's rows of {@code quarantine}
   */
  public static PreviousIngest of(
      List<Map<String, Object>> ledger,
      List<Map<String, Object>> samples,
      List<Map<String, Object>> quarantine) {
    Map<String, LedgerRow> byPath = new HashMap<>();
    for (Map<String, Object> r : ledger) {
      LedgerEntry e =
          new LedgerEntry(
              (String) r.get("path"),
              ((Number) r.get("size")).longValue(),
              (String) r.get("sha256"),
              (String) r.get("sample_id"),
              (String) r.get("panel"),
              (String) r.get("outcome"),
              (String) r.get("reason_code"),
              (Long) r.get("events"));
      byPath.put(
          e.path(),
          new LedgerRow(
              e,
              instant(r.get("modified_at")),
              (String) r.get("first_run_id"),
              (String) r.get("last_run_id"),
              instant(r.get("last_seen_at"))));
    }
    Map<String, SampleRow> byId = new HashMap<>();
    for (Map<String, Object> r : samples) {
      String id = (String) r.get("sample_id");
      byId.put(
          id,
          new SampleRow(
              id,
              (String) r.get("panel"),
              (String) r.get("visit"),
              new RunStamp((String) r.get("ingest_run_id"), instant(r.get("ingested_at")))));
    }
    Map<QuarantineRecord, RunStamp> byRecord = new HashMap<>();
    for (Map<String, Object> r : quarantine) {
      byRecord.put(
          new QuarantineRecord(
              (String) r.get("job"),
              (String) r.get("source"),
              (String) r.get("locator"),
              (String) r.get("reason_code"),
              (String) r.get("message"),
              (String) r.get("field"),
              (String) r.get("value"),
              (Long) r.get("events"),
              (String) r.get("record")),
          new RunStamp((String) r.get("run_id"), instant(r.get("detected_at"))));
    }
    return new PreviousIngest(byPath, byId, byRecord);
  }

  /**
   * The SHA-256 the ledger holds for each file whose size and modification time are those it
   * recorded: such a file is not read again to hash it.
   */
  public Map<String, String> knownSha256(Collection<InputFile> files) {
    Map<String, String> known = new HashMap<>();
    for (InputFile f : files) {
      LedgerRow l = ledger.get(f.path());
      if (l != null
          && l.entry().size() == f.size()
          && l.modifiedAt() != null
          && l.modifiedAt().toEpochMilli() == f.modifiedAt()) {
        known.put(f.path(), l.entry().sha256());
      }
    }
    return known;
  }

  private static Instant instant(Object value) {
    return value == null ? null : value instanceof Timestamp t ? t.toInstant() : (Instant) value;
  }
}
