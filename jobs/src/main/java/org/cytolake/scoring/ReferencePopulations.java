package org.cytolake.scoring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps population paths (the generator's truth labels such as {@code cells/singlets/live/leukocytes/lymphocytes/T/CD8},
 * or a gating strategy's population paths, which share that form) to the reference populations a panel is scored
 * on, by the longest matching path prefix (a prefix matches the path itself or the path followed by {@code /}). A
 * path that no prefix matches maps to {@code null}: the event is left out of scoring as unlabeled. With no
 * prefixes at all, every path maps to itself. The prefixes are those of conf/clustering.yaml {@code reference}
 * ({@code config.ClusteringConfig}, which checks them by {@link #problem}, as this constructor does). Immutable.
 *
 * @param prefixes path prefix to population name, e.g. {@code .../lymphocytes/T/CD4/Treg → Treg}
 */
public record ReferencePopulations(Map<String, String> prefixes) {

  public ReferencePopulations {
    String problem = problem(prefixes);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    prefixes = Collections.unmodifiableMap(new LinkedHashMap<>(prefixes));
  }

  /**
   * What is wrong with one panel's reference prefixes, or null when nothing is: every prefix must be a non-blank
   * path without a trailing {@code /}, every population name non-blank.
   */
  public static String problem(Map<String, String> prefixes) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : prefixes.entrySet()) {
      if (e.getKey().isBlank()
          || e.getKey().endsWith("/")
          || e.getValue() == null
          || e.getValue().isBlank()) {
        problems.add("'" + e.getKey() + "' -> '" + e.getValue() + "'");
      }
    }
    return problems.isEmpty()
        ? null
        : "Cannot read reference populations: prefixes must be non-blank paths "
            + "without a trailing '/' and names non-blank, but got "
            + problems;
  }

  /** The identity mapping: every path is its own population. */
  public static ReferencePopulations identity() {
    return new ReferencePopulations(Map.of());
  }

  /** The population of {@code path}, or null when it is left out (unlabeled, or no prefix matches). */
  public String populationOf(String path) {
    if (!ClusterScoring.isAssigned(path)) {
      return null;
    }
    if (prefixes.isEmpty()) {
      return path;
    }
    String best = null;
    for (String prefix : prefixes.keySet()) {
      if ((path.equals(prefix) || path.startsWith(prefix + "/"))
          && (best == null || prefix.length() > best.length())) {
        best = prefix;
      }
    }
    return best == null ? null : prefixes.get(best);
  }
}
