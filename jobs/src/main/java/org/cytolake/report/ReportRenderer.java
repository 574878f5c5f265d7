package org.cytolake.report;

import static org.cytolake.report.Html.escape;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cytolake.report.ReportModel.CohortSeries;
import org.cytolake.report.ReportModel.DataTable;
import org.cytolake.report.ReportModel.Heatmap;
import org.cytolake.report.ReportModel.SampleEvents;

/**
 * Renders a {@link ReportModel} as one self-contained HTML page: inline CSS, inline SVG plots, no
 * script, no external URL. Every value is escaped; the markup is XML-compatible (every element
 * closed, no named entities), so tests parse the whole page with the JDK's XML parser.
 *
 * <p>Sections, each a {@code <section id>}: {@value #SUMMARY} (the run summary, when given),
 * {@value #QC} (events per sample, one bar plot per panel; quarantined inputs by reason),
 * {@value #TREG} (Treg % of CD4, one small plot per cohort), {@value #HEATMAPS} (metacluster ×
 * marker medians) and {@value #COHORT_SUMMARY}.
 */
public final class ReportRenderer {
  public static final String SUMMARY = "run-summary";
  public static final String QC = "qc";
  public static final String TREG = "treg";
  public static final String HEATMAPS = "heatmaps";
  public static final String COHORT_SUMMARY = "cohort-summary";
  /** Quarantine rows listed one by one; beyond this, only the counts by reason. */
  public static final int MAX_QUARANTINE_ROWS = 500;
  /** cohort_summary rows listed; the section says how many were left out. */
  public static final int MAX_TABLE_ROWS = 2000;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private static final String CSS = """
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
      svg .median{stroke:#c0392b;stroke-width:2}svg .trend{fill:none;stroke:#c0392b;
      stroke-width:1;stroke-dasharray:3 2}svg .cell{stroke:none}svg .missing{fill:#ddd}
      """;

  private ReportRenderer() {}

  /** The page. */
  public static String render(ReportModel m) {
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
        .append("<title>cytolake report ").append(escape(m.runId())).append("</title><style>")
        .append(CSS).append("</style></head>\n<body>\n<header><h1>cytolake run report</h1>")
        .append("<p class=\"meta\">run <b>").append(escape(m.runId())).append("</b> · lake ")
        .append(escape(m.lake())).append(" · generated ")
        .append(escape(TIME.format(m.generatedAt()))).append("</p><nav>");
    if (m.summary() != null) {
      link(b, SUMMARY, "Run summary");
    }
    link(b, QC, "QC");
    link(b, TREG, "Treg % of CD4");
    link(b, HEATMAPS, "Metacluster heatmaps");
    link(b, COHORT_SUMMARY, "Cohort summary");
    b.append("</nav></header>\n");
    if (m.summary() != null) {
      summary(b, m.summary());
    }
    qc(b, m);
    treg(b, m);
    heatmaps(b, m);
    cohortSummary(b, m.cohortSummary());
    return b.append("</body></html>\n").toString();
  }

  private static void link(StringBuilder b, String id, String text) {
    b.append("<a href=\"#").append(id).append("\">").append(escape(text)).append("</a>");
  }

  private static void summary(StringBuilder b, RunSummary s) {
    b.append("<section id=\"").append(SUMMARY).append("\"><h2>Run summary</h2>");
    if (!s.fields().isEmpty()) {
      b.append("<table class=\"fields\"><tbody>");
      for (RunSummary.Field f : s.fields()) {
        b.append("<tr><th>").append(escape(f.name())).append("</th><td>")
            .append(escape(f.value())).append("</td></tr>");
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
      b.append("<figure data-plot=\"events-").append(escape(e.getKey())).append("\">")
          .append(Charts.eventsPerSample(e.getKey(), s)).append("<figcaption>Panel ")
          .append(escape(e.getKey())).append(": events per sample (orange: QC status not OK)")
          .append("</figcaption></figure>");
      List<Double> ev = s.stream().map(x -> (double) x.events()).toList();
      long notOk = s.stream().filter(x -> x.qcStatus() != null
          && !x.qcStatus().equalsIgnoreCase("OK") && !x.qcStatus().equalsIgnoreCase("PASS"))
          .count();
      rows.add(List.of(e.getKey(), Integer.toString(s.size()),
          Long.toString(s.stream().mapToLong(SampleEvents::events).sum()),
          Html.number(ev.stream().mapToDouble(Double::doubleValue).min().orElse(0)),
          Html.number(Charts.median(ev)),
          Html.number(ev.stream().mapToDouble(Double::doubleValue).max().orElse(0)),
          Long.toString(notOk)));
    }
    if (!rows.isEmpty()) {
      table(b, new DataTable(List.of("panel", "samples", "events", "min", "median", "max",
          "QC not OK"), rows, rows.size()), "events-table");
    }
    b.append("<h3>Quarantined inputs</h3>");
    if (m.quarantine().isEmpty()) {
      b.append("<p class=\"empty\">No quarantined inputs.</p>");
    } else {
      Map<List<String>, long[]> byReason = new TreeMap<>((x, y) -> {
        for (int i = 0; i < x.size(); i++) {
          int c = x.get(i).compareTo(y.get(i));
          if (c != 0) {
            return c;
          }
        }
        return 0;
      });
      for (QuarantineEntry q : m.quarantine()) {
        long[] c = byReason.computeIfAbsent(List.of(q.job(), q.reasonCode(), q.sourceKind()),
            k -> new long[2]);
        c[0]++;
        c[1] += q.events() == null ? 0 : q.events();
      }
      List<List<String>> reasonRows = new ArrayList<>();
      for (Map.Entry<List<String>, long[]> e : byReason.entrySet()) {
        reasonRows.add(List.of(e.getKey().get(0), e.getKey().get(1), e.getKey().get(2),
            Long.toString(e.getValue()[0]), Long.toString(e.getValue()[1])));
      }
      table(b, new DataTable(List.of("job", "reason", "source kind", "inputs", "events"),
          reasonRows, reasonRows.size()), "quarantine-reasons");
      b.append("<p class=\"meta\">Sources are shown as keyed hashes (the quarantine table is ")
          .append("restricted: its paths, messages and records may hold patient identifiers).")
          .append("</p>");
      List<List<String>> entries = new ArrayList<>();
      for (QuarantineEntry q : m.quarantine().subList(0,
          Math.min(MAX_QUARANTINE_ROWS, m.quarantine().size()))) {
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
      table(b, new DataTable(List.of("job", "reason", "source kind", "source ref", "locator",
          "field", "events"), entries, m.quarantine().size()), "quarantine-entries");
    }
    b.append("</section>\n");
  }

  private static void treg(StringBuilder b, ReportModel m) {
    b.append("<section id=\"").append(TREG).append("\"><h2>Treg % of CD4 by cohort</h2>");
    double max = m.treg().stream().flatMap(s -> s.points().stream())
        .mapToDouble(ReportModel.Point::value).filter(Double::isFinite).max().orElse(0);
    if (m.treg().isEmpty()) {
      b.append("<p class=\"empty\">No Treg populations gated (populations ending in CD4/Treg).")
          .append("</p>");
    } else {
      b.append("<p class=\"meta\">One dot per sample; red bars: median per visit.</p>")
          .append("<div class=\"grid\">");
      for (CohortSeries s : m.treg()) {
        b.append("<figure data-plot=\"treg-").append(escape(s.cohort())).append("\">")
            .append(Charts.cohortVisits(s, m.tregVisits(), max)).append("<figcaption>")
            .append(escape(s.cohort())).append(": ").append(s.points().size())
            .append(" sample(s)</figcaption></figure>");
      }
      b.append("</div>");
    }
    b.append("</section>\n");
  }

  private static void heatmaps(StringBuilder b, ReportModel m) {
    b.append("<section id=\"").append(HEATMAPS).append("\"><h2>Metacluster × marker medians")
        .append("</h2>");
    if (m.heatmaps().isEmpty()) {
      b.append("<p class=\"empty\">No clusters in the lake (run cytolake cluster).</p>");
    }
    for (Heatmap h : m.heatmaps()) {
      b.append("<figure data-plot=\"heatmap-").append(escape(h.panel())).append('-')
          .append(escape(h.algorithm())).append("\"><h3>Panel ").append(escape(h.panel()))
          .append(", ").append(escape(h.algorithm())).append("</h3>").append(Charts.heatmap(h))
          .append("<figcaption>Rows: metacluster, label (events); colour: median scaled within")
          .append(" each marker</figcaption></figure>");
    }
    b.append("</section>\n");
  }

  private static void cohortSummary(StringBuilder b, DataTable t) {
    b.append("<section id=\"").append(COHORT_SUMMARY).append("\"><h2>Cohort summary</h2>");
    if (t == null) {
      b.append("<p class=\"empty\">cohort_summary: not computed (run cytolake aggregate).</p>");
    } else {
      table(b, t, "cohort-summary-table");
    }
    b.append("</section>\n");
  }

  private static void table(StringBuilder b, DataTable t, String cssClass) {
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
    b.append("<div class=\"scroll\"><table class=\"").append(escape(cssClass))
        .append("\"><thead><tr>");
    for (String c : t.columns()) {
      b.append("<th>").append(escape(c)).append("</th>");
    }
    b.append("</tr></thead><tbody>");
    for (List<String> r : t.rows()) {
      b.append("<tr>");
      for (int c = 0; c < r.size(); c++) {
        b.append(numeric.get(c) ? "<td class=\"num\">" : "<td>").append(escape(r.get(c)))
            .append("</td>");
      }
      b.append("</tr>");
    }
    b.append("</tbody></table></div>");
    if (t.totalRows() > t.rows().size()) {
      b.append("<p class=\"note\">").append(t.rows().size()).append(" of ").append(t.totalRows())
          .append(" rows shown.</p>");
    }
  }
}
