package org.cytolake.bench;

import static org.cytolake.stats.Quantiles.NaNs.ORDERED_LAST;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.fcs.FcsWriter;
import org.cytolake.fcs.Spillover;
import org.cytolake.ingest.EventsLayout;
import org.cytolake.jobs.IngestFcsJob;
import org.cytolake.stats.Quantiles;

/**
 * ingest-fcs against Spark writing the same, already decoded rows to Parquet, side by side in one
 * run. The input is a generated panel-P1 trial of {@code events} events in files of
 * {@link #EVENTS_PER_FILE}; the baseline is the {@code events_p1} table that ingest wrote, read
 * back, cached in memory (deserialized) and materialised before the clock starts, then written
 * with the same partitioning (by visit), compression and Parquet options. Ratio = baseline time / ingest time
 * (1 = ingesting costs no more than writing the rows; higher is better). One warm-up pass of both
 * sides runs first and is not counted.
 */
public final class IngestBenchmark {
  public static final int EVENTS_PER_FILE = 500_000;
  private static final String[] VISITS = {"D1", "D8", "M6"};

  private IngestBenchmark() {}

  /** One measured comparison. */
  public record Result(
      long events,
      int files,
      double ingestSeconds,
      double parquetSeconds,
      List<Double> ingestRuns,
      List<Double> parquetRuns) {
    public double ratio() {
      return parquetSeconds / ingestSeconds;
    }

    public double eventsPerSecond() {
      return events / ingestSeconds;
    }
  }

  public static Result run(
      SparkSession spark,
      Path workDir,
      Path conf,
      Path schemas,
      long events,
      int repeats,
      BenchLog log)
      throws IOException {
    PanelConfig p1 = CytolakeConfig.load(conf).panel("P1");
    Path input = workDir.resolve("ingest-input-" + events);
    int files = (int) Math.max(1, (events + EVENTS_PER_FILE - 1) / EVENTS_PER_FILE);
    if (!Files.exists(input.resolve("manifest.csv"))) {
      log.info("writing %d events in %d P1 files under %s", events, files, input);
      writeInput(input, p1, events, files);
    }
    List<Double> ingest = new ArrayList<>();
    List<Double> parquet = new ArrayList<>();
    // pass 0 warms up the JIT and the page cache for both sides and is not counted
    for (int i = 0; i <= repeats; i++) {
      Path lake = workDir.resolve("ingest-lake");
      deleteTree(lake);
      long t0 = System.nanoTime();
      IngestFcsJob.Result r =
          IngestFcsJob.run(
              spark,
              new IngestFcsJob.Options(
                  input.toString(),
                  input.resolve("manifest.csv").toString(),
                  lake.toString(),
                  conf,
                  schemas,
                  "bench-" + i));
      double ti = (System.nanoTime() - t0) / 1e9;
      if (r.eventsWritten() != events) {
        throw new IllegalStateException(
            "bench ingest wrote " + r.eventsWritten() + " of " + events + " events");
      }
      Dataset<Row> rows =
          spark
              .read()
              .parquet(lake.resolve("events_p1").toString())
              .persist(StorageLevel.MEMORY_ONLY());
      rows.count();
      Path out = workDir.resolve("parquet-baseline");
      deleteTree(out);
      long t1 = System.nanoTime();
      rows.write()
          .partitionBy("visit")
          .option("compression", "snappy")
          .options(EventsLayout.parquetOptions(p1))
          .parquet(out.toString());
      double tp = (System.nanoTime() - t1) / 1e9;
      rows.unpersist(true);
      if (i == 0) {
        log.info(
            "ingest warm-up pass: ingest-fcs %.2f s, Parquet write %.2f s (not counted)", ti, tp);
        continue;
      }
      ingest.add(ti);
      parquet.add(tp);
      log.info(
          "ingest pass %d/%d: ingest-fcs %.2f s, Parquet write of the cached rows %.2f s",
          i, repeats, ti, tp);
    }
    return new Result(
        events,
        files,
        Quantiles.median(ingest, ORDERED_LAST),
        Quantiles.median(parquet, ORDERED_LAST),
        ingest,
        parquet);
  }

  private static void writeInput(Path input, PanelConfig panel, long events, int files)
      throws IOException {
    Files.createDirectories(input.resolve("fcs"));
    List<FcsWriter.Channel> ch = new ArrayList<>();
    panel.channels().forEach(c -> ch.add(FcsWriter.channel(c.detector(), c.marker(), 262144)));
    List<String> fluo =
        panel.channels().stream().filter(c -> c.marker() != null).map(c -> c.detector()).toList();
    double[][] s = new double[fluo.size()][fluo.size()];
    for (int i = 0; i < s.length; i++) {
      s[i][i] = 1;
      if (i + 1 < s.length) {
        s[i][i + 1] = 0.12;
      }
      if (i + 2 < s.length) {
        s[i][i + 2] = 0.03;
      }
    }
    FcsWriter.Spec spec = FcsWriter.spec(ch).withSpillover(new Spillover("$SPILLOVER", fluo, s));
    StringBuilder manifest = new StringBuilder("file,patient_id,visit,panel\n");
    int par = ch.size();
    long left = events;
    for (int f = 0; f < files; f++) {
      int n = (int) Math.min(EVENTS_PER_FILE, left);
      left -= n;
      String visit = VISITS[f % VISITS.length];
      String name = "fcs/BENCH-" + (f / VISITS.length) + "_" + visit + "_P1.fcs";
      SplittableRandom rnd = new SplittableRandom(f);
      try (FcsWriter.Output out = FcsWriter.open(input.resolve(name), spec, n)) {
        float[] block = new float[65536 * par];
        for (int done = 0; done < n; ) {
          int k = Math.min(65536, n - done);
          for (int i = 0; i < k * par; i++) {
            block[i] = (float) Math.expm1(rnd.nextDouble() * 11) - 50;
          }
          out.write(block, k);
          done += k;
        }
      }
      manifest
          .append(name)
          .append(",BENCH-")
          .append(f / VISITS.length)
          .append(',')
          .append(visit)
          .append(",P1\n");
    }
    Files.writeString(input.resolve("manifest.csv"), manifest);
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
