package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.cli.CytolakeCli;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.GateEvaluator;
import org.cytolake.gating.GateFcs;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.generate.SeparableSamples;
import org.cytolake.plot.AxisRange;
import org.cytolake.plot.DensityGrid;
import org.cytolake.plot.PlotRenderer;
import org.cytolake.testing.Lakes;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import picocli.CommandLine;

/**
 * {@code cytolake plot} on a lake ingested from separable samples and {@code plot-fcs} on one of its FCS
 * files: a 2D density with a population and gates, a 1D histogram, the Spark binning equal to the
 * pure {@link DensityGrid} on the same values, the population equal to {@link GateEvaluator}'s, the
 * gate lines at their thresholds, and errors that list the valid values.
 */
class PlotIT {
  @TempDir static Path dir;
  static Path lake;
  static Path home;
  static String sample;

  static final List<String> P1 =
      List.of(
          "fsc_a",
          "fsc_h",
          "ssc_a",
          "cd45ra",
          "cd25",
          "hla_dr",
          "cd4",
          "cd127",
          "foxp3",
          "viability",
          "helios",
          "cd3",
          "cd8",
          "time");

  @BeforeAll
  static void ingest() throws Exception {
    home = SharedData.projectDir();
    lake = dir.resolve("lake");
    Lakes.ingest(SparkTestSession.get(), SeparableSamples.dir(), lake, "plot");
    sample =
        SparkTestSession.get()
            .read()
            .parquet(lake.resolve("samples").toString())
            .where("panel = 'P1' AND visit = 'D1'")
            .orderBy("sample_id")
            .first()
            .getAs("sample_id");
  }

  static PlotJob.Options options(
      String x,
      String y,
      String sampleId,
      String visit,
      String population,
      boolean gates,
      AxisRange xr,
      AxisRange yr,
      Path out) {
    return new PlotJob.Options(
        lake.toString(),
        home.resolve("conf"),
        home.resolve("schemas"),
        "P1",
        x,
        y,
        sampleId,
        visit,
        null,
        population,
        gates,
        256,
        xr,
        yr,
        out,
        800,
        700,
        false);
  }

  /** One sample's clean events, all P1 columns, in memory (a few thousand). */
  static EventTable sampleEvents(SparkSession spark) {
    List<Row> rows =
        spark
            .read()
            .parquet(lake.resolve("events_p1").toString())
            .where(
                functions.col("sample_id").equalTo(sample).and(functions.col("qc_flag").equalTo(0)))
            .selectExpr(P1.stream().map(c -> "cast(" + c + " as double)").toArray(String[]::new))
            .collectAsList();
    double[] v = new double[rows.size() * P1.size()];
    for (int e = 0; e < rows.size(); e++) {
      for (int c = 0; c < P1.size(); c++) {
        v[e * P1.size() + c] = rows.get(e).getDouble(c);
      }
    }
    return new EventTable(sample, P1, rows.size(), v, null);
  }

  @Test
  void aDensityOfAPopulationWithItsGatesCountsWhatGateCountsAndDrawsTheThresholds()
      throws Exception {
    SparkSession spark = SparkTestSession.get();
    Path out = dir.resolve("t-cd4-cd8.png");
    PlotJob.Result r =
        PlotJob.run(
            spark,
            options(
                "CD4",
                "cd8",
                sample,
                null,
                "cells/singlets/live/lymphocytes/T",
                true,
                new AxisRange(-2, 7),
                new AxisRange(-2, 7),
                out));
    GatingStrategy p1 = CompactGatingReader.read(home.resolve("conf/gating/P1.yaml"));
    EventTable events = sampleEvents(spark);
    int expected = GateEvaluator.evaluate(p1, events).count("T");
    assertTrue(expected > 100, "T cells in " + sample + ": " + expected);
    assertEquals(expected, r.events(), "events of T in " + sample);
    assertEquals(List.of("CD4", "CD8"), r.gatesDrawn());
    assertEquals("cd4", r.xColumn());

    BufferedImage img = ImageIO.read(out.toFile());
    assertNotNull(img);
    assertEquals(800, img.getWidth());
    assertEquals(700, img.getHeight());
    // CD4's gate line x = 2.8, in a row at y = 6 (above the CD8 line at y = 2.8)
    Rectangle2D a = r.dataArea();
    int row = (int) Math.round(a.getY() + (7 - 6.0) / 9 * a.getHeight());
    double expectedX = a.getX() + (2.8 + 2) / 9 * a.getWidth();
    assertEquals(expectedX, redColumn(img, row, (int) a.getX() + 2, (int) a.getMaxX() - 2), 1.0);
  }

  @Test
  void theSparkBinningEqualsTheDensityGridOfTheSameValues() throws Exception {
    SparkSession spark = SparkTestSession.get();
    PlotJob.Result r =
        PlotJob.run(
            spark,
            options("fsc_a", "ssc_a", sample, null, null, false, null, null, dir.resolve("s.svg")));
    EventTable events = sampleEvents(spark);
    DensityGrid expected =
        DensityGrid.of(
            r.xAxis(),
            r.yAxis(),
            events.column(P1.indexOf("fsc_a")),
            events.column(P1.indexOf("ssc_a")));
    assertEquals(expected, r.grid());
    assertEquals(events.events(), r.events());
    // the automatic range: the 0.1-99.9% quantiles widened by 5%: few events fall outside
    assertTrue(r.outside() < events.events() / 100.0, "outside " + r.outside());
  }

  @Test
  void aHistogramOfAVisitAndPopulationIsAnSvgWithTitleAndLabels() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Path out = dir.resolve("cd25.svg");
    PlotJob.Result r =
        PlotJob.run(spark, options("cd25", null, null, "D1", "CD4", true, null, null, out));
    assertTrue(r.events() > 1000, "CD4 events at D1: " + r.events());
    assertEquals(null, r.yAxis());
    assertEquals(256, r.grid().counts().length);
    String svg = Files.readString(out);
    for (String text :
        List.of(
            "P1 (TREG): CD25",
            "visit D1",
            "population cells/singlets/live/lymphocytes/T/CD4",
            "CD25 (cd25), asinh:cofactor=150",
            "events per bin")) {
      assertTrue(svg.contains(text), "the SVG says '" + text + "'");
    }
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    Document doc = f.newDocumentBuilder().parse(out.toFile());
    assertEquals("svg", doc.getDocumentElement().getLocalName());
  }

  @Test
  void unknownNamesAreRefusedListingTheValidOnes() {
    SparkSession spark = SparkTestSession.get();
    Path out = dir.resolve("x.png");
    IllegalArgumentException column =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PlotJob.run(
                    spark, options("cd99", null, null, null, null, false, null, null, out)));
    assertTrue(
        column.getMessage().contains("'cd99'") && column.getMessage().contains("cd4 (CD4)"),
        column.getMessage());
    IllegalArgumentException s =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PlotJob.run(
                    spark, options("cd4", null, "nope", null, null, false, null, null, out)));
    assertTrue(
        s.getMessage().contains("'nope'") && s.getMessage().contains(sample), s.getMessage());
    IllegalArgumentException v =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PlotJob.run(
                    spark, options("cd4", null, null, "D99", null, false, null, null, out)));
    assertTrue(v.getMessage().contains("[D1, D8, M6]"), v.getMessage());
    IllegalArgumentException p =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PlotJob.run(
                    spark, options("cd4", null, null, null, "T/CD4", false, null, null, out)));
    assertTrue(
        p.getMessage().contains("cells/singlets/live/lymphocytes/T/CD4/Treg"), p.getMessage());
  }

  @Test
  void plotFcsDrawsAPopulationOfOneFileWithTheGatesOfAGatingFile() throws Exception {
    String first =
        Files.readAllLines(SeparableSamples.dir().resolve("manifest.csv")).get(1).split(",")[0];
    Path fcs = SeparableSamples.dir().resolve(first);
    Path gating = home.resolve("examples/plot-fcs/P1.yaml");
    Path out = dir.resolve("fcs.png");
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    CommandLine cli = CytolakeCli.commandLine();
    cli.setOut(new PrintWriter(stdout));
    cli.setErr(new PrintWriter(stderr));
    int status =
        cli.execute(
            "plot-fcs",
            "--fcs",
            fcs.toString(),
            "--x",
            "CD4",
            "--y",
            "BV605-A",
            "--transform",
            "asinh:cofactor=150",
            "--gating",
            gating.toString(),
            "--population",
            "T",
            "--gates",
            "--x-range",
            "-2:7",
            "--y-range",
            "-2:7",
            "--out",
            out.toString());
    assertEquals(0, status, stderr.toString());
    int t = GateFcs.apply(GateFcs.readStrategy(gating), EventTable.read(fcs)).count("T");
    assertTrue(
        stdout.toString().contains(String.format(java.util.Locale.ROOT, ": %,d events", t)),
        "T events " + t + ": " + stdout);
    assertTrue(stdout.toString().contains("gates drawn [cd4cd8]"), stdout.toString());
    BufferedImage img = ImageIO.read(out.toFile());
    assertEquals(800, img.getWidth());

    StringWriter err2 = new StringWriter();
    CommandLine bad = CytolakeCli.commandLine();
    bad.setErr(new PrintWriter(err2));
    bad.setOut(new PrintWriter(new StringWriter()));
    assertEquals(
        1,
        bad.execute("plot-fcs", "--fcs", fcs.toString(), "--x", "CD99", "--out", out.toString()));
    assertTrue(err2.toString().contains("PerCP-Cy5.5-A (CD4)"), err2.toString());
  }

  @Test
  void theSqlPopulationDecidesEveryEventAsThePopulationFilterDoes() throws Exception {
    // every gate type on plain columns; values include NaN, null, infinities and exact thresholds
    GatingStrategy s =
        CompactGatingReader.read(
            """
            gates:
              - {id: top, rectangle: [{dim: a, min: -1.5}]}
              - {id: poly, parent: top, polygon: {dims: [a, b], vertices: [[-1, -1], [2, -1], [2, 2], [0, 0.5]]}}
              - {id: ell, parent: top, ellipsoid: {dims: [b, c], mean: [0, 0.5], covariance: [[1, 0.3], [0.3, 0.5]], distanceSquare: 2}}
              - {id: q, parent: poly, quadrant: {dividers: [{id: dc, dim: c, values: [0]}, {id: dd, dim: d, values: [-0.5, 0.5]}], quadrants: {cpos_dmid: {dc: 1, dd: 0}, cneg: {dc: -1}}}}
              - {id: either, parent: top, or: [ell, "!q_other"]}
              - {id: q_other, rectangle: [{dim: d, max: 0.25}]}
              - {id: notpoly, not: poly}
              - {id: both, parent: ell, and: [q_other, cpos_dmid]}
            """,
            "test",
            false);
    List<String> cols = List.of("a", "b", "c", "d");
    java.util.Random r = new java.util.Random(5);
    double[] special = {
      Double.NaN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      -1.5,
      0,
      0.5,
      -0.5,
      2,
      -1,
      0.25
    };
    List<Row> rows = new ArrayList<>();
    for (int e = 0; e < 20_000; e++) {
      Object[] v = new Object[cols.size()];
      for (int c = 0; c < v.length; c++) {
        int pick = r.nextInt(40);
        v[c] =
            pick == 0
                ? null
                : pick < 6 ? special[r.nextInt(special.length)] : r.nextGaussian() * 1.5;
      }
      rows.add(org.apache.spark.sql.RowFactory.create(v));
    }
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType();
    for (String c : cols) {
      schema = schema.add(c, org.apache.spark.sql.types.DataTypes.DoubleType, true);
    }
    SparkSession spark = SparkTestSession.get();
    var df =
        spark
            .createDataFrame(rows, schema)
            .withColumn("i", functions.monotonically_increasing_id())
            .cache();
    List<Row> local = df.orderBy("i").collectAsList();
    java.util.Map<String, String> byName = new java.util.LinkedHashMap<>();
    cols.forEach(c -> byName.put(c, c));
    for (String p : s.populations()) {
      assertTrue(PopulationColumn.supports(s, p), p);
      org.cytolake.plot.PopulationFilter f = org.cytolake.plot.PopulationFilter.of(s, p, cols);
      java.util.Set<Long> expected = new java.util.HashSet<>();
      double[] v = new double[cols.size()];
      for (Row row : local) {
        for (int c = 0; c < v.length; c++) {
          v[c] = row.isNullAt(c) ? Double.NaN : row.getDouble(c);
        }
        if (f.test(v)) {
          expected.add(row.getLong(cols.size()));
        }
      }
      java.util.Set<Long> got =
          new java.util.HashSet<>(
              df.where(PopulationColumn.of(s, p, byName))
                  .select("i")
                  .as(org.apache.spark.sql.Encoders.LONG())
                  .collectAsList());
      assertEquals(expected, got, p);
      assertTrue(!expected.isEmpty() && expected.size() < rows.size(), p + ": " + expected.size());
    }
    df.unpersist();
  }

  /** The mean column of gate-red pixels in a row between two columns. */
  static double redColumn(BufferedImage img, int row, int from, int to) {
    double sum = 0;
    double weight = 0;
    List<Integer> seen = new ArrayList<>();
    for (int x = from; x <= to; x++) {
      Color c = new Color(img.getRGB(x, row));
      if (c.getRed() > 150 && c.getGreen() < 110 && c.getBlue() < 110) {
        double w = c.getRed() - (c.getGreen() + c.getBlue()) / 2.0;
        sum += x * w;
        weight += w;
        seen.add(x);
      }
    }
    assertTrue(weight > 0, "no gate-red pixel in row " + row);
    assertTrue(seen.get(seen.size() - 1) - seen.get(0) < 6, "one line only: " + seen);
    assertEquals(PlotRenderer.GATE_COLOUR.getRed(), 220);
    return sum / weight;
  }
}
