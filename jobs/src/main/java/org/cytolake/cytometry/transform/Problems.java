package org.cytolake.cytometry.transform;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem found while validating one input so that they are all reported in a single message. */
final class Problems {

  private final String action;
  private final List<String> messages = new ArrayList<>();

  /** @param action what failed, e.g. "Cannot create logicle transform" */
  Problems(String action) {
    this.action = action;
  }

  /** Records a problem. */
  void add(String message) {
    messages.add(message);
  }

  /** Records {@code message} unless {@code ok}. */
  void check(boolean ok, String message) {
    if (!ok) {
      add(message);
    }
  }

  /** Records a problem unless {@code value} is a finite number greater than zero; returns whether it is. */
  boolean checkPositive(String name, double value) {
    boolean ok = Double.isFinite(value) && value > 0;
    check(ok, name + "=" + value + " must be a finite number > 0");
    return ok;
  }

  /** Records a problem unless {@code value} is finite; returns whether it is. */
  boolean checkFinite(String name, double value) {
    boolean ok = Double.isFinite(value);
    check(ok, name + "=" + value + " must be a finite number");
    return ok;
  }

  /** Throws an {@link IllegalArgumentException} listing every recorded problem, if there is any. */
  void throwIfAny() {
    if (!messages.isEmpty()) {
      throw new IllegalArgumentException(action + ": " + String.join("; ", messages));
    }
  }
}
