package org.cytolake.config;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The visits of the study in the order {@code conf/visits.yaml} lists them, and which one is the
 * baseline. A visit is a scheduled time point ({@code D8}, study day 8) or a condition of a
 * sample ({@code unstim}, {@code stim}); the list order is the order everywhere (tables, plots,
 * statistics), and study days, when given, only describe the visits.
 */
public record VisitSchedule(String baseline, List<Visit> visits) {
  /**
   * A visit code and its study day (day 1 = first dose).
   *
   * @param studyDay the study day, or null when the schedule gives none (a condition)
   */
  public record Visit(String code, Integer studyDay) {}

  public VisitSchedule {
    visits = List.copyOf(visits);
  }

  public Optional<Visit> find(String code) {
    return visits.stream().filter(v -> v.code().equals(code)).findFirst();
  }

  /** The study day of a visit, or null when the visit has none or is not in the schedule. */
  public Integer studyDay(String code) {
    return find(code).map(Visit::studyDay).orElse(null);
  }

  /** The visit codes in schedule order. */
  public List<String> codes() {
    return visits.stream().map(Visit::code).toList();
  }

  /** Visit codes in schedule order; see {@link #order(List)}. */
  public Comparator<String> order() {
    return order(codes());
  }

  /**
   * Orders visit codes as {@code codes} lists them; codes not in the list come after every
   * listed one, by name, and null last. The one visit order of cytolake: cohort_summary rows, the
   * report's plots and the check of visit dates all use it.
   */
  public static Comparator<String> order(List<String> codes) {
    List<String> order = List.copyOf(codes);
    return Comparator.nullsLast(
        Comparator.<String>comparingInt(
                v -> {
                  int i = order.indexOf(v);
                  return i < 0 ? Integer.MAX_VALUE : i;
                })
            .thenComparing(Comparator.naturalOrder()));
  }
}
