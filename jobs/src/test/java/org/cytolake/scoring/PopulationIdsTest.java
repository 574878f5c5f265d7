package org.cytolake.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.GateEvaluator;
import org.cytolake.gating.GatingResult;
import org.cytolake.gating.GatingStrategy;
import org.junit.jupiter.api.Test;

/** Each event's deepest population as one number, for export-fcs's population_id channel. */
class PopulationIdsTest {
  private static final GatingStrategy S = strategy();

  private static GatingStrategy strategy() {
    try {
      return CompactGatingReader.read(
          "gates:\n"
              + "  - {id: cells, rectangle: [{dim: a, min: 1}]}\n"
              + "  - {id: hi, parent: cells, rectangle: [{dim: b, min: 5}]}\n"
              + "  - {id: wide, parent: cells, rectangle: [{dim: b, min: 3}]}\n",
          "t.yaml",
          false);
    } catch (org.cytolake.gating.GatingMlException e) {
      throw new IllegalStateException(e);
    }
  }

  // events: out of cells; cells only; cells+wide; cells+wide+hi (overlapping siblings)
  private static final GatingResult R =
      GateEvaluator.evaluate(
          S,
          new EventTable("t", List.of("a", "b"), 4, new double[] {0, 0, 2, 0, 2, 4, 2, 6}, null));

  @Test
  void eachEventGetsItsDeepestPopulationTheFirstOfOverlappingSiblings() {
    PopulationIds ids = PopulationIds.of(S, R, 4, null);
    assertEquals(Map.of(1, "cells", 2, "cells/hi", 3, "cells/wide"), ids.names());
    assertArrayEquals(new int[] {0, 1, 3, 2}, ids.codes());
  }

  @Test
  void excludedEventsGetZeroAndAPopulationIsFoundByPathOrId() {
    BitSet excluded = new BitSet();
    excluded.set(2);
    assertArrayEquals(new int[] {0, 1, 0, 2}, PopulationIds.of(S, R, 4, excluded).codes());
    assertEquals(3, PopulationIds.members(S, R, "cells/wide").cardinality() + 1);
    assertEquals(PopulationIds.members(S, R, "wide"), PopulationIds.members(S, R, "cells/wide"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PopulationIds.members(S, R, "nope"));
    assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("cells/hi"));
  }
}
