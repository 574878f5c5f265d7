package org.cytolake.report;

import static org.cytolake.report.Html.escape;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cytolake.ingest.SampleQc;
import org.cytolake.report.ReportModel.CohortSeries;
import org.cytolake.report.ReportModel.CohortSummary;
import org.cytolake.report.ReportModel.DataTable;
import org.cytolake.report.ReportModel.Heatmap;
import org.cytolake.report.ReportModel.PrimaryPlot;
import org.cytolake.report.ReportModel.SampleEvents;
import org.cytolake.report.ReportModel.TitledTable;
import org.cytolake.stats.Quantiles;

/**
 * Renders a {@link ReportModel} as one self-contained HTML page: inline CSS, inline SVG plots, no
 * script, no external URL. Every value is escaped; the markup is XML-compatible (every element
 * closed, no named entities), so tests parse the whole page with the JDK's XML parser.
 *
 * <p>A run whose summary has a status other than succeeded (failed, degraded, still running, or
 * any other) opens with a banner, {@code <div id="}{@value #BANNER}{@code ">}, naming the status,
 * the failed step and message when there are, and every warning line of the run. Sections, each a
 * {@code <section id>}: {@value #SUMMARY} (the run summary, when given), {@value #QC} (events per
 * sample, one bar plot per panel; warnings by code and severity; samples not QC OK; quarantined
 * inputs by reason), {@value #ACQUISITION_QC} ({@link AcquisitionQcView}: samples checked and
 * flagged by acquisition QC, per panel the % of events removed by acquisition date and the flagged
 * samples; only when the lake has {@code sample_qc}), {@value #NORMALISATION} (only when the lake has {@code
 * normalisation_samples}: {@link BatchNormalisation}, per normalised panel its model, samples by
 * status, and the control aliquots' medians by date, raw and normalised), {@value #PRIMARY} (the primary population as % of its parent, one small plot
 * per cohort, titled from conf), {@value #GATING_QC} (per panel, each gate's parent density with
 * the gate drawn, pooled and for each flagged sample, and the % of parent table with outliers and
 * flags marked), {@value #HEATMAPS} (metacluster × lineage marker medians),
 * {@value #CLUSTER_PICTURES} ({@link ClusterPictures}: heatmap, tree, embedding, abundance) and
 * {@value #COHORT_SUMMARY} (the primary population's table and the largest changes, not the whole
 * table).
 */
public final class ReportRenderer {
  public static final String BANNER = "run-status";
  public static final String SUMMARY = "run-summary";
  public static final String QC = "qc";
  public static final String ACQUISITION_QC = "acquisition-qc";
  public static final String PRIMARY = "primary-population";
  public static final String HEATMAPS = "heatmaps";
  public static final String COHORT_SUMMARY = "cohort-summary";
  public static final String EFFECTS = "effects";
  public static final String GATING_QC = "gating-qc";
  public static final String CLUSTER_PICTURES = "cluster-pictures";
  public static final String NORMALISATION = "batch-normalisation";

  /** Quarantine rows listed one by one; beyond this, only the counts by reason. */
  public static final int MAX_QUARANTINE_ROWS = 500;

  /** Samples not QC OK listed one by one; beyond this, only the counts. */
  public static final int MAX_SAMPLE_ROWS = 500;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private static final String CSS =
      """
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
      margin:0 2rem 3rem;color:#1d2329;background:#fff;font-size:14px;line-height:1.4}
      header{border-bottom:2px solid #3a6ea5;margin-bottom:1rem;padding:.8rem 0}
      h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;color:#3a6ea5;margin-top:2rem}
      h3{font-size:1rem;margin:1.2rem 0 .4rem}nav a{margin-right:1rem;color:#3a6ea5}
      .meta{color:#555}table{border-collapse:collapse;margin:.4rem 0 1rem;font-size:12px}
      th,td{border:1px solid #d0d7de;padding:2px 6px;text-align:left;vertical-align:top}
      th{background:#f1f4f8}td.num{text-align:right;font-variant-numeric:tabular-nums}
      .grid{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0 0 1rem}
      figcaption{font-size:12px;color:#555}.note{color:#8a5300}.empty{color:#666;font-style:italic}
      .scroll{max-height:480px;overflow:auto;display:inline-block}
      svg .axis{stroke:#333;stroke-width:1}svg .grid{stroke:#e3e7eb;stroke-width:1}
      svg .tick{stroke:#333}svg .label{font-size:11px;fill:#333}svg .small{font-size:10px}
      svg .title{font-size:13px;font-weight:600;fill:#1d2329}svg .bar{fill:#3a6ea5}
      svg .bar.flagged{fill:#d9822b}svg .dot{fill:#3a6ea5;fill-opacity:.6}
      svg .dot.fallback{fill:#d9822b;fill-opacity:1}svg .dot.flagged{fill:#d9822b;fill-opacity:1}
      svg .median{stroke:#c0392b;stroke-width:2}svg .trend{fill:none;stroke:#c0392b;
      stroke-width:1;stroke-dasharray:3 2}svg .cell{stroke:none}svg .missing{fill:#ddd}
      svg .threshold{stroke:#888;stroke-dasharray:4 3}svg .dot.primary{fill:#c0392b;fill-opacity:1}
      svg .label.primary{fill:#c0392b;font-weight:600}svg .patient{fill:none;stroke:#3a6ea5;
      stroke-opacity:.45;stroke-width:1}svg .median-line{fill:none;stroke:#1d2329;stroke-width:3}
      td.outlier{background:#fde2c8;font-weight:600}td.flagged{background:#f8d0cc}
      figure.gate-plot svg{border:1px solid #e3e7eb}
      .banner{margin:1rem 0;padding:.8rem 1.2rem;border:2px solid #b3261e;border-left-width:10px;
      background:#fdecea;color:#5c1410;font-size:15px}.banner h2{color:#b3261e;margin:0 0 .4rem;
      font-size:1.3rem;text-transform:uppercase;letter-spacing:.04em}.banner ul{margin:.3rem 0 0}
      ul.warnings li{margin:.1rem 0}
      svg .lj{stroke-width:1.2}svg .lj.raw{fill:#d9822b;stroke:#d9822b}
      svg .lj.norm{fill:#3a6ea5;stroke:#3a6ea5}svg .lj.legend-key{fill:#555;stroke:#555}
      svg .lj.open{fill:#fff}svg .lj-line{fill:none;stroke-width:1;stroke-opacity:.55}
      svg .lj-line.raw{stroke:#d9822b}svg .lj-line.norm{stroke:#3a6ea5}
      svg .goal{stroke:#1d2329;stroke-width:1;stroke-dasharray:5 3}figure.control-chart{max-width:470px}
      """;

  private ReportRenderer() {}

  /** The page. */
  public static String render(ReportModel m) {
    StringBuilder b = new StringBuilder(64 * 1024);
    String title = m.primary().population().title();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
        .append("<title>cytolake report ")
        .append(escape(m.runId()));
    if (m.summary() != null && m.summary().needsBanner()) {
      b.append(" (").append(escape(m.summary().status())).append(')');
    }
    b.append("</title><style>").append(CSS).append("</style></head>\n<body>\n");
    if (m.summary() != null && m.summary().needsBanner()) {
      banner(b, m.summary());
    }
    b.append("<header><h1>cytolake run report</h1>")
        .append("<p class=\"meta\">run <b>")
        .append(escape(m.runId()))
        .append("</b> · lake ")
        .append(escape(m.lake()))
        .append(" · generated ")
        .append(escape(TIME.format(m.generatedAt())))
        .append("</p><nav>");
    if (m.summary() != null) {
      link(b, SUMMARY, "Run summary");
    }
    link(b, QC, "QC");
    if (m.acquisitionQc() != null) {
      link(b, ACQUISITION_QC, "Acquisition QC");
    }
    if (m.normalisation() != null) {
      link(b, NORMALISATION, "Batch normalisation");
    }
    link(b, PRIMARY, title);
    link(b, GATING_QC, "Gating QC");
    link(b, HEATMAPS, "Metacluster heatmaps");
    link(b, CLUSTER_PICTURES, "Cluster pictures");
    link(b, COHORT_SUMMARY, "Cohort summary");
    link(b, EFFECTS, "Effects");
    b.append("</nav></header>\n");
    if (m.summary() != null) {
      summary(b, m.summary());
    }
    qc(b, m);
    if (m.acquisitionQc() != null) {
      AcquisitionQcView.render(b, m.acquisitionQc());
    }
    if (m.normalisation() != null) {
      BatchNormalisation.render(b, m.normalisation());
    }
    primary(b, m.primary());
    gatingQc(b, m.gatingQc());
    heatmaps(b, m);
    ClusterPictures.render(b, m.clusterPictures());
    cohortSummary(b, m.cohortSummary());
    effects(b, m.effects());
    return b.append("</body></html>\n").toString();
  }

  /**
   * The banner of a run that did not succeed: its status whatever it is (failed, degraded,
   * running, ...), the failed step and message when the summary has them, and its warnings.
   */
  private static void banner(StringBuilder b, RunSummary s) {
    String status = s.status().trim();
    b.append("<div id=\"")
        .append(BANNER)
        .append("\" class=\"banner status-")
        .append(escape(status.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")))
        .append("\" role=\"alert\"><h2>Run ")
        .append(escape(status))
        .append("</h2>");
    String step = s.field("failed_step");
    String message = s.field("message");
    if (step != null || message != null) {
      b.append("<p>");
      if (step != null) {
        b.append("Step <b>").append(escape(step)).append("</b>");
        b.append(message != null ? ": " : ".");
      }
      if (message != null) {
        b.append(escape(message));
      }
      b.append("</p>");
    }
    if (s.warnings().isEmpty()) {
      b.append("<p>The run recorded no warning.</p>");
    } else {
      b.append("<p>").append(s.warnings().size()).append(" warning(s):</p>");
      warningList(b, s.warnings());
    }
    b.append("</div>\n");
  }

  private static void warningList(StringBuilder b, List<String> warnings) {
    b.append("<ul class=\"warnings\">");
    for (String w : warnings) {
      b.append("<li>").append(escape(w)).append("</li>");
    }
    b.append("</ul>");
  }

  private static void link(StringBuilder b, String id, String text) {
    b.append("<a href=\"#").append(id).append("\">").append(escape(text)).append("</a>");
  }

  private static void summary(StringBuilder b, RunSummary s) {
    b.append("<section id=\"").append(SUMMARY).append("\"><h2>Run summary</h2>");
    if (s.status() != null) {
      b.append("<p class=\"status\">Status: <b>").append(escape(s.status())).append("</b></p>");
    }
    if (!s.warnings().isEmpty()) {
      b.append("<h3>Warnings</h3>");
      warningList(b, s.warnings());
    }
    if (!s.fields().isEmpty()) {
      b.append("<table class=\"fields\"><tbody>");
      for (RunSummary.Field f : s.fields()) {
        b.append("<tr><th>")
            .append(escape(f.name()))
            .append("</th><td>")
            .append(escape(f.value()))
            .append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    for (RunSummary.Section t : s.tables()) {
      b.append("<h3>").append(escape(t.title())).append("</h3>");
      table(b, t.table(), "summary-table");
    }
    b.append("</section>\n");
  }

  private static void qc(StringBuilder b, ReportModel m) {
    b.append("<section id=\"").append(QC).append("\"><h2>QC</h2><h3>Events per sample</h3>");
    Map<String, List<SampleEvents>> byPanel = new TreeMap<>();
    for (SampleEvents s : m.samples()) {
      byPanel.computeIfAbsent(s.panel(), k -> new ArrayList<>()).add(s);
    }
    if (byPanel.isEmpty()) {
      b.append("<p class=\"empty\">No samples in the lake.</p>");
    }
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, List<SampleEvents>> e : byPanel.entrySet()) {
      List<SampleEvents> s = e.getValue();
      b.append("<figure data-plot=\"events-")
          .append(escape(e.getKey()))
          .append("\">")
          .append(Charts.eventsPerSample(e.getKey(), s))
          .append("<figcaption>Panel ")
          .append(escape(e.getKey()))
          .append(": events per sample (orange: QC not OK, a warning")
          .append(" that may affect the data)</figcaption></figure>");
      List<Double> ev = s.stream().map(x -> (double) x.events()).toList();
      long notOk = s.stream().filter(x -> !x.qcOk()).count();
      long benignOnly = s.stream().filter(x -> x.qcOk() && !x.warnings().isEmpty()).count();
      rows.add(
          List.of(
              e.getKey(),
              Integer.toString(s.size()),
              Long.toString(s.stream().mapToLong(SampleEvents::events).sum()),
              Html.number(ev.stream().mapToDouble(Double::doubleValue).min().orElse(0)),
              Html.number(Quantiles.median(ev, Quantiles.NaNs.ORDERED_LAST)),
              Html.number(ev.stream().mapToDouble(Double::doubleValue).max().orElse(0)),
              Long.toString(notOk),
              Long.toString(benignOnly)));
    }
    if (!rows.isEmpty()) {
      table(
          b,
          new DataTable(
              List.of(
                  "panel",
                  "samples",
                  "events",
                  "min",
                  "median",
                  "max",
                  "QC not OK",
                  "benign warnings only"),
              rows,
              rows.size()),
          "events-table");
      warnings(b, m.samples());
    }
    b.append("<h3>Quarantined inputs</h3>");
    if (m.quarantine().isEmpty()) {
      b.append("<p class=\"empty\">No quarantined inputs.</p>");
    } else {
      Map<List<String>, long[]> byReason =
          new TreeMap<>(
              (x, y) -> {
                for (int i = 0; i < x.size(); i++) {
                  int c = x.get(i).compareTo(y.get(i));
                  if (c != 0) {
                    return c;
                  }
                }
                return 0;
              });
      for (QuarantineEntry q : m.quarantine()) {
        long[] c =
            byReason.computeIfAbsent(
                List.of(q.job(), q.reasonCode(), q.sourceKind()), k -> new long[2]);
        c[0]++;
        c[1] += q.events() == null ? 0 : q.events();
      }
      List<List<String>> reasonRows = new ArrayList<>();
      for (Map.Entry<List<String>, long[]> e : byReason.entrySet()) {
        reasonRows.add(
            List.of(
                e.getKey().get(0),
                e.getKey().get(1),
                e.getKey().get(2),
                Long.toString(e.getValue()[0]),
                Long.toString(e.getValue()[1])));
      }
      table(
          b,
          new DataTable(
              List.of("job", "reason", "source kind", "inputs", "events"),
              reasonRows,
              reasonRows.size()),
          "quarantine-reasons");
      b.append("<p class=\"meta\">Sources are shown as keyed hashes (the quarantine table is ")
          .append("restricted: its paths, messages and records may hold patient identifiers).")
          .append("</p>");
      List<List<String>> entries = new ArrayList<>();
      for (QuarantineEntry q :
          m.quarantine().subList(0, Math.min(MAX_QUARANTINE_ROWS, m.quarantine().size()))) {
        List<String> r = new ArrayList<>();
        r.add(q.job());
        r.add(q.reasonCode());
        r.add(q.sourceKind());
        r.add(q.reference());
        r.add(q.locator());
        r.add(q.field());
        r.add(q.events() == null ? null : q.events().toString());
        entries.add(r);
      }
      table(
          b,
          new DataTable(
              List.of("job", "reason", "source kind", "source ref", "locator", "field", "events"),
              entries,
              m.quarantine().size()),
          "quarantine-entries");
    }
    b.append("</section>\n");
  }

  /**
   * Warnings of the ingested samples: by code, those that may affect the data first, with their
   * severity, samples and panels; then the samples that are not QC OK, one by one.
   */
  private static void warnings(StringBuilder b, List<SampleEvents> samples) {
    b.append("<h3>Sample warnings</h3>");
    Map<String, List<SampleEvents>> byCode = new TreeMap<>();
    for (SampleEvents s : samples) {
      new TreeSet<>(s.warnings().stream().map(SampleQc::code).toList())
          .forEach(c -> byCode.computeIfAbsent(c, k -> new ArrayList<>()).add(s));
    }
    if (byCode.isEmpty()) {
      b.append("<p class=\"empty\">No sample has a warning.</p>");
      return;
    }
    List<Map.Entry<String, List<SampleEvents>>> codes = new ArrayList<>(byCode.entrySet());
    codes.sort(
        Comparator.comparing(
                (Map.Entry<String, List<SampleEvents>> e) -> !SampleQc.affectsData(e.getKey()))
            .thenComparing(e -> -e.getValue().size())
            .thenComparing(Map.Entry::getKey));
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, List<SampleEvents>> e : codes) {
      rows.add(
          List.of(
              e.getKey(),
              SampleQc.affectsData(e.getKey()) ? "affects data" : "benign",
              Integer.toString(e.getValue().size()),
              String.join(
                  ", ", new TreeSet<>(e.getValue().stream().map(SampleEvents::panel).toList()))));
    }
    table(
        b,
        new DataTable(List.of("warning", "severity", "samples", "panels"), rows, rows.size()),
        "warnings-table");
    b.append("<p class=\"meta\">Benign warnings (deviations of form: padding, whitespace, ")
        .append("offsets, spillover named by label) leave a sample QC OK; the others (events ")
        .append("dropped, scaling, compensation or labels in doubt, or a code not yet ")
        .append("classified) do not.</p>");
    List<SampleEvents> notOk = samples.stream().filter(s -> !s.qcOk()).toList();
    if (!notOk.isEmpty()) {
      List<List<String>> list = new ArrayList<>();
      for (SampleEvents s : notOk.subList(0, Math.min(MAX_SAMPLE_ROWS, notOk.size()))) {
        list.add(
            List.of(
                s.sampleId(),
                s.panel(),
                s.visit() == null ? "" : s.visit(),
                Long.toString(s.events()),
                String.join("; ", s.warnings())));
      }
      b.append("<h3>Samples not QC OK</h3>");
      table(
          b,
          new DataTable(
              List.of("sample", "panel", "visit", "events", "warnings"), list, notOk.size()),
          "samples-not-ok");
    }
  }

  private static void primary(StringBuilder b, PrimaryPlot p) {
    PrimaryPopulation pop = p.population();
    b.append("<section id=\"")
        .append(PRIMARY)
        .append("\"><h2>")
        .append(escape(pop.title()))
        .append(" by cohort</h2><p class=\"meta\">Panel ")
        .append(escape(pop.panel()))
        .append(", population ")
        .append(escape(pop.path() != null ? pop.path() : pop.configured()))
        .append(" (report.primary-panel, report.primary-population).</p>");
    if (pop.problem() != null) {
      b.append("<p class=\"note\">").append(escape(pop.problem())).append("</p>");
    }
    double max =
        p.series().stream()
            .flatMap(s -> s.points().stream())
            .mapToDouble(ReportModel.Point::value)
            .filter(Double::isFinite)
            .max()
            .orElse(0);
    if (p.series().isEmpty()) {
      b.append("<p class=\"empty\">No ")
          .append(escape(pop.name()))
          .append(" values of panel ")
          .append(escape(pop.panel()))
          .append(" in populations (run cytolake gate, or set ")
          .append("report.primary-panel and report.primary-population in cytolake.yaml).</p>");
    } else {
      b.append("<p class=\"meta\">One dot per sample; red bars: median per visit.</p>")
          .append("<div class=\"grid\">");
      for (CohortSeries s : p.series()) {
        b.append("<figure data-plot=\"primary-")
            .append(escape(s.cohort()))
            .append("\">")
            .append(Charts.cohortVisits(pop, s, p.visits(), max))
            .append("<figcaption>")
            .append(escape(s.cohort()))
            .append(": ")
            .append(s.points().size())
            .append(" sample(s)</figcaption></figure>");
      }
      b.append("</div>");
    }
    b.append("</section>\n");
  }

  /**
   * Gating QC, one subsection per panel: each drawn gate's plots side by side (all samples pooled,
   * then each flagged sample), then the % of parent table, outlying cells (more than 3 MADs from
   * the panel's median) and flagged cells ({@code gating_qc}) marked.
   */
  private static void gatingQc(StringBuilder b, List<GatingQc> pages) {
    b.append("<section id=\"").append(GATING_QC).append("\"><h2>Gating QC</h2>");
    if (pages.isEmpty()) {
      b.append("<p class=\"empty\">No gated panel in the lake (run cytolake gate).</p>");
    }
    for (GatingQc q : pages) {
      b.append("<h3>Panel ")
          .append(escape(q.panel()))
          .append("</h3><p class=\"meta\">")
          .append(q.rows().size())
          .append(" samples, ")
          .append(q.markedSamples())
          .append(" flagged (gating_qc) or outlying (% of parent more than 3 MADs from the")
          .append(" panel's median). Each gate: its parent's events on the gate's dimensions,")
          .append(" all samples pooled, then each flagged sample; red: the gate.</p>");
      for (String note : q.notes()) {
        b.append("<p class=\"note\">").append(escape(note)).append("</p>");
      }
      for (GatingQc.GateFigure f : q.figures()) {
        b.append("<div class=\"grid gate\" data-gate=\"")
            .append(escape(q.panel() + "/" + f.gate()))
            .append("\">");
        for (GatingQc.Plot p : f.plots()) {
          String label =
              q.panel() + " gate " + f.gate() + " (" + f.population() + "), " + p.samples();
          b.append("<figure class=\"gate-plot\" data-plot=\"gate-")
              .append(escape(q.panel() + "-" + f.gate() + "-" + p.samples()))
              .append("\">")
              .append(
                  p.svg()
                      .replaceFirst(
                          "<svg ",
                          java.util.regex.Matcher.quoteReplacement(
                              "<svg role=\"img\" aria-label=\"" + escape(label) + "\" ")))
              .append("<figcaption>")
              .append(escape(label))
              .append("</figcaption></figure>");
        }
        b.append("</div>");
      }
      adaptiveThresholds(b, q);
      b.append("<div class=\"scroll\"><table class=\"gating-qc-table\"><thead><tr>")
          .append("<th>sample</th><th>visit</th>");
      for (String p : q.populations()) {
        b.append("<th>").append(escape(p)).append(" % of parent</th>");
      }
      b.append("</tr></thead><tbody>");
      for (GatingQc.SampleRow r : q.rows()) {
        b.append("<tr><td>")
            .append(escape(r.sampleId()))
            .append("</td><td>")
            .append(escape(r.visit()))
            .append("</td>");
        for (GatingQc.Cell c : r.cells()) {
          String cls = c.outlier() ? "num outlier" : !c.flags().isEmpty() ? "num flagged" : "num";
          b.append("<td class=\"").append(cls).append('"');
          if (c.outlier()) {
            b.append(" title=\"")
                .append(
                    escape(
                        String.format(
                            Locale.ROOT, "%+.1f MADs from the panel's median", c.madDistance())))
                .append('"');
          }
          b.append('>').append(Double.isNaN(c.pct()) ? "" : escape(Html.number(c.pct())));
          for (String flag : c.flags()) {
            b.append(" <b>").append(escape(flag)).append("</b>");
          }
          if (c.outlier()) {
            b.append(" <b>OUTLIER</b>");
          }
          b.append("</td>");
        }
        b.append("</tr>");
      }
      b.append("</tbody></table></div>");
    }
    b.append("</section>\n");
  }

  /**
   * The panel's data-adaptive gate limits ({@code gate_thresholds}), when it has any: one summary
   * row per limit (samples, fallbacks, median, range) and a scatter of threshold by acquisition
   * date per limit, fallback samples marked, so drift shows.
   */
  private static void adaptiveThresholds(StringBuilder b, GatingQc q) {
    if (q.thresholds().isEmpty()) {
      return;
    }
    b.append("<h4>Adaptive thresholds</h4><p class=\"meta\">Each sample's data-adaptive limit")
        .append(" (gate_thresholds) as found in it; the per-sample plots above draw the sample's")
        .append(" own, the pooled plots the fixed fallback.</p>")
        .append("<div class=\"scroll\"><table class=\"adaptive-thresholds\"><thead><tr>")
        .append("<th>gate</th><th>dimension</th><th>side</th><th>method</th><th>samples</th>")
        .append("<th>fallback</th><th>median</th><th>range</th><th>no date</th>")
        .append("</tr></thead><tbody>");
    for (AdaptiveThresholds t : q.thresholds()) {
      b.append("<tr><td>")
          .append(escape(t.gate()))
          .append("</td><td>")
          .append(escape(t.dimension()))
          .append("</td><td>")
          .append(escape(t.side()))
          .append("</td><td>")
          .append(escape(t.method()))
          .append("</td><td class=\"num\">")
          .append(t.points().size())
          .append("</td><td class=\"")
          .append(t.fallbacks() > 0 ? "num flagged" : "num")
          .append("\">")
          .append(t.fallbacks())
          .append("</td><td class=\"num\">")
          .append(escape(Html.number(t.median())))
          .append("</td><td class=\"num\">")
          .append(escape(Html.number(t.min()) + " – " + Html.number(t.max())))
          .append("</td><td class=\"num\">")
          .append(t.undated())
          .append("</td></tr>");
    }
    b.append("</tbody></table></div><div class=\"grid\">");
    for (AdaptiveThresholds t : q.thresholds()) {
      String label = q.panel() + " " + t.title() + " by acquisition date";
      b.append("<figure class=\"threshold-plot\" data-plot=\"thresholds-")
          .append(escape(q.panel() + "-" + t.gate() + "-" + t.dimension() + "-" + t.side()))
          .append("\">")
          .append(Charts.thresholds(q.panel(), t))
          .append("<figcaption>")
          .append(escape(label))
          .append("</figcaption></figure>");
    }
    b.append("</div>");
  }

  private static void heatmaps(StringBuilder b, ReportModel m) {
    b.append("<section id=\"")
        .append(HEATMAPS)
        .append("\"><h2>Metacluster × marker medians")
        .append("</h2>");
    if (m.heatmaps().isEmpty()) {
      b.append("<p class=\"empty\">No clusters in the lake (run cytolake cluster).</p>");
    }
    for (Heatmap h : m.heatmaps()) {
      b.append("<figure data-plot=\"heatmap-")
          .append(escape(h.panel()))
          .append('-')
          .append(escape(h.algorithm()))
          .append("\"><h3>Panel ")
          .append(escape(h.panel()))
          .append(", ")
          .append(escape(h.algorithm()))
          .append("</h3>")
          .append(Charts.heatmap(h))
          .append("<figcaption>Rows: metacluster, label (events); columns: the panel's lineage")
          .append(" markers; colour: median scaled within each marker between its 1st and 99th")
          .append(" percentile over the panel's events</figcaption></figure>");
    }
    b.append("</section>\n");
  }

  private static void cohortSummary(StringBuilder b, CohortSummary c) {
    b.append("<section id=\"").append(COHORT_SUMMARY).append("\"><h2>Cohort summary</h2>");
    if (c == null) {
      b.append("<p class=\"empty\">cohort_summary: not computed (run cytolake aggregate).</p>");
    } else {
      b.append("<p class=\"meta\">cohort_summary has ")
          .append(c.totalRows())
          .append(" rows (")
          .append(c.features())
          .append(" features × cohorts × visits); ")
          .append("the whole table is in the lake (cohort_summary, see README, ")
          .append("\"Analyst queries\"). Shown here:</p>");
      for (TitledTable t : c.tables()) {
        b.append("<h3>").append(escape(t.title())).append("</h3>");
        if (t.note() != null) {
          b.append("<p class=\"empty\">").append(escape(t.note())).append("</p>");
        }
        if (!t.table().rows().isEmpty()) {
          table(b, t.table(), "cohort-summary-table");
        }
      }
    }
    b.append("</section>\n");
  }

  private static void effects(StringBuilder b, Effects e) {
    b.append("<section id=\"").append(EFFECTS).append("\"><h2>Effects (differential)</h2>");
    if (e == null) {
      b.append("<p class=\"empty\">differential: not computed (run cytolake aggregate).</p>");
      b.append("</section>\n");
      return;
    }
    b.append("<p class=\"meta\">From the differential table: every tested pooled row (cohort ")
        .append(escape(e.pooled()))
        .append("), one plot per visit and effect scale; red: the primary endpoint.</p>");
    if (e.volcanoes().isEmpty()) {
      b.append("<p class=\"empty\">No tested pooled row in differential.</p>");
    }
    b.append("<div class=\"grid\">");
    for (Effects.Volcano v : e.volcanoes()) {
      b.append("<figure data-plot=\"volcano-")
          .append(escape(v.visit()))
          .append('-')
          .append(escape(v.scale()))
          .append("\">")
          .append(Charts.volcano(v, e.baseline(), e.pooled()))
          .append("<figcaption>")
          .append(v.points().size())
          .append(" feature(s) tested at ")
          .append(escape(v.visit()))
          .append("</figcaption></figure>");
    }
    b.append("</div>");
    Effects.Trajectories t = e.trajectories();
    if (t != null) {
      b.append("<h3>")
          .append(escape(t.title()))
          .append(" per patient (primary endpoint)</h3><p class=\"meta\">")
          .append(escape(t.endpoint().label()))
          .append(" from immunophenotype; thin lines: one patient each; bold line: median per")
          .append(" visit.</p><div class=\"grid\">");
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (Effects.CohortTrajectories c : t.cohorts()) {
        for (Effects.PatientTrajectory p : c.patients()) {
          for (double v : p.values().values()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
        }
      }
      for (Effects.CohortTrajectories c : t.cohorts()) {
        b.append("<figure data-plot=\"trajectories-")
            .append(escape(c.cohort()))
            .append("\">")
            .append(Charts.trajectories(t, c, lo, hi))
            .append("<figcaption>")
            .append(escape(c.cohort()))
            .append(": ")
            .append(c.patients().size())
            .append(" patient(s)</figcaption></figure>");
      }
      b.append("</div>");
    }
    b.append("</section>\n");
  }

  static void table(StringBuilder b, DataTable t, String cssClass) {
    Map<Integer, Boolean> numeric = new LinkedHashMap<>();
    for (int c = 0; c < t.columns().size(); c++) {
      boolean num = !t.rows().isEmpty();
      for (List<String> r : t.rows()) {
        String v = r.get(c);
        if (v != null && !v.matches("-?[0-9][0-9.eE+\\-]*|NaN|-?Inf")) {
          num = false;
          break;
        }
      }
      numeric.put(c, num);
    }
    b.append("<div class=\"scroll\"><table class=\"")
        .append(escape(cssClass))
        .append("\"><thead><tr>");
    for (String c : t.columns()) {
      b.append("<th>").append(escape(c)).append("</th>");
    }
    b.append("</tr></thead><tbody>");
    for (List<String> r : t.rows()) {
      b.append("<tr>");
      for (int c = 0; c < r.size(); c++) {
        b.append(numeric.get(c) ? "<td class=\"num\">" : "<td>")
            .append(escape(r.get(c)))
            .append("</td>");
      }
      b.append("</tr>");
    }
    b.append("</tbody></table></div>");
    if (t.totalRows() > t.rows().size()) {
      b.append("<p class=\"note\">")
          .append(t.rows().size())
          .append(" of ")
          .append(t.totalRows())
          .append(" rows shown.</p>");
    }
  }
}
