package org.cytolake.aggregate;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The column names of {@code immunophenotype_wide}, derived from a feature alone so that they are
 * the same in every run and every lake: {@code <panel>_<feature>_<statistic>}, lower case, where
 * {@code +} becomes {@code pos}, {@code -} becomes {@code neg}, every other run of characters that
 * are not letters or digits becomes one {@code _}, and leading or trailing {@code _} are dropped;
 * e.g. (P1, Treg, pct_of_parent) → {@code p1_treg_pct_of_parent}, (P1, Helios+, pct_of_parent) →
 * {@code p1_helios_pos_pct_of_parent}, (P1, Treg, median_cd25) → {@code p1_treg_median_cd25}.
 */
public final class FeatureNames {
  private FeatureNames() {}

  /** The wide column of a feature. */
  public static String column(String panel, String feature, String statistic) {
    String raw = panel + "_" + feature + "_" + statistic;
    String s =
        raw.toLowerCase(Locale.ROOT)
            .replace("+", "_pos_")
            .replace("-", "_neg_")
            .replaceAll("[^a-z0-9]+", "_")
            .replaceAll("^_+|_+$", "");
    if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
      s = "f_" + s;
    }
    return s;
  }

  /** The feature of a metacluster: {@code mc} and its number, at least two digits (mc03). */
  public static String metacluster(int metacluster) {
    return String.format(Locale.ROOT, "mc%02d", metacluster);
  }

  /** The statistic of a marker median: {@code median_<events column>}. */
  public static String markerMedian(String column) {
    return "median_" + column;
  }

  /** The wide column of a feature key. */
  public static String column(Observation.FeatureKey k) {
    return column(k.panel(), k.feature(), k.statistic());
  }

  /**
   * Columns of the given features, in their order; fails naming both features when two map to
   * the same column.
   */
  public static Map<Observation.FeatureKey, String> columns(
      Collection<Observation.FeatureKey> keys) {
    Map<Observation.FeatureKey, String> out = new LinkedHashMap<>();
    Map<String, Observation.FeatureKey> seen = new LinkedHashMap<>();
    for (Observation.FeatureKey k : keys) {
      String c = column(k);
      Observation.FeatureKey prev = seen.putIfAbsent(c, k);
      if (prev != null && !prev.equals(k)) {
        throw new IllegalArgumentException(
            "Cannot name wide column '"
                + c
                + "': features "
                + prev
                + " and "
                + k
                + " both map to it");
      }
      out.put(k, c);
    }
    return out;
  }
}
