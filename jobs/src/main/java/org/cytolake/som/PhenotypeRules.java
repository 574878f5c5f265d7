package org.cytolake.som;

import java.util.List;
import java.util.Map;

/**
 * Names a cluster from its marker medians, as a gating table names a population: an ordered list of
 * {@link PhenotypeRule}s (conf/clustering.yaml; the token grammar is there), each a label and tokens
 * {@code <column><+|-|hi|lo>}; the first rule whose every token holds gives the label. With thresholds
 * {@code positive} and {@code high} (transformed units): {@code +} median ≥ positive, {@code -} median &lt; positive,
 * {@code hi} median ≥ high, {@code lo} median &lt; high. Immutable.
 *
 * @param positive the "+" threshold
 * @param high the "hi" threshold
 * @param rules the rules, in order
 */
public record PhenotypeRules(double positive, double high, List<PhenotypeRule> rules) {

  /** The label of a cluster that no rule matches. */
  public static final String UNLABELED = "unlabeled";

  public PhenotypeRules {
    rules = List.copyOf(rules);
    if (!Double.isFinite(positive) || !Double.isFinite(high)) {
      throw new IllegalArgumentException(
          "Cannot create phenotype rules: thresholds must be finite but are "
              + positive
              + " and "
              + high);
    }
  }

  /** The label of a cluster with these medians (by column), or {@link #UNLABELED}. */
  public String label(Map<String, Double> medians) {
    for (PhenotypeRule r : rules) {
      boolean all = true;
      for (PhenotypeRule.Token t : r.tokens()) {
        Double m = medians.get(t.column());
        if (m == null || !holds(t.level(), m)) {
          all = false;
          break;
        }
      }
      if (all) {
        return r.label();
      }
    }
    return UNLABELED;
  }

  private boolean holds(PhenotypeRule.Level level, double m) {
    return switch (level) {
      case POSITIVE -> m >= positive;
      case NEGATIVE -> m < positive;
      case HIGH -> m >= high;
      case LOW -> m < high;
    };
  }
}
