package org.cytolake.gating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link GatingStrategy}'s population paths and the helper-gate rule. */
class GatingStrategyTest {
  static GatingStrategy strategy() throws GatingMlException {
    return CompactGatingReader.read(
        String.join(
            "\n",
            "gates:",
            "  - {id: cells, rectangle: [{dim: x, min: 0}]}",
            "  - {id: _bright, parent: cells, rectangle: [{dim: x, min: 5}]}",
            "  - {id: dim, parent: cells, not: _bright}",
            ""),
        "helpers.yaml",
        false);
  }

  @Test
  void helpersAreIdsWithTheHelperPrefix() throws Exception {
    assertTrue(GatingStrategy.isHelper("_bright"));
    assertFalse(GatingStrategy.isHelper("bright_"));
    assertEquals(List.of("cells", "_bright", "dim"), strategy().populations());
    assertEquals(List.of("cells", "dim"), strategy().reportedPopulations());
  }

  @Test
  void pathsRunFromTheTopDown() throws Exception {
    assertEquals("cells/dim", strategy().path("dim"));
    assertEquals("cells", strategy().path("cells"));
  }
}
