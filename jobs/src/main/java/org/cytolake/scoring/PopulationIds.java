package org.cytolake.scoring;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cytolake.gating.GatingResult;
import org.cytolake.gating.GatingStrategy;

/**
 * Each event's population as one number, for a channel of an exported FCS file ({@code
 * export-fcs}): 1 + the index of its deepest reported population ({@link DeepestPopulation}) in
 * the strategy's order, 0 for an event in none of them or one left out of gating (a QC-flagged
 * event when only clean events are gated). Overlapping siblings (an event in two populations of
 * the same depth) give the first in strategy order.
 *
 * @param codes the number of every event
 * @param names number → population path, for the file's keywords
 */
public record PopulationIds(int[] codes, Map<Integer, String> names) {

  /**
   * The numbers of {@code n} events gated into {@code gated}.
   *
   * @param excluded events not gated (they get 0), or null for none
   */
  public static PopulationIds of(
      GatingStrategy strategy, GatingResult gated, int n, BitSet excluded) {
    List<String> paths = strategy.reportedPopulations().stream().map(strategy::path).toList();
    Map<Integer, String> names = new LinkedHashMap<>();
    for (int i = 0; i < paths.size(); i++) {
      names.put(i + 1, paths.get(i));
    }
    String[] deepest = new DeepestPopulation(strategy).of(gated, n);
    int[] codes = new int[n];
    for (int e = 0; e < n; e++) {
      codes[e] = excluded != null && excluded.get(e) ? 0 : paths.indexOf(deepest[e]) + 1;
    }
    return new PopulationIds(codes, names);
  }

  /**
   * The events of one population, named by its path or gate id.
   *
   * @throws IllegalArgumentException naming the population and listing the strategy's paths
   */
  public static BitSet members(GatingStrategy strategy, GatingResult gated, String population) {
    for (String id : strategy.reportedPopulations()) {
      if (id.equals(population) || strategy.path(id).equals(population)) {
        return (BitSet) gated.events(id).clone();
      }
    }
    throw new IllegalArgumentException(
        "Cannot select population '"
            + population
            + "': the strategy has "
            + strategy.reportedPopulations().stream().map(strategy::path).toList());
  }
}
