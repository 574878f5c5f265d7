package org.cytolake.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.cytolake.config.ConfigException;
import org.cytolake.config.CytolakeConfig;

/**
 * What {@code aggregate} reads from {@code conf/}: the cohorts ({@code cohorts.yaml}: disease →
 * cohort code, and optionally its score and responder rule) and the derived features ({@code features.yaml}: marker
 * medians, ratios, absolute counts, clustering algorithm). Every problem of both files is reported
 * at once, each naming its file and key.
 *
 * @param cohorts by code, in file order
 * @param pooled code of the pooled cohort in {@code cohort_summary} (e.g. {@code ALL})
 * @param features the feature settings
 */
public record AggregateConfig(
    Map<String, CohortDefinition> cohorts, String pooled, FeatureSettings features) {

  /** {@code cohorts.yaml}: name of the pooled cohort when {@code pooled-cohort} is absent. */
  public static final String POOLED_DEFAULT = "ALL";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern CODE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  /** Keys of one cohort of {@code cohorts.yaml}; only {@code diseases} is required. */
  private static final List<String> COHORT_KEYS = List.of("diseases", "score", "responder");

  private static final Set<String> CRITERIA =
      Set.of("decrease-min", "decrease-over", "pct-decrease-min", "value-max", "value-below");

  public AggregateConfig {
    cohorts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cohorts));
  }

  /**
   * The settings of {@code features.yaml}.
   *
   * @param medians per panel, per population name, the events columns whose median is a feature
   * @param ratios count ratios of two populations of one panel
   * @param absolute lymphocyte-based absolute counts, or null when not configured
   * @param clusterAlgorithm the {@code cluster_abundance} algorithm whose metaclusters are
   *     features, or null for none
   * @param clusterMedians per panel, the events columns whose median in each metacluster of
   *     {@code clusterAlgorithm} ({@code cluster_sample_medians}) is a feature of the metacluster
   */
  public record FeatureSettings(
      Map<String, Map<String, List<String>>> medians,
      List<Ratio> ratios,
      AbsoluteCounts absolute,
      String clusterAlgorithm,
      Map<String, List<String>> clusterMedians) {
    /** The owner of the metaclusters' columns in {@link #allMedians()}. */
    public static final String METACLUSTERS = "metaclusters";

    public FeatureSettings {
      clusterMedians = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clusterMedians));
    }

    /**
     * Every marker median's panel, owner and columns, as {@link #medians}: the gated populations'
     * and, under the owner "metaclusters", the metaclusters' ({@link FeatureScale#markerMedians}
     * takes the units of each from panels.yaml).
     */
    public Map<String, Map<String, List<String>>> allMedians() {
      Map<String, Map<String, List<String>>> all = new LinkedHashMap<>();
      medians.forEach((panel, byPop) -> all.put(panel, new LinkedHashMap<>(byPop)));
      clusterMedians.forEach(
          (panel, cols) ->
              all.computeIfAbsent(panel, k -> new LinkedHashMap<>()).put(METACLUSTERS, cols));
      return all;
    }
  }

  /** {@code name} = count(numerator) / count(denominator) in the same sample of {@code panel}. */
  public record Ratio(String name, String panel, String numerator, String denominator) {
    /** The ratio of two counts; null when the denominator is 0. */
    public static Double value(long numeratorCount, long denominatorCount) {
      return denominatorCount > 0 ? (double) numeratorCount / denominatorCount : null;
    }

    /** The {@code immunophenotype.population} of the ratio: numerator/denominator. */
    public String population() {
      return numerator + "/" + denominator;
    }
  }

  /**
   * Dual-platform absolute counts: for every population inside {@code population} (and itself),
   * cells per µL = lab value × {@code factor} × count / count({@code population}), the lab taken
   * at the same visit.
   *
   * @param labTest {@code labs.test_code}, e.g. LYM
   * @param population the gated population the lab counts, e.g. lymphocytes
   * @param factor lab unit to cells per µL (10^9/L → /µL: 1000)
   */
  public record AbsoluteCounts(String labTest, String population, double factor)
      implements java.io.Serializable {
    /**
     * Whether a population has an absolute count: its path is the reference population's path
     * or below it ({@code <reference path>/...}).
     */
    public static boolean counted(String populationPath, String referencePath) {
      return populationPath.equals(referencePath) || populationPath.startsWith(referencePath + "/");
    }

    /**
     * Cells per µL of a population: lab value × factor × count / reference count (in that order
     * of operations); null when the reference population is empty.
     */
    public Double cellsPerMicrolitre(double labValue, long count, long referenceCount) {
      return referenceCount > 0 ? labValue * factor * count / referenceCount : null;
    }
  }

  /** The cohort of a {@code patients.cohort} value, or null when no cohort lists it. */
  public CohortDefinition cohortOfDisease(String disease) {
    for (CohortDefinition c : cohorts.values()) {
      if (c.diseases().contains(disease) || c.code().equals(disease)) {
        return c;
      }
    }
    return null;
  }

  /** {@code features.yaml} absent: only the gated populations' percentages are features. */
  public static final FeatureSettings FEATURES_DEFAULT =
      new FeatureSettings(Map.of(), List.of(), null, null, Map.of());

  /**
   * The pooled cohort for a reader that renders whatever the configuration holds (the report):
   * {@link #load}'s {@link #pooled()}, or {@value #POOLED_DEFAULT} when {@code dir}'s files cannot
   * be read, with the reason added to {@code warnings}.
   */
  public static String pooledOrDefault(Path dir, List<String> warnings) {
    try {
      return load(dir).pooled();
    } catch (RuntimeException e) {
      warnings.add(
          "cannot read the pooled cohort from "
              + dir.resolve("cohorts.yaml")
              + ": "
              + e.getMessage()
              + "; using "
              + POOLED_DEFAULT);
      return POOLED_DEFAULT;
    }
  }

  /**
   * Loads {@code dir/cohorts.yaml} and {@code dir/features.yaml}. Both files are optional: without
   * {@code cohorts.yaml} there are no cohorts (every {@code patients.cohort} value is a cohort of
   * its own, with no clinical response) and the pooled cohort is {@value #POOLED_DEFAULT};
   * without {@code features.yaml}, {@link #FEATURES_DEFAULT}.
   */
  public static AggregateConfig load(Path dir) {
    List<String> problems = new ArrayList<>();
    Path cf = dir.resolve("cohorts.yaml");
    Path ff = dir.resolve("features.yaml");
    JsonNode c = Files.exists(cf) ? CytolakeConfig.readMapping(cf, problems) : null;
    JsonNode f = Files.exists(ff) ? CytolakeConfig.readMapping(ff, problems) : null;
    Map<String, CohortDefinition> cohorts = new LinkedHashMap<>();
    String pooled = POOLED_DEFAULT;
    if (c != null) {
      pooled = c.path("pooled-cohort").asText(POOLED_DEFAULT);
      cohorts = cohorts(cf, c, problems);
      if (cohorts.containsKey(pooled)) {
        problems.add(cf + ": pooled-cohort: '" + pooled + "' is also a cohort code");
      }
    }
    FeatureSettings features = f == null ? FEATURES_DEFAULT : features(ff, f, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new AggregateConfig(cohorts, pooled, features);
  }

  private static Map<String, CohortDefinition> cohorts(
      Path file, JsonNode n, List<String> problems) {
    Map<String, CohortDefinition> out = new LinkedHashMap<>();
    JsonNode all = n.path("cohorts");
    if (!all.isObject() || all.isEmpty()) {
      problems.add(file + ": cohorts: must map cohort codes to cohorts");
      return out;
    }
    Map<String, String> diseaseOwner = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String code = e.getKey();
      String where = file + ": cohorts." + code;
      JsonNode c = e.getValue();
      if (!CODE.matcher(code).matches()) {
        problems.add(
            where + ": a cohort code must be letters, digits and _, starting with a" + " letter");
      }
      List<String> diseases = new ArrayList<>();
      JsonNode d = c.path("diseases");
      if (!d.isArray() || d.isEmpty()) {
        problems.add(where + ".diseases: must list the patients.cohort (DM DISEASE) values");
      } else {
        d.forEach(x -> diseases.add(x.asText()));
      }
      for (String x : diseases) {
        String prev = diseaseOwner.put(x, code);
        if (prev != null) {
          problems.add(where + ".diseases: '" + x + "' is already in cohort " + prev);
        }
      }
      for (Iterator<String> k = c.fieldNames(); k.hasNext(); ) {
        String key = k.next();
        if (!COHORT_KEYS.contains(key)) {
          problems.add(where + "." + key + ": unknown key (known: " + COHORT_KEYS + ")");
        }
      }
      JsonNode scoreNode = c.get("score");
      String score = null;
      if (scoreNode != null && !scoreNode.isNull()) {
        if (!scoreNode.isValueNode() || scoreNode.asText().isBlank()) {
          problems.add(
              where
                  + ".score: must be a disease_scores.test_code (QSTESTCD), not '"
                  + scoreNode
                  + "'");
        } else {
          score = scoreNode.asText().trim();
        }
      }
      JsonNode responder = c.get("responder");
      ResponderRule rule = null;
      if (responder != null && !responder.isNull()) {
        if (score == null && (scoreNode == null || scoreNode.isNull())) {
          problems.add(
              where
                  + ".score: missing; the responder rule judges the cohort's score"
                  + " (the disease_scores.test_code): give one, or leave out the responder rule");
        }
        rule = rule(where + ".responder", responder, problems);
      }
      // A rule without a score is a problem above; the definition keeps neither.
      out.put(code, new CohortDefinition(code, diseases, score, score == null ? null : rule));
    }
    return out;
  }

  private static ResponderRule rule(String where, JsonNode n, List<String> problems) {
    List<JsonNode> alts = new ArrayList<>();
    if (n.isObject() && n.has("any-of")) {
      n.get("any-of").forEach(alts::add);
      if (alts.isEmpty()) {
        problems.add(where + ".any-of: must list at least one alternative");
      }
    } else if (n.isObject() && !n.isEmpty()) {
      alts.add(n);
    } else {
      problems.add(
          where + ": missing; give conditions (" + CRITERIA + ") or any-of: [alternatives]");
      return null;
    }
    List<ResponderRule.Criterion> out = new ArrayList<>();
    int before = problems.size();
    for (int i = 0; i < alts.size(); i++) {
      JsonNode a = alts.get(i);
      String w = alts.size() == 1 && !n.has("any-of") ? where : where + ".any-of[" + i + "]";
      if (!a.isObject() || a.isEmpty()) {
        problems.add(w + ": must map conditions to numbers");
        continue;
      }
      for (Iterator<String> k = a.fieldNames(); k.hasNext(); ) {
        String key = k.next();
        if (!CRITERIA.contains(key)) {
          problems.add(
              w
                  + "."
                  + key
                  + ": unknown condition (one of "
                  + new java.util.TreeSet<>(CRITERIA)
                  + ")");
        } else if (!a.get(key).isNumber()) {
          problems.add(w + "." + key + ": '" + a.get(key).asText() + "' is not a number");
        }
      }
      if (problems.size() == before) {
        out.add(
            new ResponderRule.Criterion(
                num(a, "decrease-min"),
                num(a, "decrease-over"),
                num(a, "pct-decrease-min"),
                num(a, "value-max"),
                num(a, "value-below")));
      }
    }
    return problems.size() == before ? new ResponderRule(out) : null;
  }

  private static Double num(JsonNode n, String key) {
    return n.has(key) && n.get(key).isNumber() ? n.get(key).asDouble() : null;
  }

  private static FeatureSettings features(Path file, JsonNode n, List<String> problems) {
    Map<String, Map<String, List<String>>> medians = new LinkedHashMap<>();
    JsonNode m = n.path("medians");
    if (!m.isMissingNode() && !m.isObject()) {
      problems.add(file + ": medians: must map panel codes to {population: [columns]}");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Map<String, List<String>> pops = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> p = e.getValue().fields(); p.hasNext(); ) {
        Map.Entry<String, JsonNode> pe = p.next();
        List<String> cols = new ArrayList<>();
        if (!pe.getValue().isArray() || pe.getValue().isEmpty()) {
          problems.add(
              file + ": medians." + e.getKey() + "." + pe.getKey() + ": must list events columns");
        }
        pe.getValue().forEach(x -> cols.add(x.asText()));
        pops.put(pe.getKey(), List.copyOf(cols));
      }
      medians.put(e.getKey(), pops);
    }
    List<Ratio> ratios = new ArrayList<>();
    JsonNode r = n.path("ratios");
    for (int i = 0; i < r.size(); i++) {
      JsonNode x = r.get(i);
      String w = file + ": ratios[" + i + "]";
      Ratio ratio =
          new Ratio(
              x.path("name").asText(""),
              x.path("panel").asText(""),
              x.path("numerator").asText(""),
              x.path("denominator").asText(""));
      if (!CODE.matcher(ratio.name()).matches()) {
        problems.add(w + ".name: '" + ratio.name() + "' must be letters, digits and _");
      }
      if (ratio.panel().isBlank() || ratio.numerator().isBlank() || ratio.denominator().isBlank()) {
        problems.add(w + ": needs panel, numerator and denominator (population names)");
      }
      ratios.add(ratio);
    }
    AbsoluteCounts abs = null;
    JsonNode a = n.path("absolute-counts");
    if (a.isObject()) {
      abs =
          new AbsoluteCounts(
              a.path("lab-test").asText(""),
              a.path("population").asText(""),
              a.path("factor").asDouble(Double.NaN));
      if (abs.labTest().isBlank() || abs.population().isBlank() || !(abs.factor() > 0)) {
        problems.add(file + ": absolute-counts: needs lab-test, population and a factor > 0");
      }
    }
    String algorithm = n.path("clusters").path("algorithm").asText(null);
    Map<String, List<String>> clusterMedians = new LinkedHashMap<>();
    JsonNode cm = n.path("clusters").path("medians");
    if (!cm.isMissingNode() && !cm.isObject()) {
      problems.add(file + ": clusters.medians: must map panel codes to [columns]");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = cm.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      List<String> cols = new ArrayList<>();
      if (!e.getValue().isArray() || e.getValue().isEmpty()) {
        problems.add(file + ": clusters.medians." + e.getKey() + ": must list events columns");
      }
      e.getValue().forEach(x -> cols.add(x.asText()));
      clusterMedians.put(e.getKey(), List.copyOf(cols));
    }
    if (!clusterMedians.isEmpty() && algorithm == null) {
      problems.add(
          file + ": clusters.medians: needs clusters.algorithm (the metaclusters of which)");
    }
    return new FeatureSettings(medians, List.copyOf(ratios), abs, algorithm, clusterMedians);
  }
}
