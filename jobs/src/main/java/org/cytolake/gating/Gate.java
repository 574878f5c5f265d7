package org.cytolake.gating;

import java.util.List;

/**
 * A Gating-ML 2.0 gate. Every gate has an id and an optional parent: an event is in a gate only when it is also in
 * the parent. A {@link QuadrantGate} is a container: its populations are its {@link QuadrantGate.Quadrant}s, each
 * with its own id.
 */
public sealed interface Gate
    permits RectangleGate, PolygonGate, EllipsoidGate, QuadrantGate, BooleanGate {

  /** The {@code gating:id}. */
  String id();

  /** The {@code gating:parent_id}, or null for a top-level gate. */
  String parentId();

  /** The dimensions the gate is defined on (empty for a Boolean gate). */
  List<Dimension> dimensions();
}
