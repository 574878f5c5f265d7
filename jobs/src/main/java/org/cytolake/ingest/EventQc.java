package org.cytolake.ingest;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import org.cytolake.qc.QcFlags;
import org.cytolake.qc.QcReason;
import org.cytolake.qc.QcResult;
import org.cytolake.qc.QcSummary;
import org.cytolake.tables.TableSchema;

/**
 * The acquisition QC of one ingested sample, as ingest carries it from the task that ran it to the
 * events and {@code sample_qc} tables: the file's summary and its flagged events only (sparse: an
 * event not listed has {@code qc_flag} 0), so that a broadcast of every sample stays small.
 *
 * <p>{@code qc_flag} is {@link QcFlags}' byte: bit 1 = FLOW_RATE, 2 = SIGNAL, 4 = MARGIN, 0 = clean.
 *
 * @param sampleId the sample
 * @param panel its panel
 * @param visit its visit
 * @param status CHECKED, TOO_SMALL, NO_TIME ({@link QcSummary.Status}), DISABLED (qc.enabled is
 *     false) or FAILED (the QC could not read the events; nothing flagged)
 * @param events events of the data set checked
 * @param flowRate events flagged FLOW_RATE
 * @param signal events flagged SIGNAL
 * @param margin events flagged MARGIN
 * @param flagged events flagged for any reason
 * @param segments the flagged time segments, "REASON [first, end) t=start-end", joined by "; "
 * @param notes the QC's notes (checks skipped and why, Time repairs), joined by "; "
 * @param index event indices with a non-zero flag, ascending
 * @param bits their flags
 */
public record EventQc(
    String sampleId,
    String panel,
    String visit,
    String status,
    long events,
    long flowRate,
    long signal,
    long margin,
    long flagged,
    String segments,
    String notes,
    int[] index,
    byte[] bits)
    implements Serializable {

  /** {@code sample_qc.status} when {@code qc.enabled} is false. */
  public static final String DISABLED = "DISABLED";

  /** {@code sample_qc.status} when the events could not be read for QC. */
  public static final String FAILED = "FAILED";

  /** The QC result of a sample's first data set. */
  public static EventQc of(PlannedSample s, QcResult r) {
    QcSummary sum = r.summary();
    QcFlags f = r.flags();
    int[] index = new int[sum.flaggedAny()];
    byte[] bits = new byte[index.length];
    int k = 0;
    for (int i = 0; i < f.size(); i++) {
      if (f.get(i) != 0) {
        index[k] = i;
        bits[k++] = f.get(i);
      }
    }
    List<String> segments = new ArrayList<>();
    for (QcSummary.Segment g : sum.segments()) {
      segments.add(
          String.format(
              Locale.ROOT,
              "%s [%d, %d) t=%.2f-%.2f",
              g.reason(),
              g.firstEvent(),
              g.endEvent(),
              g.startTime(),
              g.endTime()));
    }
    return new EventQc(
        s.sampleId(),
        s.panel(),
        s.visit(),
        sum.status().name(),
        sum.events(),
        sum.flagged().get(QcReason.FLOW_RATE),
        sum.flagged().get(QcReason.SIGNAL),
        sum.flagged().get(QcReason.MARGIN),
        sum.flaggedAny(),
        String.join("; ", segments),
        String.join("; ", sum.notes()),
        Arrays.copyOf(index, k),
        Arrays.copyOf(bits, k));
  }

  /** Nothing flagged, with a status ({@link #DISABLED} or {@link #FAILED}) and a note. */
  public static EventQc none(PlannedSample s, String status, String note) {
    return new EventQc(
        s.sampleId(),
        s.panel(),
        s.visit(),
        status,
        s.check().events(),
        0,
        0,
        0,
        0,
        "",
        note,
        new int[0],
        new byte[0]);
  }

  /** Nothing flagged: {@code qc.enabled} is false. */
  public static EventQc disabled(PlannedSample s) {
    return none(s, DISABLED, "qc.enabled is false");
  }

  /**
   * Nothing flagged: the file's events could not be read for QC. The note leaves the file's path
   * out ({@code sample_qc} is an analyst table and a path may name people).
   */
  public static EventQc failed(PlannedSample s, Exception e) {
    return none(
        s,
        FAILED,
        "Cannot read the events for acquisition QC: "
            + String.valueOf(e.getMessage()).replace(s.check().path(), "the file"));
  }

  /** The results by sample id (a {@link HashMap}, to broadcast to the tasks that flag events). */
  public static HashMap<String, EventQc> bySample(List<EventQc> qc) {
    HashMap<String, EventQc> out = new HashMap<>();
    qc.forEach(q -> out.put(q.sampleId(), q));
    return out;
  }

  /** The results in words: "flagged F events of E in N files". */
  public static String describe(List<EventQc> qc) {
    return "flagged "
        + qc.stream().mapToLong(EventQc::flagged).sum()
        + " events of "
        + qc.stream().mapToLong(EventQc::events).sum()
        + " in "
        + qc.size()
        + " files";
  }

  /** The {@code qc_flag} of an event (0 when not flagged). */
  public byte flag(long eventIndex) {
    if (eventIndex < 0 || eventIndex > Integer.MAX_VALUE) {
      return 0;
    }
    int i = Arrays.binarySearch(index, (int) eventIndex);
    return i < 0 ? 0 : bits[i];
  }

  /** Share of the events flagged, in [0, 1]. */
  public double share() {
    return events == 0 ? 0 : (double) flagged / events;
  }

  /** The {@code sample_qc} row, in the contract's column order. */
  public Object[] row(TableSchema contract, RunStamp stamp) {
    Object[] row = new Object[contract.columnNames().size()];
    for (int c = 0; c < row.length; c++) {
      row[c] =
          switch (contract.columnNames().get(c)) {
            case "sample_id" -> sampleId;
            case "panel" -> panel;
            case "visit" -> visit;
            case "status" -> status;
            case "events" -> events;
            case "flagged" -> flagged;
            case "flagged_share" -> share();
            case "flow_rate_events" -> flowRate;
            case "signal_events" -> signal;
            case "margin_events" -> margin;
            case "segments" -> segments;
            case "notes" -> notes;
            case "run_id" -> stamp.runId();
            default ->
                throw new IllegalStateException(
                    "Cannot write sample_qc: no value for column '"
                        + contract.columnNames().get(c)
                        + "'");
          };
    }
    return row;
  }
}
