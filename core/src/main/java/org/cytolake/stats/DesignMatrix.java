package org.cytolake.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The fixed-effects design matrix X of a {@link DesignSpec} over a list of rows, with aliased
 * columns found and dropped.
 *
 * <p><b>Aliasing.</b> Columns are taken in order (see {@link DesignSpec}); a column is dropped when
 * its residual after projection on the columns kept before it (modified Gram-Schmidt,
 * orthogonalised twice) has a norm at most {@value #ALIAS_TOLERANCE} times its own norm, an
 * all-zero column included. This is R's {@code lm} rule (a pivoted QR with tolerance 1e-7 that
 * keeps the earlier column) in the column order of the spec: an empty visit × cohort cell drops
 * that interaction column; a batch that coincides with a cohort drops the batch column. Each
 * dropped column is recorded with its reason and with the combination of kept columns it equals, so
 * that a contrast can be checked for estimability ({@link FixedEffects#contrast}). Dropping a
 * column changes nothing in the fitted values: the model's column space is the same.
 */
public final class DesignMatrix {
  /** Relative residual norm at or below which a column counts as a combination of earlier ones. */
  public static final double ALIAS_TOLERANCE = 1e-7;

  /** Name of the intercept column. */
  public static final String INTERCEPT = "Intercept";

  /**
   * A column of the full design.
   *
   * @param name patsy's name: {@code Intercept}, {@code visit[T.D8]}, {@code age},
   *     {@code visit[T.D8]:cohort[T.SLE]}
   * @param levels for indicator columns, factor → level of each factor in the column (empty for the
   *     intercept and for a covariate)
   * @param covariate the covariate's name for a covariate column, else null
   */
  public record Column(String name, Map<String, String> levels, String covariate) {
    public Column {
      levels = Collections.unmodifiableMap(new LinkedHashMap<>(levels));
    }
  }

  /**
   * A column dropped because it is (numerically) a linear combination of the kept columns before
   * it.
   *
   * @param name the column
   * @param combination kept column → coefficient, such that the column equals the sum; empty for an
   *     all-zero column
   * @param reason in words: which cell is empty, or which columns it equals
   */
  public record AliasedColumn(String name, Map<String, Double> combination, String reason) {
    public AliasedColumn {
      combination = Collections.unmodifiableMap(new LinkedHashMap<>(combination));
    }
  }

  private final List<Column> columns;
  private final Map<String, List<String>> levels;
  private final List<String> keptNames;
  private final List<AliasedColumn> aliased;
  private final double[][] x;

  private DesignMatrix(
      List<Column> columns,
      Map<String, List<String>> levels,
      List<String> keptNames,
      List<AliasedColumn> aliased,
      double[][] x) {
    this.columns = List.copyOf(columns);
    this.levels = Collections.unmodifiableMap(levels);
    this.keptNames = List.copyOf(keptNames);
    this.aliased = List.copyOf(aliased);
    this.x = x;
  }

  /**
   * Builds X for {@code rows}. All problems of the rows (a missing factor or covariate, a level not
   * declared, a non-finite covariate, a reference level absent from the data) are reported at once.
   */
  public static DesignMatrix build(DesignSpec spec, List<? extends DesignRow> rows) {
    List<String> problems = new ArrayList<>();
    Map<String, List<String>> levels = new LinkedHashMap<>();
    for (DesignSpec.Term t : spec.terms()) {
      if (t instanceof DesignSpec.Factor f) {
        levels.put(f.name(), levelsOf(f, rows, problems));
      }
    }
    for (int i = 0; i < rows.size(); i++) {
      for (DesignSpec.Term t : spec.terms()) {
        if (t instanceof DesignSpec.Covariate c) {
          Double v = rows.get(i).covariates().get(c.name());
          if (v == null || !Double.isFinite(v)) {
            problems.add("row " + i + " has covariate '" + c.name() + "' = " + v);
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      int shown = Math.min(problems.size(), 10);
      throw new IllegalArgumentException(
          "Cannot build design matrix: "
              + problems.size()
              + (problems.size() == 1 ? " problem: " : " problems: ")
              + String.join("; ", problems.subList(0, shown))
              + (shown < problems.size() ? "; and " + (problems.size() - shown) + " more" : ""));
    }

    List<Column> columns = columns(spec, levels);
    int n = rows.size();
    double[][] full = new double[columns.size()][n];
    for (int j = 0; j < columns.size(); j++) {
      Column col = columns.get(j);
      for (int i = 0; i < n; i++) {
        DesignRow row = rows.get(i);
        double v = col.covariate() == null ? 1 : row.covariates().get(col.covariate());
        for (Map.Entry<String, String> e : col.levels().entrySet()) {
          if (!e.getValue().equals(row.factors().get(e.getKey()))) {
            v = 0;
            break;
          }
        }
        full[j][i] = v;
      }
    }
    return alias(columns, levels, full, n);
  }

  private static List<String> levelsOf(
      DesignSpec.Factor f, List<? extends DesignRow> rows, List<String> problems) {
    TreeSet<String> found = new TreeSet<>();
    for (int i = 0; i < rows.size(); i++) {
      String level = rows.get(i).factors().get(f.name());
      if (level == null) {
        problems.add("row " + i + " has no level for factor '" + f.name() + "'");
      } else if (!f.levels().isEmpty() && !f.levels().contains(level)) {
        problems.add(
            "row " + i + " has " + f.name() + " '" + level + "', not one of " + f.levels());
      } else {
        found.add(level);
      }
    }
    if (!f.levels().isEmpty()) {
      return f.levels();
    }
    if (!found.isEmpty() && !found.contains(f.reference())) {
      problems.add(
          "factor '"
              + f.name()
              + "' has no row at its reference level '"
              + f.reference()
              + "' (levels found: "
              + String.join(", ", found)
              + ")");
    }
    List<String> out = new ArrayList<>();
    out.add(f.reference());
    for (String l : found) {
      if (!l.equals(f.reference())) {
        out.add(l);
      }
    }
    return List.copyOf(out);
  }

  private static List<Column> columns(DesignSpec spec, Map<String, List<String>> levels) {
    List<Column> columns = new ArrayList<>();
    columns.add(new Column(INTERCEPT, Map.of(), null));
    for (DesignSpec.Term t : spec.terms()) {
      if (t instanceof DesignSpec.Factor f) {
        for (String l : levels.get(f.name()).subList(1, levels.get(f.name()).size())) {
          columns.add(new Column(f.name() + "[T." + l + "]", Map.of(f.name(), l), null));
        }
      } else {
        columns.add(new Column(t.name(), Map.of(), t.name()));
      }
    }
    for (List<String> inter : spec.interactions()) {
      // All combinations of non-reference levels, the first factor's level varying fastest.
      List<Map<String, String>> combos = new ArrayList<>();
      combos.add(new LinkedHashMap<>());
      for (String f : inter) {
        List<String> nonRef = levels.get(f).subList(1, levels.get(f).size());
        List<Map<String, String>> next = new ArrayList<>();
        for (String l : nonRef) {
          for (Map<String, String> c : combos) {
            Map<String, String> m = new LinkedHashMap<>(c);
            m.put(f, l);
            next.add(m);
          }
        }
        combos = next;
      }
      for (Map<String, String> c : combos) {
        List<String> parts = new ArrayList<>();
        c.forEach((f, l) -> parts.add(f + "[T." + l + "]"));
        columns.add(new Column(String.join(":", parts), c, null));
      }
    }
    return columns;
  }

  private static DesignMatrix alias(
      List<Column> columns, Map<String, List<String>> levels, double[][] full, int n) {
    int m = columns.size();
    List<double[]> q = new ArrayList<>();
    double[][] r = new double[m][m]; // r[k][j]: kept k (in kept order) against kept j
    List<Integer> kept = new ArrayList<>();
    List<AliasedColumn> aliased = new ArrayList<>();
    for (int j = 0; j < m; j++) {
      double[] v = full[j].clone();
      double norm0 = norm(v);
      if (norm0 == 0) {
        aliased.add(new AliasedColumn(columns.get(j).name(), Map.of(), zeroReason(columns.get(j))));
        continue;
      }
      double[] proj = new double[kept.size()];
      for (int pass = 0; pass < 2; pass++) {
        for (int k = 0; k < q.size(); k++) {
          double[] qk = q.get(k);
          double d = 0;
          for (int i = 0; i < n; i++) {
            d += qk[i] * v[i];
          }
          for (int i = 0; i < n; i++) {
            v[i] -= d * qk[i];
          }
          proj[k] += d;
        }
      }
      double resid = norm(v);
      if (resid <= ALIAS_TOLERANCE * norm0) {
        // column = Q proj = X_kept R^{-1} proj: back-substitute for the combination.
        double[] c = new double[kept.size()];
        for (int k = kept.size() - 1; k >= 0; k--) {
          double s = proj[k];
          for (int l = k + 1; l < kept.size(); l++) {
            s -= r[k][l] * c[l];
          }
          c[k] = s / r[k][k];
        }
        Map<String, Double> combination = new LinkedHashMap<>();
        for (int k = 0; k < kept.size(); k++) {
          if (Math.abs(c[k]) > 1e-10) {
            combination.put(columns.get(kept.get(k)).name(), c[k]);
          }
        }
        aliased.add(
            new AliasedColumn(
                columns.get(j).name(),
                combination,
                "a linear combination of earlier columns: " + format(combination)));
        continue;
      }
      int idx = kept.size();
      for (int k = 0; k < idx; k++) {
        r[k][idx] = proj[k];
      }
      r[idx][idx] = resid;
      for (int i = 0; i < n; i++) {
        v[i] /= resid;
      }
      q.add(v);
      kept.add(j);
    }
    double[][] x = new double[n][kept.size()];
    List<String> keptNames = new ArrayList<>();
    for (int k = 0; k < kept.size(); k++) {
      keptNames.add(columns.get(kept.get(k)).name());
      for (int i = 0; i < n; i++) {
        x[i][k] = full[kept.get(k)][i];
      }
    }
    return new DesignMatrix(columns, levels, keptNames, aliased, x);
  }

  private static String zeroReason(Column c) {
    if (c.covariate() != null) {
      return "all zero: covariate '" + c.covariate() + "' is 0 in every row";
    }
    List<String> parts = new ArrayList<>();
    c.levels().forEach((f, l) -> parts.add(f + "=" + l));
    return "all zero: no row has " + String.join(" and ", parts);
  }

  private static String format(Map<String, Double> combination) {
    List<String> parts = new ArrayList<>();
    combination.forEach((name, c) -> parts.add(String.format(Locale.ROOT, "%.6g × %s", c, name)));
    return String.join(" + ", parts);
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double d : v) {
      s += d * d;
    }
    return Math.sqrt(s);
  }

  /** Number of rows. */
  public int rows() {
    return x.length;
  }

  /** All columns of the full design, kept and dropped, in order. */
  public List<Column> columns() {
    return columns;
  }

  /** Names of the kept columns, in order: the columns of {@link #x()}. */
  public List<String> keptNames() {
    return keptNames;
  }

  /** The dropped columns, in order. */
  public List<AliasedColumn> aliased() {
    return aliased;
  }

  /** Factor → its levels in column order, reference first. */
  public Map<String, List<String>> levels() {
    return levels;
  }

  /** A copy of X over the kept columns, rows × kept columns. */
  public double[][] x() {
    double[][] copy = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      copy[i] = x[i].clone();
    }
    return copy;
  }

  /** X without a copy, for the estimators of this package, which do not write to it. */
  double[][] sharedX() {
    return x;
  }
}
