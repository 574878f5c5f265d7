package org.cytolake.cytometry.transform;

/** The identity: values are used as they are (spec {@code none}). */
public record Identity() implements Transform {

  /** Type name, and complete spec, of the identity. */
  public static final String ID = "none";

  @Override
  public double apply(double x) {
    return x;
  }

  @Override
  public double inverse(double y) {
    return y;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String spec() {
    return ID;
  }
}
