package org.cytolake.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cytolake.report.ReportModel.PrimaryPlot;
import org.junit.jupiter.api.Test;

/** {@link ReportModel}'s builder: the same report as the canonical constructor, part by part. */
class ReportModelTest {

  @Test
  void theBuilderMakesTheReportTheCanonicalConstructorMakes() throws Exception {
    ReportModel m =
        ReportRendererTest.model(null, null).toBuilder()
            .effects(ReportRendererTest.effects())
            .acquisitionQc(AcquisitionQcViewTest.view(true))
            .normalisation(List.of())
            .build();
    ReportModel canonical =
        new ReportModel(
            m.runId(),
            m.generatedAt(),
            m.lake(),
            m.summary(),
            m.samples(),
            m.acquisitionQc(),
            m.quarantine(),
            m.primary(),
            m.heatmaps(),
            m.cohortSummary(),
            m.effects(),
            m.gatingQc(),
            m.clusterPictures(),
            m.normalisation());
    assertEquals(canonical, m);
    assertEquals(ReportRenderer.render(canonical), ReportRenderer.render(m));
    assertEquals(m, m.toBuilder().build(), "toBuilder keeps every part");
  }

  @Test
  void partsNotSetAreThoseOfALakeWithoutThem() throws Exception {
    ReportModel m =
        ReportModel.builder()
            .runId("r")
            .generatedAt(java.time.Instant.EPOCH)
            .lake("/l")
            .primary(new PrimaryPlot(ReportRendererTest.treg(), List.of(), List.of()))
            .build();
    assertNull(m.summary());
    assertNull(m.acquisitionQc(), "sample_qc not computed");
    assertTrue(m.samples().isEmpty() && m.quarantine().isEmpty() && m.heatmaps().isEmpty());
    assertNull(m.cohortSummary(), "cohort_summary not computed");
    assertNull(m.effects(), "differential not computed");
    assertTrue(m.gatingQc().isEmpty() && m.clusterPictures().isEmpty());
    assertNull(m.normalisation(), "no batch normalisation section");
  }

  @Test
  void aRequiredPartNotSetIsNamed() {
    NullPointerException e =
        assertThrows(
            NullPointerException.class, () -> ReportModel.builder().runId("r").lake("/l").build());
    assertEquals("generatedAt", e.getMessage());
  }

  @Test
  void withSummaryChangesTheSummaryOnly() throws Exception {
    ReportModel m = ReportRendererTest.model(null, null);
    RunSummary s = RunSummaryJson.parse("{\"status\": \"degraded\"}", "s.json");
    ReportModel w = m.withSummary(s);
    assertEquals(s, w.summary());
    assertEquals(m, w.toBuilder().summary(null).build());
  }
}
