package org.cytolake.normalise;

import java.util.Locale;

/** What the lake's normalisation does with a batch that has no control aliquot. */
public enum MissingControl {
  /**
   * {@code quarantine}: the batch's samples are not normalised, so neither gated nor clustered; a
   * quarantine row names each (the default: a batch effect left in is worse than a missing sample).
   */
  QUARANTINE("quarantine"),
  /**
   * {@code pooled}: the batch is normalised from its own patient samples, pooled, onto the pooled
   * goal (the mean of every batch's pooled quantiles when the model version was made); refused for a
   * batch whose samples all share one level of a confounder (e.g. all one visit), because there
   * the pool's shift is biology, not instrument.
   */
  POOLED("pooled");

  private final String text;

  MissingControl(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  /** The value of a conf text, or null. */
  public static MissingControl parse(String text) {
    for (MissingControl m : values()) {
      if (m.text.equals(text.trim().toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    return null;
  }
}
