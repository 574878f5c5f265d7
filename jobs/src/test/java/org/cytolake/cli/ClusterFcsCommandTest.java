package org.cytolake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.cytolake.generate.SeparableSamples;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cytolake cluster-fcs} on one separable samples P3 file, scored against the generator's truth in both label forms
 * (the truth CSV, and the same labels one per line, some quoted): the same score either way, the JSON shape of
 * issue 7, per-event output for every event as Parquet that DuckDB reads back, and a label file of the wrong length
 * rejected with exit status 3.
 */
class ClusterFcsCommandTest {
  static final String FILE = "fcs/2014-01-06/TRANSREG-RA-01_D1_P3.fcs";
  static final String SECOND = "fcs/2014-01-13/TRANSREG-RA-01_D8_P3.fcs";
  static final String[] COLUMNS = {
    "--columns", "FITC-A,PE-A,PE-CF594-A,PerCP-Cy5.5-A,PE-Cy7-A,APC-A,BV421-A"
  };
  static Path fcs;
  static Path truth;
  static List<String> labels = new ArrayList<>();
  static long secondEvents;

  @BeforeAll
  static void readTruth() throws Exception {
    Path samples = SeparableSamples.dir();
    fcs = samples.resolve(FILE);
    truth = samples.resolve("truth/event_labels.csv.gz");
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(truth)), StandardCharsets.UTF_8))) {
      r.readLine();
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith(FILE + ",")) {
          labels.add(line.split(",", 3)[2]);
        } else if (line.startsWith(SECOND + ",")) {
          secondEvents++;
        }
      }
    }
  }

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = CytolakeCli.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  private static JsonNode cluster(Path labelFile, Path out) throws Exception {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    List<String> args = new ArrayList<>(List.of("cluster-fcs", "--fcs", fcs.toString()));
    args.addAll(List.of(COLUMNS));
    args.addAll(
        List.of(
            "--transform",
            "asinh:150",
            "--compensate",
            "--metaclusters",
            "12",
            "--rlen",
            "5",
            "--labels",
            labelFile.toString(),
            "--out",
            out.toString(),
            "--json"));
    assertEquals(0, run(o, e, args.toArray(new String[0])), e.toString());
    return new ObjectMapper().readTree(o.toString());
  }

  @Test
  void bothLabelFormsGiveTheSameScoreAndTheJsonOfIssue7(@TempDir Path tmp) throws Exception {
    JsonNode fromCsv = cluster(truth, tmp.resolve("a"));
    Path text = tmp.resolve("labels.txt");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      lines.add(i % 2 == 0 ? "\"" + labels.get(i) + "\"" : labels.get(i));
    }
    Files.write(text, lines);
    JsonNode fromText = cluster(text, tmp.resolve("b"));

    assertEquals(fromCsv.get("mean_f1").asDouble(), fromText.get("mean_f1").asDouble(), 0.0);
    assertEquals(fromCsv.get("per_population"), fromText.get("per_population"));
    double f1 = fromCsv.get("mean_f1").asDouble();
    assertTrue(f1 > 0 && f1 <= 1, "mean F1 " + f1);
    Set<String> populations = new TreeSet<>(labels);
    populations.removeIf(l -> l.equalsIgnoreCase("unlabeled"));
    Set<String> scored = new TreeSet<>();
    fromCsv.get("per_population").fieldNames().forEachRemaining(scored::add);
    assertEquals(populations, scored);
    assertTrue(
        fromCsv.get("seconds").isObject() && fromCsv.get("seconds").has("score"),
        fromCsv.toString());
    assertEquals(labels.size(), fromCsv.get("events").asInt());
    assertTrue(Files.isRegularFile(tmp.resolve("a/events.parquet")));
  }

  /**
   * Two files clustered together: every table reads back in DuckDB as an analyst would ({@code read_parquet}), with
   * one event row per event (event_index 0..n-1 per file, in file order), nodes and metaclusters in range and
   * consistent with nodes.parquet, and metacluster counts equal to clusters.parquet and abundance.parquet.
   */
  @Test
  void tablesAreParquetThatDuckDbReads(@TempDir Path tmp) throws Exception {
    Path second = SeparableSamples.dir().resolve(SECOND);
    Path out = tmp.resolve("out");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    List<String> args =
        new ArrayList<>(List.of("cluster-fcs", "--fcs", fcs.toString(), second.toString()));
    args.addAll(List.of(COLUMNS));
    args.addAll(
        List.of(
            "--transform",
            "asinh:150",
            "--compensate",
            "--metaclusters",
            "12",
            "--rlen",
            "5",
            "--out",
            out.toString(),
            "--json"));
    assertEquals(0, run(o, e, args.toArray(new String[0])), e.toString());
    JsonNode summary = new ObjectMapper().readTree(o.toString());
    long events = summary.get("events").asLong();
    int k = summary.get("metaclusters").asInt();
    assertEquals(12, k);
    String dir = out.toString().replace("'", "''");
    String ev = "read_parquet('" + dir + "/events.parquet', file_row_number = true)";
    String nodes = "read_parquet('" + dir + "/nodes.parquet')";
    String clusters = "read_parquet('" + dir + "/clusters.parquet')";
    String abundance = "read_parquet('" + dir + "/abundance.parquet')";

    Class.forName("org.duckdb.DuckDBDriver");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      assertEquals(
          List.of("VARCHAR", "BIGINT", "INTEGER", "INTEGER"),
          row(
              s,
              "SELECT typeof(file), typeof(event_index), typeof(node), typeof(metacluster) FROM "
                  + ev
                  + " LIMIT 1"));
      // One row per event; nodes of the 10x10 grid, metaclusters 0..k-1.
      assertEquals(
          List.of(String.valueOf(events), "0", "0"),
          row(
              s,
              "SELECT count(*),"
                  + " count(*) FILTER (WHERE node NOT BETWEEN 0 AND 99),"
                  + " count(*) FILTER (WHERE metacluster NOT BETWEEN 0 AND "
                  + (k - 1)
                  + ") FROM "
                  + ev));
      // Per file, in the order given: event_index is 0..n-1 without gaps, n the file's events in
      // the truth.
      List<List<String>> perFile =
          rows(
              s,
              "SELECT file, count(*), min(event_index), max(event_index),"
                  + " count(DISTINCT event_index), min(file_row_number) FROM "
                  + ev
                  + " GROUP BY file ORDER BY min(file_row_number)");
      assertEquals(2, perFile.size());
      long[] truthEvents = {labels.size(), secondEvents};
      Path[] files = {fcs, second};
      for (int f = 0; f < 2; f++) {
        long n = truthEvents[f];
        assertEquals(
            List.of(files[f].toString(), "" + n, "0", "" + (n - 1), "" + n),
            perFile.get(f).subList(0, 5));
      }
      assertEquals(events, labels.size() + secondEvents);
      // Rows are in file order: event_index follows the row number within each file.
      assertEquals(
          List.of("0"),
          row(
              s,
              "SELECT count(*) FROM (SELECT event_index, row_number() OVER"
                  + " (PARTITION BY file ORDER BY file_row_number) - 1 AS i FROM "
                  + ev
                  + ") WHERE event_index <> i"));
      // Every event's metacluster is its node's metacluster in nodes.parquet (100 nodes, 7 codebook
      // columns).
      assertEquals(
          List.of("100", "0", "99"), row(s, "SELECT count(*), min(node), max(node) FROM " + nodes));
      assertEquals(2 + 7, rows(s, "DESCRIBE SELECT * FROM " + nodes).size());
      assertEquals(
          List.of("0"),
          row(
              s,
              "SELECT count(*) FROM "
                  + ev
                  + " e JOIN "
                  + nodes
                  + " n USING (node) WHERE e.metacluster <> n.metacluster"));
      // Metacluster counts of the events equal clusters.size and the per-file abundance; pct adds
      // up to 100.
      assertEquals(
          List.of(String.valueOf(k), "0"),
          row(
              s,
              "SELECT count(*), count(*) FILTER (WHERE coalesce(x.n, 0)"
                  + " <> c.size) FROM "
                  + clusters
                  + " c LEFT JOIN (SELECT metacluster, count(*) AS n FROM "
                  + ev
                  + " GROUP BY metacluster) x USING (metacluster)"));
      assertEquals(List.of("100.0"), row(s, "SELECT round(sum(pct), 6) FROM " + clusters));
      assertEquals(
          List.of(String.valueOf(2 * k), "0", String.valueOf(events)),
          row(
              s,
              "SELECT count(*),"
                  + " count(*) FILTER (WHERE a.count <> coalesce(x.n, 0)), sum(a.count) FROM "
                  + abundance
                  + " a LEFT JOIN"
                  + " (SELECT file, metacluster, count(*) AS n FROM "
                  + ev
                  + " GROUP BY ALL) x USING (file, metacluster)"));
      assertEquals(List.of("200.0"), row(s, "SELECT round(sum(pct), 6) FROM " + abundance));
      assertTrue(
          rows(s, "DESCRIBE SELECT * FROM " + clusters).stream()
              .anyMatch(r -> r.get(0).startsWith("median_")));
    }
  }

  private static List<String> row(Statement s, String sql) throws SQLException {
    List<List<String>> all = rows(s, sql);
    assertEquals(1, all.size(), sql);
    return all.get(0);
  }

  private static List<List<String>> rows(Statement s, String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> r = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          r.add(rs.getString(i));
        }
        out.add(r);
      }
    }
    return out;
  }

  @Test
  void anExportedModelMapsItsTrainingFileOntoTheSameNodesAndTestsFilesForMisfit(@TempDir Path tmp)
      throws Exception {
    Path second = SeparableSamples.dir().resolve(SECOND);
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    List<String> args = new ArrayList<>(List.of("cluster-fcs", "--fcs", fcs.toString()));
    args.addAll(List.of(COLUMNS));
    args.addAll(
        List.of(
            "--transform",
            "asinh:150",
            "--compensate",
            "--metaclusters",
            "8",
            "--rlen",
            "5",
            "--xdim",
            "6",
            "--ydim",
            "6",
            "--out",
            tmp.resolve("fit").toString(),
            "--export-model",
            tmp.resolve("model").toString()));
    assertEquals(0, run(o, e, args.toArray(new String[0])), e.toString());
    assertTrue(Files.isRegularFile(tmp.resolve("model/cluster-model.json")));

    o = new StringWriter();
    e = new StringWriter();
    assertEquals(
        0,
        run(
            o,
            e,
            "cluster-fcs",
            "--fcs",
            fcs.toString(),
            second.toString(),
            "--model",
            tmp.resolve("model").toString(),
            "--out",
            tmp.resolve("mapped").toString(),
            "--json"),
        e.toString());
    JsonNode summary = new ObjectMapper().readTree(o.toString());
    assertEquals(8, summary.get("metaclusters").asInt());
    JsonNode misfit = summary.get("misfit");
    assertEquals(2, misfit.size());
    assertEquals(fcs.toString(), misfit.get(0).get("file").asText());
    assertEquals(false, misfit.get(0).get("flagged").asBoolean(), misfit.toString());
    assertEquals(
        misfit.get(0).get("median_distance").asDouble(),
        misfit.get(0).get("training_max").asDouble(),
        misfit.toString());
    assertEquals(second.toString(), misfit.get(1).get("file").asText());
    assertEquals(secondEvents, misfit.get(1).get("events").asLong());

    String fit =
        "read_parquet('" + tmp.resolve("fit/events.parquet").toString().replace("'", "''") + "')";
    String mapped =
        "read_parquet('"
            + tmp.resolve("mapped/events.parquet").toString().replace("'", "''")
            + "')";
    Class.forName("org.duckdb.DuckDBDriver");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      assertEquals(
          List.of(String.valueOf(labels.size()), String.valueOf(labels.size())),
          row(
              s,
              "SELECT count(*), count(*) FILTER (WHERE f.node = m.node AND f.metacluster = m.metacluster) FROM "
                  + fit
                  + " f JOIN "
                  + mapped
                  + " m USING (file, event_index)"));
    }

    e = new StringWriter();
    assertEquals(
        CytolakeCli.EXIT_BAD_INPUT,
        run(
            new StringWriter(),
            e,
            "cluster-fcs",
            "--fcs",
            fcs.toString(),
            "--model",
            tmp.resolve("model").toString(),
            "--columns",
            "FITC-A",
            "--out",
            tmp.resolve("x").toString()));
    assertTrue(e.toString().contains("do not go with --model"), e.toString());
  }

  @Test
  void aLabelFileOfTheWrongLengthExitsThree(@TempDir Path tmp) throws Exception {
    Path text = Files.write(tmp.resolve("short.txt"), labels.subList(0, 10));
    StringWriter e = new StringWriter();
    List<String> args = new ArrayList<>(List.of("cluster-fcs", "--fcs", fcs.toString()));
    args.addAll(List.of(COLUMNS));
    args.addAll(List.of("--labels", text.toString(), "--out", tmp.resolve("o").toString()));
    assertEquals(3, run(new StringWriter(), e, args.toArray(new String[0])));
    assertTrue(
        e.toString().contains("has 10 lines but the FCS files have " + labels.size() + " events"),
        e.toString());
  }
}
