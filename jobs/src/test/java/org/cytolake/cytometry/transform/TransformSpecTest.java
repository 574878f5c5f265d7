package org.cytolake.cytometry.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TransformSpecTest {

  @Test
  void parsesEveryTypeWithItsParameters() {
    assertEquals(new Identity(), TransformSpec.parse("none"));
    assertEquals(new Linear(1000, 10), TransformSpec.parse("linear:T=1000,A=10"));
    assertEquals(new Log(262144, 4.5), TransformSpec.parse("log:T=262144,M=4.5"));
    assertEquals(new Asinh(1000, 4, 1), TransformSpec.parse("asinh:T=1000,M=4,A=1"));
    assertEquals(new AsinhCofactor(150), TransformSpec.parse("asinh:cofactor=150"));
    assertEquals(
        new Logicle(262144, 0.5, 4.5, 0), TransformSpec.parse("logicle:T=262144,W=0.5,M=4.5,A=0"));
    assertEquals(
        new Hyperlog(1e4, 1, 4, -0.5), TransformSpec.parse("hyperlog:T=1e4,W=1,M=4,A=-0.5"));
    assertEquals(
        new FlowJoBiex(-10, 0, 4.5, 262144),
        TransformSpec.parse("flowjo-biex:width=-10,neg=0,pos=4.5,maxRange=262144"));
  }

  @Test
  void omittedParametersTakeTheDefaults() {
    assertEquals(new Linear(262144, 0), TransformSpec.parse("linear"));
    assertEquals(new Log(262144, 4.5), TransformSpec.parse("log"));
    assertEquals(new Asinh(262144, 4.5, 0), TransformSpec.parse("asinh"));
    assertEquals(new Logicle(262144, 0.5, 4.5, 0), TransformSpec.parse("logicle"));
    assertEquals(new Logicle(262144, 1, 4.5, 0), TransformSpec.parse("logicle:W=1"));
    assertEquals(new Hyperlog(262144, 0.5, 4.5, 0), TransformSpec.parse("hyperlog"));
  }

  @Test
  void ignoresBlanksAroundNamesValuesAndSeparators() {
    assertEquals(
        new Logicle(1000, 1, 4, 0), TransformSpec.parse(" logicle : T = 1000 , W=1,M=4 , A=0 "));
    assertInstanceOf(AsinhCofactor.class, TransformSpec.parse("asinh: cofactor = 5"));
  }

  @Test
  void specsAreCanonical() {
    assertEquals("none", new Identity().spec());
    assertEquals("linear:T=262144,A=0", new Linear(262144, 0).spec());
    assertEquals("log:T=262144,M=4.5", new Log(262144, 4.5).spec());
    assertEquals("asinh:T=1000,M=4,A=1", new Asinh(1000, 4, 1).spec());
    assertEquals("asinh:cofactor=150", new AsinhCofactor(150).spec());
    assertEquals("logicle:T=262144,W=0.5,M=4.5,A=0", new Logicle(262144, 0.5, 4.5, 0).spec());
    assertEquals(
        "hyperlog:T=262144,W=0.5,M=4.5,A=-0.25", new Hyperlog(262144, 0.5, 4.5, -0.25).spec());
    assertEquals("0.0001", TransformSpec.format(1e-4));
  }

  @Test
  void rejectsUnknownTypesNamingTheKnownOnes() {
    assertMessage(
        "Cannot parse transform 'logit:T=1': unknown type 'logit' (expected one of none, linear, log, "
            + "asinh, logicle, hyperlog, flowjo-biex)",
        "logit:T=1");
    assertMessage(
        "Cannot parse transform '': unknown type '' (expected one of none, linear, log, asinh, logicle, "
            + "hyperlog, flowjo-biex)",
        "");
  }

  @Test
  void reportsEveryBadParameterAtOnce() {
    assertMessage(
        "Cannot parse transform 'logicle:T=abc,X=1,W=0.5,W=1,M': T='abc' is not a number; "
            + "unknown parameter 'X' for logicle (expected T, W, M, A); parameter W is given more than once; "
            + "'M' is not of the form key=value",
        "logicle:T=abc,X=1,W=0.5,W=1,M");
    assertMessage(
        "Cannot parse transform 'none:T=1': unknown parameter 'T' for none (expected no parameters)",
        "none:T=1");
    assertMessage(
        "Cannot parse transform 'log:T=NaN,M=0x10': T='NaN' is not a number; M='0x10' is not a number",
        "log:T=NaN,M=0x10");
    assertMessage("Cannot parse transform 'linear:': '' is not of the form key=value", "linear:");
  }

  @Test
  void rejectsACofactorCombinedWithGatingMlParameters() {
    assertMessage(
        "Cannot parse transform 'asinh:cofactor=5,M=4': cofactor cannot be combined with T, M or A",
        "asinh:cofactor=5,M=4");
  }

  @Test
  void reportsConstraintViolationsWithTheSpec() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TransformSpec.parse("logicle:T=262144,W=3,M=4.5"));
    assertEquals(
        "Cannot parse transform 'logicle:T=262144,W=3,M=4.5': Cannot create logicle transform: "
            + "W=3.0 must be ≤ M/2 (M=4.5)",
        e.getMessage());
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
  }

  private static void assertMessage(String expected, String spec) {
    assertEquals(
        expected,
        assertThrows(IllegalArgumentException.class, () -> TransformSpec.parse(spec)).getMessage());
  }
}
