package org.cytolake.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.cytolake.cytometry.transform.TransformSpec;
import org.cytolake.fcs.FcsWriter;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.GatingStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plot-fcs} draws a data-adaptive gate where the file's own threshold fell, and says so. */
class FcsPlotThresholdsTest {
  static final String STRATEGY =
      """
      gates:
        - {id: hi, rectangle: [{dim: A, min: {auto: valley, window: [0, 1000], fallback: 300}}]}
        - {id: fixed, rectangle: [{dim: A, max: 800}]}
      """;

  /** Channel A: two populations, about 150 and 850, none between 350 and 650; B: noise. */
  static Path file(Path dir, int events) throws Exception {
    Random r = new Random(7);
    float[] v = new float[events * 2];
    for (int e = 0; e < events; e++) {
      double centre = e % 2 == 0 ? 150 : 850;
      v[2 * e] = (float) (centre + 60 * Math.max(-3, Math.min(3, r.nextGaussian())));
      v[2 * e + 1] = (float) (500 + 100 * r.nextGaussian());
    }
    Path f = dir.resolve("two.fcs");
    FcsWriter.write(
        f,
        FcsWriter.spec(
            List.of(FcsWriter.channel("A", "CD3", 1024), FcsWriter.channel("B", null, 1024))),
        v,
        events);
    return f;
  }

  static FcsPlot.Result plot(Path fcs, Path out) throws Exception {
    GatingStrategy s = CompactGatingReader.read(STRATEGY, "two.yaml", false);
    return FcsPlot.run(
        new FcsPlot.Options(
            fcs,
            "A",
            null,
            TransformSpec.parse("none"),
            TransformSpec.parse("none"),
            false,
            s,
            "two.yaml",
            null,
            true,
            64,
            null,
            null,
            out,
            400,
            300));
  }

  @Test
  void theFilesValleyIsDrawnAndNamed(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("a.svg");
    FcsPlot.Result r = plot(file(dir, 2000), out);
    assertEquals(List.of("hi", "fixed"), r.gatesDrawn());
    assertEquals(1, r.thresholdLines().size(), r.thresholdLines().toString());
    String line = r.thresholdLines().get(0);
    assertTrue(line.startsWith("hi: A min auto (valley) "), line);
    double t = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    assertTrue(t > 350 && t < 650, "the valley lies between the populations: " + t);
    assertTrue(Files.readString(out).contains("auto (valley)"));
  }

  @Test
  void aFileWithoutEnoughEventsSaysItsFallback(@TempDir Path dir) throws Exception {
    FcsPlot.Result r = plot(file(dir, 40), dir.resolve("b.svg"));
    assertEquals(List.of("hi: A min fallback 300 (too few events)"), r.thresholdLines());
  }
}
