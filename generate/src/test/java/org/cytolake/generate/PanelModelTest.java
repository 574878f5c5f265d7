package org.cytolake.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.cytolake.generate.PanelModel.PanelTree;
import org.junit.jupiter.api.Test;

class PanelModelTest {

  private static final String L = PanelModel.LYMPHOCYTES;

  /** TRIAL.md's gating-table populations each panel's markers can define. */
  private static final Map<String, List<String>> GATING =
      Map.of(
          "P1",
              List.of(
                  PanelModel.LIVE,
                  L,
                  PanelModel.T,
                  PanelModel.CD4,
                  PanelModel.CD8,
                  PanelModel.TREG,
                  PanelModel.ATREG,
                  PanelModel.RTREG,
                  PanelModel.TCONV,
                  PanelModel.TREG + "/Helios+",
                  PanelModel.TREG + "/FOXP3+"),
          "P2",
              List.of(
                  PanelModel.T,
                  PanelModel.CD4,
                  PanelModel.CD8,
                  PanelModel.TREG,
                  PanelModel.TCONV,
                  PanelModel.TCONV + "/naive",
                  PanelModel.TCONV + "/CM",
                  PanelModel.TCONV + "/EM",
                  PanelModel.TCONV + "/TEMRA",
                  PanelModel.CD8 + "/naive",
                  PanelModel.CD8 + "/CM",
                  PanelModel.CD8 + "/EM",
                  PanelModel.CD8 + "/TEMRA",
                  PanelModel.TCONV + "/activated",
                  PanelModel.CD8 + "/activated"),
          "P3",
              List.of(
                  PanelModel.LEUKOCYTES,
                  L,
                  PanelModel.MONOCYTES,
                  PanelModel.MONOCYTES + "/classical",
                  PanelModel.MONOCYTES + "/intermediate",
                  PanelModel.MONOCYTES + "/nonclassical",
                  PanelModel.EOSINOPHILS,
                  PanelModel.NEUTROPHILS,
                  PanelModel.T,
                  PanelModel.B,
                  PanelModel.NK,
                  PanelModel.NK + "/CD56bright",
                  PanelModel.NK + "/CD56dim"));

  @Test
  void everyGatingTablePopulationIsAUnionOfLeaves() {
    for (PanelModel.Panel panel : PanelModel.PANELS) {
      PanelTree t = PanelModel.treeOf(panel);
      for (String pop : GATING.get(panel.id())) {
        boolean node = t.indexOf(pop) >= 0;
        boolean derived =
            PanelModel.DERIVED.stream()
                .anyMatch(d -> d.panel().equals(panel.id()) && d.path().equals(pop));
        assertTrue(node || derived, panel.id() + " cannot express " + pop);
      }
      for (String top : List.of("debris", "cells/doublets", "cells/singlets/dead")) {
        assertTrue(t.isLeaf(t.indexOf(top)), top);
      }
      for (int l = 0; l < t.labels().size(); l++) {
        String path = t.labels().get(l);
        int p = t.parent(l);
        assertEquals(
            path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : null,
            p < 0 ? null : t.labels().get(p),
            path);
        assertTrue(p < l, "parents first");
      }
    }
    PanelTree p1 = PanelModel.treeOf(PanelModel.P1);
    assertTrue(p1.isLeaf(p1.indexOf(PanelModel.ATREG + "/Helios+")));
    assertTrue(p1.isLeaf(p1.indexOf(PanelModel.TCONV)), "P1 has no CCR7: Tconv is a leaf");
    assertTrue(p1.indexOf(L + "/nonT") >= 0 && p1.indexOf(PanelModel.B) < 0);
    PanelTree p3 = PanelModel.treeOf(PanelModel.P3);
    assertTrue(p3.isLeaf(p3.indexOf(PanelModel.T)), "P3 has no CD4/CD8");
  }

  @Test
  void panelsFollowTrialMd() {
    assertEquals(
        List.of(
            "CD45RA",
            "CD25",
            "HLA-DR",
            "CD4",
            "CD127",
            "FOXP3",
            "Viability",
            "Helios",
            "CD3",
            "CD8"),
        PanelModel.P1.markers());
    assertEquals("CCR7", PanelModel.P2.markerOf("PE-A"));
    assertEquals("CD14", PanelModel.P3.markerOf("PE-Cy7-A"));
    for (PanelModel.Panel p : PanelModel.PANELS) {
      assertEquals("Viability", p.markerOf("APC-H7-A"));
      assertEquals(10, p.markers().size());
    }
    for (PanelModel.Population p : PanelModel.tree()) {
      for (PanelModel.Level l : PanelModel.phenotype(p.index())) {
        assertNotNull(l, p.path());
      }
    }
    assertEquals(5.5, PanelModel.population(PanelModel.TREG).share().meanPct());
    assertFalse(PanelModel.isLeaf(PanelModel.population(PanelModel.TREG).index()));
  }

  @Test
  void cohortsFillRoundRobinUpToTheTrialSplit() {
    assertEquals(List.of(Cohort.values()), Cohort.assign(11));
    Map<Cohort, Integer> n = new EnumMap<>(Cohort.class);
    Cohort.assign(46).forEach(c -> n.merge(c, 1, Integer::sum));
    for (Cohort c : Cohort.values()) {
      assertEquals(c.defaultPatients(), n.get(c), c.name());
    }
    Map<Cohort, Integer> m = new EnumMap<>(Cohort.class);
    Cohort.assign(12).forEach(c -> m.merge(c, 1, Integer::sum));
    assertEquals(2, m.get(Cohort.RA));
    assertEquals(1, m.get(Cohort.PSC));
  }

  @Test
  void visitBiologyKeepsTheD8TregFloorForManyPatients() {
    Biology b = new Biology(11, false);
    for (int i = 0; i < 500; i++) {
      Cohort c = Cohort.values()[i % 11];
      Biology.PatientState s = b.patient("P" + i, c);
      double fc =
          b.sample(s, Visit.D8).fraction(PanelModel.TREG)
              / b.sample(s, Visit.D1).fraction(PanelModel.TREG);
      assertTrue(fc > EffectModel.MIN_D8_TREG_FOLD, "patient " + i + ": " + fc);
      double sum = 0;
      for (double p : b.sample(s, Visit.D8).leafProbability()) {
        sum += p;
      }
      assertEquals(1.0, sum, 1e-9);
    }
  }
}
