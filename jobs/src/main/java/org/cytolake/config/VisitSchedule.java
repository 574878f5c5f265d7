package org.cytolake.config;

import java.util.List;
import java.util.Optional;

/** The visits of the trial, in schedule order, and which one is baseline. */
public record VisitSchedule(String baseline, List<Visit> visits) {
  /** A visit code and its study day (day 1 = first dose). */
  public record Visit(String code, int studyDay) {}

  public VisitSchedule {
    visits = List.copyOf(visits);
  }

  public Optional<Visit> find(String code) {
    return visits.stream().filter(v -> v.code().equals(code)).findFirst();
  }

  public List<String> codes() {
    return visits.stream().map(Visit::code).toList();
  }
}
