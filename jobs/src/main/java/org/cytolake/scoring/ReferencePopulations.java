package org.cytolake.scoring;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cytolake.config.ClusteringConfig;

/**
 * Maps population paths (the generator's truth labels such as {@code cells/singlets/live/leukocytes/lymphocytes/T/CD8},
 * or a gating strategy's population paths, which share that form) to the reference populations a panel is scored
 * on, by the longest matching path prefix (a prefix matches the path itself or the path followed by {@code /}). A
 * path that no prefix matches maps to {@code null}: the event is left out of scoring as unlabeled. With no
 * prefixes at all, every path maps to itself. The prefixes are those of conf/clustering.yaml {@code reference}
 * ({@link ClusteringConfig}, which checks them by the same rule as this constructor). Immutable.
 *
 * @param prefixes path prefix to population name, e.g. {@code .../lymphocytes/T/CD4/Treg → Treg}
 */
public record ReferencePopulations(Map<String, String> prefixes) {

  public ReferencePopulations {
    String problem = ClusteringConfig.referenceProblem(prefixes);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    prefixes = Collections.unmodifiableMap(new LinkedHashMap<>(prefixes));
  }

  /** The reference populations of {@code panel} in conf/clustering.yaml; {@link #identity()} when it has none. */
  public static ReferencePopulations of(ClusteringConfig config, String panel) {
    return new ReferencePopulations(config.reference(panel));
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
      if ((path.equals(prefix) || path.startsWith(prefix + "/")) && (best == null || prefix.length() > best.length())) {
        best = prefix;
      }
    }
    return best == null ? null : prefixes.get(best);
  }
}
