package org.cytolake.generate;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * An acquisition anomaly of one file (realistic model only), as the QC tools flowAI (Monaco et
 * al., Bioinformatics 2016;32:2473), flowClean (Fletez-Brant et al., Cytometry A 2016;89:461) and
 * flowCut (Meskas et al., Cytometry A 2023) look for them {@code [L]}: a flow-rate / signal
 * disturbance over a time segment, a gap in the stream, and events at the top of a detector's
 * range. {@code --anomaly-fraction} of the regular files get one kind each (clog, bubble, margin in
 * turn over a seeded shuffle); its parameters are drawn per file from the ranges below
 * {@code [A]}:
 * <ul>
 *   <li><b>clog</b>: a partial clog of the flow cell over a segment of {@link #CLOG_SHARE_MIN}-
 *       {@link #CLOG_SHARE_MAX} of the events, starting at {@link #CLOG_START_MIN}-{@link
 *       #CLOG_START_MAX} of the file: the flow rate falls to {@link #CLOG_RATE_MIN}-{@link
 *       #CLOG_RATE_MAX} of normal and every signal (scatter and fluorescence) to {@link
 *       #CLOG_SIGNAL_MIN}-{@link #CLOG_SIGNAL_MAX} of normal, with a trapezoid profile (ramps of
 *       {@link #CLOG_RAMP} of the segment at each end). Every event of the segment is marked.
 *   <li><b>bubble</b>: at {@link #BUBBLE_AT_MIN}-{@link #BUBBLE_AT_MAX} of the file no event
 *       arrives for {@link #BUBBLE_GAP_MIN_S}-{@link #BUBBLE_GAP_MAX_S} s (a gap in Time: the
 *       events of that time are lost), then the next {@link #BUBBLE_SHARE_MIN}-{@link
 *       #BUBBLE_SHARE_MAX} of the events pass a disturbed stream: each one's signals are multiplied
 *       by U({@link #BUBBLE_SIGNAL_MIN}, 1). Those disturbed events are marked.
 *   <li><b>margin</b>: {@link #MARGIN_SHARE_MIN}-{@link #MARGIN_SHARE_MAX} of the events are at
 *       the detector's maximum ($PnR − 1: 262143, 65535 in the int16 files) on one of 1-{@link
 *       #MARGIN_CHANNELS_MAX} channels of the file (scatter or fluorescence). Every event at the
 *       maximum of any channel but Time is marked margin, injected or not (bright granulocyte
 *       doublets saturate SSC-A on their own), and margin wins over clog and bubble.
 * </ul>
 * The per-event random choices (which events saturate, how much a bubble disturbs) come from a
 * stream of their own, so the biology of a file does not depend on its anomaly.
 */
final class Anomaly {
  /** The kind of an event's or a file's anomaly; the code is what per-event arrays hold. */
  enum Kind {
    NONE("none"),
    CLOG("clog"),
    BUBBLE("bubble"),
    MARGIN("margin");

    final String label;

    Kind(String label) {
      this.label = label;
    }

    byte code() {
      return (byte) ordinal();
    }

    static Kind of(byte code) {
      return values()[code];
    }
  }

  /** The injected kinds, in the order files get them. */
  static final Kind[] INJECTED = {Kind.CLOG, Kind.BUBBLE, Kind.MARGIN};

  /** Fewest regular files for which each injected kind is made at least once. */
  static final int MIN_FILES_FOR_EVERY_KIND = 10;

  static final double CLOG_START_MIN = 0.2;
  static final double CLOG_START_MAX = 0.7;
  static final double CLOG_SHARE_MIN = 0.05;
  static final double CLOG_SHARE_MAX = 0.15;
  static final double CLOG_RATE_MIN = 0.1;
  static final double CLOG_RATE_MAX = 0.4;
  static final double CLOG_SIGNAL_MIN = 0.5;
  static final double CLOG_SIGNAL_MAX = 0.8;
  static final double CLOG_RAMP = 0.15;
  static final double BUBBLE_AT_MIN = 0.2;
  static final double BUBBLE_AT_MAX = 0.8;
  static final double BUBBLE_GAP_MIN_S = 1;
  static final double BUBBLE_GAP_MAX_S = 4;
  static final double BUBBLE_SHARE_MIN = 0.005;
  static final double BUBBLE_SHARE_MAX = 0.02;
  static final double BUBBLE_SIGNAL_MIN = 0.2;
  static final double MARGIN_SHARE_MIN = 0.01;
  static final double MARGIN_SHARE_MAX = 0.05;
  static final int MARGIN_CHANNELS_MAX = 2;

  private static final Anomaly NONE = new Anomaly(Kind.NONE, 0, 0, 1, 1, 0, 0, new int[0]);

  final Kind kind;

  /** Clog, bubble: first event of the segment (bubble: the first event after the gap). */
  final int first;

  /** Clog, bubble: events in the segment. */
  final int count;

  /** Clog: signal factor at the plateau. */
  final double signal;

  /** Clog: flow-rate factor at the plateau. */
  final double rate;

  /** Bubble: seconds without events before {@link #first}. */
  final double gapSeconds;

  /** Margin: probability that an event is saturated. */
  final double marginShare;

  /** Margin: channel indices (0-based, file order) that saturate. */
  final int[] marginChannels;

  private Anomaly(
      Kind kind,
      int first,
      int count,
      double signal,
      double rate,
      double gapSeconds,
      double marginShare,
      int[] marginChannels) {
    this.kind = kind;
    this.first = first;
    this.count = count;
    this.signal = signal;
    this.rate = rate;
    this.gapSeconds = gapSeconds;
    this.marginShare = marginShare;
    this.marginChannels = marginChannels;
  }

  static Anomaly none() {
    return NONE;
  }

  /** The anomaly of a file of {@code events} events, drawn from its own stream. */
  static Anomaly plan(Kind kind, int events, long seed, String stream) {
    if (kind == null || kind == Kind.NONE || events < 1) {
      return NONE;
    }
    SplittableRandom rng = Seeds.random(seed, "anomaly", stream);
    switch (kind) {
      case CLOG -> {
        int count =
            (int) Math.max(1, Math.round(rng.nextDouble(CLOG_SHARE_MIN, CLOG_SHARE_MAX) * events));
        int first =
            Math.min(
                events - count,
                (int) Math.floor(rng.nextDouble(CLOG_START_MIN, CLOG_START_MAX) * events));
        return new Anomaly(
            kind,
            Math.max(0, first),
            count,
            rng.nextDouble(CLOG_SIGNAL_MIN, CLOG_SIGNAL_MAX),
            rng.nextDouble(CLOG_RATE_MIN, CLOG_RATE_MAX),
            0,
            0,
            new int[0]);
      }
      case BUBBLE -> {
        int first = (int) Math.floor(rng.nextDouble(BUBBLE_AT_MIN, BUBBLE_AT_MAX) * events);
        int count =
            (int)
                Math.max(
                    1, Math.round(rng.nextDouble(BUBBLE_SHARE_MIN, BUBBLE_SHARE_MAX) * events));
        count = Math.min(count, events - first);
        return new Anomaly(
            kind,
            first,
            count,
            1,
            1,
            rng.nextDouble(BUBBLE_GAP_MIN_S, BUBBLE_GAP_MAX_S),
            0,
            new int[0]);
      }
      default -> {
        int channels = PanelModel.CHANNELS - 1; // not Time
        int k = 1 + rng.nextInt(MARGIN_CHANNELS_MAX);
        int[] chosen = new int[k];
        for (int i = 0; i < k; i++) {
          int c;
          boolean again;
          do {
            c = rng.nextInt(channels);
            again = false;
            for (int j = 0; j < i; j++) {
              again |= chosen[j] == c;
            }
          } while (again);
          chosen[i] = c;
        }
        java.util.Arrays.sort(chosen);
        return new Anomaly(
            kind, 0, 0, 1, 1, 0, rng.nextDouble(MARGIN_SHARE_MIN, MARGIN_SHARE_MAX), chosen);
      }
    }
  }

  /** Whether event {@code i} lies in the clog or bubble segment. */
  boolean inSegment(int i) {
    return (kind == Kind.CLOG || kind == Kind.BUBBLE) && i >= first && i < first + count;
  }

  /** Clog: 0 outside the segment, rising to 1 on the plateau (trapezoid). */
  double clogProfile(int i) {
    if (kind != Kind.CLOG || i < first || i >= first + count) {
      return 0;
    }
    double u = (i - first + 0.5) / count;
    return Math.min(1, Math.min(u, 1 - u) / CLOG_RAMP);
  }

  /** Seconds the anomaly adds to the acquisition (for $ETIM), at {@code eventsPerSecond}. */
  double extraSeconds(double eventsPerSecond) {
    return switch (kind) {
      case CLOG -> count / eventsPerSecond * (1 / rate - 1);
      case BUBBLE -> gapSeconds;
      default -> 0;
    };
  }

  /** What truth/anomalies.csv says of the injected anomaly. */
  String describe() {
    return switch (kind) {
      case CLOG ->
          String.format(
              Locale.ROOT,
              "clog over events %d-%d: flow rate down to x%.2f, " + "signals down to x%.2f",
              first,
              first + count - 1,
              rate,
              signal);
      case BUBBLE ->
          String.format(
              Locale.ROOT,
              "bubble: no events for %.2f s before event %d "
                  + "(events lost), then %d events with signals x%.1f-1",
              gapSeconds,
              first,
              count,
              BUBBLE_SIGNAL_MIN);
      case MARGIN -> {
        StringBuilder b = new StringBuilder();
        for (int c : marginChannels) {
          b.append(b.length() == 0 ? "" : " and ").append(channelName(c));
        }
        yield String.format(
            Locale.ROOT, "%.2f%% of events saturated (at $PnR-1) on %s", 100 * marginShare, b);
      }
      default -> "";
    };
  }

  /** The $PnN of channel {@code c} in file order. */
  static String channelName(int c) {
    int s = PanelModel.SCATTER.size();
    if (c < s) {
      return PanelModel.SCATTER.get(c);
    }
    if (c < s + PanelModel.DETECTORS.size()) {
      return PanelModel.DETECTORS.get(c - s);
    }
    return PanelModel.TIME;
  }

  /**
   * Marks every event of {@code block} with a channel other than Time at {@code max} as margin
   * (after any int16 conversion, so the maximum is the stored one).
   */
  static void markMargins(float[] block, int events, byte[] anomalies, float max) {
    int w = PanelModel.CHANNELS;
    for (int e = 0; e < events; e++) {
      for (int c = 0; c < w - 1; c++) {
        if (block[e * w + c] >= max) {
          anomalies[e] = Kind.MARGIN.code();
          break;
        }
      }
    }
  }

  /** What a file's events turned out to be: per kind, the count, first and last event and Time. */
  static final class Tally {
    final long[] count = new long[Kind.values().length];
    final long[] first = new long[count.length];
    final long[] last = new long[count.length];
    final float[] timeFirst = new float[count.length];
    final float[] timeLast = new float[count.length];

    void add(byte code, long index, float time) {
      if (count[code]++ == 0) {
        first[code] = index;
        timeFirst[code] = time;
      }
      last[code] = index;
      timeLast[code] = time;
    }
  }
}
