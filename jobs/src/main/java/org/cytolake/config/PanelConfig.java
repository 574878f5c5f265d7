package org.cytolake.config;

import java.util.List;

/**
 * A staining panel: its code (as in manifests, e.g. {@code P1}), name, channels in events-table
 * column order, and where its compensation comes from.
 */
public record PanelConfig(
    String code,
    String name,
    String description,
    List<ChannelConfig> channels,
    SpilloverSource spillover) {
  public PanelConfig {
    channels = List.copyOf(channels);
  }

  /** The events table of this panel, e.g. {@code events_p1}. */
  public String eventsTable() {
    return "events_" + code.toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The events table of this panel normalised between batches ({@code conf/normalisation.yaml}),
   * e.g. {@code events_norm_p1}.
   */
  public String normalisedEventsTable() {
    return "events_norm_" + code.toLowerCase(java.util.Locale.ROOT);
  }

  public List<String> detectors() {
    return channels.stream().map(ChannelConfig::detector).toList();
  }

  public List<String> columns() {
    return channels.stream().map(ChannelConfig::column).toList();
  }

  /** The events columns of the lineage markers ({@code lineage: true}), which clustering uses. */
  public List<String> lineageColumns() {
    return channels.stream().filter(ChannelConfig::lineage).map(ChannelConfig::column).toList();
  }
}
