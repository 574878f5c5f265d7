package org.cytolake.gating;

import java.util.Objects;

/**
 * A data-adaptive limit of a gate as found in one sample ({@link AdaptiveThreshold}): a row of
 * {@code gate_thresholds}.
 *
 * @param gate the gate's id
 * @param dimension the dimension's label ({@link Dimension#label})
 * @param side {@code min} or {@code max}
 * @param threshold the limit the sample was gated with
 * @param method {@code valley} or {@code tail}
 * @param fallbackUsed whether no threshold was found and the fixed fallback was used
 * @param detail what was found, or why nothing was
 */
public record ResolvedThreshold(
    String gate,
    String dimension,
    String side,
    double threshold,
    String method,
    boolean fallbackUsed,
    String detail) {
  public ResolvedThreshold {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(dimension, "dimension");
    Objects.requireNonNull(side, "side");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(detail, "detail");
  }
}
