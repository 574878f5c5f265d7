package org.cytolake.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.cytometry.transform.TransformSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plot's title and subtitles, and its panel's gating strategy, without Spark. */
class PlotTextTest {
  static final ChannelConfig FSC =
      new ChannelConfig("FSC-A", null, "fsc_a", TransformSpec.parse("none"), false);
  static final ChannelConfig CD4 =
      new ChannelConfig(
          "PerCP-Cy5.5-A", "CD4", "cd4", TransformSpec.parse("asinh:cofactor=150"), true);

  @Test
  void theTitleNamesPanelAndMarkersOrColumns() {
    PanelConfig p1 = new PanelConfig("P1", "TREG", "", List.of(FSC, CD4), null);
    assertEquals("P1 (TREG): CD4 vs fsc_a", PlotText.title(p1, CD4, FSC));
    assertEquals("P1 (TREG): CD4", PlotText.title(p1, CD4, null));
    PanelConfig unnamed = new PanelConfig("P2", null, "", List.of(FSC), null);
    assertEquals("P2: fsc_a", PlotText.title(unnamed, FSC, null));
  }

  @Test
  void theSubtitlesSaySelectionPopulationCountsBinsAndRanges() {
    assertEquals(
        "visit D1 (12 samples) · population cells/T · 12,345 events (qc_flag = 0)",
        PlotText.selectionLine("visit D1 (12 samples)", "cells/T", 12_345, true));
    assertEquals(
        "all samples · population all events · 7 events",
        PlotText.selectionLine("all samples", null, 7, false));
    assertEquals(
        "256 x 256 bins, range given; 1,000 outside, 2 missing; gates of P1.yaml",
        PlotText.binningLine(256, false, "given", 1000, 2, "P1"));
    assertEquals(
        "64 bins, range 0.1-99.9% quantiles ±5%; 0 outside, 0 missing",
        PlotText.binningLine(64, true, "0.1-99.9% quantiles ±5%", 0, 0, null));
    assertEquals("cd25 in all samples", PlotText.values("cd25", null, "all samples", null));
  }

  @Test
  void aPanelsStrategyIsReadOrItsAbsenceNamed(@TempDir Path conf) throws Exception {
    IllegalArgumentException none =
        assertThrows(IllegalArgumentException.class, () -> PanelStrategy.read(conf, "P1", "T/CD4"));
    assertTrue(
        none.getMessage()
            .startsWith("Cannot plot population 'T/CD4' of panel P1: it has no gating strategy"),
        none.getMessage());
    IllegalArgumentException gates =
        assertThrows(IllegalArgumentException.class, () -> PanelStrategy.read(conf, "P1", null));
    assertTrue(gates.getMessage().startsWith("Cannot plot gates of panel P1"), gates.getMessage());
    Files.createDirectories(conf.resolve("gating"));
    String text = "gates:\n  - {id: T, rectangle: [{dim: cd3, min: 1}]}\n";
    Files.writeString(conf.resolve("gating/P1.yaml"), text);
    PanelStrategy s = PanelStrategy.read(conf, "P1", "T");
    assertEquals(text, s.text());
    assertEquals("T", s.strategy().path("T"));
  }
}
