package org.cytolake.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.cytolake.scoring.PopulationAccuracy.Cell;
import org.cytolake.scoring.PopulationAccuracy.Population;
import org.cytolake.scoring.PopulationAccuracy.SampleRow;
import org.cytolake.scoring.PopulationAccuracy.Summary;
import org.junit.jupiter.api.Test;

class PopulationAccuracyTest {
  private static final String CD4 = "cells/live/lymphocytes/T/CD4";
  private static final String TREG = CD4 + "/Treg";

  /** CD4 (index 0, top population) and Treg (index 1, child of CD4). */
  private static final List<Population> STRATEGY =
      List.of(new Population(CD4, 0, -1, null), new Population(TREG, 1, 0, CD4));

  private static BitSet bits(int... set) {
    BitSet b = new BitSet();
    for (int i : set) {
      b.set(i);
    }
    return b;
  }

  @Test
  void aLabelIsInAPopulationWhenThePathsSegmentsAppearInOrder() {
    String label = "cells/singlets/live/leukocytes/lymphocytes/T/CD4/Treg/aTreg/Helios+";
    assertTrue(PopulationAccuracy.labelIn("cells/singlets/live/lymphocytes/T/CD4/Treg", label));
    assertTrue(PopulationAccuracy.labelIn("cells/_lymph/lymphocytes/t/cd4", label));
    assertFalse(PopulationAccuracy.labelIn("cells/singlets/live/lymphocytes/T/CD8", label));
    assertFalse(PopulationAccuracy.labelIn("CD4/T", label), "order matters");
    assertFalse(PopulationAccuracy.labelIn("cells/singlets/live/lymphocytes/T/CD4/Tconv", label));
    assertFalse(PopulationAccuracy.labelIn("cells/singlets/live/lymphocytes/T/CD4/Treg", "debris"));
  }

  @Test
  void countsTheGatedAndTrueSharesOfEachSampleAndTheEventsOnTheWrongSide() {
    // Sample s1: 100 true CD4 events, 10 of them Treg. The gates put 95 Tconv + 8 Treg in CD4
    // (5 Tconv lost), 2 true Tregs out of Treg, and 3 Tconv into Treg.
    String tconv = "cells/live/leukocytes/lymphocytes/T/CD4/Tconv";
    String treg = "cells/live/leukocytes/lymphocytes/T/CD4/Treg";
    List<Cell> cells =
        List.of(
            new Cell("s1", bits(0), tconv, 87),
            new Cell("s1", bits(0, 1), tconv, 3),
            new Cell("s1", bits(), tconv, 5),
            new Cell("s1", bits(0, 1), treg, 8),
            new Cell("s1", bits(0), treg, 2),
            new Cell("s1", bits(), "debris", 50));
    List<SampleRow> rows = PopulationAccuracy.rows(STRATEGY, cells);
    assertEquals(2, rows.size());
    SampleRow cd4 = rows.get(0);
    assertEquals(CD4, cd4.population());
    assertEquals(100, cd4.gated());
    assertEquals(155, cd4.gatedParent(), "a top population's parent is every event");
    assertEquals(105, cd4.truth());
    assertEquals(155, cd4.truthParent());
    assertEquals(5, cd4.misassigned());
    SampleRow t = rows.get(1);
    assertEquals(11, t.gated());
    assertEquals(100, t.gatedParent());
    assertEquals(10, t.truth(), "true Tregs among the true CD4");
    assertEquals(105, t.truthParent());
    assertEquals(8, t.both());
    assertEquals(3 + 2, t.misassigned());
    assertEquals(11.0 - 100.0 * 10 / 105, t.absError(), 1e-12);
  }

  @Test
  void summarisesOverSamplesWithR7QuantilesAndSkipsEmptyParents() {
    List<SampleRow> rows =
        List.of(
            new SampleRow("a", TREG, 10, 100, 10, 100, 10),
            new SampleRow("b", TREG, 12, 100, 10, 100, 10),
            new SampleRow("c", TREG, 6, 100, 10, 100, 6),
            new SampleRow("d", TREG, 0, 0, 1, 10, 0));
    Summary s = PopulationAccuracy.summarise(rows).get(TREG);
    assertEquals(3, s.samples());
    // errors 0, 2, 4 points: R quantile(c(0, 2, 4), c(.5, .95), type = 7) = 2, 3.8
    assertEquals(2.0, s.medianAbsError(), 1e-12);
    assertEquals(3.8, s.p95AbsError(), 1e-12);
    assertEquals(4.0, s.maxAbsError(), 1e-12);
    assertEquals(0 + 2 + 4, s.misassigned());
    assertEquals(300, s.truthParentEvents());
    assertEquals(0.02, s.misassignedShare(), 1e-12);
  }

  @Test
  void aPopulationNoLabelMatchesIsListedNotScored() {
    List<Population> strategy =
        List.of(new Population(CD4, 0, -1, null), new Population(CD4 + "/CD25hi", 1, 0, CD4));
    List<Cell> cells = List.of(new Cell("s1", bits(0), "cells/live/lymphocytes/T/CD4/Treg", 4));
    assertEquals(List.of(CD4 + "/CD25hi"), PopulationAccuracy.withoutTruth(strategy, cells));
    Map<String, Summary> s = PopulationAccuracy.summarise(PopulationAccuracy.rows(strategy, cells));
    assertEquals(List.of(CD4), List.copyOf(s.keySet()));
  }

  @Test
  void takesTheStrategysReportedPopulationsWithTheirMembershipBitsAndParents() throws Exception {
    String yaml =
        String.join(
            "\n",
            "gates:",
            "  - {id: cells, rectangle: [{dim: fsc_a, min: 1}]}",
            "  - {id: _bright, rectangle: [{dim: cd3, min: 1}]}",
            "  - {id: T, parent: cells, and: [_bright, cells]}",
            "  - {id: CD4, parent: T, rectangle: [{dim: cd4, min: 1}]}");
    List<Population> p =
        PopulationAccuracy.populations(org.cytolake.config.GatingConfig.parse(yaml, "test.yaml"));
    assertEquals(
        List.of(
            new Population("cells", 0, -1, null),
            new Population("cells/T", 2, 0, "cells"),
            new Population("cells/T/CD4", 3, 2, "cells/T")),
        p);
  }
}
