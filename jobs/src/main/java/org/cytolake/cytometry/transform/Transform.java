package org.cytolake.cytometry.transform;

/**
 * A monotone, invertible one-dimensional scale transformation applied to a channel's values before gating or
 * clustering.
 *
 * <p>The parametrised transforms follow the definitions of the ISAC Gating-ML 2.0 specification (Spidlen et al.,
 * 2015, Cytometry A 87:683), section 6, so that a value transformed here can be compared with a Gating-ML gate
 * limit. Every implementation is immutable and thread-safe, validates its parameters on construction (throwing
 * {@link IllegalArgumentException} with a message naming each bad parameter and its value), and provides an
 * inverse such that {@code inverse(apply(x))} equals {@code x} up to rounding wherever {@code apply(x)} is finite.
 *
 * <p>{@link #spec()} gives a text form that {@link TransformSpec#parse(String)} turns back into an equal transform.
 */
public sealed interface Transform
    permits Identity, Linear, Log, Asinh, AsinhCofactor, TwmaTransform, FlowJoBiex {

  /** Transforms one data value into the transform's scale. */
  double apply(double x);

  /** Maps a scale value back to the data value that {@link #apply(double)} maps onto it. */
  double inverse(double y);

  /** The short type name used in specs and tables, e.g. {@code logicle}. */
  String id();

  /**
   * The canonical text form, e.g. {@code logicle:T=262144,W=0.5,M=4.5,A=0}, listing every parameter;
   * {@link TransformSpec#parse(String)} of it returns a transform equal to this one.
   */
  String spec();

  /**
   * Transforms {@code in[i]} into {@code out[i]} for every i. The arrays must have the same length and may be the
   * same array (in-place).
   */
  default void apply(double[] in, double[] out) {
    checkSameLength(in.length, out.length);
    for (int i = 0; i < in.length; i++) {
      out[i] = apply(in[i]);
    }
  }

  /**
   * Transforms {@code in[i]} into {@code out[i]} for every i, computing in double precision and rounding the result
   * to float. The arrays must have the same length and may be the same array (in-place).
   */
  default void apply(float[] in, float[] out) {
    checkSameLength(in.length, out.length);
    for (int i = 0; i < in.length; i++) {
      out[i] = (float) apply(in[i]);
    }
  }

  private void checkSameLength(int inLength, int outLength) {
    if (inLength != outLength) {
      throw new IllegalArgumentException(
          "Cannot apply "
              + id()
              + " transform: output has "
              + outLength
              + " values but input has "
              + inLength);
    }
  }
}
