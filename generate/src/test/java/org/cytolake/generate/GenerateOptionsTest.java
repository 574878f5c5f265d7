package org.cytolake.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class GenerateOptionsTest {
  static final GenerateOptions BASE =
      new GenerateOptions(
          Path.of("out"),
          12,
          2000,
          List.of("D1", "D8"),
          List.of("P1"),
          7,
          0.1,
          2,
          false,
          true,
          0.2,
          false,
          false);

  /**
   * Every with* applied, in declaration order and in reverse: each sets its field and keeps the
   * others, so a with* that lost another field would undo a change made before it in one order.
   */
  @Test
  void eachWithChangesItsFieldAndKeepsTheOthers() {
    GenerateOptions expected =
        new GenerateOptions(
            Path.of("o2"),
            3,
            50,
            List.of("FU"),
            List.of("P3"),
            9,
            0.3,
            5,
            true,
            false,
            0.5,
            true,
            true);
    List<UnaryOperator<GenerateOptions>> changes =
        List.of(
            o -> o.withOut(Path.of("o2")),
            o -> o.withPatients(3),
            o -> o.withEventsPerSample(50),
            o -> o.withVisits(List.of("FU")),
            o -> o.withPanels(List.of("P3")),
            o -> o.withSeed(9),
            o -> o.withBadFraction(0.3),
            o -> o.withThreads(5),
            o -> o.withOverwrite(true),
            o -> o.withSeparable(false),
            o -> o.withAnomalyFraction(0.5),
            o -> o.withControlAliquot(true),
            o -> o.withValidationAliquot(true));
    List<UnaryOperator<GenerateOptions>> reversed = new ArrayList<>(changes);
    Collections.reverse(reversed);
    for (List<UnaryOperator<GenerateOptions>> order : List.of(changes, reversed)) {
      GenerateOptions o = BASE;
      for (UnaryOperator<GenerateOptions> change : order) {
        o = change.apply(o);
      }
      assertEquals(expected, o);
    }
  }

  @Test
  void problemsNameEveryUnknownRepeatedOrMissingVisitAndPanel() {
    GenerateOptions o = BASE.withVisits(List.of("D1", "d1", "X9")).withPanels(List.of());
    assertEquals(
        List.of(
            "--visits: visit 'd1' is given twice",
            "--visits: unknown visit 'X9' (known: " + Visit.codes() + ")",
            "--panels must name at least one panel"),
        o.problems());
    o = BASE.withVisits(List.of()).withPanels(List.of("P9", "p1", "P1"));
    assertEquals(
        List.of(
            "--visits must name at least one visit",
            "--panels: unknown panel 'P9' (known: " + PanelModel.panelIds() + ")",
            "--panels: panel 'P1' is given twice"),
        o.problems());
    assertEquals(List.of(), BASE.problems());
  }
}
