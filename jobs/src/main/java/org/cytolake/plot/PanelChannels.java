package org.cytolake.plot;

import java.util.Locale;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.PanelConfig;

/** A panel's channels as plot axes: found by column or marker, labelled with marker, column and transform. */
public final class PanelChannels {
  private PanelChannels() {}

  /**
   * The channel of a panel whose events column is {@code name}, or else whose marker is {@code name} (case-insensitive
   * both).
   *
   * @throws IllegalArgumentException naming the panel and listing its columns with their markers
   */
  public static ChannelConfig find(PanelConfig panel, String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (ChannelConfig c : panel.channels()) {
      if (c.column().toLowerCase(Locale.ROOT).equals(n)) {
        return c;
      }
    }
    for (ChannelConfig c : panel.channels()) {
      if (c.marker() != null && c.marker().toLowerCase(Locale.ROOT).equals(n)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "Cannot plot column '"
            + name
            + "': panel "
            + panel.code()
            + " has no such column or marker; its columns are "
            + String.join(", ", panel.channels().stream().map(PanelChannels::describe).toList()));
  }

  /** {@code cd4 (CD4)}, or the column alone when it has no marker. */
  public static String describe(ChannelConfig c) {
    return c.marker() == null ? c.column() : c.column() + " (" + c.marker() + ")";
  }

  /** The axis label of a channel ({@link DensityPlot#axisLabel}). */
  public static String label(ChannelConfig c) {
    return DensityPlot.axisLabel(c.marker(), c.column(), c.transform().spec());
  }
}
