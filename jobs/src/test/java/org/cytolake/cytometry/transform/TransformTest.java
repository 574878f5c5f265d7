package org.cytolake.cytometry.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TransformTest {

  /** 0 and ±10^k for k from -3 to 7 in steps of 1/8: sorted, spanning negatives, the linear region and the top. */
  private static final double[] GRID = grid();

  static Stream<Transform> transforms() {
    return Stream.of(
        new Identity(),
        new Linear(262144, 0),
        new Linear(1000, 100),
        new Log(262144, 4.5),
        new Log(10000, 5),
        new Asinh(262144, 4.5, 0),
        new Asinh(1000, 4, 1),
        new AsinhCofactor(5),
        new AsinhCofactor(150),
        new Logicle(262144, 0.5, 4.5, 0),
        new Logicle(1000, 1, 4, 0),
        new Logicle(262144, 0, 4.5, 0),
        new Logicle(262144, 2.25, 4.5, 0),
        new Logicle(262144, 1, 4.5, -1),
        new Logicle(262144, 0.5, 4.5, 3.5),
        new Logicle(262144, 2, 4.5, -2),
        new Logicle(10000, 0.1, 5, 1),
        new Hyperlog(262144, 0.5, 4.5, 0),
        new Hyperlog(1000, 1, 4, 0),
        new Hyperlog(262144, 2.25, 4.5, 0),
        new Hyperlog(262144, 1, 4.5, -1),
        new Hyperlog(262144, 0.01, 4.5, 0.5),
        new FlowJoBiex(-10, 0, 4.5, 262144),
        new FlowJoBiex(-7.943282, 1, 4.41854, 262144.000029),
        new FlowJoBiex(-1, 0, 4.5, 262144),
        new FlowJoBiex(-1000, 0.5, 4.5, 10000));
  }

  @ParameterizedTest
  @MethodSource("transforms")
  void inverseUndoesApplyOverTheWholeRange(Transform transform) {
    for (double x : domain(transform)) {
      double y = transform.apply(x);
      assertTrue(Double.isFinite(y), () -> transform.spec() + " at " + x + " gave " + y);
      double back = transform.inverse(y);
      assertEquals(
          x, back, 1e-9 * Math.max(1, Math.abs(x)), () -> transform.spec() + " round trip of " + x);
    }
  }

  @ParameterizedTest
  @MethodSource("transforms")
  void isStrictlyIncreasing(Transform transform) {
    double[] xs = domain(transform);
    for (int i = 1; i < xs.length; i++) {
      double previous = xs[i - 1];
      double x = xs[i];
      assertTrue(
          transform.apply(x) > transform.apply(previous),
          () -> transform.spec() + " not increasing between " + previous + " and " + x);
    }
  }

  @ParameterizedTest
  @MethodSource("transforms")
  void arrayFormsMatchTheScalarFormAndWorkInPlace(Transform transform) {
    double[] xs = domain(transform);
    double[] expected = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      expected[i] = transform.apply(xs[i]);
    }
    double[] inPlace = xs.clone();
    transform.apply(inPlace, inPlace);
    assertArrayEquals(expected, inPlace);

    float[] floats = new float[xs.length];
    float[] floatOut = new float[xs.length];
    for (int i = 0; i < xs.length; i++) {
      floats[i] = (float) xs[i];
    }
    transform.apply(floats, floatOut);
    for (int i = 0; i < xs.length; i++) {
      assertEquals((float) transform.apply(floats[i]), floatOut[i]);
    }
  }

  @ParameterizedTest
  @MethodSource("transforms")
  void specParsesBackToAnEqualTransform(Transform transform) {
    assertEquals(transform, TransformSpec.parse(transform.spec()));
    assertTrue(transform.spec().startsWith(transform.id()));
  }

  @Test
  void gatingMlScalesMapTopOfScaleToOneAndZeroToX1() {
    for (double[] p :
        new double[][] {
          {262144, 0.5, 4.5, 0}, {1000, 1, 4, 0}, {262144, 1, 4.5, -1}, {10000, 0.1, 5, 1}
        }) {
      double x1 = (p[1] + p[3]) / (p[2] + p[3]);
      Logicle logicle = new Logicle(p[0], p[1], p[2], p[3]);
      Hyperlog hyperlog = new Hyperlog(p[0], p[1], p[2], p[3]);
      assertEquals(1, logicle.apply(p[0]), 1e-14);
      assertEquals(1, hyperlog.apply(p[0]), 1e-14);
      assertEquals(x1, logicle.apply(0), 0);
      assertEquals(x1, hyperlog.apply(0), 0);
      assertEquals(p[0], logicle.inverse(1), 1e-9 * p[0]);
      assertEquals(p[0], hyperlog.inverse(1), 1e-9 * p[0]);
    }
  }

  @Test
  void logicleAndHyperlogAreOddAboutX1() {
    Logicle logicle = new Logicle(262144, 0.5, 4.5, 0);
    Hyperlog hyperlog = new Hyperlog(262144, 0.5, 4.5, 0);
    double x1 = 0.5 / 4.5;
    for (double x : GRID) {
      assertEquals(2 * x1, logicle.apply(x) + logicle.apply(-x), 1e-15);
      assertEquals(2 * x1, hyperlog.apply(x) + hyperlog.apply(-x), 1e-15);
    }
  }

  /** Gating-ML 2.0 section 6.3: fasinh(T, M, A) is Logicle(T, W=0, M, A). */
  @Test
  void asinhEqualsLogicleWithZeroWidth() {
    Asinh asinh = new Asinh(1000, 4, 1);
    Logicle logicle = new Logicle(1000, 0, 4, 1);
    for (double x : GRID) {
      assertEquals(asinh.apply(x), logicle.apply(x), 1e-13, "at " + x);
    }
  }

  @Test
  void asinhCofactorIsAsinhOfXOverCofactorAndMatchesItsGatingMlForm() {
    AsinhCofactor cofactor = new AsinhCofactor(150);
    assertEquals(0, cofactor.apply(0), 0);
    assertEquals(Math.log(1 + Math.sqrt(2)), cofactor.apply(150), 1e-15);
    double z = 1e5 / 150;
    assertEquals(-Math.log(z + Math.sqrt(z * z + 1)), cofactor.apply(-1e5), 1e-14);
    assertEquals(-1e5, cofactor.inverse(cofactor.apply(-1e5)), 1e-9);
    Asinh gatingMl = cofactor.toGatingMl();
    for (double x : GRID) {
      assertEquals(
          cofactor.apply(x), gatingMl.apply(x), 1e-13 * Math.max(1, Math.abs(cofactor.apply(x))));
    }
  }

  @Test
  void asinhKeepsRelativePrecisionForTinyAndHugeArguments() {
    assertEquals(1e-20, Asinh.arcsinh(1e-20), 0);
    assertEquals(-1e-9, Asinh.arcsinh(-1e-9), 1e-25);
    assertEquals(Math.log(2e200), Asinh.arcsinh(1e200), 1e-12);
    assertEquals(Double.POSITIVE_INFINITY, Asinh.arcsinh(Double.POSITIVE_INFINITY));
  }

  @Test
  void logIsUndefinedForNonPositiveValues() {
    Log log = new Log(10000, 5);
    assertEquals(Double.NEGATIVE_INFINITY, log.apply(0));
    assertTrue(Double.isNaN(log.apply(-1)));
  }

  @Test
  void logicleAndHyperlogHandleNonFiniteInput() {
    for (Transform t :
        List.of(new Logicle(262144, 0.5, 4.5, 0), new Hyperlog(262144, 0.5, 4.5, 0))) {
      assertTrue(Double.isNaN(t.apply(Double.NaN)));
      assertEquals(Double.POSITIVE_INFINITY, t.apply(Double.POSITIVE_INFINITY));
      assertEquals(Double.NEGATIVE_INFINITY, t.apply(Double.NEGATIVE_INFINITY));
    }
  }

  @Test
  void equalityFollowsTheParameters() {
    assertEquals(new Logicle(262144, 0.5, 4.5, 0), new Logicle(262144, 0.5, 4.5, 0));
    assertEquals(
        new Logicle(262144, 0.5, 4.5, 0).hashCode(), new Logicle(262144, 0.5, 4.5, 0).hashCode());
    assertNotEquals(new Logicle(262144, 0.5, 4.5, 0), new Logicle(262144, 0.6, 4.5, 0));
    assertNotEquals(new Hyperlog(262144, 0.5, 4.5, 0), new Logicle(262144, 0.5, 4.5, 0));
    assertEquals(
        "Logicle[T=262144.0, W=0.5, M=4.5, A=0.0]", new Logicle(262144, 0.5, 4.5, 0).toString());
  }

  @Test
  void arrayFormsRejectArraysOfDifferentLengths() {
    Transform logicle = new Logicle(262144, 0.5, 4.5, 0);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> logicle.apply(new double[3], new double[2]));
    assertEquals(
        "Cannot apply logicle transform: output has 2 values but input has 3", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> logicle.apply(new float[3], new float[4]));
  }

  @Test
  void invalidParametersAreReportedTogether() {
    assertMessage(
        "Cannot create logicle transform: W=3.0 must be ≤ M/2 (M=4.5)",
        () -> new Logicle(262144, 3, 4.5, 0));
    assertMessage(
        "Cannot create logicle transform: T=-1.0 must be a finite number > 0; W=-0.5 must be ≥ 0",
        () -> new Logicle(-1, -0.5, 4.5, 0));
    assertMessage(
        "Cannot create logicle transform: A=-1.0 must be ≥ -W (W=0.5)",
        () -> new Logicle(262144, 0.5, 4.5, -1));
    assertMessage(
        "Cannot create logicle transform: A=4.0 must be ≤ M - 2W (M=4.5, W=0.5)",
        () -> new Logicle(262144, 0.5, 4.5, 4));
    assertMessage(
        "Cannot create logicle transform: M=NaN must be a finite number > 0",
        () -> new Logicle(262144, 0.5, Double.NaN, 0));
    assertMessage(
        "Cannot create hyperlog transform: W=0.0 must be > 0",
        () -> new Hyperlog(262144, 0, 4.5, 0));
    assertMessage(
        "Cannot create log transform: T=0.0 must be a finite number > 0; M=-1.0 must be a finite number > 0",
        () -> new Log(0, -1));
    assertMessage(
        "Cannot create linear transform: A=2000.0 must be ≤ T (T=1000.0)",
        () -> new Linear(1000, 2000));
    assertMessage("Cannot create linear transform: A=-1.0 must be ≥ 0", () -> new Linear(1000, -1));
    assertMessage(
        "Cannot create asinh transform: A=5.0 must be ≤ M (M=4.0)", () -> new Asinh(1000, 4, 5));
    assertMessage(
        "Cannot create asinh transform: T=Infinity must be a finite number > 0",
        () -> new Asinh(Double.POSITIVE_INFINITY, 4, 0));
    assertMessage(
        "Cannot create asinh transform: cofactor=0.0 must be a finite number > 0",
        () -> new AsinhCofactor(0));
    assertMessage(
        "Cannot create flowjo-biex transform: width=-0.5 must be ≤ -1; neg=-1.0 must be ≥ 0",
        () -> new FlowJoBiex(-0.5, -1, 4.5, 262144));
  }

  private static void assertMessage(String expected, Executable create) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, create).getMessage());
  }

  /** The grid, without non-positive values for {@link Log}, whose domain is x &gt; 0. */
  private static double[] domain(Transform transform) {
    return transform instanceof Log ? Arrays.stream(GRID).filter(x -> x > 0).toArray() : GRID;
  }

  private static double[] grid() {
    List<Double> values = new ArrayList<>();
    for (int k = 56; k >= -24; k--) {
      values.add(-Math.pow(10, k / 8.0));
    }
    values.add(0.0);
    for (int k = -24; k <= 56; k++) {
      values.add(Math.pow(10, k / 8.0));
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
