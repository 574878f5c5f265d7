package org.cytolake.som;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One phenotype rule of conf/clustering.yaml ({@code rules}): a label and the marker levels a metacluster's
 * medians must all show to carry it, written as space-separated tokens {@code <column><+|-|hi|lo>}, e.g.
 * {@code "cd3+ cd4+ cd25hi cd127lo"}. This class owns the grammar, checked against the panel's columns; what a
 * level means (the {@code positive} and {@code high} thresholds) is {@code som.PhenotypeRules}'. Immutable.
 *
 * @param label the label a matching metacluster carries
 * @param tokens the column levels that must all hold, in the order written
 */
public record PhenotypeRule(String label, List<Token> tokens) {

  public PhenotypeRule {
    Objects.requireNonNull(label, "label");
    tokens = List.copyOf(tokens);
  }

  /** A marker level of a token, by its suffix. */
  public enum Level {
    /** {@code +}: median at or above the positive threshold. */
    POSITIVE("+"),
    /** {@code -}: median below the positive threshold. */
    NEGATIVE("-"),
    /** {@code hi}: median at or above the high threshold. */
    HIGH("hi"),
    /** {@code lo}: median below the high threshold. */
    LOW("lo");

    private final String suffix;

    Level(String suffix) {
      this.suffix = suffix;
    }

    public String suffix() {
      return suffix;
    }

    /** The level a token ends with ({@code hi} and {@code lo} before {@code +} and {@code -}), or null. */
    static Level ofToken(String token) {
      for (Level l : List.of(HIGH, LOW, POSITIVE, NEGATIVE)) {
        if (token.endsWith(l.suffix)) {
          return l;
        }
      }
      return null;
    }
  }

  /** One token of a phenotype: a column and its level. */
  public record Token(String column, Level level) {}

  /**
   * Parses {@code "cd3+ cd4+ cd25hi cd127lo"}; {@code columns} are the panel's columns (each token must name one).
   *
   * @throws IllegalArgumentException naming every bad token
   */
  public static PhenotypeRule parse(String label, String phenotype, List<String> columns) {
    Objects.requireNonNull(label, "label");
    List<Token> tokens = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String t : phenotype.strip().split("\\s+")) {
      if (t.isEmpty()) {
        continue;
      }
      Level level = Level.ofToken(t);
      String column = level == null ? t : t.substring(0, t.length() - level.suffix().length());
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
      throw new IllegalArgumentException(
          "Cannot parse phenotype rule '" + label + "': " + String.join("; ", problems));
    }
    return new PhenotypeRule(label, tokens);
  }
}
