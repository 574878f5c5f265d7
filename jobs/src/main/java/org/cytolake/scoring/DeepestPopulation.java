package org.cytolake.scoring;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.cytolake.gating.GatingResult;
import org.cytolake.gating.GatingStrategy;

/**
 * The gated population each event is scored as, when gating is scored like a clustering: the deepest population
 * holding the event (most {@code /}-separated path segments; among equally deep ones, the first in document order),
 * helper gates left out ({@link GatingStrategy#isHelper}); {@link #UNGATED} when no population holds it. Immutable;
 * build one per strategy and apply it to every sample gated with it.
 */
public final class DeepestPopulation {
  /** The cluster of events that no non-helper gate holds. */
  public static final String UNGATED = "ungated";

  private final List<String> populations;
  private final List<String> paths;

  public DeepestPopulation(GatingStrategy strategy) {
    this.populations = strategy.reportedPopulations();
    this.paths = populations.stream().map(strategy::path).toList();
  }

  /** The deepest population path of each of the {@code events} events of {@code result}, or {@link #UNGATED}. */
  public String[] of(GatingResult result, int events) {
    String[] deepest = new String[events];
    int[] depth = new int[events];
    Arrays.fill(depth, -1);
    for (int i = 0; i < populations.size(); i++) {
      BitSet in = result.events(populations.get(i));
      String path = paths.get(i);
      int d = path.split("/").length;
      for (int e = in.nextSetBit(0); e >= 0; e = in.nextSetBit(e + 1)) {
        if (d > depth[e]) {
          depth[e] = d;
          deepest[e] = path;
        }
      }
    }
    for (int e = 0; e < events; e++) {
      if (deepest[e] == null) {
        deepest[e] = UNGATED;
      }
    }
    return deepest;
  }

  /**
   * The cluster name a gated population path is scored under: {@link #UNGATED} stays, a path with a reference
   * population is that population (so gated populations merge as reference ones do), any other path is itself.
   */
  public static String scoredAs(String gated, ReferencePopulations reference) {
    if (UNGATED.equals(gated)) {
      return UNGATED;
    }
    String population = reference.populationOf(gated);
    return population != null ? population : gated;
  }
}
