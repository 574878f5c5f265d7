package org.cytolake.gating;

import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * A channel that a strategy's gates name but that the event table holds only as a function of
 * another column: the lake's columns are compensated and transformed at ingest, so a workspace gate
 * on {@code Comp-FITC-A} (compensated data values) reads column {@code fitc} through the inverse of
 * the panel's transform. {@link GateEvaluator} computes it in its first stage, before the
 * dimension's own transformation, in place of a channel of the table.
 *
 * @param channel the name the gates use
 * @param column the table's column it is computed from
 * @param description how it is computed, for messages (e.g. {@code inverse of asinh:cofactor=150})
 * @param value the channel's value from the column's value
 * @param displayAxis what is applied on top of the column's data value (e.g. {@code FlowJo 9's
 *     display axis}, a calibration table), or null when {@code value} is the data value itself:
 *     only then is the channel its detector to a reader of the raw file
 */
public record InputChannel(
    String channel,
    String column,
    String description,
    DoubleUnaryOperator value,
    String displayAxis) {

  public InputChannel {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(value, "value");
  }

  /** A channel whose value is the column's data value. */
  public InputChannel(
      String channel, String column, String description, DoubleUnaryOperator value) {
    this(channel, column, description, value, null);
  }
}
