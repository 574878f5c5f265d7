package org.cytolake.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Columns, coding and aliasing of {@link DesignMatrix}; validation of {@link DesignSpec}. */
class DesignMatrixTest {

  private static Observation obs(String subject, String visit, String cohort, double age) {
    return new Observation(
        subject, 0, Map.of("visit", visit, "cohort", cohort), Map.of("age", age));
  }

  @Test
  void treatmentCodingNamesAndOrdersColumnsAsPatsy() {
    DesignSpec spec =
        DesignSpec.builder()
            .factor("visit", "D1")
            .factor("cohort", "RA")
            .covariate("age")
            .interaction("visit", "cohort")
            .build();
    // every visit x cohort cell once, and RA at D1 twice with another age: full rank
    List<Observation> rows = new ArrayList<>();
    double age = 30;
    for (String cohort : List.of("SLE", "RA", "AS")) {
      for (String visit : List.of("D8", "D1", "D15")) {
        rows.add(obs(cohort + visit, visit, cohort, age++));
      }
    }
    rows.add(obs("RA2", "D1", "RA", 70));
    DesignMatrix d = DesignMatrix.build(spec, rows);
    assertEquals(
        Map.of("visit", List.of("D1", "D15", "D8"), "cohort", List.of("RA", "AS", "SLE")),
        d.levels());
    assertEquals(
        List.of(
            "Intercept",
            "visit[T.D15]",
            "visit[T.D8]",
            "cohort[T.AS]",
            "cohort[T.SLE]",
            "age",
            "visit[T.D15]:cohort[T.AS]",
            "visit[T.D8]:cohort[T.AS]",
            "visit[T.D15]:cohort[T.SLE]",
            "visit[T.D8]:cohort[T.SLE]"),
        d.keptNames());
    // row 0: SLE at D8, age 30
    assertArrayEquals(new double[] {1, 0, 1, 0, 1, 30, 0, 0, 0, 1}, d.x()[0]);
    // row 8: AS at D15, age 38
    assertArrayEquals(new double[] {1, 1, 0, 1, 0, 38, 1, 0, 0, 0}, d.x()[8]);
    assertTrue(d.aliased().isEmpty());
  }

  @Test
  void explicitLevelsFixTheOrderAndAnEmptyLevelIsDropped() {
    DesignSpec spec =
        DesignSpec.builder().factor("visit", List.of("D1", "D8", "D15", "M3")).build();
    List<Observation> rows = new ArrayList<>();
    for (String v : List.of("D1", "D8", "D15", "D1")) {
      rows.add(new Observation("p", 0, Map.of("visit", v)));
    }
    DesignMatrix d = DesignMatrix.build(spec, rows);
    assertEquals(List.of("Intercept", "visit[T.D8]", "visit[T.D15]"), d.keptNames());
    assertEquals("visit[T.M3]", d.aliased().get(0).name());
    assertEquals("all zero: no row has visit=M3", d.aliased().get(0).reason());
  }

  @Test
  void aConfoundedColumnIsDroppedWithTheCombinationItEquals() {
    DesignSpec spec = DesignSpec.builder().factor("cohort", "RA").factor("batch", "B1").build();
    List<Observation> rows = new ArrayList<>();
    for (String c : List.of("RA", "SLE", "RA", "SLE", "AS")) {
      String batch = c.equals("SLE") ? "B2" : "B1";
      rows.add(new Observation("p", 0, Map.of("cohort", c, "batch", batch)));
    }
    DesignMatrix d = DesignMatrix.build(spec, rows);
    assertEquals(List.of("Intercept", "cohort[T.AS]", "cohort[T.SLE]"), d.keptNames());
    DesignMatrix.AliasedColumn a = d.aliased().get(0);
    assertEquals("batch[T.B2]", a.name());
    assertEquals(1, a.combination().size());
    assertEquals(1.0, a.combination().get("cohort[T.SLE]"), 1e-12);
    assertEquals("a linear combination of earlier columns: 1.00000 × cohort[T.SLE]", a.reason());
  }

  @Test
  void allProblemsOfTheRowsAreReportedAtOnce() {
    DesignSpec spec =
        DesignSpec.builder()
            .factor("visit", List.of("D1", "D8"))
            .factor("cohort", "RA")
            .covariate("age")
            .build();
    List<Observation> rows =
        List.of(
            new Observation("a", 0, Map.of("visit", "D1", "cohort", "SLE"), Map.of("age", 40.0)),
            new Observation("b", 0, Map.of("visit", "D99", "cohort", "SLE"), Map.of()),
            new Observation("c", 0, Map.of("cohort", "SLE"), Map.of("age", Double.NaN)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DesignMatrix.build(spec, rows));
    assertEquals(
        "Cannot build design matrix: 5 problems: row 1 has visit 'D99', not one of "
            + "[D1, D8]; row 2 has no level for factor 'visit'; factor 'cohort' has no row at its "
            + "reference level 'RA' (levels found: SLE); row 1 has covariate 'age' = null; row 2 has "
            + "covariate 'age' = NaN",
        e.getMessage());
  }

  @Test
  void specProblemsAreReportedAtOnce() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DesignSpec.builder()
                    .factor("visit", "D1")
                    .covariate("visit")
                    .factor("sex", "")
                    .interaction("visit", "cohort")
                    .interaction("sex")
                    .build());
    assertEquals(
        "Cannot build design spec: term 'visit' is declared twice; factor 'sex' has no "
            + "reference level; interaction visit:cohort names 'cohort', which is not a declared "
            + "factor; interaction [sex] has fewer than two factors",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DesignSpec.builder().factor("visit", List.of("D1", "D8", "D1")).build());
    assertTrue(e.getMessage().contains("lists a level twice"), e.getMessage());
  }
}
