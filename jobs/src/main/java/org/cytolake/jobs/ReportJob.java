package org.cytolake.jobs;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.Settings;
import org.cytolake.report.Html;
import org.cytolake.report.QuarantineEntry;
import org.cytolake.report.ReportModel;
import org.cytolake.report.ReportModel.CohortSeries;
import org.cytolake.report.ReportModel.DataTable;
import org.cytolake.report.ReportModel.Heatmap;
import org.cytolake.report.ReportModel.HeatmapRow;
import org.cytolake.report.ReportModel.Point;
import org.cytolake.report.ReportModel.SampleEvents;
import org.cytolake.report.ReportRenderer;
import org.cytolake.report.RunSummary;
import org.cytolake.report.RunSummaryJson;
import org.cytolake.tables.Pseudonymizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTML report of one run: reads the small tables of the lake, builds a {@link ReportModel}
 * and writes {@code <lake>/_reports/<run id>/index.html} (through the Hadoop FileSystem API).
 *
 * <ol>
 *   <li>Load conf/ (visit order, the Treg population, the pseudonymisation key).
 *   <li>QC: events per sample from {@code samples}; quarantined inputs from the restricted
 *       {@code quarantine} table, sanitised ({@link QuarantineEntry}: no paths, messages, values or
 *       records).
 *   <li>Treg % of CD4: {@code populations} of {@code report.treg-population} in
 *       {@code report.treg-panel}, joined to {@code samples} (visit) and {@code patients}
 *       (cohort).
 *   <li>Heatmaps: {@code clusters}' marker medians per panel and algorithm.
 *   <li>{@code cohort_summary}, rendered from whatever columns it has, when it exists.
 *   <li>Render and write the page.
 * </ol>
 *
 * Only the driver holds data here, and only small tables (one row per sample, metacluster,
 * quarantined input or cohort summary row); the events tables are never read.
 */
public final class ReportJob {
  private static final Logger LOG = LoggerFactory.getLogger(ReportJob.class);
  private static final int STEPS = 6;
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private ReportJob() {}

  /**
   * @param lake lake root (any Hadoop path)
   * @param conf configuration directory
   * @param schemas directory of the table contracts
   * @param runId the run the report belongs to, or null for a new id
   * @param summary a run summary JSON (any Hadoop path) to show at the top, or null
   */
  public record Options(String lake, Path conf, Path schemas, String runId, String summary) {}

  /**
   * @param path the written page
   * @param samples samples shown
   * @param quarantined quarantined inputs shown
   * @param cohorts cohorts with a Treg plot
   * @param heatmaps heatmaps drawn
   * @param cohortSummaryRows rows of cohort_summary, or -1 when it was not computed
   */
  public record Result(String runId, String path, int samples, int quarantined, int cohorts,
      int heatmaps, long cohortSummaryRows) {}

  public static Result run(SparkSession spark, Options o) throws IOException {
    JobRun run = JobRun.start(o.runId());
    step(spark, run, 1, "load configuration");
    CytolakeConfig config = CytolakeConfig.load(o.conf());
    Comparator<String> byVisit = config.visits().order();
    Pseudonymizer keys =
        Pseudonymizer.fromEnvironment(config.settings().get(Settings.PSEUDONYM_SALT_ENV));
    Lake lake = Lake.of(o.lake(), o.schemas(), config.settings());

    step(spark, run, 2, "QC: samples and quarantine");
    List<SampleEvents> samples = new ArrayList<>();
    if (lake.exists(spark, "samples")) {
      for (Row r : lake.read(spark, "samples")
          .select("sample_id", "panel", "visit", "event_count", "qc_status").collectAsList()) {
        samples.add(new SampleEvents(r.getString(0), r.getString(1), r.getString(2),
            r.isNullAt(3) ? 0 : r.getLong(3), r.getString(4)));
      }
    }
    samples.sort(Comparator.comparing(SampleEvents::panel)
        .thenComparing(SampleEvents::visit, byVisit).thenComparing(SampleEvents::sampleId));
    List<QuarantineEntry> quarantine = new ArrayList<>();
    if (lake.exists(spark, "quarantine")) {
      for (Row r : lake.read(spark, lake.schema("quarantine"))
          .select("job", "reason_code", "source", "locator", "field", "events")
          .collectAsList()) {
        quarantine.add(QuarantineEntry.sanitise(r.getString(0), r.getString(1), r.getString(2),
            r.getString(3), r.getString(4), r.isNullAt(5) ? null : r.getLong(5), keys));
      }
    }
    quarantine.sort(Comparator.comparing(QuarantineEntry::job)
        .thenComparing(QuarantineEntry::reasonCode).thenComparing(QuarantineEntry::sourceKind)
        .thenComparing(QuarantineEntry::reference)
        // Positions in numeric order: "line 9" before "line 10".
        .thenComparing(q -> q.locator() == null ? ""
            : String.format("%40s", q.locator().replaceAll("[^0-9]", ""))));

    step(spark, run, 3, "Treg % of CD4 by cohort and visit");
    String tregPanel = config.settings().get(Settings.REPORT_TREG_PANEL);
    String tregPath = config.settings().get(Settings.REPORT_TREG_POPULATION);
    Map<String, List<Point>> byCohort = new TreeMap<>();
    if (lake.exists(spark, "populations") && lake.exists(spark, "samples")) {
      Column pop = functions.col("population");
      Dataset<Row> treg = lake.read(spark, "populations")
          .filter(functions.col("panel").equalTo(tregPanel)
              .and(pop.equalTo(tregPath).or(pop.endsWith("/" + tregPath)))
              .and(functions.col("pct_of_parent").isNotNull()))
          .select("sample_id", "pct_of_parent")
          .join(lake.read(spark, "samples").select("sample_id", "patient_id", "visit"),
              "sample_id");
      Column cohort = functions.lit("all patients");
      if (lake.exists(spark, "patients")) {
        treg = treg.join(lake.read(spark, "patients").select("patient_id", "cohort"),
            new String[] {"patient_id"}, "left");
        cohort = functions.coalesce(functions.col("cohort"), functions.lit("unknown cohort"));
      }
      for (Row r : treg.select(cohort.as("cohort"), functions.col("visit"),
          functions.col("pct_of_parent")).collectAsList()) {
        byCohort.computeIfAbsent(r.getString(0), k -> new ArrayList<>())
            .add(new Point(r.getString(1), r.getDouble(2)));
      }
    }
    List<CohortSeries> treg = new ArrayList<>();
    Set<String> tregVisitSet = new java.util.TreeSet<>(byVisit);
    for (Map.Entry<String, List<Point>> e : byCohort.entrySet()) {
      List<Point> points = new ArrayList<>(e.getValue());
      points.sort(Comparator.comparing(Point::visit, byVisit)
          .thenComparingDouble(Point::value));
      points.forEach(p -> tregVisitSet.add(p.visit()));
      treg.add(new CohortSeries(e.getKey(), points));
    }

    step(spark, run, 4, "metacluster x marker heatmaps");
    List<Heatmap> heatmaps = lake.exists(spark, "clusters") ? heatmaps(spark, lake)
        : List.of();

    step(spark, run, 5, "cohort_summary");
    DataTable cohortSummary = lake.exists(spark, "cohort_summary")
        ? table(lake.read(spark, "cohort_summary"), ReportRenderer.MAX_TABLE_ROWS,
            config.visits().codes()) : null;
    RunSummary summary = o.summary() == null ? null : readSummary(spark, o.summary());

    step(spark, run, 6, "render and write the page");
    ReportModel model = new ReportModel(run.runId(), Instant.now(), lake.root(), summary, samples,
        quarantine, List.copyOf(tregVisitSet), treg, heatmaps, cohortSummary);
    String path = lake.root() + "/_reports/" + run.runId() + "/index.html";
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    FileSystem fs = p.getFileSystem(Lake.hadoopConf(spark));
    try (OutputStream out = fs.create(p, true)) {
      out.write(ReportRenderer.render(model).getBytes(StandardCharsets.UTF_8));
    }
    spark.sparkContext().setJobDescription(null);
    Result result = new Result(run.runId(), path, samples.size(), quarantine.size(), treg.size(),
        heatmaps.size(), cohortSummary == null ? -1 : cohortSummary.totalRows());
    LOG.info("report {}: {}", run.runId(), result);
    return result;
  }

  /** One heatmap per panel and algorithm (flowsom first), markers in their first-seen order. */
  static List<Heatmap> heatmaps(SparkSession spark, Lake lake) throws IOException {
    Map<List<String>, List<Row>> groups = new TreeMap<>(Comparator
        .comparing((List<String> k) -> k.get(0))
        .thenComparing(k -> !k.get(1).equals("flowsom"))
        .thenComparing(k -> k.get(1)));
    for (Row r : lake.read(spark, "clusters")
        .select("panel", "algorithm", "metacluster", "label", "size", "marker_medians")
        .orderBy("panel", "algorithm", "metacluster").collectAsList()) {
      groups.computeIfAbsent(List.of(r.getString(0), r.getString(1)), k -> new ArrayList<>())
          .add(r);
    }
    List<Heatmap> maps = new ArrayList<>();
    for (Map.Entry<List<String>, List<Row>> g : groups.entrySet()) {
      Set<String> markers = new LinkedHashSet<>();
      List<Map<String, Double>> medians = new ArrayList<>();
      for (Row r : g.getValue()) {
        Map<String, Double> m = new LinkedHashMap<>();
        JsonNode node = r.isNullAt(5) ? JSON.createObjectNode() : JSON.readTree(r.getString(5));
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          m.put(e.getKey(), e.getValue().isNumber() ? e.getValue().doubleValue() : Double.NaN);
        }
        markers.addAll(m.keySet());
        medians.add(m);
      }
      List<HeatmapRow> rows = new ArrayList<>();
      for (int i = 0; i < g.getValue().size(); i++) {
        Row r = g.getValue().get(i);
        Map<String, Double> m = medians.get(i);
        rows.add(new HeatmapRow(r.getInt(2), r.isNullAt(3) ? "" : r.getString(3),
            r.isNullAt(4) ? 0 : r.getLong(4),
            markers.stream().map(k -> m.getOrDefault(k, Double.NaN)).toList()));
      }
      maps.add(new Heatmap(g.getKey().get(0), g.getKey().get(1), List.copyOf(markers), rows));
    }
    return maps;
  }

  /**
   * A table as the report shows it: every column the data has, ordered by the key columns that
   * exist among cohort, visit (in {@code visitOrder}, then others by name) and feature, at most
   * {@code limit} rows (the total is kept).
   */
  static DataTable table(Dataset<Row> data, int limit, List<String> visitOrder) {
    List<String> columns = List.of(data.columns());
    List<Column> order = new ArrayList<>();
    for (String k : List.of("cohort", "visit", "feature")) {
      if (columns.contains(k)) {
        if (k.equals("visit") && !visitOrder.isEmpty()) {
          // the schedule's order (VisitSchedule.order): 1-based position, 0 when not listed
          Column at = functions.array_position(functions.array(visitOrder.stream()
              .map(functions::lit).toArray(Column[]::new)), functions.col(k));
          order.add(functions.when(at.equalTo(0), Long.MAX_VALUE).otherwise(at));
        }
        order.add(functions.col(k));
      }
    }
    Dataset<Row> sorted = order.isEmpty() ? data : data.orderBy(order.toArray(new Column[0]));
    long total = data.count();
    List<List<String>> rows = new ArrayList<>();
    StructField[] fields = data.schema().fields();
    for (Row r : sorted.limit(limit).collectAsList()) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < fields.length; i++) {
        Object v = r.get(i);
        cells.add(v == null ? null
            : v instanceof Double || v instanceof Float ? Html.number(((Number) v).doubleValue())
            : v.toString());
      }
      rows.add(cells);
    }
    return new DataTable(columns, rows, total);
  }

  private static RunSummary readSummary(SparkSession spark, String path) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    FileSystem fs = p.getFileSystem(Lake.hadoopConf(spark));
    try (InputStream in = fs.open(p)) {
      return RunSummaryJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), path);
    }
  }

  private static void step(SparkSession spark, JobRun run, int n, String what) {
    String d = "report " + n + "/" + STEPS + ": " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info("{} [{}]", d, run.runId());
  }
}
