package org.cytolake.gating;

import java.util.List;
import java.util.Objects;

/**
 * A Boolean gate (Gating-ML 2.0 section 5.2.5): and / or over two or more gates, or not of one. A reference with
 * {@code use-as-complement} stands for the events outside the referenced gate. References are to populations
 * (a gate or a quadrant id) with their parents applied.
 */
public record BooleanGate(String id, String parentId, Operator operator, List<Reference> references)
    implements Gate {

  /** The Boolean operator. */
  public enum Operator {
    AND,
    OR,
    NOT
  }

  /** One {@code gating:gateReference}. */
  public record Reference(String ref, boolean complement) {
    public Reference {
      Objects.requireNonNull(ref, "ref");
    }
  }

  public BooleanGate {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(operator, "operator");
    references = List.copyOf(references);
    boolean ok = operator == Operator.NOT ? references.size() == 1 : references.size() >= 2;
    if (!ok) {
      throw new IllegalArgumentException(
          "Cannot create boolean gate '"
              + id
              + "': "
              + operator.name().toLowerCase()
              + " needs "
              + (operator == Operator.NOT ? "exactly 1" : "at least 2")
              + " gate references, not "
              + references.size());
    }
  }

  @Override
  public List<Dimension> dimensions() {
    return List.of();
  }
}
