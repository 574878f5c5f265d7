package org.cytolake.stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The fixed-effects part of a model, as a formula would state it: an intercept, categorical factors
 * in treatment coding against a chosen reference level, numeric covariates, and interactions of
 * factors. {@code visit * cohort + age + sex} reads
 *
 * <pre>{@code
 * DesignSpec.builder()
 *     .factor("visit", "D1").factor("cohort", "RA").covariate("age").factor("sex", "F")
 *     .interaction("visit", "cohort")
 *     .build();
 * }</pre>
 *
 * <p>{@link DesignMatrix} turns it into columns named as patsy (and so statsmodels and R) name
 * them: {@code Intercept}, {@code visit[T.D8]}, {@code age}, {@code visit[T.D8]:cohort[T.SLE]}.
 * Columns come in this order: the intercept, the main terms in the order declared, then the
 * interactions in the order declared (within an interaction the first factor's level varies
 * fastest). A factor's levels are those given to {@link Builder#factor(String, List)} (the first is
 * the reference) or, with {@link Builder#factor(String, String)}, those found in the data, sorted,
 * with the reference first. Every factor of an interaction must also be declared as a main effect,
 * so that the interaction columns mean what treatment coding says: the extra effect of the level
 * pair over the sum of the two main effects.
 *
 * @param terms the main terms, in column order
 * @param interactions the interactions, each naming two or more declared factors
 */
public record DesignSpec(List<Term> terms, List<List<String>> interactions) {

  /** A main term of the design. */
  public sealed interface Term permits Factor, Covariate {
    /** The variable's name, as the observations' maps key it. */
    String name();
  }

  /**
   * A categorical variable in treatment coding: one 0/1 column per level other than the reference.
   *
   * @param name the variable, a key of the observations' factor map
   * @param reference the reference level (no column; the intercept's level)
   * @param levels all levels in column order, reference first; empty to take them from the data
   */
  public record Factor(String name, String reference, List<String> levels) implements Term {
    public Factor {
      levels = List.copyOf(levels);
    }
  }

  /**
   * A numeric variable entering as one column with its values.
   *
   * @param name the variable, a key of the observations' covariate map
   */
  public record Covariate(String name) implements Term {}

  public DesignSpec {
    terms = List.copyOf(terms);
    interactions = interactions.stream().map(List::copyOf).toList();
    List<String> problems = problems(terms, interactions);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot build design spec: " + String.join("; ", problems));
    }
  }

  /** A builder, starting from the intercept alone. */
  public static Builder builder() {
    return new Builder();
  }

  /** The factor named {@code name}, or null. */
  public Factor factor(String name) {
    for (Term t : terms) {
      if (t instanceof Factor f && f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  private static List<String> problems(List<Term> terms, List<List<String>> interactions) {
    List<String> problems = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Map<String, Factor> factors = new HashMap<>();
    for (Term t : terms) {
      if (t.name() == null || t.name().isBlank()) {
        problems.add("a term has no name");
        continue;
      }
      if (!names.add(t.name())) {
        problems.add("term '" + t.name() + "' is declared twice");
      }
      if (t instanceof Factor f) {
        factors.put(f.name(), f);
        if (f.reference() == null || f.reference().isEmpty()) {
          problems.add("factor '" + f.name() + "' has no reference level");
        } else if (!f.levels().isEmpty() && !f.levels().get(0).equals(f.reference())) {
          problems.add(
              "factor '"
                  + f.name()
                  + "' lists levels "
                  + f.levels()
                  + " whose first is not the reference '"
                  + f.reference()
                  + "'");
        }
        if (new LinkedHashSet<>(f.levels()).size() != f.levels().size()) {
          problems.add("factor '" + f.name() + "' lists a level twice: " + f.levels());
        }
      }
    }
    Set<List<String>> seen = new HashSet<>();
    for (List<String> inter : interactions) {
      if (inter.size() < 2) {
        problems.add("interaction " + inter + " has fewer than two factors");
      }
      if (new HashSet<>(inter).size() != inter.size()) {
        problems.add("interaction " + String.join(":", inter) + " names a factor twice");
      }
      if (!seen.add(inter)) {
        problems.add("interaction " + String.join(":", inter) + " is declared twice");
      }
      for (String f : inter) {
        if (!factors.containsKey(f)) {
          problems.add(
              "interaction "
                  + String.join(":", inter)
                  + " names '"
                  + f
                  + "', which is not a declared factor");
        }
      }
    }
    return problems;
  }

  /** Collects terms in column order; {@link #build()} checks them all at once. */
  public static final class Builder {
    private final List<Term> terms = new ArrayList<>();
    private final List<List<String>> interactions = new ArrayList<>();

    private Builder() {}

    /** A factor whose levels are those in the data, sorted, with {@code reference} first. */
    public Builder factor(String name, String reference) {
      terms.add(new Factor(name, reference, List.of()));
      return this;
    }

    /** A factor with exactly these levels in this column order; the first is the reference. */
    public Builder factor(String name, List<String> levels) {
      Objects.requireNonNull(levels, "levels");
      terms.add(new Factor(name, levels.isEmpty() ? null : levels.get(0), levels));
      return this;
    }

    /** A numeric covariate. */
    public Builder covariate(String name) {
      terms.add(new Covariate(name));
      return this;
    }

    /** The interaction of two or more declared factors. */
    public Builder interaction(String... factors) {
      interactions.add(List.of(factors));
      return this;
    }

    public DesignSpec build() {
      return new DesignSpec(terms, interactions);
    }
  }
}
