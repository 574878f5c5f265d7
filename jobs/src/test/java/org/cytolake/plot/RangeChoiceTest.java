package org.cytolake.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The choice between given and quantile ranges, without Spark. */
class RangeChoiceTest {
  static final AxisRange GIVEN = new AxisRange(-2, 7);

  @Test
  void onlyTheAxesWithoutAGivenRangeComeFromQuantiles() {
    assertEquals(List.of("x", "y"), new RangeChoice(null, null, false).auto());
    assertEquals(List.of("y"), new RangeChoice(GIVEN, null, false).auto());
    assertEquals(List.of("x"), new RangeChoice(null, GIVEN, false).auto());
    assertEquals(List.of(), new RangeChoice(GIVEN, GIVEN, false).auto());
    assertEquals(List.of("x"), new RangeChoice(null, null, true).auto());
    assertEquals(List.of(), new RangeChoice(GIVEN, null, true).auto());
  }

  @Test
  void quantilesArePaddedAndGivenRangesKept() {
    double[][] q = {{0, 10}, {1, 1}};
    RangeChoice.Axes both = new RangeChoice(null, null, false).axes(q, 16, "x");
    assertEquals(BinAxis.padded(0, 10, 16), both.x());
    assertEquals(new BinAxis(-0.5, 10.5, 16), both.x());
    assertEquals(BinAxis.padded(1, 1, 16), both.y());
    RangeChoice.Axes yAuto =
        new RangeChoice(GIVEN, null, false).axes(new double[][] {{0, 10}}, 16, "x");
    assertEquals(GIVEN.axis(16), yAuto.x());
    assertEquals(BinAxis.padded(0, 10, 16), yAuto.y());
    RangeChoice.Axes histogram =
        new RangeChoice(null, GIVEN, true).axes(new double[][] {{0, 10}}, 8, "x");
    assertEquals(BinAxis.padded(0, 10, 8), histogram.x());
    assertNull(histogram.y());
  }

  @Test
  void aColumnWithoutValuesIsRefusedNamingWhatWasPlotted() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new RangeChoice(null, null, false)
                    .axes(
                        new double[][] {{0, 1}, {}},
                        16,
                        PlotText.values("cd4", "cd8", "sample s1", "cells/T")));
    assertEquals(
        "Cannot plot: no events with a value of cd4 and cd8 in sample s1, population cells/T",
        e.getMessage());
  }

  @Test
  void theRangeSampleHoldsAboutAMillionEvents() {
    assertEquals(1.0, RangeChoice.sampleFraction(0));
    assertEquals(1.0, RangeChoice.sampleFraction(RangeChoice.SAMPLE));
    assertEquals(0.25, RangeChoice.sampleFraction(4 * RangeChoice.SAMPLE));
    assertEquals(1.0, RangeChoice.sampleFraction(200_000, 200_000));
    assertEquals(0.1, RangeChoice.sampleFraction(2_000_000, 200_000));
  }

  @Test
  void theRangesAreDescribedForTheSubtitle() {
    assertEquals("given", new RangeChoice(GIVEN, GIVEN, false).describe());
    assertEquals("given", new RangeChoice(GIVEN, null, true).describe());
    assertEquals("0.1-99.9% quantiles ±5%", new RangeChoice(null, null, false).describe());
    assertEquals("0.1-99.9% quantiles ±5%", new RangeChoice(null, null, true).describe());
    assertEquals("0.1-99.9% quantiles ±5% (y)", new RangeChoice(GIVEN, null, false).describe());
  }
}
