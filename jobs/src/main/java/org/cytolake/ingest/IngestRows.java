package org.cytolake.ingest;

import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.config.VisitSchedule;
import org.cytolake.tables.QuarantineRecord;
import org.cytolake.tables.RowShape;
import org.cytolake.tables.TableSchema;

/**
 * The rows ingest-fcs writes to {@code samples}, {@code channels}, {@code ingest_ledger} and its
 * {@code quarantine} partition, in each contract's column order ({@link RowShape}). A row that an
 * incremental run finds unchanged keeps the run id and time it was first written with
 * ({@link PreviousIngest}), so re-running changes nothing.
 */
public final class IngestRows {
  private static final String JOB = IngestPlan.JOB;

  private IngestRows() {}

  /**
   * One row per accepted sample; an unchanged one ({@link IngestDelta#unchanged()}) keeps the run
   * that first ingested it.
   */
  public static List<Object[]> samples(
      TableSchema contract,
      List<PlannedSample> samples,
      IngestDelta delta,
      PreviousIngest previous,
      VisitSchedule visits,
      RunStamp now) {
    return RowShape.<PlannedSample>of(
            JOB,
            s -> {
              FileCheck c = s.check();
              RunStamp ingested =
                  delta.unchanged().contains(s.sampleId())
                      ? previous.samples().get(s.sampleId()).ingested()
                      : now;
              return new Object[] {
                s.sampleId(),
                s.patientId(),
                s.visit(),
                visits.studyDay(s.visit()),
                s.panel(),
                s.acquisitionDate() == null ? null : Date.valueOf(s.acquisitionDate()),
                s.batch(),
                s.control(),
                c.instrument(),
                c.version(),
                c.dataType(),
                c.events(),
                c.detectors().size(),
                c.sha256(),
                s.qcStatus(),
                s.qcWarnings().isEmpty() ? null : String.join("; ", s.qcWarnings()),
                ingested.runId(),
                ingested.timestamp()
              };
            },
            "sample_id",
            "patient_id",
            "visit",
            "study_day",
            "panel",
            "acquisition_date",
            "batch",
            "control",
            "instrument",
            "fcs_version",
            "datatype",
            "event_count",
            "channel_count",
            "sha256",
            "qc_status",
            "qc_warnings",
            "ingest_run_id",
            "ingested_at")
        .rows(contract, samples);
  }

  /** One row per channel of each accepted sample, as the file has it and the panel reads it. */
  public static List<Object[]> channels(
      TableSchema contract, List<PlannedSample> samples, Map<String, PanelConfig> panels) {
    record Channel(PlannedSample sample, int index) {}
    List<Channel> all = new ArrayList<>();
    for (PlannedSample s : samples) {
      for (int i = 0; i < s.check().detectors().size(); i++) {
        all.add(new Channel(s, i));
      }
    }
    return RowShape.<Channel>of(
            JOB,
            x -> {
              PlannedSample s = x.sample();
              FileCheck c = s.check();
              PanelConfig panel = panels.get(s.panel());
              String det = c.detectors().get(x.index());
              ChannelConfig ch =
                  panel.channels().stream()
                      .filter(y -> y.detector().equals(det))
                      .findFirst()
                      .orElse(null);
              double range = c.ranges().get(x.index());
              return new Object[] {
                s.sampleId(),
                s.panel(),
                x.index() + 1,
                det,
                c.labels().get(x.index()),
                ch == null ? null : ch.marker(),
                ch == null ? null : ch.column(),
                Double.isNaN(range) ? null : range,
                c.bits().get(x.index()),
                ch == null ? null : ch.transform().spec(),
                compensated(panel, c, det)
              };
            },
            "sample_id",
            "panel",
            "channel_index",
            "detector",
            "label",
            "marker",
            "column",
            "range",
            "bits",
            "transform",
            "compensated")
        .rows(contract, all);
  }

  /** Whether ingest compensated a detector of a file (per the panel's spillover source). */
  static boolean compensated(PanelConfig panel, FileCheck c, String detector) {
    return switch (panel.spillover().kind()) {
      case "conf" -> panel.spillover().channels().contains(detector);
      case "none" -> false;
      default -> c.spilloverChannels() != null && c.spilloverChannels().contains(detector);
    };
  }

  /**
   * One row per file found; a file with the same outcome of the same bytes as the ledger
   * recorded ({@link PreviousIngest.LedgerRow#sameOutcome}) keeps its run ids and time.
   *
   * @param files the files found by path (their modification times)
   */
  public static List<Object[]> ledger(
      TableSchema contract,
      List<LedgerEntry> ledger,
      Map<String, InputFile> files,
      PreviousIngest previous,
      RunStamp now) {
    return RowShape.<LedgerEntry>of(
            JOB,
            l -> {
              InputFile f = files.get(l.path());
              PreviousIngest.LedgerRow b = previous.ledger().get(l.path());
              boolean same = b != null && b.sameOutcome(l);
              return new Object[] {
                l.path(),
                l.size(),
                l.sha256(),
                f == null ? null : new Timestamp(f.modifiedAt()),
                l.sampleId(),
                l.panel(),
                l.outcome(),
                l.reasonCode(),
                l.events(),
                same ? b.firstRunId() : now.runId(),
                same ? b.lastRunId() : now.runId(),
                same ? Timestamp.from(b.lastSeenAt()) : now.timestamp()
              };
            },
            "path",
            "size",
            "sha256",
            "modified_at",
            "sample_id",
            "panel",
            "outcome",
            "reason_code",
            "events",
            "first_run_id",
            "last_run_id",
            "last_seen_at")
        .rows(contract, ledger);
  }

  /**
   * This run's quarantine rows; a record identical to one the lake already holds (the same
   * unchanged bad input: every column but run id and time) keeps its original run id and time.
   */
  public static List<Object[]> quarantine(
      TableSchema contract, List<QuarantineRecord> records, PreviousIngest previous, RunStamp now) {
    return QuarantineRecord.rows(
        JOB,
        contract,
        records,
        q -> previous.quarantine().getOrDefault(q, now).runId(),
        q -> previous.quarantine().getOrDefault(q, now).timestamp());
  }
}
