package org.cytolake.normalise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ModelRow}: a model to the rows of table normalisation_models and back, in any order. */
class ModelRowTest {

  /** Control batches A (two controls) and B (cd4 without signal), pooled batch C, pooled goal. */
  static NormalisationModel model() {
    Map<String, BatchQuantiles> controls = new LinkedHashMap<>();
    controls.put(
        "A",
        new BatchQuantiles(
            "A",
            BatchQuantiles.Source.CONTROL,
            List.of("ctl-a1", "ctl-a2"),
            12_345,
            new double[][] {{1, 2, 3}, {10, 20, 30}, null}));
    controls.put("B", NormalisationModelTest.control("B", new double[] {3, 4, 6}, null, null));
    BatchQuantiles c =
        new BatchQuantiles(
            "C",
            BatchQuantiles.Source.POOLED,
            List.of("s1", "s2", "s3"),
            60_000,
            new double[][] {{0.5, 1.5, 2.5}, {7, 8, 9}, null});
    return NormalisationModel.fit(
            "P1",
            4,
            NormalisationModelTest.params(new Goal.BatchMean(), MissingControl.POOLED),
            controls,
            Map.of("C", c),
            null)
        .withBatch(c);
  }

  static void assertSameModel(NormalisationModel want, NormalisationModel got) {
    assertEquals(want.panel(), got.panel());
    assertEquals(want.version(), got.version());
    assertEquals(want.parameters(), got.parameters());
    assertEquals(want.columns(), got.columns());
    assertArrayEquals(want.probabilities(), got.probabilities(), 0);
    assertArrayEquals(want.goal(), got.goal());
    if (want.pooledGoal() == null) {
      assertNull(got.pooledGoal());
    } else {
      assertArrayEquals(want.pooledGoal(), got.pooledGoal());
    }
    assertEquals(want.batches().keySet(), got.batches().keySet());
    for (BatchQuantiles w : want.batches().values()) {
      BatchQuantiles g = got.batches().get(w.batch());
      assertEquals(w.source(), g.source(), w.batch());
      assertEquals(w.samples(), g.samples(), w.batch());
      assertEquals(w.events(), g.events(), w.batch());
      assertArrayEquals(w.quantiles(), g.quantiles(), w.batch());
      assertEquals(want.key(w.batch()), got.key(w.batch()), w.batch());
    }
  }

  @Test
  void rowsGiveBackTheModelWhateverTheirOrder() {
    NormalisationModel m = model();
    List<ModelRow> rows = ModelRow.of(m);
    assertEquals((2 + 3) * 3 * 3, rows.size(), "goal, pooled goal and 3 batches, 3 x 3 each");
    assertSameModel(m, ModelRow.model(rows, m.columns(), null));
    assertSameModel(m, ModelRow.model(rows));
    Random random = new Random(7);
    for (int i = 0; i < 20; i++) {
      List<ModelRow> shuffled = new ArrayList<>(rows);
      Collections.shuffle(shuffled, random);
      assertSameModel(m, ModelRow.model(shuffled, m.columns(), null));
    }
  }

  @Test
  void aModelWithoutPooledGoalHasNoPooledRows() {
    NormalisationModel m = NormalisationModelTest.fit();
    List<ModelRow> rows = ModelRow.of(m);
    assertTrue(rows.stream().noneMatch(r -> r.source().equals(ModelRow.GOAL_POOLED)));
    List<ModelRow> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(1));
    assertSameModel(m, ModelRow.model(shuffled, m.columns(), null));
  }

  @Test
  void goalRowsComeFirstAndNullMarksNoSignal() {
    List<ModelRow> rows = ModelRow.of(model());
    ModelRow first = rows.get(0);
    assertEquals(
        new ModelRow(
            "P1", 4, model().parameters(), "*", "goal", null, "cd3", 1, 0.25, 2.0, null, null),
        first);
    ModelRow bCd4 =
        rows.stream()
            .filter(r -> r.batch().equals("B") && r.column().equals("cd4") && r.quantile() == 2)
            .findFirst()
            .orElseThrow();
    assertNull(bCd4.value());
    assertEquals("ctl-B", bCd4.samples());
    assertEquals(5000L, bCd4.events());
    ModelRow aCd3 =
        rows.stream()
            .filter(r -> r.batch().equals("A") && r.column().equals("cd3") && r.quantile() == 3)
            .findFirst()
            .orElseThrow();
    assertEquals("ctl-a1;ctl-a2", aCd3.samples());
    assertEquals("control", aCd3.source());
    assertEquals(3.0, aCd3.value());
  }

  @Test
  void columnsFollowTheOrderGiven() {
    NormalisationModel m = model();
    List<ModelRow> shuffled = new ArrayList<>(ModelRow.of(m));
    Collections.shuffle(shuffled, new Random(3));
    NormalisationModel r = ModelRow.model(shuffled, List.of("cd8", "cd3", "cd4"), null);
    assertEquals(List.of("cd8", "cd3", "cd4"), r.columns());
    assertArrayEquals(m.goal()[0], r.goal()[1], 0);
    assertArrayEquals(m.batches().get("A").quantiles()[1], r.batches().get("A").quantiles()[2], 0);
    assertNull(r.batches().get("A").quantiles()[0]);
    NormalisationModel partial = ModelRow.model(shuffled, List.of("cd4", "cd99"), null);
    assertEquals("cd4", partial.columns().get(0));
    assertEquals(3, partial.columns().size(), "a column not in the order follows it");
    assertTrue(partial.columns().containsAll(m.columns()));
  }

  @Test
  void rowsOfTwoVersionsOrNoRowsAreRefused() {
    List<ModelRow> rows = new ArrayList<>(ModelRow.of(model()));
    ModelRow r = rows.get(rows.size() - 1);
    rows.add(
        new ModelRow(
            r.panel(),
            5,
            r.parameters(),
            r.batch(),
            r.source(),
            null,
            r.column(),
            r.quantile(),
            r.probability(),
            r.value(),
            r.samples(),
            r.events()));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelRow.model(rows));
    assertEquals(
        "Cannot read a normalisation model: rows of panel P1 version 4 and of panel P1 version 5",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ModelRow.model(List.of()));
  }
}
