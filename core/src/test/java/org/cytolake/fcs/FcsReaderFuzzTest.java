package org.cytolake.fcs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The reader's contract on arbitrary bytes: it returns data or throws {@link FcsFormatException},
 * nothing else, never hangs, and never allocates in proportion to a size the file lies about.
 *
 * <p>{@link #fuzz} is a Jazzer coverage-guided fuzz test: in a normal test run it replays the
 * regression inputs under {@code src/test/resources/org/cytolake/fcs/FcsReaderFuzzTestInputs/fuzz/}
 * (seeds written by our FCS writer and every crasher found so far); with {@code JAZZER_FUZZ=1} it
 * fuzzes (see README, "Fuzzing"). {@link #mutationsOfTheCorpusFiles} runs the same property on
 * deterministic truncations and byte flips of every real file in {@code ../shared/fcs-corpus}.
 */
class FcsReaderFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void fuzz(byte[] data) {
    readEverything(data);
  }

  /** Reads all metadata and every event; only FcsFormatException may escape. */
  static long readEverything(byte[] data) {
    long values = 0;
    try (FcsFile f = FcsReader.open(FcsInput.of("fuzz.fcs", data))) {
      for (FcsDataset ds : f.datasets()) {
        ds.spillover();
        if (!ds.hasReadableData()) {
          continue;
        }
        EventReader r = f.events(ds);
        double[] block = new double[Math.max(1, ds.parameters().size()) * 1024];
        int n;
        while ((n = r.read(block)) > 0) {
          values += (long) n * ds.parameters().size();
        }
      }
    } catch (FcsFormatException e) {
      // the one allowed failure
    } catch (IOException e) {
      throw new AssertionError(
          "reader threw a raw I/O exception instead of " + "FcsFormatException: " + e, e);
    }
    return values;
  }

  @Test
  void mutationsOfTheCorpusFiles() throws IOException {
    Path corpus = SharedData.projectDir().resolve("../shared/fcs-corpus/files").normalize();
    Assumptions.assumeTrue(Files.isDirectory(corpus), "../shared/fcs-corpus absent");
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(corpus)) {
      s.filter(Files::isRegularFile)
          .filter(p -> p.toString().toLowerCase().endsWith(".fcs"))
          .sorted()
          .forEach(files::add);
    }
    SplittableRandom rnd = new SplittableRandom(20261125);
    int runs = 0;
    long start = System.nanoTime();
    for (Path p : files) {
      byte[] orig = Files.readAllBytes(p);
      if (orig.length > 1_200_000) {
        continue; // keep CI fast; the fuzz profile takes them all
      }
      int text = Math.min(orig.length, 8192);
      for (int k = 0; k < 40; k++) {
        byte[] m;
        if (k < 8) {
          m = java.util.Arrays.copyOf(orig, rnd.nextInt(Math.max(1, orig.length)));
        } else {
          m = orig.clone();
          int flips = 1 + rnd.nextInt(4);
          for (int f = 0; f < flips; f++) {
            // most flips land in HEADER/TEXT, where the structure is
            int at = rnd.nextInt(10) < 8 ? rnd.nextInt(text) : rnd.nextInt(m.length);
            m[at] =
                (byte) (k % 3 == 0 ? "0123456789/\\ ".charAt(rnd.nextInt(13)) : rnd.nextInt(256));
          }
        }
        readEverything(m);
        runs++;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue(runs > 500, "ran " + runs + " mutations");
    assertTrue(seconds < 120, "mutations took " + seconds + " s");
  }
}
