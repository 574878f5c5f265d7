package org.cytolake.clustering;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which samples a new model version is trained on ({@code cluster --train --samples SELECTOR}):
 * by default the baseline visit's samples, as a reference model is fitted on the trial's
 * pre-treatment state and every later visit mapped onto it (a trend across visits then compares
 * like with like); {@code visit=V1,V2} for other visits, {@code sample=S1,S2} for named samples,
 * {@code all} for every sample of the panel. When the default finds no baseline sample (a first
 * night that brings only later visits), every sample is taken and {@link Choice#fallback} says so.
 *
 * @param kind {@code baseline}, {@code visit}, {@code sample} or {@code all}
 * @param values the visits or sample ids named (empty for baseline and all)
 */
public record TrainingSelection(String kind, List<String> values) {

  /** The default: the baseline visit's samples. */
  public static final TrainingSelection BASELINE = new TrainingSelection("baseline", List.of());

  /**
   * The samples chosen and how.
   *
   * @param samples the training samples, sorted
   * @param description one line for the log and the model's provenance, e.g. {@code visit D1 (46
   *     samples)}
   * @param fallback whether the default found no baseline sample and took every sample instead
   */
  public record Choice(List<String> samples, String description, boolean fallback) {
    public Choice {
      samples = List.copyOf(samples);
    }
  }

  public TrainingSelection {
    values = List.copyOf(values);
  }

  /**
   * Parses {@code baseline}, {@code all}, {@code visit=V[,V...]} or {@code sample=S[,S...]}.
   *
   * @throws IllegalArgumentException naming the selector and the forms accepted
   */
  public static TrainingSelection parse(String selector) {
    String s = selector == null ? "" : selector.strip();
    if (s.equals("baseline") || s.equals("all")) {
      return new TrainingSelection(s, List.of());
    }
    int eq = s.indexOf('=');
    String key = eq < 0 ? "" : s.substring(0, eq).strip();
    List<String> vals =
        eq < 0
            ? List.of()
            : Arrays.stream(s.substring(eq + 1).split(","))
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .toList();
    if ((key.equals("visit") || key.equals("sample")) && !vals.isEmpty()) {
      return new TrainingSelection(key, vals);
    }
    throw new IllegalArgumentException(
        "Cannot read training samples selector '"
            + selector
            + "': use baseline, all, visit=V1[,V2...] or sample=S1[,S2...]");
  }

  /**
   * The training samples among a panel's samples.
   *
   * @param visitOf every sample of the panel and its visit
   * @param baseline the baseline visit code (conf/visits.yaml)
   * @throws IllegalArgumentException when an explicit selection matches no sample, or names a
   *     sample the panel lacks, naming what is there
   */
  public Choice choose(Map<String, String> visitOf, String baseline) {
    List<String> chosen = new ArrayList<>();
    switch (kind) {
      case "all" -> chosen.addAll(visitOf.keySet());
      case "baseline" -> {
        visitOf.forEach((id, v) -> add(chosen, id, baseline.equals(v)));
        if (chosen.isEmpty()) {
          return new Choice(
              sorted(visitOf.keySet()),
              "all " + visitOf.size() + " samples (none of baseline visit " + baseline + " yet)",
              true);
        }
      }
      case "visit" -> {
        visitOf.forEach((id, v) -> add(chosen, id, values.contains(v)));
        if (chosen.isEmpty()) {
          throw new IllegalArgumentException(
              "Cannot train on visit="
                  + String.join(",", values)
                  + ": the panel has no sample of "
                  + (values.size() == 1 ? "that visit" : "those visits")
                  + " (its visits: "
                  + new TreeSet<>(visitOf.values())
                  + ")");
        }
      }
      default -> {
        List<String> missing = values.stream().filter(v -> !visitOf.containsKey(v)).toList();
        if (!missing.isEmpty()) {
          throw new IllegalArgumentException(
              "Cannot train on sample="
                  + String.join(",", values)
                  + ": the panel has no sample "
                  + missing);
        }
        chosen.addAll(new LinkedHashSet<>(values));
      }
    }
    List<String> samples = sorted(chosen);
    return new Choice(samples, describe(samples.size()), false);
  }

  private String describe(int n) {
    String what =
        switch (kind) {
          case "all" -> "all samples";
          case "baseline" -> "the baseline visit";
          default -> kind + " " + String.join(",", values);
        };
    return what + " (" + n + " sample" + (n == 1 ? "" : "s") + ")";
  }

  private static void add(List<String> to, String id, boolean yes) {
    if (yes) {
      to.add(id);
    }
  }

  private static List<String> sorted(java.util.Collection<String> ids) {
    return List.copyOf(new TreeSet<>(ids));
  }

  /** The selector as written, e.g. {@code visit=D1,M3}. */
  @Override
  public String toString() {
    return values.isEmpty() ? kind : kind + "=" + String.join(",", values);
  }

  /** Whether the selection is the default. */
  public boolean isDefault() {
    return kind.equals("baseline");
  }
}
