package org.cytolake.plot;

import java.util.Locale;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.PanelConfig;

/**
 * The words of a {@code cytolake plot} image other than the axis labels ({@link PanelChannels#label}): its title and
 * subtitle lines, and what was plotted as an error message names it.
 */
public final class PlotText {
  private PlotText() {}

  /** A channel as a title names it: its marker, or its column when it has none. */
  public static String name(ChannelConfig c) {
    return c.marker() == null ? c.column() : c.marker();
  }

  /**
   * {@code P1 (TREG): CD4 vs CD8}, or {@code P1 (TREG): CD25} for a histogram.
   *
   * @param y the y channel, or null for a histogram
   */
  public static String title(PanelConfig panel, ChannelConfig x, ChannelConfig y) {
    return panel.code()
        + (panel.name() == null ? "" : " (" + panel.name() + ")")
        + ": "
        + (y == null ? name(x) : name(x) + " vs " + name(y));
  }

  /**
   * {@code cd4 and cd8 in sample S, population cells/T}: the values a plot needs, for an error message.
   *
   * @param yColumn the y column, or null for a histogram
   * @param selection {@link PlotSelection#describe}
   * @param population the population's path, or null for all events
   */
  public static String values(String xColumn, String yColumn, String selection, String population) {
    return xColumn
        + (yColumn == null ? "" : " and " + yColumn)
        + " in "
        + selection
        + (population == null ? "" : ", population " + population);
  }

  /**
   * The first subtitle: {@code visit D1 (12 samples) · population cells/T · 1,234 events (qc_flag = 0)}.
   *
   * @param population the population's path, or null for all events
   * @param cleanOnly whether only events with {@code qc_flag = 0} were plotted
   */
  public static String selectionLine(
      String selection, String population, long events, boolean cleanOnly) {
    return selection
        + " · population "
        + (population == null ? "all events" : population)
        + " · "
        + String.format(Locale.ROOT, "%,d events", events)
        + (cleanOnly ? " (qc_flag = 0)" : "");
  }

  /**
   * The second subtitle: {@code 256 x 256 bins, range given; 3 outside, 0 missing; gates of P1.yaml}.
   *
   * @param range {@link RangeChoice#describe}
   * @param gatesOf the panel whose gates are drawn, or null for none
   */
  public static String binningLine(
      int bins, boolean histogram, String range, long outside, long missing, String gatesOf) {
    return String.format(
        Locale.ROOT,
        "%s bins, range %s; %,d outside, %,d missing%s",
        histogram ? String.valueOf(bins) : bins + " x " + bins,
        range,
        outside,
        missing,
        gatesOf == null ? "" : "; gates of " + gatesOf + ".yaml");
  }
}
