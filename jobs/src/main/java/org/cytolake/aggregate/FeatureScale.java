package org.cytolake.aggregate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.ConfigException;
import org.cytolake.config.PanelConfig;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.cytometry.transform.TransformSpec;

/**
 * What a feature's values measure, and so which comparisons with the baseline mean something.
 *
 * <ul>
 *   <li>{@link Kind#PERCENT} (a population's % of its parent or of all events, a metacluster's %
 *       of the sample), {@link Kind#COUNT} (cells per µL) and {@link Kind#COUNT_RATIO} (count /
 *       count) are never negative: their <b>fold change</b> value / baseline is a ratio of two
 *       amounts of cells and is reported (null when the baseline is 0).
 *   <li>{@link Kind#INTENSITY} is a value in a channel's transformed units (a marker median of
 *       the events tables, e.g. arcsinh(x/150)). Transformed values can be 0 or negative and a
 *       ratio of them has no meaning (asinh medians −0.02 → 0.26 would give −13), so an
 *       intensity has <b>no fold change</b>. Its change is the difference in transformed units,
 *       and its <b>linear ratio</b> is the ratio of the back-transformed values,
 *       inverse(value) / inverse(baseline). For a median this is the ratio of the linear
 *       medians: a transform is monotone, so its inverse maps the median of transformed values to
 *       a median of the linear values (the one of an odd number of events exactly; for an even
 *       number a value between the two middle ones). A linear baseline ≤ 0 (compensated
 *       intensities can be) or a linear value &lt; 0 leaves the linear ratio undefined.
 * </ul>
 *
 * The {@link #label() label} is what the tables' {@code scale} column holds: {@code percent},
 * {@code count}, {@code count_ratio}, or for an intensity the spec of its transform
 * ({@link Transform#spec()}, e.g. {@code asinh:cofactor=150}, {@code none} for untransformed
 * channels), which {@link #parse(String)} turns back into the scale. Undefined results are NaN.
 *
 * @param kind what the values are
 * @param transform the channel's transform for an intensity; null otherwise
 */
public record FeatureScale(Kind kind, Transform transform) {

  /** What a feature's values are. */
  public enum Kind {
    /** A percentage of cells: 0 to 100. */
    PERCENT("percent"),
    /** An amount of cells, e.g. cells per µL: ≥ 0. */
    COUNT("count"),
    /** One count of cells over another of the same sample: ≥ 0. */
    COUNT_RATIO("count_ratio"),
    /** A value in a channel's transformed units: any sign. */
    INTENSITY(null);

    private final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  private static final Map<String, FeatureScale> PARSED = new ConcurrentHashMap<>();

  /** Checks that an intensity, and only an intensity, has a transform. */
  public FeatureScale {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.INTENSITY) != (transform != null)) {
      throw new IllegalArgumentException(
          "Cannot create feature scale "
              + kind
              + ": "
              + (transform == null
                  ? "an intensity needs its channel's transform"
                  : "only an intensity has a transform (got " + transform.spec() + ")"));
    }
  }

  /** Percentages of cells. */
  public static FeatureScale percent() {
    return new FeatureScale(Kind.PERCENT, null);
  }

  /** Amounts of cells (e.g. per µL). */
  public static FeatureScale count() {
    return new FeatureScale(Kind.COUNT, null);
  }

  /** Ratios of two counts of cells. */
  public static FeatureScale countRatio() {
    return new FeatureScale(Kind.COUNT_RATIO, null);
  }

  /** Values in the units of {@code transform} (e.g. marker medians of transformed events). */
  public static FeatureScale intensity(Transform transform) {
    return new FeatureScale(Kind.INTENSITY, Objects.requireNonNull(transform, "transform"));
  }

  /**
   * The text of the tables' {@code scale} column: {@code percent}, {@code count},
   * {@code count_ratio}, or the transform's spec for an intensity.
   */
  public String label() {
    return kind == Kind.INTENSITY ? transform.spec() : kind.label;
  }

  /**
   * The scale of a {@link #label()}: {@code percent}, {@code count} or {@code count_ratio}, else a
   * transform spec ({@link TransformSpec#parse(String)}), an intensity in its units.
   *
   * @throws IllegalArgumentException naming the label when it is neither
   */
  public static FeatureScale parse(String label) {
    Objects.requireNonNull(label, "label");
    FeatureScale known = PARSED.get(label);
    if (known != null) {
      return known;
    }
    FeatureScale s = null;
    for (Kind k : Kind.values()) {
      if (label.equals(k.label)) {
        s = new FeatureScale(k, null);
      }
    }
    if (s == null) {
      try {
        s = intensity(TransformSpec.parse(label));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Cannot parse feature scale '"
                + label
                + "': neither percent, count, count_ratio nor a transform spec ("
                + e.getMessage()
                + ")",
            e);
      }
    }
    PARSED.put(label, s);
    return s;
  }

  /** value − baseline in the feature's own units (transformed units for an intensity). */
  public double change(double value, double baseline) {
    return value - baseline;
  }

  /**
   * value / baseline for a quantity that cannot be negative (percent, count, count ratio); NaN for
   * an intensity, when either is missing, when the baseline is ≤ 0 or the value &lt; 0.
   */
  public double foldChange(double value, double baseline) {
    if (kind == Kind.INTENSITY) {
      return Double.NaN;
    }
    return ratio(value, baseline);
  }

  /**
   * For an intensity, inverse(value) / inverse(baseline) with the channel's transform: the ratio
   * of the linear values. NaN for other scales, when either is missing, when the linear baseline
   * is ≤ 0 or the linear value &lt; 0, or when either inverse is not finite.
   */
  public double linearRatio(double value, double baseline) {
    if (kind != Kind.INTENSITY) {
      return Double.NaN;
    }
    return ratio(transform.inverse(value), transform.inverse(baseline));
  }

  private static double ratio(double value, double baseline) {
    if (!(baseline > 0) || !(value >= 0) || !Double.isFinite(value) || !Double.isFinite(baseline)) {
      return Double.NaN;
    }
    return value / baseline;
  }

  /**
   * The scale of every marker median of {@code features.yaml}: per panel, per events column, an
   * intensity in the units of the channel's transform in {@code panels.yaml}.
   *
   * @param featuresFile {@code features.yaml}, for messages
   * @param panels the panels of {@code panels.yaml} by code
   * @param medians {@code features.yaml} {@code medians}: panel → population → columns
   * @throws ConfigException listing every panel or column that {@code panels.yaml} lacks
   */
  public static Map<String, Map<String, FeatureScale>> markerMedians(
      Path featuresFile,
      Map<String, PanelConfig> panels,
      Map<String, Map<String, List<String>>> medians) {
    List<String> problems = new ArrayList<>();
    Map<String, Map<String, FeatureScale>> out = new LinkedHashMap<>();
    medians.forEach(
        (panel, byPopulation) -> {
          PanelConfig p = panels.get(panel);
          if (p == null) {
            problems.add(
                featuresFile
                    + ": medians."
                    + panel
                    + ": panel '"
                    + panel
                    + "' is not in panels.yaml (panels "
                    + panels.keySet()
                    + "), so the units of its"
                    + " medians are unknown");
            return;
          }
          Map<String, FeatureScale> byColumn =
              out.computeIfAbsent(panel, k -> new LinkedHashMap<>());
          byPopulation.forEach(
              (population, columns) -> {
                for (String column : columns) {
                  ChannelConfig ch =
                      p.channels().stream()
                          .filter(c -> c.column().equals(column))
                          .findFirst()
                          .orElse(null);
                  if (ch == null) {
                    problems.add(
                        featuresFile
                            + (population.equals(AggregateConfig.FeatureSettings.METACLUSTERS)
                                ? ": clusters.medians." + panel
                                : ": medians." + panel + "." + population)
                            + ": column '"
                            + column
                            + "' is not a column of panel "
                            + panel
                            + " in panels.yaml (columns "
                            + p.columns()
                            + "), so the units of its median are unknown");
                  } else {
                    byColumn.put(column, intensity(ch.transform()));
                  }
                }
              });
        });
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return out;
  }
}
