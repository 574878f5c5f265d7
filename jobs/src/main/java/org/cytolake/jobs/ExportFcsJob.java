package org.cytolake.jobs;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.cytometry.EventExport;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsReader;
import org.cytolake.fcs.FcsWriter;
import org.cytolake.fcs.Spillover;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.GateEvaluator;
import org.cytolake.gating.GatingResult;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.lake.Lake;
import org.cytolake.scoring.PopulationIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code export-fcs}: one sample of the lake as an FCS 3.1 file for FlowJo ({@link
 * EventExport}): its events on the data scale, spilled again with the source file's matrix when
 * that file is still readable, plus three channels: {@code population_id} (the event's deepest
 * reported population of the panel's strategy, 1-based in strategy order, 0 for none or a
 * QC-flagged event; keywords {@code CYTOLAKE_POPULATION_<n>} name them), {@code metacluster} (the
 * active model's metacluster + 1, 0 for none; {@code CYTOLAKE_METACLUSTER_<n>} its label) and
 * {@code qc_flag}.
 */
public final class ExportFcsJob {
  private static final Logger LOG = LoggerFactory.getLogger(ExportFcsJob.class);

  private ExportFcsJob() {}

  /**
   * What to export.
   *
   * @param sample the sample id (samples.sample_id)
   * @param population only the events of this population (its path or gate id), or null for all
   * @param algorithm the clustering algorithm whose metaclusters are written
   * @param out the FCS file to write
   */
  public record Options(String sample, String population, String algorithm, Path out) {}

  /** What was written. */
  public record Result(
      Path file, String panel, int events, boolean spilloverWritten, int populations) {}

  public static Result run(RunContext ctx, Options o) throws IOException {
    SparkSession spark = ctx.spark();
    Lake lake = ctx.lake();
    List<Row> sample =
        lake.read(spark, "samples")
            .filter(functions.col("sample_id").equalTo(o.sample()))
            .select("panel")
            .collectAsList();
    if (sample.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot export sample '" + o.sample() + "': not in " + lake.table("samples"));
    }
    PanelConfig panel = ctx.config().panel(sample.get(0).getString(0));
    List<String> columns = panel.columns();
    List<Row> rows =
        lake.read(spark, panel.eventsTable())
            .filter(functions.col("sample_id").equalTo(o.sample()))
            .select(selection(columns))
            .orderBy("event_index")
            .collectAsList();
    int n = rows.size();
    int c = columns.size();
    double[] values = new double[n * c];
    int[] qc = new int[n];
    long[] eventIndex = new long[n];
    for (int e = 0; e < n; e++) {
      Row r = rows.get(e);
      eventIndex[e] = r.getLong(0);
      qc[e] = r.getInt(1);
      for (int j = 0; j < c; j++) {
        values[e * c + j] = r.isNullAt(2 + j) ? Double.NaN : ((Number) r.get(2 + j)).doubleValue();
      }
    }
    Map<String, String> keywords = new LinkedHashMap<>();
    keywords.put("$FIL", o.out().getFileName().toString());
    keywords.put("CYTOLAKE_SAMPLE", o.sample());
    keywords.put("CYTOLAKE_PANEL", panel.code());
    GatingStrategy strategy = ctx.steps().gating().strategies().get(panel.code());
    BitSet flagged = new BitSet(n);
    if (QcEvents.cleanOnly(ctx.config().settings())) {
      for (int e = 0; e < n; e++) {
        flagged.set(e, qc[e] != 0);
      }
    }
    int[] population = new int[n];
    BitSet keep = new BitSet(n);
    keep.set(0, n);
    if (strategy != null) {
      GatingResult gated =
          GateEvaluator.evaluate(strategy, new EventTable(o.sample(), columns, n, values, null));
      PopulationIds ids = PopulationIds.of(strategy, gated, n, flagged);
      population = ids.codes();
      ids.names().forEach((k, v) -> keywords.put("CYTOLAKE_POPULATION_" + k, v));
      if (o.population() != null) {
        keep = PopulationIds.members(strategy, gated, o.population());
        keep.andNot(flagged);
      }
    } else if (o.population() != null) {
      throw new IllegalArgumentException(
          "Cannot export population '"
              + o.population()
              + "': panel "
              + panel.code()
              + " has no gating strategy");
    }
    int[] metacluster = metaclusters(spark, lake, o, panel, eventIndex, keywords);
    Spillover spill = sourceSpillover(spark, lake, o.sample());
    EventExport export = export(spark, lake, o.sample(), panel, spill);
    int[] idx = keep.stream().toArray();
    double[] kept = EventExport.pick(values, c, idx);
    List<EventExport.Extra> extras =
        List.of(
            new EventExport.Extra(
                "population_id", "cytolake population", EventExport.pick(population, idx)),
            new EventExport.Extra(
                "metacluster", "cytolake metacluster", EventExport.pick(metacluster, idx)),
            new EventExport.Extra("qc_flag", "cytolake QC flag", EventExport.pick(qc, idx)));
    if (o.out().toAbsolutePath().getParent() != null) {
      Files.createDirectories(o.out().toAbsolutePath().getParent());
    }
    FcsWriter.write(
        o.out(), export.spec(extras, keywords), export.rows(kept, idx.length, extras), idx.length);
    LOG.info(
        "export-fcs: wrote {} ({} of {} events of sample {}, panel {}; {})",
        o.out(),
        idx.length,
        n,
        o.sample(),
        panel.code(),
        export.spillover() != null
            ? "raw values with the source file's $SPILLOVER"
            : "compensated values, no spillover (source file not readable)");
    return new Result(
        o.out(),
        panel.code(),
        idx.length,
        export.spillover() != null,
        strategy == null ? 0 : strategy.reportedPopulations().size());
  }

  private static org.apache.spark.sql.Column[] selection(List<String> columns) {
    List<org.apache.spark.sql.Column> s = new ArrayList<>();
    s.add(functions.col("event_index"));
    s.add(functions.col("qc_flag"));
    columns.forEach(x -> s.add(functions.col(x)));
    return s.toArray(new org.apache.spark.sql.Column[0]);
  }

  /** Each event's metacluster + 1 in the lake's cluster_events (0 when it has none). */
  private static int[] metaclusters(
      SparkSession spark,
      Lake lake,
      Options o,
      PanelConfig panel,
      long[] eventIndex,
      Map<String, String> keywords) {
    int[] out = new int[eventIndex.length];
    if (!lake.exists(spark, "cluster_events")) {
      return out;
    }
    Map<Long, Integer> byIndex = new HashMap<>();
    for (Row r :
        lake.read(spark, "cluster_events")
            .filter(
                functions
                    .col("sample_id")
                    .equalTo(o.sample())
                    .and(functions.col("algorithm").equalTo(o.algorithm())))
            .select("event_index", "metacluster")
            .collectAsList()) {
      byIndex.put(r.getLong(0), r.getInt(1));
    }
    for (int e = 0; e < eventIndex.length; e++) {
      Integer m = byIndex.get(eventIndex[e]);
      out[e] = m == null ? 0 : m + 1;
    }
    if (lake.exists(spark, "clusters")) {
      for (Row r :
          lake.read(spark, "clusters")
              .filter(
                  functions
                      .col("panel")
                      .equalTo(panel.code())
                      .and(functions.col("algorithm").equalTo(o.algorithm())))
              .select("metacluster", "label")
              .orderBy("metacluster")
              .collectAsList()) {
        keywords.put("CYTOLAKE_METACLUSTER_" + (r.getInt(0) + 1), r.getString(1));
      }
    }
    return out;
  }

  /** The spillover of the sample's source file when the ingest ledger's path is readable. */
  private static Spillover sourceSpillover(SparkSession spark, Lake lake, String sample) {
    List<Row> paths =
        lake.read(spark, "ingest_ledger")
            .filter(functions.col("sample_id").equalTo(sample))
            .select("path")
            .collectAsList();
    for (Row r : paths) {
      String p = r.getString(0);
      try {
        Path file = p.startsWith("file:") ? Path.of(URI.create(p)) : Path.of(p);
        if (Files.isRegularFile(file)) {
          try (FcsFile f = FcsReader.open(file)) {
            return f.first().spillover().orElse(null);
          }
        }
      } catch (IOException | IllegalArgumentException e) {
        LOG.warn("export-fcs: cannot read the spillover of source file {}: {}", p, e.getMessage());
      }
    }
    return null;
  }

  private static EventExport export(
      SparkSession spark, Lake lake, String sample, PanelConfig panel, Spillover spill) {
    Map<String, Long> ranges = new HashMap<>();
    for (Row r :
        lake.read(spark, "channels")
            .filter(functions.col("sample_id").equalTo(sample))
            .select("detector", "range")
            .collectAsList()) {
      if (!r.isNullAt(1)) {
        ranges.put(r.getString(0), (long) Math.ceil(r.getDouble(1)));
      }
    }
    List<ChannelConfig> ch = panel.channels();
    return new EventExport(
        ch.stream().map(ChannelConfig::detector).toList(),
        ch.stream().map(ChannelConfig::marker).toList(),
        ch.stream().map(x -> ranges.getOrDefault(x.detector(), 262_144L)).toList(),
        ch.stream().map(ChannelConfig::transform).toList(),
        spill);
  }
}
