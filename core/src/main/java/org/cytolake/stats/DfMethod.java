package org.cytolake.stats;

/**
 * How a {@link MixedModelFit}'s contrasts get the degrees of freedom of their t reference ({@link
 * MixedModelFit#degreesOfFreedom}).
 */
public enum DfMethod {
  /**
   * Satterthwaite's approximation ({@link SatterthwaiteDf}), lmerTest's default: accounts for the
   * uncertainty of the estimated variances, contrast by contrast.
   */
  SATTERTHWAITE("satterthwaite"),
  /**
   * Between-within (SAS PROC MIXED's {@code DDFM=BETWITHIN}): a count of observations, subjects and
   * columns ({@link MixedModelFit#betweenWithinDf}).
   */
  BETWEEN_WITHIN("between-within");

  private final String label;

  DfMethod(String label) {
    this.label = label;
  }

  /** The name in configuration files and in output: {@code satterthwaite}, {@code between-within}. */
  public String label() {
    return label;
  }

  /** The method labelled {@code label}, or null. */
  public static DfMethod parse(String label) {
    for (DfMethod m : values()) {
      if (m.label.equals(label)) {
        return m;
      }
    }
    return null;
  }
}
