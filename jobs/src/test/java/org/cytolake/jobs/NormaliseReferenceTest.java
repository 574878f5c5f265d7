package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.GatingConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.normalise.LakeNormParams;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * {@link NormaliseFrames#reference}: the reference population of a panel's normalisation is
 * resolved against the shipped P1 strategy, and every way it can be wrong is named.
 */
class NormaliseReferenceTest {

  static LakeNormParams params(PanelConfig panel, String reference) {
    return LakeNormParams.builder(panel.lineageColumns()).referencePopulation(reference).build();
  }

  @Test
  void aPopulationOnScatterAndViabilityIsAReferenceALineageOneIsNot() throws Exception {
    CytolakeConfig config = CytolakeConfig.load(SharedData.projectDir().resolve("conf"));
    GatingConfig gating = GatingConfig.load(config);
    PanelConfig p1 = config.panels().get("P1");
    assertNull(NormaliseFrames.reference(gating, p1, params(p1, null)));
    assertNotNull(NormaliseFrames.reference(gating, p1, params(p1, "live")));
    assertNotNull(NormaliseFrames.reference(gating, p1, params(p1, "cells/singlets/live")));
    String t =
        assertThrows(
                IllegalStateException.class,
                () -> NormaliseFrames.reference(gating, p1, params(p1, "T")))
            .getMessage();
    assertTrue(t.contains("reference-population 'T'"), t);
    assertTrue(t.contains("normalised column(s) [cd3, cd45ra, cd127]"), t);
    String none =
        assertThrows(
                IllegalStateException.class,
                () -> NormaliseFrames.reference(gating, p1, params(p1, "monocytes")))
            .getMessage();
    assertTrue(none.contains("no such population"), none);
  }
}
