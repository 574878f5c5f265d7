package org.cytolake.gating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.cytolake.stats.Quantiles;
import org.junit.jupiter.api.Test;

/**
 * Data-adaptive limits through {@link GateEvaluator}: found per file from the parent's (or the
 * reference's) events, gated top-down, recorded in {@link GatingResult#thresholds}; a fallback is
 * flagged; the Gating-ML export writes the fallback and says so.
 */
class AdaptiveGatingTest {

  static final String STRATEGY =
      String.join(
          "\n",
          "gates:",
          "  - {id: CD4, rectangle: [{dim: cd4, min: 2}]}",
          "  - id: Treg",
          "    parent: CD4",
          "    rectangle:",
          "      - {dim: cd127, max: {auto: valley, window: [0, 5], bounds: [1.5, 3.2],"
              + " fallback: 2.45}}",
          "  - {id: Tconv, parent: CD4, and: [CD4, '!Treg']}",
          "  - id: CD25hi",
          "    parent: CD4",
          "    rectangle:",
          "      - {dim: cd25, min: {auto: tail, reference: Tconv, quantile: 0.99, fallback: 9}}",
          "");

  /**
   * Columns cd4, cd127, cd25. Half the events are CD4+ (cd4 ~ 4), of which {@code tregs} have
   * CD127 ~ 1.2 and the rest ~ 3.5; CD4- events all have CD127 ~ 0.8, so the whole file's CD127
   * valley is not the CD4 one.
   */
  static EventTable events(long seed, int n, double tregs, boolean shuffle) {
    Random r = new Random(seed);
    List<double[]> rows = new ArrayList<>();
    for (int e = 0; e < n; e++) {
      boolean cd4 = r.nextBoolean();
      boolean treg = cd4 && r.nextDouble() < tregs;
      rows.add(
          new double[] {
            cd4 ? 4 + 0.3 * r.nextGaussian() : 0.3 * r.nextGaussian(),
            !cd4
                ? 0.8 + 0.3 * r.nextGaussian()
                : treg ? 1.2 + 0.3 * r.nextGaussian() : 3.5 + 0.3 * r.nextGaussian(),
            treg ? 3.5 + 0.4 * r.nextGaussian() : 1.0 + 0.5 * r.nextGaussian()
          });
    }
    if (shuffle) {
      Collections.shuffle(rows, new Random(seed + 1));
    }
    double[] v = new double[n * 3];
    for (int e = 0; e < n; e++) {
      System.arraycopy(rows.get(e), 0, v, 3 * e, 3);
    }
    return new EventTable("test.fcs", List.of("cd4", "cd127", "cd25"), n, v, null);
  }

  static double[] column(EventTable t, int c, BitSet in) {
    double[] col = t.column(c);
    return in.stream().mapToDouble(e -> col[e]).toArray();
  }

  @Test
  void limitsAreFoundTopDownFromTheParentAndTheReference() throws Exception {
    GatingStrategy s = CompactGatingReader.read(STRATEGY, "auto.yaml", false);
    EventTable t = events(3, 6000, 0.15, false);
    GatingResult r = GateEvaluator.evaluate(s, t);
    assertEquals(2, r.thresholds().size(), r.thresholds().toString());

    ResolvedThreshold valley = r.thresholds().get(0);
    assertEquals("Treg", valley.gate());
    assertEquals("cd127", valley.dimension());
    assertEquals("max", valley.side());
    assertEquals("valley", valley.method());
    assertFalse(valley.fallbackUsed(), valley.detail());
    // between the Treg (1.2) and Tconv (3.5) modes of CD4, not at the whole file's 0.8 mode
    assertTrue(valley.threshold() > 1.9 && valley.threshold() < 2.9, valley.detail());
    BitSet cd4 = r.events("CD4");
    double[] cd127 = t.column(1);
    BitSet expected = new BitSet();
    cd4.stream().filter(e -> cd127[e] < valley.threshold()).forEach(expected::set);
    assertEquals(expected, r.events("Treg"));

    ResolvedThreshold tail = r.thresholds().get(1);
    assertEquals("CD25hi", tail.gate());
    assertEquals("min", tail.side());
    assertEquals("tail", tail.method());
    double q = Quantiles.type7(column(t, 2, r.events("Tconv")), new double[] {0.99})[0];
    assertEquals(q, tail.threshold(), 0.0, tail.detail());
    assertTrue(PopulationStats.fallbackFlags(r.thresholds(), "Treg").isEmpty());
  }

  @Test
  void theEventsOrderDoesNotChangeTheThresholds() throws Exception {
    GatingStrategy s = CompactGatingReader.read(STRATEGY, "auto.yaml", false);
    GatingResult a = GateEvaluator.evaluate(s, events(5, 4000, 0.1, false));
    GatingResult b = GateEvaluator.evaluate(s, events(5, 4000, 0.1, true));
    assertEquals(a.thresholds(), b.thresholds());
    assertEquals(a.count("Treg"), b.count("Treg"));
  }

  @Test
  void aSampleWithoutAValleyGatesWithTheFallbackAndIsFlagged() throws Exception {
    GatingStrategy s = CompactGatingReader.read(STRATEGY, "auto.yaml", false);
    EventTable t = events(7, 4000, 0.0, false); // no Tregs: one CD127 mode in CD4
    GatingResult r = GateEvaluator.evaluate(s, t);
    ResolvedThreshold valley = r.thresholds().get(0);
    assertTrue(valley.fallbackUsed(), valley.detail());
    assertEquals(2.45, valley.threshold());
    List<PopulationStats.QcFlag> flags = PopulationStats.fallbackFlags(r.thresholds(), "Treg");
    assertEquals(1, flags.size());
    assertEquals(PopulationStats.ADAPTIVE_FALLBACK, flags.get(0).flag());
    assertTrue(
        flags.get(0).detail().startsWith("valley max on cd127 not found: "), flags.get(0).detail());
  }

  @Test
  void gatingMlExportWritesTheFallbackAndSaysSo() throws Exception {
    GatingStrategy s = CompactGatingReader.read(STRATEGY, "auto.yaml", false);
    List<String> warnings = GatingMlWriter.adaptiveWarnings(s);
    assertEquals(2, warnings.size(), warnings.toString());
    assertTrue(
        warnings.get(0).startsWith("gate 'Treg' max on 'cd127' is found per sample (valley in"),
        warnings.get(0));
    String xml = GatingMlWriter.toXml(s);
    assertTrue(xml.contains("<!-- gate 'Treg' max on 'cd127'"), xml);
    GatingStrategy back =
        GatingMlReader.read(
            new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            "auto.xml");
    RectangleGate treg = (RectangleGate) back.gates().get("Treg");
    assertEquals(2.45, treg.max()[0]);
    assertFalse(treg.isAdaptive());
  }

  /** docs/gating-auto-P1.yaml is a valid P1 strategy (conf/panels.yaml's columns) with an auto limit. */
  @Test
  void theExampleStrategyLoadsAsPanelP1s(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path home = org.cytolake.testing.SharedData.projectDir();
    java.nio.file.Files.copy(home.resolve("docs/gating-auto-P1.yaml"), dir.resolve("P1.yaml"));
    org.cytolake.config.CytolakeConfig config =
        org.cytolake.config.CytolakeConfig.load(home.resolve("conf"));
    GatingStrategy p1 = org.cytolake.config.GatingConfig.load(dir, config).strategies().get("P1");
    RectangleGate treg = (RectangleGate) p1.gates().get("Treg");
    assertEquals(2, treg.auto().size());
    assertEquals("cd25", treg.dimensions().get(treg.auto().get(0).dimension()).name());
    assertEquals("_cd127hi", treg.auto().get(0).spec().reference());
    assertEquals("cd127", treg.dimensions().get(treg.auto().get(1).dimension()).name());
    assertEquals("_cd25lo", treg.auto().get(1).spec().reference());
  }
}
