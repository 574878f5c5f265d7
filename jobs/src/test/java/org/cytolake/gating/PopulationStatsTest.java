package org.cytolake.gating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What GateJob writes of one sample, without Spark. */
class PopulationStatsTest {
  static final String STRATEGY =
      String.join(
          "\n",
          "gates:",
          "  - {id: a, rectangle: [{dim: x, min: 1}]}",
          "  - {id: b, parent: a, rectangle: [{dim: y, min: 10}]}",
          "  - {id: _h, rectangle: [{dim: y, max: 0}]}",
          "  - {id: e, parent: a, rectangle: [{dim: y, min: 1000}]}");

  static List<PopulationStats> gate(double... xy) throws Exception {
    GatingStrategy s = CompactGatingReader.read(STRATEGY, "t.yaml", false);
    return PopulationStats.of(s, new EventTable("s1", List.of("x", "y"), xy.length / 2, xy, null));
  }

  @Test
  void countsPathsAndPercentagesOfEveryPopulationButHelpers() throws Exception {
    List<PopulationStats> p = gate(0, 0, 1, 5, 2, 20, 3, 30, 4, Double.NaN);
    assertEquals(List.of("a", "a/b", "a/e"), p.stream().map(PopulationStats::population).toList());
    assertEquals(List.of("a", "b", "e"), p.stream().map(PopulationStats::name).toList());
    assertEquals(Arrays.asList(null, "a", "a"), p.stream().map(PopulationStats::parent).toList());
    PopulationStats a = p.get(0);
    PopulationStats b = p.get(1);
    assertEquals(4, a.count());
    assertEquals(5, a.parentCount());
    assertEquals(5, a.totalCount());
    assertEquals(80.0, a.pctOfParent());
    assertEquals(80.0, a.pctOfTotal());
    assertEquals(2, b.count());
    assertEquals(4, b.parentCount());
    assertEquals(50.0, b.pctOfParent());
    assertEquals(40.0, b.pctOfTotal());
  }

  @Test
  void mediansAreExactWithNaNOrderedLastAndNullForAnEmptyPopulation() throws Exception {
    List<PopulationStats> p = gate(0, 0, 1, 5, 2, 20, 3, 30, 4, Double.NaN);
    // a: x = 1, 2, 3, 4; y = 5, 20, 30, NaN (NaN counts, sorted last)
    assertEquals(List.of(2.5, 25.0), p.get(0).medians());
    assertEquals(List.of(2.5, 25.0), p.get(1).medians());
    assertEquals(Arrays.asList(null, null), p.get(2).medians());
  }

  @Test
  void qcFlagsEmptyGatesAndLowCounts() throws Exception {
    List<PopulationStats> p = gate(0, 0, 1, 5, 2, 20, 3, 30, 4, Double.NaN);
    assertEquals(Optional.empty(), p.get(0).qcFlag(3));
    assertEquals(
        Optional.of(
            new PopulationStats.QcFlag("LOW_COUNT", "2 events, fewer than gating.min-events = 3")),
        p.get(1).qcFlag(3));
    assertEquals(Optional.empty(), p.get(1).qcFlag(2));
    assertEquals(
        Optional.of(
            new PopulationStats.QcFlag(
                "EMPTY_GATE", "gate caught none of the 4 events of its parent")),
        p.get(2).qcFlag(3));
  }

  @Test
  void aSampleWithoutEventsHasNoPercentagesAndNoFlags() throws Exception {
    for (PopulationStats s : gate()) {
      assertEquals(0, s.count());
      assertEquals(0, s.parentCount());
      assertNull(s.pctOfParent());
      assertNull(s.pctOfTotal());
      assertEquals(Optional.empty(), s.qcFlag(50));
    }
  }

  @Test
  void helperGatesAreNamedByTheirPrefix() {
    assertEquals("_", GatingStrategy.HELPER_PREFIX);
    assertEquals(true, GatingStrategy.isHelper("_lineage"));
    assertEquals(false, GatingStrategy.isHelper("T_cells"));
  }
}
