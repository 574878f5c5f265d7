package org.cytolake.qc;

/**
 * Why an event is flagged by the acquisition QC. Each reason is one bit of an event's flag byte
 * ({@link QcFlags}); an event can carry several.
 */
public enum QcReason {
  /** The event lies in a time segment whose flow rate (events per unit time) is anomalous. */
  FLOW_RATE(1),
  /** The event lies in a time segment whose signal (a per-channel statistic) is anomalous. */
  SIGNAL(2),
  /**
   * A value of the event is at or beyond the detector range: {@code >= $PnR - 1}, or, on a
   * scatter channel, in a pile-up at the channel's lowest value.
   */
  MARGIN(4);

  private final byte bit;

  QcReason(int bit) {
    this.bit = (byte) bit;
  }

  /** The bit of this reason in an event's flag byte. */
  public byte bit() {
    return bit;
  }
}
