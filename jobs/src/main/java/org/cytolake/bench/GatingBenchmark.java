package org.cytolake.bench;

import static org.cytolake.stats.Quantiles.NaNs.ORDERED_LAST;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.cytolake.generate.GenerateOptions;
import org.cytolake.generate.GenerateResult;
import org.cytolake.generate.TrialGenerator;
import org.cytolake.jobs.GateJob;
import org.cytolake.jobs.IngestFcsJob;
import org.cytolake.stats.Quantiles;

/**
 * Throughput of the {@code gate} job: {@link GateJob#run} end to end (read {@code events_p1},
 * group by sample, evaluate {@code conf/gating/P1.yaml}, exact medians of every column per
 * population, write {@code populations}, {@code population_medians} and {@code gating_qc}) on a
 * lake holding at least {@code events} panel-P1 events of the synthetic trial. The input is made
 * once and reused from {@code workDir}: {@code cytolake generate} of {@value #PATIENTS} patients,
 * visits D1, D8 and M6, panel P1 only, no bad inputs, with enough events per sample, then
 * {@code ingest-fcs} (neither is timed). One warm-up pass (not counted), then {@code repeats}
 * passes; events/s = events gated / median seconds.
 */
public final class GatingBenchmark {
  static final int PATIENTS = 46;
  static final List<String> VISITS = List.of("D1", "D8", "M6");

  private GatingBenchmark() {}

  /** One measurement. */
  public record Result(
      long events, long samples, long populationRows, double seconds, List<Double> runs) {
    public double eventsPerSecond() {
      return events / seconds;
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
    if (events < 1) {
      throw new IllegalArgumentException(
          "Cannot benchmark gating: --events must be >= 1, not " + events);
    }
    Path input = workDir.resolve("gating-input-" + events);
    Path lake = workDir.resolve("gating-lake-" + events);
    if (!Files.exists(lake.resolve("events_p1"))) {
      IngestBenchmark.deleteTree(input);
      IngestBenchmark.deleteTree(lake);
      int files = PATIENTS * VISITS.size();
      long perSample = (events + files - 1) / files;
      if (perSample > GenerateOptions.EVENTS_PER_SAMPLE_MAX) {
        throw new IllegalArgumentException(
            "Cannot benchmark gating: "
                + events
                + " events need "
                + perSample
                + " events per sample, more than the generator's "
                + GenerateOptions.EVENTS_PER_SAMPLE_MAX);
      }
      log.info("generating %d P1 samples of %d events under %s", files, perSample, input);
      // The separable model: its files hold exactly perSample events each, as the sizes need.
      GenerateResult g =
          TrialGenerator.run(
              GenerateOptions.defaults(input)
                  .withPatients(PATIENTS)
                  .withEventsPerSample((int) perSample)
                  .withVisits(VISITS)
                  .withPanels(List.of("P1"))
                  .withBadFraction(0)
                  .withSeparable(true));
      log.info(
          "generated %d events in %d files; ingesting into %s", g.events(), g.fcsFiles(), lake);
      IngestFcsJob.Result r =
          IngestFcsJob.run(
              spark,
              new IngestFcsJob.Options(
                  input.toString(),
                  input.resolve("manifest.csv").toString(),
                  lake.toString(),
                  conf,
                  schemas,
                  "bench-gating-ingest"));
      if (r.eventsWritten() < events) {
        throw new IllegalStateException(
            "Cannot benchmark gating: ingest wrote "
                + r.eventsWritten()
                + " events, fewer than the "
                + events
                + " asked for");
      }
    }
    List<Double> runs = new ArrayList<>();
    GateJob.Result last = null;
    for (int i = 0; i <= repeats; i++) {
      long t0 = System.nanoTime();
      last =
          GateJob.run(
              spark, new GateJob.Options(lake.toString(), conf, schemas, "bench-gating-" + i));
      double s = (System.nanoTime() - t0) / 1e9;
      if (i == 0) {
        log.info("gating warm-up pass: %d events in %.2f s (not counted)", last.events(), s);
        continue;
      }
      runs.add(s);
      log.info(
          "gating pass %d/%d: %d events of %d samples in %.2f s",
          i, repeats, last.events(), last.samples(), s);
    }
    double median = Quantiles.median(runs, ORDERED_LAST);
    return new Result(
        last.events(), last.samples(), last.populationRows(), median, List.copyOf(runs));
  }
}
