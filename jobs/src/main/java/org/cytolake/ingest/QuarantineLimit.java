package org.cytolake.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * When a run rejected too much of its input to be called a success: the quarantined share of
 * input files, FCS events or clinical records above {@code ingest.max-quarantined-fraction}
 * makes the run {@code degraded}. A night that quarantines 16 of 16 files has produced nothing
 * useful, and a scheduler must hear of it.
 *
 * @param maxFraction the largest share (0 to 1) that still lets a run succeed
 */
public record QuarantineLimit(double maxFraction) {
  /** How many reasons the verdict names. */
  public static final int TOP_REASONS = 3;

  public QuarantineLimit {
    if (!(maxFraction >= 0 && maxFraction <= 1)) {
      throw new IllegalArgumentException(
          "Cannot judge a run's quarantine: the maximum "
              + "quarantined fraction must be from 0 to 1, not "
              + maxFraction);
    }
  }

  /** One kind of input: how much came in and how much of it went to quarantine. */
  public record Share(String what, long quarantined, long total) {
    public Share {
      if (quarantined < 0 || total < 0 || quarantined > total) {
        throw new IllegalArgumentException(
            "Cannot judge the share of " + what + ": " + quarantined + " quarantined of " + total);
      }
    }

    /** Quarantined over total; 0 when there was no input. */
    public double fraction() {
      return total == 0 ? 0 : (double) quarantined / total;
    }
  }

  /**
   * The verdict on a run's input.
   *
   * @param shares the kinds of input (files, events, records), any order
   * @param reasons quarantine rows per reason code
   * @return empty when every share is within the limit; otherwise one line that names each
   *     share over the limit (count, total, percentage), the limit and the most frequent reasons
   */
  public Optional<String> exceeded(List<Share> shares, Map<String, Long> reasons) {
    List<String> over = new ArrayList<>();
    for (Share s : shares) {
      if (s.total() > 0 && s.fraction() > maxFraction) {
        over.add(
            String.format(
                Locale.ROOT,
                "%d of %d %s quarantined (%.0f%%)",
                s.quarantined(),
                s.total(),
                s.what(),
                100 * s.fraction()));
      }
    }
    if (over.isEmpty()) {
      return Optional.empty();
    }
    String top =
        reasons.entrySet().stream()
            .sorted(
                Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey()))
            .limit(TOP_REASONS)
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(", "));
    return Optional.of(
        String.join(", ", over)
            + ": more than ingest.max-quarantined-fraction "
            + maxFraction
            + (top.isEmpty() ? "" : "; top reasons " + top)
            + " (see the quarantine table)");
  }
}
