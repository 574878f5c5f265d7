package org.cytolake.qc;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the acquisition QC found in one sample.
 *
 * @param source the file
 * @param events number of events
 * @param status whether the time-segment checks ran
 * @param timeChannel the Time channel used, or null when there is none
 * @param timeUnit the unit of segment times and flow rates: {@code s} when {@code $TIMESTEP} is
 *     known, else {@code Time unit}
 * @param eventsPerBin events per bin actually used (0 when not binned)
 * @param bins number of bins (0 when not binned)
 * @param channels the channels checked for signal and margins
 * @param performed the checks that actually ran (FLOW_RATE is missing when Time was unusable), in
 *     declaration order
 * @param flagged number of events flagged per reason (every reason present, 0 when none)
 * @param flaggedAny number of events flagged for at least one reason
 * @param segments the flagged time segments, by reason and then time
 * @param margins margin events per checked channel that has any
 * @param notes everything noteworthy: channels left out and why, Time repairs, checks skipped
 */
public record QcSummary(
    String source,
    int events,
    Status status,
    String timeChannel,
    String timeUnit,
    int eventsPerBin,
    int bins,
    List<String> channels,
    Set<QcReason> performed,
    Map<QcReason, Integer> flagged,
    int flaggedAny,
    List<Segment> segments,
    List<Margin> margins,
    List<String> notes) {

  public QcSummary {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(status, "status");
    channels = List.copyOf(channels);
    performed =
        Collections.unmodifiableSet(
            performed.isEmpty() ? EnumSet.noneOf(QcReason.class) : EnumSet.copyOf(performed));
    EnumMap<QcReason, Integer> f = new EnumMap<>(QcReason.class);
    for (QcReason r : QcReason.values()) {
      f.put(r, flagged.getOrDefault(r, 0));
    }
    flagged = Collections.unmodifiableMap(f);
    segments = List.copyOf(segments);
    margins = List.copyOf(margins);
    notes = List.copyOf(notes);
  }

  /** Share of events flagged for {@code reason}, in [0, 1]; 0 for an empty sample. */
  public double share(QcReason reason) {
    return events == 0 ? 0 : (double) flagged.get(reason) / events;
  }

  /** Share of events flagged for any reason, in [0, 1]. */
  public double shareAny() {
    return events == 0 ? 0 : (double) flaggedAny / events;
  }

  /** Whether the time-segment checks ran. */
  public enum Status {
    /** Binned and checked. */
    CHECKED,
    /** Fewer events than {@link QcParams#minEvents()}: only margins were checked. */
    TOO_SMALL,
    /** No Time channel: only margins were checked. */
    NO_TIME
  }

  /**
   * A flagged time segment: events {@code [firstEvent, endEvent)} in acquisition order (file order,
   * unless a note says the events were put in Time order).
   *
   * @param reason FLOW_RATE or SIGNAL
   * @param firstEvent first flagged event
   * @param endEvent one past the last flagged event
   * @param startTime Time of the first event, in the summary's time unit
   * @param endTime Time of the last event
   * @param firstBin first bin of the anomalous run (before the segment was refined to events)
   * @param lastBin last bin of the run
   * @param violations why: each statistic that left its limits in the run's bins
   */
  public record Segment(
      QcReason reason,
      int firstEvent,
      int endEvent,
      double startTime,
      double endTime,
      int firstBin,
      int lastBin,
      List<Violation> violations) {

    public Segment {
      violations = List.copyOf(violations);
    }

    /** Number of events in the segment. */
    public int events() {
      return endEvent - firstEvent;
    }
  }

  /**
   * One statistic out of its limits.
   *
   * @param channel the channel (the Time channel for the flow rate)
   * @param statistic e.g. {@code flow rate (events/s)} or {@code median of asinh:cofactor=150}
   * @param bins how many of the run's bins it flagged
   * @param worst the value farthest from the limits among those bins
   * @param lower the lower limit (median − k·MAD)
   * @param upper the upper limit (median + k·MAD)
   */
  public record Violation(
      String channel, String statistic, int bins, double worst, double lower, double upper) {}

  /**
   * Margin events of one channel.
   *
   * @param channel the channel
   * @param low events in a pile-up at the lowest value (scatter channels only)
   * @param high events at or above {@code $PnR − 1}
   * @param lowLimit the pile-up value (NaN when none)
   * @param highLimit {@code $PnR − 1} (NaN when the range is unknown)
   */
  public record Margin(String channel, int low, int high, double lowLimit, double highLimit) {}
}
