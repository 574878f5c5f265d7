package org.cytolake.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.cytolake.config.VisitSchedule;
import org.cytolake.report.Effects.EffectPoint;
import org.cytolake.report.Effects.Trajectories;
import org.junit.jupiter.api.Test;

/** The rules ReportJob's effect plots follow, without Spark: the endpoint, title and axis. */
class EffectsTest {
  static final Comparator<String> VISITS = VisitSchedule.order(List.of("D1", "D8", "M6"));
  static final PrimaryPopulation TREG =
      new PrimaryPopulation("P1", "Treg", "cells/CD4/Treg", "Treg", "CD4", null);

  static EffectPoint point(String feature, String statistic, boolean primary) {
    return new EffectPoint("P1", feature, statistic, null, "D8", "fold_change", 1.5, 0.01, primary);
  }

  @Test
  void thePrimaryEndpointIsTheLastPointMarkedPrimary() {
    EffectPoint a = point("Treg", "pct_of_parent", true);
    EffectPoint b = point("CD25", "median", false);
    EffectPoint c = point("Treg", "count", true);
    assertSame(c, Effects.primary(List.of(a, b, c)));
    assertSame(a, Effects.primary(List.of(a, b)));
    assertNull(Effects.primary(List.of(b)));
    assertNull(Effects.primary(List.of()));
  }

  @Test
  void anUntestedPrimaryHasNoEstimateButIsPrimary() {
    EffectPoint p = EffectPoint.untestedPrimary("P1", "Treg", "pct_of_parent", "D8", "odds_ratio");
    assertTrue(p.primary());
    assertNull(p.population());
    assertTrue(Double.isNaN(p.estimate()));
    assertTrue(Double.isNaN(p.q()));
    assertEquals("P1 Treg pct_of_parent", p.label());
    // left out of the volcano plots, which need a finite estimate and q
    assertEquals(List.of(), Effects.volcanoes(List.of(p), VISITS));
  }

  @Test
  void theReportPopulationsPercentIsTitledAsTheReportTitlesIt() {
    EffectPoint treg = point("Treg", "pct_of_parent", true);
    assertEquals("Treg % of CD4", Trajectories.title(treg, TREG));
    assertEquals("Treg % of CD4 (P1, logit)", Trajectories.axis("Treg % of CD4", treg, "logit"));
    // the same feature's other statistic, or another panel's, is named by feature and statistic
    assertEquals("Treg mean fi", Trajectories.title(point("Treg", "mean_fi", true), TREG));
    EffectPoint otherPanel =
        new EffectPoint("P2", "Treg", "pct_of_parent", null, "D8", "change", 1, 1, true);
    assertEquals("Treg pct of parent", Trajectories.title(otherPanel, TREG));
    assertEquals("CD25 median (P2, ?)", Trajectories.axis("CD25 median", otherPanel, null));
  }

  @Test
  void trajectoriesOfAnEndpointCarryItsTitleAxisAndVisitsInScheduleOrder() {
    EffectPoint treg = point("Treg", "pct_of_parent", true);
    Trajectories t =
        Trajectories.of(
            treg,
            TREG,
            "percent",
            List.of(
                new Trajectories.Value("A", "p2", "M6", 3),
                new Trajectories.Value("A", "p1", "D1", 1),
                new Trajectories.Value("A", "p1", "M6", Double.NaN),
                new Trajectories.Value("B", "p3", "D8", 2)),
            VISITS);
    assertEquals("Treg % of CD4", t.title());
    assertEquals("Treg % of CD4 (P1, percent)", t.axis());
    assertEquals(List.of("D1", "D8", "M6"), t.visits());
    assertEquals(List.of("A", "B"), t.cohorts().stream().map(c -> c.cohort()).toList());
    assertEquals(
        Map.of("D1", 1.0), t.cohorts().get(0).patients().get(0).values(), "NaN values left out");
  }
}
