package org.cytolake.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.cytolake.ingest.EventQc;
import org.cytolake.qc.QcSummary;
import org.cytolake.report.ReportModel.DataTable;
import org.cytolake.stats.Quantiles;

/**
 * What acquisition QC ({@code sample_qc}, written by ingest-fcs) found, as the report shows it: a
 * one-line summary (samples checked, flagged, median % of events removed), per panel the flagged
 * samples (sample, visit, flags, % events removed, reason) and a chart of each sample's % of
 * events removed by acquisition date. Built by {@link #of} from the rows of {@code sample_qc}
 * joined to {@code samples.acquisition_date}; rendered by {@link #render}.
 *
 * <p>A sample is <em>flagged</em> when its flagged share exceeds {@code qc.warn-share} (the
 * samples the nightly run warns about) or its QC {@code FAILED}. A sample is <em>checked</em>
 * when the QC ran on it: every status but {@code DISABLED} and {@code FAILED}. The events are
 * removed downstream (gate, cluster, evaluate read {@code qc_flag = 0}) unless {@code
 * qc.use-flagged-events} is true; the page then says "flagged" instead of "removed".
 *
 * @param warnShare {@code qc.warn-share}: a larger flagged share flags the sample
 * @param removed whether downstream jobs leave the flagged events out
 * @param samples every row of {@code sample_qc}, by panel, visit and sample id
 * @param statuses samples by QC status, in status order
 */
public record AcquisitionQcView(
    double warnShare, boolean removed, List<SampleQc> samples, Map<String, Integer> statuses) {

  /** Segments listed per flagged sample at most; beyond this, how many more. */
  public static final int MAX_SEGMENTS = 3;

  public AcquisitionQcView {
    samples = List.copyOf(samples);
    statuses = java.util.Collections.unmodifiableMap(new TreeMap<>(statuses));
  }

  /**
   * One row of {@code sample_qc} with its sample's acquisition date.
   *
   * @param acquisitionDate {@code samples.acquisition_date}, or null (the sample is then not
   *     drawn)
   * @param flaggedShare flagged / events, 0 to 1
   * @param segments the flagged time segments, "; "-joined, empty when none
   * @param notes the QC's notes, "; "-joined
   */
  public record SampleQc(
      String sampleId,
      String panel,
      String visit,
      LocalDate acquisitionDate,
      String status,
      long events,
      long flagged,
      double flaggedShare,
      long flowRateEvents,
      long signalEvents,
      long marginEvents,
      String segments,
      String notes) {
    public SampleQc {
      Objects.requireNonNull(sampleId, "sampleId");
      Objects.requireNonNull(panel, "panel");
      Objects.requireNonNull(status, "status");
      segments = segments == null ? "" : segments;
      notes = notes == null ? "" : notes;
    }

    /** The % of the sample's events flagged (removed downstream unless kept). */
    public double percent() {
      return 100 * flaggedShare;
    }

    /** Whether the QC ran on the sample ({@code DISABLED} and {@code FAILED}: it did not). */
    public boolean checked() {
      return !status.equals(EventQc.DISABLED) && !status.equals(EventQc.FAILED);
    }

    /** Whether the report lists the sample: over {@code warnShare}, or its QC failed. */
    public boolean flagged(double warnShare) {
      return flaggedShare > warnShare || status.equals(EventQc.FAILED);
    }

    /**
     * The flags: events per reason that has any ({@code FLOW_RATE 1200, MARGIN 35}), then the
     * status when it is not {@code CHECKED}.
     */
    public String flags() {
      List<String> f = new ArrayList<>();
      if (flowRateEvents > 0) {
        f.add("FLOW_RATE " + flowRateEvents);
      }
      if (signalEvents > 0) {
        f.add("SIGNAL " + signalEvents);
      }
      if (marginEvents > 0) {
        f.add("MARGIN " + marginEvents);
      }
      if (!status.equals(QcSummary.Status.CHECKED.name())) {
        f.add(status);
      }
      return String.join(", ", f);
    }

    /**
     * The reason: the first {@value #MAX_SEGMENTS} flagged time segments (and how many more),
     * or the QC's notes when no segment was flagged (a failed QC says why there).
     */
    public String reason() {
      if (segments.isBlank()) {
        return notes;
      }
      String[] s = segments.split(";\\s*");
      String shown =
          String.join(
              "; ", java.util.Arrays.asList(s).subList(0, Math.min(MAX_SEGMENTS, s.length)));
      return s.length > MAX_SEGMENTS
          ? shown + "; … (" + (s.length - MAX_SEGMENTS) + " more)"
          : shown;
    }
  }

  /**
   * The view of {@code rows}, ordered by panel, visit (in {@code visitOrder}) and sample id.
   *
   * @param warnShare {@code qc.warn-share}
   * @param removed whether downstream jobs leave the flagged events out ({@code
   *     qc.use-flagged-events} false)
   */
  public static AcquisitionQcView of(
      List<SampleQc> rows, double warnShare, boolean removed, Comparator<String> visitOrder) {
    List<SampleQc> sorted = new ArrayList<>(rows);
    sorted.sort(
        Comparator.comparing(SampleQc::panel)
            .thenComparing(SampleQc::visit, Comparator.nullsLast(visitOrder))
            .thenComparing(SampleQc::sampleId));
    Map<String, Integer> statuses = new TreeMap<>();
    sorted.forEach(s -> statuses.merge(s.status(), 1, Integer::sum));
    return new AcquisitionQcView(warnShare, removed, sorted, statuses);
  }

  /** Samples the QC ran on. */
  public long checked() {
    return samples.stream().filter(SampleQc::checked).count();
  }

  /** The flagged samples, in the view's order. */
  public List<SampleQc> flagged() {
    return samples.stream().filter(s -> s.flagged(warnShare)).toList();
  }

  /** The median % of events removed over the checked samples; NaN when none was checked. */
  public double medianPercent() {
    double[] v =
        samples.stream().filter(SampleQc::checked).mapToDouble(SampleQc::percent).toArray();
    return v.length == 0 ? Double.NaN : Quantiles.median(v, Quantiles.NaNs.ORDERED_LAST);
  }

  /** The panels' samples, by panel code. */
  public Map<String, List<SampleQc>> byPanel() {
    Map<String, List<SampleQc>> out = new LinkedHashMap<>();
    samples.forEach(s -> out.computeIfAbsent(s.panel(), k -> new ArrayList<>()).add(s));
    return out;
  }

  /** "removed" or "flagged": what happens downstream to the events the QC flags. */
  String verb() {
    return removed ? "removed" : "flagged";
  }

  /**
   * The summary line, e.g. {@code 95 samples checked, 3 flagged (over qc.warn-share 5% or QC
   * failed), median 0.31% of events removed.}
   */
  public String summary() {
    double median = medianPercent();
    return checked()
        + " samples checked, "
        + flagged().size()
        + " flagged (over qc.warn-share "
        + Html.number(100 * warnShare)
        + "% or QC failed), median "
        + (Double.isNaN(median) ? "n/a" : percent(median) + "%")
        + " of events "
        + verb()
        + ".";
  }

  /** A % with two decimals, e.g. {@code 0.31}. */
  static String percent(double p) {
    return String.format(Locale.ROOT, "%.2f", p);
  }

  /**
   * The section {@code <section id="}{@value ReportRenderer#ACQUISITION_QC}{@code ">}: the summary
   * line and the samples by status, then per panel the chart and the table of flagged samples.
   */
  static void render(StringBuilder b, AcquisitionQcView view) {
    b.append("<section id=\"")
        .append(ReportRenderer.ACQUISITION_QC)
        .append("\"><h2>Acquisition QC</h2>");
    b.append("<p class=\"qc-summary\">").append(Html.escape(view.summary())).append("</p>");
    b.append("<p class=\"meta\">ingest-fcs flags the events of each sample acquired while the")
        .append(" flow rate or signal was disturbed, or lying on the detector's margins")
        .append(" (sample_qc; docs/acquisition-qc.md). ")
        .append(
            view.removed
                ? "Gate, cluster and evaluate leave the flagged events out."
                : "qc.use-flagged-events is true: gate, cluster and evaluate keep them.")
        .append(" Samples by status: ");
    List<String> parts = new ArrayList<>();
    view.statuses.forEach((s, n) -> parts.add(s + " " + n));
    b.append(Html.escape(parts.isEmpty() ? "none" : String.join(", ", parts))).append(".</p>");
    if (view.samples.isEmpty()) {
      b.append("<p class=\"empty\">sample_qc has no sample.</p>");
    }
    for (Map.Entry<String, List<SampleQc>> e : view.byPanel().entrySet()) {
      String panel = e.getKey();
      List<SampleQc> flagged =
          e.getValue().stream().filter(s -> s.flagged(view.warnShare)).toList();
      b.append("<h3>Panel ")
          .append(Html.escape(panel))
          .append("</h3><figure class=\"qc-chart\" data-plot=\"acquisition-qc-")
          .append(Html.escape(panel))
          .append("\">")
          .append(Charts.removedByDate(panel, e.getValue(), view.warnShare, view.verb()))
          .append("<figcaption>Panel ")
          .append(Html.escape(panel))
          .append(": % of each sample's events ")
          .append(view.verb())
          .append(" by acquisition date (orange: flagged; dashed: qc.warn-share)");
      long undated = e.getValue().stream().filter(s -> s.acquisitionDate() == null).count();
      if (undated > 0) {
        b.append("; ").append(undated).append(" sample(s) without an acquisition date not drawn");
      }
      b.append("</figcaption></figure>");
      if (flagged.isEmpty()) {
        b.append("<p class=\"empty\">No sample of panel ")
            .append(Html.escape(panel))
            .append(" flagged.</p>");
        continue;
      }
      List<List<String>> rows = new ArrayList<>();
      for (SampleQc s : flagged) {
        rows.add(
            List.of(
                s.sampleId(),
                s.visit() == null ? "" : s.visit(),
                s.flags(),
                percent(s.percent()),
                s.reason()));
      }
      ReportRenderer.table(
          b,
          new DataTable(
              List.of("sample", "visit", "flags", "% events " + view.verb(), "reason"),
              rows,
              rows.size()),
          "acquisition-qc-flagged");
    }
    b.append("</section>\n");
  }
}
