package org.cytolake.som;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Names a cluster from its marker medians, as a gating table names a population: an ordered list of rules, each a
 * label and a phenotype of tokens {@code <column><+|-|hi|lo>}; the first rule whose every token holds gives the
 * label. With thresholds {@code positive} and {@code high} (transformed units): {@code +} median ≥ positive,
 * {@code -} median &lt; positive, {@code hi} median ≥ high, {@code lo} median &lt; high. Immutable.
 *
 * @param positive the "+" threshold
 * @param high the "hi" threshold
 * @param rules the rules, in order
 */
public record PhenotypeRules(double positive, double high, List<Rule> rules) {

  /** The label of a cluster that no rule matches. */
  public static final String UNLABELED = "unlabeled";

  public PhenotypeRules {
    rules = List.copyOf(rules);
    if (!Double.isFinite(positive) || !Double.isFinite(high)) {
      throw new IllegalArgumentException("Cannot create phenotype rules: thresholds must be finite but are "
          + positive + " and " + high);
    }
  }

  /** One token of a phenotype: a column and its level. */
  public record Token(String column, String level) {}

  /** A label and the tokens that must all hold. */
  public record Rule(String label, List<Token> tokens) {
    public Rule {
      tokens = List.copyOf(tokens);
    }

    /**
     * Parses {@code "cd3+ cd4+ cd25hi cd127lo"}; {@code columns} are the panel's columns (each token must name one).
     *
     * @throws IllegalArgumentException naming every bad token
     */
    public static Rule parse(String label, String phenotype, List<String> columns) {
      Objects.requireNonNull(label, "label");
      List<Token> tokens = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      for (String t : phenotype.strip().split("\\s+")) {
        if (t.isEmpty()) {
          continue;
        }
        String level = t.endsWith("hi") ? "hi" : t.endsWith("lo") ? "lo"
            : t.endsWith("+") ? "+" : t.endsWith("-") ? "-" : null;
        String column = level == null ? t : t.substring(0, t.length() - level.length());
        if (level == null) {
          problems.add("token '" + t + "' does not end with +, -, hi or lo");
        } else if (!columns.contains(column)) {
          problems.add("token '" + t + "' names column '" + column + "', not one of " + columns);
        } else {
          tokens.add(new Token(column, level));
        }
      }
      if (tokens.isEmpty() && problems.isEmpty()) {
        problems.add("the phenotype is empty");
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("Cannot parse phenotype rule '" + label + "': "
            + String.join("; ", problems));
      }
      return new Rule(label, tokens);
    }
  }

  /** The label of a cluster with these medians (by column), or {@link #UNLABELED}. */
  public String label(Map<String, Double> medians) {
    for (Rule r : rules) {
      boolean all = true;
      for (Token t : r.tokens()) {
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

  private boolean holds(String level, double m) {
    return switch (level) {
      case "+" -> m >= positive;
      case "-" -> m < positive;
      case "hi" -> m >= high;
      case "lo" -> m < high;
      default -> throw new IllegalStateException(level);
    };
  }
}
