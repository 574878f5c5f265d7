package org.cytolake.plot.clusters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cytolake.plot.clusters.VisitAbundance.SampleShare;
import org.junit.jupiter.api.Test;

class VisitAbundanceTest {

  @Test
  void perMetaclusterAndVisitTheSamplesAndTheirMedianInVisitOrder() {
    List<SampleShare> rows =
        List.of(
            new SampleShare("a", "D8", 0, 10),
            new SampleShare("b", "D8", 0, 30),
            new SampleShare("c", "D1", 0, 5),
            new SampleShare("d", "D1", 0, 7),
            new SampleShare("e", "D1", 0, 9),
            new SampleShare("a", "D8", 1, 90),
            new SampleShare("b", "D8", 1, 70),
            new SampleShare("c", "D1", 1, 95),
            new SampleShare("d", "D1", 1, 93),
            new SampleShare("e", "D1", 1, 91));
    VisitAbundance a = VisitAbundance.of(rows, List.of("D1", "D5", "D8"), Map.of(1, "T"));
    assertEquals(List.of("D1", "D8"), a.visits(), "D5 has no sample");
    assertEquals(2, a.metaclusters().size());
    VisitAbundance.Metacluster m0 = a.metaclusters().get(0);
    assertEquals("", m0.label());
    assertArrayEquals(new double[] {5, 7, 9}, m0.pcts().get(0));
    assertEquals(List.of(7.0, 20.0), m0.medians());
    assertEquals("T", a.metaclusters().get(1).label());
    assertEquals(List.of(93.0, 80.0), a.metaclusters().get(1).medians());
  }

  @Test
  void aVisitMissingFromTheScheduleComesAfterItAndATwiceCountedSampleIsNamed() {
    VisitAbundance a =
        VisitAbundance.of(
            List.of(new SampleShare("a", "X9", 0, 1), new SampleShare("b", "D1", 0, 2)),
            List.of("D1"),
            Map.of());
    assertEquals(List.of("D1", "X9"), a.visits());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                VisitAbundance.of(
                    List.of(new SampleShare("a", "D1", 0, 1), new SampleShare("a", "D1", 0, 2)),
                    List.of("D1"),
                    Map.of()));
    assertTrue(e.getMessage().contains("sample a has two rows for metacluster 0"), e.getMessage());
  }
}
