package org.cytolake.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A plot's selection of samples and the checks on its request, without Spark. */
class PlotSelectionTest {

  @Test
  void atMostOneOfSampleVisitAndCohort() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new PlotSelection("s1", "D1", null));
    assertEquals("Cannot plot: give at most one of --sample, --visit and --cohort", e.getMessage());
    assertTrue(new PlotSelection(null, null, null).all());
    assertTrue(!new PlotSelection(null, null, "A").all());
  }

  @Test
  void anUnknownValueIsRefusedListingTheValidOnes() {
    List<String> few = List.of("s1", "s2");
    new PlotSelection("s2", null, null).requireKnown("P1", few);
    new PlotSelection(null, null, null).requireKnown("P1", List.of());
    assertEquals(
        "Cannot plot sample 'nope': panel P1 has no such sample; its 2 samples are [s1, s2]",
        refused(new PlotSelection("nope", null, null), few));
    assertEquals(
        "Cannot plot visit 'D99': panel P1 has samples at visits [D1, D8, M6]",
        refused(new PlotSelection(null, "D99", null), List.of("D1", "D8", "M6")));
    assertEquals(
        "Cannot plot cohort 'C': panel P1 has samples of cohorts [A, B]",
        refused(new PlotSelection(null, null, "C"), List.of("A", "B")));
    List<String> many = IntStream.range(0, 25).mapToObj(i -> "s" + (100 + i)).toList();
    String m = refused(new PlotSelection("nope", null, null), many);
    assertTrue(
        m.endsWith("its 25 samples are " + many.subList(0, 20) + " and 5 more")
            && !m.contains("s120"),
        m);
  }

  @Test
  void theSelectionIsDescribedForTheSubtitle() {
    assertEquals("all samples", new PlotSelection(null, null, null).describe(0));
    assertEquals("sample s1", new PlotSelection("s1", null, null).describe(1));
    assertEquals("visit D1 (12 samples)", new PlotSelection(null, "D1", null).describe(12));
    assertEquals("cohort A (3 samples)", new PlotSelection(null, null, "A").describe(3));
  }

  @Test
  void binsAndTheImageFileAreCheckedFirst() {
    PlotChecks.check(2, Path.of("a.png"));
    PlotChecks.check(4096, Path.of("dir/A.SVG"));
    for (int bad : new int[] {1, 4097}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> PlotChecks.check(bad, Path.of("a.png")));
      assertEquals("Cannot plot: --bins must be 2-4096, not " + bad, e.getMessage());
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PlotChecks.check(256, Path.of("a.jpg")));
    assertEquals("Cannot plot to 'a.jpg': the file name must end in .png or .svg", e.getMessage());
  }

  private static String refused(PlotSelection s, List<String> valid) {
    return assertThrows(IllegalArgumentException.class, () -> s.requireKnown("P1", valid))
        .getMessage();
  }
}
