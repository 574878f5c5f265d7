package org.cytolake.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.cytolake.generate.GenerateOptions;
import org.cytolake.generate.TrialGenerator;
import org.cytolake.jobs.NightlyJob;

/**
 * A tiny generated trial (2 patients, RA and AS, visits D1 and D8, 3 panels, 500 events per
 * sample, with the generator's bad inputs) and the lake a full nightly run in local mode makes of
 * it: the reference the nightly and standalone-cluster tests compare their lakes with. Built once
 * per test JVM.
 */
public final class NightlyFixture {
  private static Path dir;
  private static Map<String, List<String>> reference;
  private static NightlyJob.Result referenceRun;

  private NightlyFixture() {}

  /** The generated input directory (clinical/, fcs/, manifest.csv). */
  public static synchronized Path input() {
    build();
    return dir.resolve("input");
  }

  /** The reference lake. */
  public static synchronized Path referenceLake() {
    build();
    return dir.resolve("reference");
  }

  /** The reference lake's contents without run columns ({@link LakeSnapshot#of}). */
  public static synchronized Map<String, List<String>> reference() {
    build();
    return reference;
  }

  public static synchronized NightlyJob.Result referenceRun() {
    build();
    return referenceRun;
  }

  /** A nightly run in this JVM's shared local session. */
  public static NightlyJob.Result run(Path input, Path lake, boolean full) throws IOException {
    Path home = SharedData.projectDir();
    return NightlyJob.run(
        SparkTestSession.get(),
        new NightlyJob.Options(
            input.toString(),
            null,
            lake.toString(),
            home.resolve("conf"),
            home.resolve("schemas"),
            null,
            full,
            Duration.ofMinutes(30)));
  }

  private static void build() {
    if (dir != null) {
      return;
    }
    try {
      Path d = Files.createTempDirectory("cytolake-nightly-fixture");
      TrialGenerator.run(
          GenerateOptions.defaults(d.resolve("input"))
              .withPatients(2)
              .withVisits(List.of("D1", "D8"))
              .withEventsPerSample(500)
              .withSeed(11)
              .withThreads(2));
      referenceRun = run(d.resolve("input"), d.resolve("reference"), false);
      reference = LakeSnapshot.of(SparkTestSession.get(), d.resolve("reference"));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try (var walk = Files.walk(d)) {
                      walk.sorted(java.util.Comparator.reverseOrder())
                          .forEach(p -> p.toFile().delete());
                    } catch (IOException e) {
                      // best effort
                    }
                  }));
      dir = d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Spark session of the fixture. */
  public static SparkSession spark() {
    return SparkTestSession.get();
  }
}
