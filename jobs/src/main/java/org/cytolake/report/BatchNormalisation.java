package org.cytolake.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cytolake.config.ChannelConfig;
import org.cytolake.cytometry.transform.AsinhCofactor;
import org.cytolake.report.ReportModel.DataTable;

/**
 * The batch normalisation of one panel as a cytometrist reads it: the model version in use, its
 * batches by reference (control aliquots or pooled patient samples), the samples normalised and
 * those quarantined by reason, the columns left unnormalised in some batch, and a Levey-Jennings
 * chart per drawn column: the median of the column in each control aliquot by acquisition date,
 * raw ({@code events_<panel>}) and normalised ({@code events_norm_<panel>}).
 *
 * <p>Training aliquots are what each batch's spline was fitted on, so once normalised they sit on
 * the goal by construction; the validation aliquots, held out of the fit, are the honest view of
 * the batch effect left. Built from rows of {@code normalisation_samples}, {@code
 * normalisation_models} and the control medians by {@link #of}; rendered by {@link #render}.
 *
 * @param modelVersion the version in use (the panel's latest), 0 when the models table has none
 * @param versions how many versions the panel has had
 * @param batchesBySource batches of the version in use by reference ({@code control}, {@code
 *     pooled})
 * @param statuses samples by status and role, {@code normalised} first, then quarantine reasons
 * @param quarantined the samples not normalised, by reason, batch and sample id
 * @param unnormalised column → the batches it is left unnormalised in, in column order
 * @param charts the drawn columns, the largest between-batch spread of raw control medians first
 * @param notes what was left out and why
 */
public record BatchNormalisation(
    String panel,
    int modelVersion,
    int versions,
    Map<String, Integer> batchesBySource,
    List<StatusCount> statuses,
    List<SampleStatus> quarantined,
    Map<String, List<String>> unnormalised,
    List<ControlChart> charts,
    List<String> notes) {

  /** Charts drawn per panel at most: the columns with the largest batch effect. */
  public static final int MAX_CHARTS = 6;

  /** Quarantined samples listed one by one; beyond this, only the counts. */
  public static final int MAX_QUARANTINE_ROWS = 500;

  /** The status of a normalised sample ({@code normalisation_samples.status}). */
  public static final String NORMALISED = "normalised";

  public BatchNormalisation {
    Objects.requireNonNull(panel, "panel");
    batchesBySource = java.util.Collections.unmodifiableMap(new TreeMap<>(batchesBySource));
    statuses = List.copyOf(statuses);
    quarantined = List.copyOf(quarantined);
    unnormalised = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(unnormalised));
    charts = List.copyOf(charts);
    notes = List.copyOf(notes);
  }

  /**
   * A row of {@code normalisation_samples}.
   *
   * @param control null for a patient sample, {@code training} or {@code validation}
   * @param batch null when the batch rule cannot place the sample
   * @param status {@value #NORMALISED} or the quarantine reason
   * @param unnormalisedColumns ';'-separated columns left as they are in its batch, or null
   */
  public record SampleStatus(
      String sampleId,
      String panel,
      String control,
      String batch,
      String status,
      String unnormalisedColumns) {
    public SampleStatus {
      Objects.requireNonNull(sampleId, "sampleId");
      Objects.requireNonNull(panel, "panel");
      Objects.requireNonNull(status, "status");
    }

    /** {@code patient}, {@code training} or {@code validation}. */
    public String role() {
      return control == null ? "patient" : control;
    }
  }

  /** Samples of one status: patient samples, training and validation control aliquots. */
  public record StatusCount(String status, int patients, int training, int validation) {
    public int total() {
      return patients + training + validation;
    }
  }

  /**
   * A row of {@code normalisation_models} without its quantile: which batch of which version has
   * which reference, and, on goal rows ({@code batch = '*'}), the goal's value at a probability.
   *
   * @param value the quantile's value, NaN when not read or null in the table
   */
  public record ModelRow(
      String panel,
      int version,
      String batch,
      String source,
      String column,
      double probability,
      double value) {
    public ModelRow {
      Objects.requireNonNull(panel, "panel");
      Objects.requireNonNull(batch, "batch");
      Objects.requireNonNull(source, "source");
    }

    /** Whether the row is the goal's ({@code batch = '*'}). */
    public boolean goal() {
      return batch.equals("*");
    }
  }

  /**
   * The median of one column over one control aliquot's clean events.
   *
   * @param date its acquisition date, or null (it is then not drawn)
   * @param raw the median in {@code events_<panel>}
   * @param normalised the median in {@code events_norm_<panel>}, NaN when it is not normalised
   */
  public record ControlMedian(
      String sampleId,
      String column,
      String control,
      LocalDate date,
      String batch,
      double raw,
      double normalised) {
    public ControlMedian {
      Objects.requireNonNull(sampleId, "sampleId");
      Objects.requireNonNull(column, "column");
    }

    /** Whether the aliquot was held out of the fit. */
    public boolean validation() {
      return "validation".equals(control);
    }
  }

  /**
   * One column's Levey-Jennings chart.
   *
   * @param axis the y axis label: marker, column and scale, e.g. {@code CD25 (cd25),
   *     arcsinh(x/150)}
   * @param goalMedian the goal's median (the model's quantile nearest probability 0.5), or NaN
   * @param points the control aliquots with a date, by date then sample id
   * @param batchSpread the between-batch standard deviation of the raw control medians (of the
   *     per-batch means); what orders the columns
   * @param validationSdRaw standard deviation of the raw medians of the normalised validation
   *     aliquots, NaN under two
   * @param validationSdNormalised the same aliquots' normalised medians
   */
  public record ControlChart(
      String column,
      String axis,
      double goalMedian,
      List<ControlMedian> points,
      double batchSpread,
      double validationSdRaw,
      double validationSdNormalised) {
    public ControlChart {
      Objects.requireNonNull(column, "column");
      Objects.requireNonNull(axis, "axis");
      points = List.copyOf(points);
    }

    /** The axis label without its scale, e.g. {@code CD25 (cd25)}: what the chart is of. */
    public String name() {
      int scale = axis.lastIndexOf(", ");
      return scale > 0 ? axis.substring(0, scale) : axis;
    }
  }

  /**
   * The y axis label of a column: its marker and column and the scale its values are stored on,
   * e.g. {@code CD25 (cd25), arcsinh(x/150)}; {@code fsc_a, linear} for an untransformed channel.
   */
  public static String axisLabel(ChannelConfig channel) {
    String name =
        channel.marker() == null || channel.marker().isBlank()
            ? channel.column()
            : channel.marker() + " (" + channel.column() + ")";
    String scale;
    if (channel.transform() instanceof AsinhCofactor a) {
      scale = "arcsinh(x/" + Html.number(a.cofactor()) + ")";
    } else if (channel.transform() == null || channel.transform().spec().equals("none")) {
      scale = "linear";
    } else {
      scale = channel.transform().spec();
    }
    return name + ", " + scale;
  }

  /**
   * The section model of one panel.
   *
   * @param samples its rows of {@code normalisation_samples}
   * @param models its rows of {@code normalisation_models}: at least one per version, batch and
   *     source; the goal rows with their probability and value for the goal median
   * @param medians the control aliquots' medians per column
   * @param axes column → y axis label ({@link #axisLabel}); the column itself when missing
   */
  public static BatchNormalisation of(
      String panel,
      List<SampleStatus> samples,
      List<ModelRow> models,
      List<ControlMedian> medians,
      Map<String, String> axes) {
    // 1. the version in use, its batches by source and its columns (goal rows, in model order)
    int version = models.stream().mapToInt(ModelRow::version).max().orElse(0);
    int versions = (int) models.stream().mapToInt(ModelRow::version).distinct().count();
    Map<String, TreeSet<String>> bySource = new TreeMap<>();
    Map<String, double[]> goal = new LinkedHashMap<>(); // column -> {|p - 0.5|, value}
    for (ModelRow r : models) {
      if (r.version() != version) {
        continue;
      }
      if (!r.goal()) {
        bySource.computeIfAbsent(r.source(), k -> new TreeSet<>()).add(r.batch());
      } else if (r.column() != null && r.source().equals("goal")) {
        double d = Math.abs(r.probability() - 0.5);
        double[] best = goal.computeIfAbsent(r.column(), k -> new double[] {2, Double.NaN});
        if (d < best[0] && Double.isFinite(r.value())) {
          best[0] = d;
          best[1] = r.value();
        }
      }
    }
    Map<String, Integer> batches = new TreeMap<>();
    bySource.forEach((s, b) -> batches.put(s, b.size()));

    // 2. samples by status and role; the quarantined ones listed; unnormalised columns by batch
    Map<String, int[]> counts = new TreeMap<>(BatchNormalisation::statusOrder);
    List<SampleStatus> quarantined = new ArrayList<>();
    Map<String, TreeSet<String>> unnormalisedBy = new TreeMap<>();
    for (SampleStatus s : samples) {
      int[] c = counts.computeIfAbsent(s.status(), k -> new int[3]);
      c[s.control() == null ? 0 : s.control().equals("training") ? 1 : 2]++;
      if (!s.status().equals(NORMALISED)) {
        quarantined.add(s);
      }
      if (s.unnormalisedColumns() != null && !s.unnormalisedColumns().isBlank()) {
        for (String col : s.unnormalisedColumns().split(";")) {
          if (!col.isBlank()) {
            unnormalisedBy
                .computeIfAbsent(col.trim(), k -> new TreeSet<>())
                .add(s.batch() == null ? "(no batch)" : s.batch());
          }
        }
      }
    }
    List<StatusCount> statuses = new ArrayList<>();
    counts.forEach((s, c) -> statuses.add(new StatusCount(s, c[0], c[1], c[2])));
    quarantined.sort(
        Comparator.comparing(SampleStatus::status)
            .thenComparing(SampleStatus::batch, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(SampleStatus::sampleId));
    List<String> columnOrder = new ArrayList<>(goal.keySet());
    for (ControlMedian m : medians) {
      if (!columnOrder.contains(m.column())) {
        columnOrder.add(m.column());
      }
    }
    Map<String, List<String>> unnormalised = new LinkedHashMap<>();
    for (String c : columnOrder) {
      if (unnormalisedBy.containsKey(c)) {
        unnormalised.put(c, List.copyOf(unnormalisedBy.remove(c)));
      }
    }
    unnormalisedBy.forEach((c, b) -> unnormalised.put(c, List.copyOf(b)));

    // 3. one chart per column, the largest batch effect first, at most MAX_CHARTS
    Map<String, List<ControlMedian>> byColumn = new LinkedHashMap<>();
    for (String c : columnOrder) {
      byColumn.put(c, new ArrayList<>());
    }
    medians.forEach(m -> byColumn.get(m.column()).add(m));
    List<ControlChart> all = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    long undated =
        medians.stream()
            .filter(m -> m.date() == null)
            .map(ControlMedian::sampleId)
            .distinct()
            .count();
    for (Map.Entry<String, List<ControlMedian>> e : byColumn.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      List<ControlMedian> points =
          new ArrayList<>(e.getValue().stream().filter(m -> m.date() != null).toList());
      points.sort(Comparator.comparing(ControlMedian::date).thenComparing(ControlMedian::sampleId));
      List<ControlMedian> held =
          points.stream().filter(m -> m.validation() && Double.isFinite(m.normalised())).toList();
      all.add(
          new ControlChart(
              e.getKey(),
              axes.getOrDefault(e.getKey(), e.getKey()),
              goal.containsKey(e.getKey()) ? goal.get(e.getKey())[1] : Double.NaN,
              points,
              batchSpread(e.getValue()),
              sd(held.stream().mapToDouble(ControlMedian::raw).toArray()),
              sd(held.stream().mapToDouble(ControlMedian::normalised).toArray())));
    }
    all.sort(Comparator.comparingDouble(ControlChart::batchSpread).reversed());
    List<ControlChart> charts = all.subList(0, Math.min(MAX_CHARTS, all.size()));
    if (all.size() > charts.size()) {
      notes.add(
          (all.size() - charts.size())
              + " more normalised column(s) not drawn, smaller between-batch spread: "
              + String.join(
                  ", ",
                  all.subList(charts.size(), all.size()).stream()
                      .map(ControlChart::column)
                      .toList()));
    }
    if (undated > 0) {
      notes.add(undated + " control aliquot(s) without an acquisition date are not drawn");
    }
    if (medians.isEmpty()) {
      notes.add("No control aliquot of this panel has clean events: nothing to draw");
    }
    return new BatchNormalisation(
        panel, version, versions, batches, statuses, quarantined, unnormalised, charts, notes);
  }

  /** Samples normalised, in all. */
  public int normalised() {
    return statuses.stream()
        .filter(s -> s.status().equals(NORMALISED))
        .mapToInt(StatusCount::total)
        .sum();
  }

  /** {@value #NORMALISED} first, then the quarantine reasons by name. */
  private static int statusOrder(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    if (a.equals(NORMALISED)) {
      return -1;
    }
    return b.equals(NORMALISED) ? 1 : a.compareTo(b);
  }

  /**
   * The between-batch standard deviation of raw medians: the sample SD of the per-batch means of
   * the aliquots' raw medians (aliquots without a batch left out); 0 under two batches.
   */
  static double batchSpread(List<ControlMedian> medians) {
    Map<String, double[]> byBatch = new TreeMap<>();
    for (ControlMedian m : medians) {
      if (m.batch() != null && Double.isFinite(m.raw())) {
        double[] s = byBatch.computeIfAbsent(m.batch(), k -> new double[2]);
        s[0] += m.raw();
        s[1]++;
      }
    }
    double[] means = byBatch.values().stream().mapToDouble(s -> s[0] / s[1]).toArray();
    return means.length < 2 ? 0 : sd(means);
  }

  /** The sample standard deviation (n − 1), NaN under two values. */
  static double sd(double[] v) {
    if (v.length < 2) {
      return Double.NaN;
    }
    double mean = 0;
    for (double x : v) {
      mean += x;
    }
    mean /= v.length;
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    return Math.sqrt(ss / (v.length - 1));
  }

  /**
   * The section {@code <section id="}{@value ReportRenderer#NORMALISATION}{@code ">}: what it
   * shows and how to read it, then one subsection per panel: model, samples by status, the
   * quarantined samples, the unnormalised columns and the control charts.
   */
  static void render(StringBuilder b, List<BatchNormalisation> panels) {
    b.append("<section id=\"")
        .append(ReportRenderer.NORMALISATION)
        .append("\"><h2>Batch normalisation</h2>")
        .append("<p class=\"meta\">cytolake normalise maps each batch's events onto a goal")
        .append(" with a monotone spline per column, fitted on the batch's training control")
        .append(" aliquots (or, where a batch has none and missing-control is pooled, on its own")
        .append(" patient samples); analyses read events_norm_&lt;panel&gt;. Each chart is")
        .append(" Levey-Jennings style: the median of one column over each control aliquot's")
        .append(" clean events (qc_flag = 0) by acquisition date, raw (orange) and normalised")
        .append(" (blue). Training aliquots (filled) are what the splines were fitted on: once")
        .append(" normalised they sit on the goal (dashed) by construction and prove nothing.")
        .append(" Validation aliquots (open circles) were held out of the fit: they are the")
        .append(" honest view, and their normalised medians should lie closer together across")
        .append(" batches than their raw ones.</p>");
    if (panels.isEmpty()) {
      b.append("<p class=\"empty\">normalisation_samples has no panel.</p>");
    }
    for (BatchNormalisation p : panels) {
      p.renderPanel(b);
    }
    b.append("</section>\n");
  }

  private void renderPanel(StringBuilder b) {
    b.append("<h3>Panel ")
        .append(Html.escape(panel))
        .append("</h3><p class=\"meta\">Model version <b>")
        .append(modelVersion)
        .append("</b> in use")
        .append(versions > 1 ? " (" + versions + " versions in normalisation_models)" : "")
        .append("; batches by reference: ");
    if (batchesBySource.isEmpty()) {
      b.append("none");
    } else {
      List<String> parts = new ArrayList<>();
      batchesBySource.forEach((s, n) -> parts.add(n + " " + s));
      b.append(Html.escape(String.join(", ", parts)));
    }
    b.append(". ")
        .append(normalised())
        .append(" sample(s) normalised, ")
        .append(quarantined.size())
        .append(" quarantined.</p>");
    List<List<String>> rows = new ArrayList<>();
    for (StatusCount s : statuses) {
      rows.add(
          List.of(
              s.status(),
              Integer.toString(s.patients()),
              Integer.toString(s.training()),
              Integer.toString(s.validation()),
              Integer.toString(s.total())));
    }
    ReportRenderer.table(
        b,
        new DataTable(
            List.of("status", "patient samples", "training controls", "validation controls", "all"),
            rows,
            rows.size()),
        "normalisation-status");
    if (!quarantined.isEmpty()) {
      b.append("<h4>Quarantined samples</h4>");
      List<List<String>> q = new ArrayList<>();
      for (SampleStatus s :
          quarantined.subList(0, Math.min(MAX_QUARANTINE_ROWS, quarantined.size()))) {
        q.add(List.of(s.sampleId(), s.role(), s.batch() == null ? "" : s.batch(), s.status()));
      }
      ReportRenderer.table(
          b,
          new DataTable(List.of("sample", "role", "batch", "reason"), q, quarantined.size()),
          "normalisation-quarantine");
      b.append("<p class=\"meta\">NO_BATCH: no acquisition date or manifest batch for the")
          .append(" batch rule; NO_BATCH_CONTROL: its batch has no usable control and")
          .append(" missing-control is quarantine; BATCH_CONFOUNDED: its batch has no control")
          .append(" and cannot be pooled.</p>");
    }
    if (!unnormalised.isEmpty()) {
      b.append("<h4>Columns left unnormalised in some batch</h4>");
      List<List<String>> u = new ArrayList<>();
      unnormalised.forEach((c, bs) -> u.add(List.of(c, String.join(", ", bs))));
      ReportRenderer.table(
          b,
          new DataTable(List.of("column", "batches"), u, u.size()),
          "normalisation-unnormalised");
      b.append("<p class=\"meta\">No signal in the batch's reference (all its quantiles equal):")
          .append(" the column keeps its raw values there.</p>");
    }
    if (!charts.isEmpty()) {
      b.append("<h4>Control aliquots' medians by acquisition date</h4><div class=\"grid\">");
      for (ControlChart c : charts) {
        b.append("<figure class=\"control-chart\" data-plot=\"normalisation-")
            .append(Html.escape(panel + "-" + c.column()))
            .append("\">")
            .append(Charts.controlMedians(panel, c))
            .append("<figcaption>")
            .append(Html.escape(caption(c)))
            .append("</figcaption></figure>");
      }
      b.append("</div>");
    }
    for (String n : notes) {
      b.append("<p class=\"note\">").append(Html.escape(n)).append("</p>");
    }
  }

  /**
   * A chart's caption: the spread of the held-out aliquots' medians raw and normalised (when
   * there are two), then the between-batch spread that ranked the column.
   */
  static String caption(ControlChart c) {
    String s = c.name() + ": ";
    if (Double.isFinite(c.validationSdRaw())) {
      s +=
          "SD of the validation aliquots' medians "
              + Html.number(c.validationSdRaw())
              + " raw → "
              + Html.number(c.validationSdNormalised())
              + " normalised; ";
    }
    return s + "between-batch SD of raw control medians " + Html.number(c.batchSpread());
  }
}
