package org.cytolake.scoring;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The event counts the evaluate job gathers (reference population × cluster or gated population),
 * turned into contingency tables and scored ({@link Evaluation}), and the evaluations as JSON.
 */
public final class ContingencyCounts {
  private ContingencyCounts() {}

  /** Events of one reference population in one metacluster of one panel's clustering. */
  public record ClusterCount(
      String panel, String algorithm, String population, int metacluster, long events) {}

  /** Events of one reference population that gating put in {@code gated} (deepest population). */
  public record GateCount(String population, String gated, long events) {}

  /** A panel's clustering by one algorithm: the key of its metacluster labels. */
  public record Clustering(String panel, String algorithm) {}

  /**
   * Scores every clustering the counts hold ({@link Evaluation#ofClustering}), in the order of
   * panel and algorithm.
   *
   * @param labels per clustering, metacluster → phenotype label (the {@code clusters} table)
   */
  public static List<Evaluation> clusterings(
      List<ClusterCount> counts, Map<Clustering, Map<Integer, String>> labels) {
    Map<String, Map<String, Map<String, Long>>> tables = new TreeMap<>();
    Map<String, Clustering> keys = new TreeMap<>();
    for (ClusterCount c : counts) {
      String key = c.panel() + "\t" + c.algorithm();
      keys.put(key, new Clustering(c.panel(), c.algorithm()));
      tables
          .computeIfAbsent(key, k -> new TreeMap<>())
          .computeIfAbsent(c.population(), k -> new TreeMap<>())
          .put(String.valueOf(c.metacluster()), c.events());
    }
    List<Evaluation> out = new ArrayList<>();
    tables.forEach(
        (key, table) -> {
          Clustering c = keys.get(key);
          out.addAll(
              Evaluation.ofClustering(
                  c.panel(), c.algorithm(), table, labels.getOrDefault(c, Map.of())));
        });
    return out;
  }

  /**
   * Scores a panel's gated populations as a clustering, each gated population mapped to a
   * reference population where one matches ({@link DeepestPopulation#scoredAs}); empty without
   * counts.
   */
  public static Optional<Evaluation> gating(
      String panel, String algorithm, List<GateCount> counts, ReferencePopulations reference) {
    if (counts.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Map<String, Long>> table = new TreeMap<>();
    for (GateCount c : counts) {
      table
          .computeIfAbsent(c.population(), k -> new TreeMap<>())
          .merge(DeepestPopulation.scoredAs(c.gated(), reference), c.events(), Long::sum);
    }
    return Optional.of(Evaluation.score(panel, algorithm, table, null));
  }

  /** The evaluations as JSON: {panel: {algorithm: {mean_f1, per_population, ...}}}. */
  public static ObjectNode toJson(List<Evaluation> evaluations) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    for (Evaluation e : evaluations) {
      ObjectNode panel =
          root.has(e.panel()) ? (ObjectNode) root.get(e.panel()) : root.putObject(e.panel());
      ObjectNode a = panel.putObject(e.algorithm());
      a.put("mean_f1", e.meanF1());
      ObjectNode per = a.putObject("per_population");
      e.perPopulation().forEach(per::put);
      ObjectNode matched = a.putObject("matched");
      e.matched().forEach(matched::put);
      a.put("scored_events", e.scoredEvents());
      if (!Double.isNaN(e.labelAgreement())) {
        a.put("label_agreement", e.labelAgreement());
      }
      ObjectNode maj = a.putObject("majority");
      e.metaclusterMajority().forEach(maj::put);
    }
    return root;
  }
}
