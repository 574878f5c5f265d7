package org.cytolake.qc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Parameters of the acquisition QC ({@link AcquisitionQc}). Immutable; the constructor validates
 * every value and reports all problems at once.
 *
 * <p>The defaults follow PeacoQC (Emmaneel et al., Cytometry A 2022, 101:325, doi
 * 10.1002/cyto.a.24501), whose documented defaults are {@code MAD = 6}, {@code consecutive_bins
 * = 5} and {@code min_cells = 150} events per bin, with bins of a few hundred to a thousand events
 * on files of 10^5 events. See {@code docs/acquisition-qc.md}.
 *
 * @param eventsPerBin target number of events per bin (consecutive events in acquisition order)
 * @param minEventsPerBin smallest bin a small file may fall back to so that it still has {@code
 *     minBins} bins; a file with fewer than {@code minBins × minEventsPerBin} events is too small
 * @param minBins fewest bins from which robust limits (median, MAD over bins) are computed
 * @param madMultiplier k: a bin is anomalous when its statistic lies outside median ± k·MAD of all
 *     bins (MAD scaled by 1.4826 to estimate a standard deviation)
 * @param consecutiveBins a run of fewer than this many good bins between two flagged bins is
 *     flagged too (0 disables the rule)
 * @param quantiles the per-bin signal statistics: quantiles in (0, 1) of each channel's
 *     transformed values (0.5 = median)
 * @param channels the channels checked for signal and margins by {@code $PnN}; empty = every
 *     channel except Time, scatter width, counters and constants ({@link ChannelRoles})
 * @param timeChannel the Time channel's {@code $PnN}; null = the first channel named "Time" (any
 *     case), else {@code HDR-T}
 * @param checks which checks run
 */
public record QcParams(
    int eventsPerBin,
    int minEventsPerBin,
    int minBins,
    double madMultiplier,
    int consecutiveBins,
    List<Double> quantiles,
    List<String> channels,
    String timeChannel,
    Set<QcReason> checks)
    implements java.io.Serializable {

  public static final int EVENTS_PER_BIN_DEFAULT = 1000;

  /** PeacoQC's {@code min_cells}. */
  public static final int MIN_EVENTS_PER_BIN_DEFAULT = 150;

  public static final int MIN_BINS_DEFAULT = 20;

  /** PeacoQC's {@code MAD}. */
  public static final double MAD_MULTIPLIER_DEFAULT = 6;

  /** PeacoQC's {@code consecutive_bins}. */
  public static final int CONSECUTIVE_BINS_DEFAULT = 5;

  public static final List<Double> QUANTILES_DEFAULT = List.of(0.5);

  /** Smallest {@code minEventsPerBin} accepted: fewer events make a bin's median too noisy. */
  public static final int MIN_EVENTS_PER_BIN_FLOOR = 10;

  /** Smallest {@code minBins} accepted: a median and a MAD need a few values. */
  public static final int MIN_BINS_FLOOR = 5;

  public QcParams {
    List<String> problems = new ArrayList<>();
    if (minEventsPerBin < MIN_EVENTS_PER_BIN_FLOOR) {
      problems.add(
          "minEventsPerBin must be at least "
              + MIN_EVENTS_PER_BIN_FLOOR
              + " but is "
              + minEventsPerBin);
    }
    if (eventsPerBin < Math.max(minEventsPerBin, MIN_EVENTS_PER_BIN_FLOOR)) {
      problems.add(
          "eventsPerBin must be at least minEventsPerBin ("
              + minEventsPerBin
              + ") but is "
              + eventsPerBin);
    }
    if (minBins < MIN_BINS_FLOOR) {
      problems.add("minBins must be at least " + MIN_BINS_FLOOR + " but is " + minBins);
    }
    if (!(Double.isFinite(madMultiplier) && madMultiplier > 0)) {
      problems.add("madMultiplier must be a finite number > 0 but is " + madMultiplier);
    }
    if (consecutiveBins < 0) {
      problems.add("consecutiveBins must be at least 0 but is " + consecutiveBins);
    }
    if (quantiles == null || quantiles.isEmpty()) {
      problems.add("quantiles must name at least one quantile but is " + quantiles);
    } else {
      Set<Double> seen = new HashSet<>();
      for (Double q : quantiles) {
        if (q == null || !(q > 0 && q < 1)) {
          problems.add("quantiles must lie in (0, 1) but one is " + q);
        } else if (!seen.add(q)) {
          problems.add("quantiles must not repeat but " + q + " appears twice");
        }
      }
    }
    if (channels == null) {
      problems.add("channels must be a list (empty for the default selection) but is null");
    } else {
      Set<String> seen = new HashSet<>();
      for (String c : channels) {
        if (c == null || c.isBlank()) {
          problems.add("channels must be names but one is '" + c + "'");
        } else if (!seen.add(c)) {
          problems.add("channels must not repeat but '" + c + "' appears twice");
        }
      }
    }
    if (timeChannel != null && timeChannel.isBlank()) {
      problems.add("timeChannel must be null (detect) or a name but is '" + timeChannel + "'");
    }
    if (checks == null || checks.isEmpty()) {
      problems.add(
          "checks must name at least one of " + List.of(QcReason.values()) + " but is " + checks);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot create acquisition QC parameters: " + String.join("; ", problems));
    }
    quantiles = List.copyOf(quantiles);
    channels = List.copyOf(channels);
    checks = Collections.unmodifiableSet(EnumSet.copyOf(checks)); // in declaration order
  }

  /** The defaults: every check, default channels, Time detected. */
  public static QcParams defaults() {
    return new QcParams(
        EVENTS_PER_BIN_DEFAULT,
        MIN_EVENTS_PER_BIN_DEFAULT,
        MIN_BINS_DEFAULT,
        MAD_MULTIPLIER_DEFAULT,
        CONSECUTIVE_BINS_DEFAULT,
        QUANTILES_DEFAULT,
        List.of(),
        null,
        EnumSet.allOf(QcReason.class));
  }

  public QcParams withEventsPerBin(int n) {
    return with(b -> b.eventsPerBin = n);
  }

  public QcParams withMadMultiplier(double k) {
    return with(b -> b.madMultiplier = k);
  }

  public QcParams withConsecutiveBins(int n) {
    return with(b -> b.consecutiveBins = n);
  }

  public QcParams withQuantiles(List<Double> qs) {
    return with(b -> b.quantiles = qs);
  }

  public QcParams withChannels(List<String> names) {
    return with(b -> b.channels = names);
  }

  public QcParams withTimeChannel(String name) {
    return with(b -> b.timeChannel = name);
  }

  public QcParams withChecks(Set<QcReason> reasons) {
    return with(b -> b.checks = reasons);
  }

  /** The one copy behind the {@code with*} methods: these parameters, changed, then validated anew. */
  private QcParams with(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** A mutable copy of the parameters, only for {@link #with}. */
  private static final class Copy {
    int eventsPerBin;
    int minEventsPerBin;
    int minBins;
    double madMultiplier;
    int consecutiveBins;
    List<Double> quantiles;
    List<String> channels;
    String timeChannel;
    Set<QcReason> checks;

    Copy(QcParams p) {
      eventsPerBin = p.eventsPerBin;
      minEventsPerBin = p.minEventsPerBin;
      minBins = p.minBins;
      madMultiplier = p.madMultiplier;
      consecutiveBins = p.consecutiveBins;
      quantiles = p.quantiles;
      channels = p.channels;
      timeChannel = p.timeChannel;
      checks = p.checks;
    }

    QcParams build() {
      return new QcParams(
          eventsPerBin,
          minEventsPerBin,
          minBins,
          madMultiplier,
          consecutiveBins,
          quantiles,
          channels,
          timeChannel,
          checks);
    }
  }

  /** Fewest events a sample needs to be binned: {@code minBins × minEventsPerBin}. */
  public long minEvents() {
    return (long) minBins * minEventsPerBin;
  }
}
