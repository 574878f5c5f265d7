package org.cytolake.generate;

import java.nio.file.Path;
import java.util.List;

/**
 * The separable fixture of the exact engine tests: the trial that data-samples was before it
 * became a realistic trial (issue 16), generated on first use into a temporary directory (about a
 * second) and shared by every test of the JVM. Every population is a bounded box and every
 * threshold of {@code conf/gating} sits mid-gap, so gating equals the truth event for event; the
 * tests that rely on that exactness read this fixture, the tests of realistic behaviour read the
 * committed data-samples. Same command as data-samples had:
 *
 * <pre>
 * bin/cytolake generate --separable --patients 11 --visits D1,D8,M6 --events-per-sample 4500
 * </pre>
 *
 * (seed 1, panels P1,P2,P3, 2% bad inputs): 102 FCS files, 308,250 events. {@code
 * SeparableSamplesTest} checks its files against the committed checksums {@code
 * separable-samples.sha256}, so the fixture stays byte for byte the trial these tests were written
 * for.
 */
public final class SeparableSamples {
  private SeparableSamples() {}

  private static Path dir;

  /** The generator options of the fixture, written to {@code out}. */
  public static GenerateOptions options(Path out) {
    return GenerateOptions.defaults(out)
        .withPatients(11)
        .withVisits(List.of("D1", "D8", "M6"))
        .withEventsPerSample(4500)
        .withSeparable(true)
        .withThreads(2);
  }

  /** The fixture's directory (manifest.csv, fcs/, clinical/, truth/), generated once per JVM. */
  public static synchronized Path dir() {
    if (dir == null) {
      dir = Trials.generateIntoTemp("cytolake-separable-samples", SeparableSamples::options);
    }
    return dir;
  }
}
