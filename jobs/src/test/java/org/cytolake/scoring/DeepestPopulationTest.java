package org.cytolake.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.GateEvaluator;
import org.cytolake.gating.GatingStrategy;
import org.junit.jupiter.api.Test;

/** {@link DeepestPopulation}: the gated population an event is scored as (moved out of EvaluateJob). */
class DeepestPopulationTest {
  @Test
  void eachEventGetsItsDeepestNonHelperPopulation() throws Exception {
    GatingStrategy s =
        CompactGatingReader.read(
            String.join(
                "\n",
                "gates:",
                "  - {id: cells, rectangle: [{dim: x, min: 0}]}",
                "  - {id: hi, parent: cells, rectangle: [{dim: x, min: 5}]}",
                "  - {id: _top, parent: hi, rectangle: [{dim: x, min: 8}]}",
                "  - {id: mid, parent: hi, not: _top}",
                "  - {id: also, parent: cells, rectangle: [{dim: x, min: 6}]}",
                ""),
            "deep.yaml",
            false);
    double[] x = {-1, 2, 6, 9};
    String[] gated =
        new DeepestPopulation(s)
            .of(
                GateEvaluator.evaluate(s, new EventTable("s", List.of("x"), x.length, x, null)),
                x.length);
    // 6: cells/hi/mid (depth 3) beats cells/also (2); 9: _top is a helper, so cells/hi (2) first
    // among depth 2.
    assertArrayEquals(
        new String[] {DeepestPopulation.UNGATED, "cells", "cells/hi/mid", "cells/hi"}, gated);
  }

  @Test
  void gatedPathsAreScoredAsTheirReferencePopulation() {
    ReferencePopulations ref = new ReferencePopulations(Map.of("cells/hi", "High"));
    assertEquals("High", DeepestPopulation.scoredAs("cells/hi/mid", ref));
    assertEquals("cells", DeepestPopulation.scoredAs("cells", ref));
    assertEquals(
        DeepestPopulation.UNGATED, DeepestPopulation.scoredAs(DeepestPopulation.UNGATED, ref));
    assertEquals(
        "cells/hi", DeepestPopulation.scoredAs("cells/hi", ReferencePopulations.identity()));
  }
}
