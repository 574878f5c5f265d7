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

  @Test
  void anIdThatCarriesItsParentsPathIsItsOwnPathAndItsNameTheRest() throws Exception {
    GatingStrategy s =
        CompactGatingReader.read(
            String.join(
                "\n",
                "gates:",
                "  - {id: Live, rectangle: [{dim: x, min: 0}]}",
                "  - {id: Live/APC, parent: Live, rectangle: [{dim: x, min: 1}]}",
                "  - {id: \"Live/APC/B Cell, CD19+\", parent: Live/APC, rectangle: [{dim: x, min: 2}]}",
                "  - {id: IFNa+, parent: Live/APC, rectangle: [{dim: x, min: 3}]}",
                ""),
            "paths.yaml",
            false);
    assertEquals("Live/APC/B Cell, CD19+", s.path("Live/APC/B Cell, CD19+"));
    assertEquals("B Cell, CD19+", s.name("Live/APC/B Cell, CD19+"));
    assertEquals("Live/APC", s.path("Live/APC"));
    assertEquals("APC", s.name("Live/APC"));
    assertEquals("Live/APC/IFNa+", s.path("IFNa+"));
    assertEquals("IFNa+", s.name("IFNa+"));
    assertEquals("Live", s.name("Live"));
  }

  @Test
  void anInputChannelIsComputedFromItsColumnBeforeTheGate() throws Exception {
    GatingStrategy s =
        CompactGatingReader.read(
                "gates:\n  - {id: bright, rectangle: [{dim: Comp-FITC-A, min: 100}]}\n",
                "inputs.yaml",
                false)
            .withInputs(
                java.util.Map.of(
                    "Comp-FITC-A",
                    new InputChannel("Comp-FITC-A", "fitc", "fitc times 100", v -> v * 100)));
    EventTable t = new EventTable("t", List.of("fitc"), 3, new double[] {0.5, 1.0, 2.0}, null);
    GatingResult r = GateEvaluator.evaluate(s, t);
    assertEquals(2, r.count("bright"));
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                GateEvaluator.evaluate(
                    s, new EventTable("t", List.of("cd3"), 1, new double[] {1}, null)));
    assertTrue(e.getMessage().contains("no channel 'fitc' (for 'Comp-FITC-A')"), e.getMessage());
  }
}
