package org.cytolake.normalise;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the samples of a lake fall into normalisation batches: by acquisition day (one batch per
 * day: the day's control aliquot corrects that day's gains), by setup period (the days between two
 * instrument setup changes share one batch and pool their controls), or by the manifest's {@code
 * batch} column.
 *
 * @param kind the rule
 * @param setupChanges for {@link Kind#SETUP_PERIOD}: the first day of each new setup, ascending
 */
public record BatchRule(Kind kind, List<LocalDate> setupChanges) {

  /** The rules, by their conf names. */
  public enum Kind {
    /** {@code acquisition-date}: one batch per acquisition day. */
    ACQUISITION_DATE("acquisition-date"),
    /** {@code setup-period}: one batch per instrument setup (conf {@code setup-changes}). */
    SETUP_PERIOD("setup-period"),
    /** {@code manifest}: the manifest's {@code batch} column. */
    MANIFEST("manifest");

    private final String text;

    Kind(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }

    /** The kind of a conf value, or null. */
    public static Kind parse(String text) {
      for (Kind k : values()) {
        if (k.text.equals(text.trim().toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
      return null;
    }
  }

  public BatchRule {
    setupChanges = List.copyOf(setupChanges);
    for (int i = 1; i < setupChanges.size(); i++) {
      if (!setupChanges.get(i - 1).isBefore(setupChanges.get(i))) {
        throw new IllegalArgumentException(
            "Cannot use setup changes "
                + setupChanges
                + ": they must be distinct and ascending ("
                + setupChanges.get(i - 1)
                + " then "
                + setupChanges.get(i)
                + ")");
      }
    }
  }

  /**
   * The batch of a sample.
   *
   * @param sample the sample's id, for the message
   * @param acquisitionDate its acquisition date, or null
   * @param manifestBatch its manifest batch, or null
   * @throws IllegalArgumentException naming the sample and the value the rule needs when it is
   *     missing
   */
  public String batchOf(String sample, LocalDate acquisitionDate, String manifestBatch) {
    if (kind == Kind.MANIFEST) {
      if (manifestBatch == null || manifestBatch.isBlank()) {
        throw new IllegalArgumentException(
            "Cannot place sample '"
                + sample
                + "' in a batch: batches are the manifest's batch column and its batch is empty");
      }
      return manifestBatch;
    }
    if (acquisitionDate == null) {
      throw new IllegalArgumentException(
          "Cannot place sample '"
              + sample
              + "' in a batch: batches are by "
              + kind.text()
              + " and its acquisition_date is empty");
    }
    if (kind == Kind.ACQUISITION_DATE) {
      return acquisitionDate.toString();
    }
    LocalDate since = null;
    for (LocalDate change : setupChanges) {
      if (!acquisitionDate.isBefore(change)) {
        since = change;
      }
    }
    return since == null ? "setup-start" : "setup-" + since;
  }

  /**
   * The rule's conf text, e.g. {@code setup-period 2015-09-14} (setup changes only where the rule
   * uses them, so that editing an unused date makes no new model version).
   */
  public String describe() {
    List<String> parts = new ArrayList<>();
    parts.add(kind.text());
    if (kind == Kind.SETUP_PERIOD) {
      setupChanges.forEach(d -> parts.add(d.toString()));
    }
    return String.join(" ", parts);
  }
}
