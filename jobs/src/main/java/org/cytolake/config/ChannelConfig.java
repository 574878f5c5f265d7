package org.cytolake.config;

import org.cytolake.cytometry.transform.Transform;

/**
 * One channel of a panel.
 *
 * @param detector the FCS {@code $PnN} it is read from
 * @param marker the marker it measures (null for scatter and Time)
 * @param column the events-table column it becomes
 * @param transform applied after compensation
 * @param lineage whether unsupervised clustering uses it
 */
public record ChannelConfig(
    String detector, String marker, String column, Transform transform, boolean lineage) {}
