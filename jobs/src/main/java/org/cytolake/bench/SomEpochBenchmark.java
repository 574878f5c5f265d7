package org.cytolake.bench;

import static org.cytolake.stats.Quantiles.NaNs.ORDERED_LAST;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.cytometry.Compensation;
import org.cytolake.fcs.FcsFormatException;
import org.cytolake.gating.EventTable;
import org.cytolake.som.SomModel;
import org.cytolake.som.SomParams;
import org.cytolake.som.SomTrainer;
import org.cytolake.stats.Quantiles;

/**
 * {@code bench --only som-epoch}: one SOM epoch of the pure-Java core ({@link SomTrainer#epochSums}: every event to
 * its best-matching node of the default 10×10 codebook, summed per node) in one thread, no Spark, on two inputs:
 * {@code blobs}, the six 5-dimensional Gaussian blobs of the SOM tests (30,000 events), and {@code p3}, every event
 * of data-samples' readable P3 files on the panel's lineage markers, read as {@link EventTable#read} does,
 * compensated with each file's spillover and transformed as conf/panels.yaml says. The codebook is a one-epoch fit of the same events; {@link #WARMUP_EPOCHS}
 * epochs warm the JIT, then each of {@code repeats} passes times {@link #EPOCHS_PER_PASS} epochs; the median pass
 * gives events/s.
 */
public final class SomEpochBenchmark {
  public static final int WARMUP_EPOCHS = 3;
  public static final int EPOCHS_PER_PASS = 5;

  private SomEpochBenchmark() {}

  /** One input's measurement: seconds per epoch of each pass. */
  public record Result(
      String input, int events, int dims, int nodes, double epochSeconds, List<Double> runs) {
    public double eventsPerSecond() {
      return events / epochSeconds;
    }
  }

  /** Measures both inputs; {@code home} holds data-samples/ and conf/. */
  public static List<Result> run(Path home, int repeats, BenchLog log) throws IOException {
    Blobs blobs = Blobs.make(5, new int[] {9000, 7000, 5000, 4000, 3000, 2000}, 8, 42);
    List<Result> out = new ArrayList<>();
    out.add(measure("blobs", blobs.events(), blobs.dims(), repeats, log));
    List<ChannelConfig> lineage =
        CytolakeConfig.load(home.resolve("conf")).panel("P3").channels().stream()
            .filter(ChannelConfig::lineage)
            .toList();
    out.add(
        measure(
            "p3", p3Events(home.resolve("data-samples"), lineage), lineage.size(), repeats, log));
    return out;
  }

  static Result measure(String input, double[] events, int dims, int repeats, BenchLog log) {
    int n = events.length / dims;
    SomModel model = SomTrainer.fit(SomParams.defaults().withRlen(1), dims, List.of(events));
    for (int e = 0; e < WARMUP_EPOCHS; e++) {
      SomTrainer.epochSums(model, events, n);
    }
    double[] runs = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      long t0 = System.nanoTime();
      for (int e = 0; e < EPOCHS_PER_PASS; e++) {
        SomTrainer.epochSums(model, events, n);
      }
      runs[r] = (System.nanoTime() - t0) / 1e9 / EPOCHS_PER_PASS;
      log.info(
          "som-epoch %s: pass %d: %.4f s per epoch (%d events, %d dims)",
          input, r + 1, runs[r], n, dims);
    }
    List<Double> passes = new ArrayList<>();
    for (double s : runs) {
      passes.add(s);
    }
    double median = Quantiles.medianInPlace(runs.clone(), repeats, ORDERED_LAST);
    return new Result(input, n, dims, model.nodes(), median, passes);
  }

  /**
   * The events of data-samples' P3 files in the manifest on {@code lineage}, compensated, then transformed; row-major.
   * Files that do not read, have no spillover or lack a lineage detector (the deliberately bad ones) are left out.
   */
  static double[] p3Events(Path samples, List<ChannelConfig> lineage) throws IOException {
    int dims = lineage.size();
    List<double[]> files = new ArrayList<>();
    List<String> manifest = Files.readAllLines(samples.resolve("manifest.csv"));
    for (String line : manifest.subList(1, manifest.size())) {
      String[] f = line.split(",");
      if (!f[3].equals("P3")) {
        continue;
      }
      EventTable t;
      try {
        t = EventTable.read(samples.resolve(f[0]));
      } catch (FcsFormatException e) {
        continue; // a deliberately malformed file
      }
      if (t.spillover() == null
          || !t.channels().containsAll(lineage.stream().map(ChannelConfig::detector).toList())) {
        continue; // a deliberately bad file: no spillover, or a renamed channel
      }
      int width = t.channels().size();
      double[] data = t.values().clone();
      Compensation.of(t.spillover().channels(), t.spillover().matrix())
          .bind(t.channels())
          .compensate(data, t.events(), width);
      double[] rows = new double[t.events() * dims];
      for (int d = 0; d < dims; d++) {
        int c = t.channels().indexOf(lineage.get(d).detector());
        for (int e = 0; e < t.events(); e++) {
          rows[e * dims + d] = lineage.get(d).transform().apply(data[e * width + c]);
        }
      }
      files.add(rows);
    }
    double[] all = new double[files.stream().mapToInt(r -> r.length).sum()];
    int at = 0;
    for (double[] rows : files) {
      System.arraycopy(rows, 0, all, at, rows.length);
      at += rows.length;
    }
    return all;
  }
}
