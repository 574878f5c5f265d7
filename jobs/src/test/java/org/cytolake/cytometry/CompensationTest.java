package org.cytolake.cytometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class CompensationTest {

  /** Row i, column j: the fraction of dye i's signal seen in detector j. */
  private static final double[][] SPILLOVER = {
    {1.0, 0.1, 0.0},
    {0.2, 1.0, 0.05},
    {0.0, 0.3, 1.0}
  };

  private static final List<String> CHANNELS = List.of("FL1-A", "FL2-A", "FL3-A");

  /** The file orders channels differently and has others that compensation must not touch. */
  private static final List<String> FILE = List.of("FSC-A", "FL3-A", "Time", "FL1-A", "FL2-A");

  /**
   * True signals (FL1, FL2, FL3) = (1000, 500, 200) are observed as true × S:
   * FL1 = 1000·1 + 500·0.2 + 200·0 = 1100, FL2 = 1000·0.1 + 500·1 + 200·0.3 = 660,
   * FL3 = 1000·0 + 500·0.05 + 200·1 = 225. Compensating must give the true signals back.
   */
  @Test
  void removesSpilloverFromAHandComputedEvent() {
    BoundCompensation bound = Compensation.of(CHANNELS, SPILLOVER).bind(FILE);
    assertArrayEquals(new int[] {3, 4, 1}, bound.channelIndices());

    double[] events = {
      50_000, 225, 7, 1100, 660,
      40_000, 0, 8, 0, 0
    };
    bound.compensate(events, 2, 5);
    assertArrayEquals(new double[] {50_000, 200, 7, 1000, 500, 40_000, 0, 8, 0, 0}, events, 1e-9);

    float[] floats = {50_000, 225, 7, 1100, 660};
    bound.compensate(floats, 1, 5);
    assertArrayEquals(new float[] {50_000, 200, 7, 1000, 500}, floats, 1e-3f);
  }

  @Test
  void decompensatingUndoesCompensation() {
    Random random = new Random(42);
    int n = 8;
    double[][] spillover = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        spillover[i][j] = i == j ? 1 : random.nextDouble() * 0.3;
      }
    }
    List<String> channels = List.of("B1-A", "B2-A", "V1-A", "V2-A", "R1-A", "R2-A", "Y1-A", "Y2-A");
    List<String> file =
        List.of("FSC-A", "SSC-A", "B1-A", "B2-A", "V1-A", "V2-A", "R1-A", "R2-A", "Y1-A", "Y2-A");
    Compensation compensation = Compensation.of(channels, spillover);

    int events = 1000;
    double[] original = new double[events * file.size()];
    for (int i = 0; i < original.length; i++) {
      original[i] = random.nextGaussian() * Math.pow(10, random.nextDouble() * 5);
    }
    double[] values = original.clone();
    compensation.bind(file).compensate(values, events, file.size());
    compensation.inverse().bind(file).compensate(values, events, file.size());
    for (int i = 0; i < original.length; i++) {
      assertEquals(original[i], values[i], 1e-9 * Math.max(1, Math.abs(original[i])), "value " + i);
    }
  }

  @Test
  void inverseSwapsTheMatrixAndItsInverse() {
    Compensation compensation = Compensation.of(CHANNELS, SPILLOVER);
    assertArrayEquals(SPILLOVER, compensation.inverse().inverse().spillover());
    double[][] inverse = compensation.inverse().spillover();
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double product = 0;
        for (int k = 0; k < 3; k++) {
          product += SPILLOVER[i][k] * inverse[k][j];
        }
        assertEquals(i == j ? 1 : 0, product, 1e-15);
      }
    }
  }

  @Test
  void copiesItsInputs() {
    double[][] spillover = {{1, 0.5}, {0, 1}};
    Compensation compensation = Compensation.of(List.of("A", "B"), spillover);
    spillover[0][1] = 0.9;
    compensation.spillover()[0][1] = 0.8;
    assertEquals(0.5, compensation.spillover()[0][1]);
  }

  @Test
  void rejectsASingularMatrixNamingIt() {
    double[][] singular = {{1, 0.5, 0}, {2, 1, 0}, {0, 0, 1}};
    assertMessage(
        "Cannot create compensation for channels [FL1-A, FL2-A, FL3-A]: the spillover matrix is singular, "
            + "so it cannot be inverted: [[1.0, 0.5, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]]",
        () -> Compensation.of(CHANNELS, singular));
  }

  @Test
  void reportsEveryShapeProblemAtOnce() {
    assertMessage(
        "Cannot create compensation for channels [FL1-A, FL1-A]: channel 'FL1-A' is given more than once; "
            + "spillover matrix has 3 rows but there are 2 channels; spillover row 2 has 1 values but there are 2 "
            + "channels; spillover value at row 3, column 2 is NaN",
        () ->
            Compensation.of(
                List.of("FL1-A", "FL1-A"), new double[][] {{1, 0}, {1}, {0, Double.NaN}}));
    assertMessage(
        "Cannot create compensation for channels []: no channels given",
        () -> Compensation.of(List.of(), new double[0][]));
  }

  @Test
  void rejectsAFileThatLacksASpilloverChannel() {
    Compensation compensation =
        Compensation.of(List.of("FL1-A", "FL9-A"), new double[][] {{1, 0.1}, {0, 1}});
    assertMessage(
        "Cannot compensate: spillover names channel 'FL9-A' which the file does not have "
            + "(channels: FSC-A, FL3-A, Time, FL1-A, FL2-A)",
        () -> compensation.bind(FILE));
    assertMessage(
        "Cannot compensate: the file has channel 'FL1-A' more than once (channels: FL1-A, FL1-A, FL9-A)",
        () -> compensation.bind(List.of("FL1-A", "FL1-A", "FL9-A")));
  }

  @Test
  void rejectsEventArraysOfTheWrongShape() {
    BoundCompensation bound = Compensation.of(CHANNELS, SPILLOVER).bind(FILE);
    assertMessage(
        "Cannot compensate: events have 4 channels each but the compensation was bound to a file with 5",
        () -> bound.compensate(new float[8], 2, 4));
    assertMessage(
        "Cannot compensate: 3 events of 5 channels need 15 values but the array has 10",
        () -> bound.compensate(new double[10], 3, 5));
  }

  @Test
  void identitySpilloverLeavesEventsUnchanged() {
    BoundCompensation bound =
        Compensation.of(CHANNELS, new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}).bind(FILE);
    float[] events = {1, 2, 3, 4, 5, -6, 7, 8, 9, 10};
    bound.compensate(events, 2, 5);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, -6, 7, 8, 9, 10}, events);
  }

  private static void assertMessage(String expected, Executable action) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, action).getMessage());
  }
}
