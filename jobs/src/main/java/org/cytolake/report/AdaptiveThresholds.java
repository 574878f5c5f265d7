package org.cytolake.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cytolake.stats.Quantiles;

/**
 * One data-adaptive gate limit of a panel ({@code gate_thresholds}) across its samples: the
 * threshold each sample was gated with, by acquisition date, so that drift (a detector's gain, a
 * setup change) and the samples that fell back to the fixed limit show. The gating QC page draws
 * it as a scatter of threshold against date ({@link Charts#thresholds}) under a one-row summary.
 *
 * @param gate the gate's path, as {@code gate_thresholds.gate}
 * @param dimension the dimension the limit is on
 * @param side {@code min} or {@code max}
 * @param method {@code valley} or {@code tail}
 * @param points one per sample, by acquisition date (samples without one last), then sample id
 */
public record AdaptiveThresholds(
    String gate, String dimension, String side, String method, List<Point> points) {

  public AdaptiveThresholds {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(dimension, "dimension");
    Objects.requireNonNull(side, "side");
    Objects.requireNonNull(method, "method");
    points = List.copyOf(points);
  }

  /**
   * One sample's threshold.
   *
   * @param date the sample's acquisition date, or null
   * @param batch its acquisition batch, or null
   * @param fallbackUsed whether no threshold was found and the fixed fallback gated it
   */
  public record Point(
      String sampleId, LocalDate date, String batch, double threshold, boolean fallbackUsed) {
    public Point {
      Objects.requireNonNull(sampleId, "sampleId");
    }
  }

  /** A {@code gate_thresholds} row of the panel with the sample's date and batch. */
  public record Entry(
      String sampleId,
      String gate,
      String dimension,
      String side,
      String method,
      double threshold,
      boolean fallbackUsed,
      LocalDate date,
      String batch) {}

  /** The limits of the rows, in the order of their first row, each with its samples' points. */
  public static List<AdaptiveThresholds> of(List<Entry> rows) {
    Map<List<String>, List<Point>> by = new LinkedHashMap<>();
    for (Entry e : rows) {
      by.computeIfAbsent(
              List.of(e.gate(), e.dimension(), e.side(), e.method()), k -> new ArrayList<>())
          .add(new Point(e.sampleId(), e.date(), e.batch(), e.threshold(), e.fallbackUsed()));
    }
    List<AdaptiveThresholds> out = new ArrayList<>();
    for (Map.Entry<List<String>, List<Point>> g : by.entrySet()) {
      List<Point> points = new ArrayList<>(g.getValue());
      points.sort(
          Comparator.comparing(Point::date, Comparator.nullsLast(Comparator.naturalOrder()))
              .thenComparing(Point::sampleId));
      List<String> k = g.getKey();
      out.add(new AdaptiveThresholds(k.get(0), k.get(1), k.get(2), k.get(3), points));
    }
    return out;
  }

  /** How the limit reads, e.g. {@code cells/CD4/Treg: cd127 max (valley)}. */
  public String title() {
    return gate + ": " + dimension + " " + side + " (" + method + ")";
  }

  /** How many samples gated with the fallback. */
  public long fallbacks() {
    return points.stream().filter(Point::fallbackUsed).count();
  }

  /** How many samples have no acquisition date (not on the date axis). */
  public long undated() {
    return points.stream().filter(p -> p.date() == null).count();
  }

  /** The median threshold over the samples (NaN for none). */
  public double median() {
    return Quantiles.median(
        points.stream().map(Point::threshold).toList(), Quantiles.NaNs.ORDERED_LAST);
  }

  /** The lowest threshold. */
  public double min() {
    return points.stream().mapToDouble(Point::threshold).min().orElse(Double.NaN);
  }

  /** The highest threshold. */
  public double max() {
    return points.stream().mapToDouble(Point::threshold).max().orElse(Double.NaN);
  }
}
