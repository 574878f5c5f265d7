package org.cytolake.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cytolake.normalise.BatchRule;
import org.cytolake.normalise.Goal;
import org.cytolake.normalise.LakeNormParams;
import org.cytolake.normalise.MissingControl;

/**
 * {@code conf/normalisation.yaml}: which panels the lake normalises between batches ({@code
 * cytolake normalise}, the nightly {@code normalise} step) and how. Optional: an absent file, or a
 * panel it does not name, is not normalised. Keys, under {@code normalisation.<panel>} (any other
 * key is a problem, so that a misspelt one cannot silently take its default):
 *
 * <table>
 *   <caption>normalisation.yaml</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code columns}</td><td>the panel's lineage columns</td><td>events columns normalised</td></tr>
 *   <tr><td>{@code quantiles}</td><td>99</td><td>quantiles per batch and column (k / (n + 1))</td></tr>
 *   <tr><td>{@code goal}</td><td>batch-mean</td><td>{@code batch-mean}, a batch's name, or {@code
 *       quantiles:FILE} (a {@link org.cytolake.normalise.GoalQuantiles} CSV, relative to the conf
 *       directory)</td></tr>
 *   <tr><td>{@code batches}</td><td>acquisition-date</td><td>{@code acquisition-date}, {@code
 *       setup-period} (with {@code setup-changes}) or {@code manifest}</td></tr>
 *   <tr><td>{@code setup-changes}</td><td>none</td><td>ISO dates, the first day of each new setup</td></tr>
 *   <tr><td>{@code missing-control}</td><td>quarantine</td><td>{@code quarantine} or {@code pooled}</td></tr>
 *   <tr><td>{@code pooled-events-per-sample}</td><td>20000</td><td>events of each sample in a pool</td></tr>
 *   <tr><td>{@code min-control-events}</td><td>1000</td><td>a batch's controls need this many events</td></tr>
 *   <tr><td>{@code confounders}</td><td>[visit]</td><td>sample attributes a pooled batch must vary in</td></tr>
 *   <tr><td>{@code clusters}</td><td>1</td><td>per-cluster models (CytoNorm's FlowSOM clusters)
 *       from a 10 × 10 SOM on the training controls; 1: none</td></tr>
 *   <tr><td>{@code min-cluster-events}</td><td>50</td><td>a batch's controls need this many events
 *       in a cluster for its splines there</td></tr>
 *   <tr><td>{@code som-events-per-batch}</td><td>5000</td><td>events of each batch's controls the
 *       SOM is trained on</td></tr>
 *   <tr><td>{@code seed}</td><td>1</td><td>the SOM's and the metaclustering's seed</td></tr>
 *   <tr><td>{@code reference-population}</td><td>none</td><td>a population of the panel's strategy
 *       (e.g. {@code live}) whose events give the quantiles; its gates must not use a normalised
 *       column (checked by the job against conf/gating)</td></tr>
 * </table>
 *
 * @param file the file read (it need not exist)
 * @param panels panel code → its parameters, for the panels normalised
 */
public record NormalisationConfig(Path file, Map<String, LakeNormParams> panels) {
  public static final String FILE = "normalisation.yaml";
  public static final String ROOT = "normalisation";

  /** The sample attributes a confounder may name. */
  public static final List<String> ATTRIBUTES = List.of("visit");

  /** The keys of a panel's normalisation. */
  public static final List<String> KEYS =
      List.of(
          "columns",
          "quantiles",
          "goal",
          "batches",
          "setup-changes",
          "missing-control",
          "pooled-events-per-sample",
          "min-control-events",
          "confounders",
          "clusters",
          "min-cluster-events",
          "som-events-per-batch",
          "seed",
          "reference-population");

  public NormalisationConfig {
    panels = Collections.unmodifiableMap(new LinkedHashMap<>(panels));
  }

  /** The parameters of a panel, or null when it is not normalised. */
  public LakeNormParams panel(String code) {
    return panels.get(code);
  }

  /**
   * Reads and checks {@code normalisation.yaml} of {@code config}'s directory against its panels.
   *
   * @throws ConfigException listing every problem, each naming the file and key
   */
  public static NormalisationConfig load(CytolakeConfig config) {
    Path file = config.dir().resolve(FILE);
    List<String> problems = new ArrayList<>();
    Map<String, LakeNormParams> out = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return new NormalisationConfig(file, out);
    }
    JsonNode root = CytolakeConfig.readMapping(file, problems);
    JsonNode all = root == null ? null : root.path(ROOT);
    if (all != null && !all.isMissingNode() && !all.isNull() && !all.isObject()) {
      problems.add(file + ": " + ROOT + ": must map panel codes to their normalisation");
    }
    if (all != null && all.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String where = file + ": " + ROOT + "." + e.getKey() + ".";
        PanelConfig panel = config.panels().get(e.getKey());
        if (panel == null) {
          problems.add(
              where.substring(0, where.length() - 1)
                  + ": panel '"
                  + e.getKey()
                  + "' is not in panels.yaml "
                  + config.panels().keySet());
          continue;
        }
        LakeNormParams p = panelParams(panel, e.getValue(), config.dir(), where, problems);
        if (p != null) {
          out.put(panel.code(), p);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new NormalisationConfig(file, out);
  }

  private static LakeNormParams panelParams(
      PanelConfig panel, JsonNode c, Path confDir, String where, List<String> problems) {
    int before = problems.size();
    if (!c.isNull() && !c.isObject()) {
      problems.add(where.substring(0, where.length() - 1) + ": must map keys to values");
      return null;
    }
    for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        problems.add(where + k + ": unknown key (known: " + KEYS + ")");
      }
    }
    List<String> columns = strings(c, "columns", panel.lineageColumns(), where, problems);
    for (String col : columns) {
      if (!panel.columns().contains(col)) {
        problems.add(
            where
                + "columns: '"
                + col
                + "' is not a column of panel "
                + panel.code()
                + " "
                + panel.columns());
      }
    }
    int quantiles =
        (int)
            YamlValues.whole(
                c, "quantiles", LakeNormParams.QUANTILES_DEFAULT, true, where, problems);
    String goalText = c.path("goal").asText(Goal.BATCH_MEAN);
    Goal goal = new Goal.BatchMean();
    try {
      goal = Goal.parse(goalText, confDir);
    } catch (IllegalArgumentException x) {
      problems.add(
          where
              + "goal: '"
              + goalText
              + "' is not batch-mean, a batch's name or quantiles:FILE ("
              + x.getMessage()
              + ")");
    }
    String kindText = c.path("batches").asText(BatchRule.Kind.ACQUISITION_DATE.text());
    BatchRule.Kind kind = BatchRule.Kind.parse(kindText);
    if (kind == null) {
      problems.add(
          where + "batches: '" + kindText + "' is not acquisition-date, setup-period or manifest");
      kind = BatchRule.Kind.ACQUISITION_DATE;
    }
    List<LocalDate> changes = new ArrayList<>();
    for (String d : strings(c, "setup-changes", List.of(), where, problems)) {
      try {
        changes.add(LocalDate.parse(d));
      } catch (DateTimeParseException x) {
        problems.add(where + "setup-changes: '" + d + "' is not an ISO date (yyyy-MM-dd)");
      }
    }
    if (kind == BatchRule.Kind.SETUP_PERIOD && changes.isEmpty()) {
      problems.add(where + "setup-changes: batches: setup-period needs at least one date");
    }
    BatchRule rule = null;
    try {
      rule = new BatchRule(kind, changes);
    } catch (IllegalArgumentException x) {
      problems.add(where + "setup-changes: " + x.getMessage());
    }
    String missingText = c.path("missing-control").asText(MissingControl.QUARANTINE.text());
    MissingControl missing = MissingControl.parse(missingText);
    if (missing == null) {
      problems.add(where + "missing-control: '" + missingText + "' is not quarantine or pooled");
      missing = MissingControl.QUARANTINE;
    }
    int pooled =
        (int)
            YamlValues.whole(
                c,
                "pooled-events-per-sample",
                LakeNormParams.POOLED_EVENTS_PER_SAMPLE_DEFAULT,
                true,
                where,
                problems);
    int minControl =
        (int)
            YamlValues.whole(
                c,
                "min-control-events",
                LakeNormParams.MIN_CONTROL_EVENTS_DEFAULT,
                true,
                where,
                problems);
    List<String> confounders =
        strings(c, "confounders", LakeNormParams.CONFOUNDERS_DEFAULT, where, problems);
    for (String k : confounders) {
      if (!ATTRIBUTES.contains(k)) {
        problems.add(where + "confounders: '" + k + "' is not one of " + ATTRIBUTES);
      }
    }
    int clusters = (int) YamlValues.whole(c, "clusters", 1, true, where, problems);
    int minCluster =
        (int)
            YamlValues.whole(
                c,
                "min-cluster-events",
                org.cytolake.normalise.ClusterNormParams.MIN_EVENTS_DEFAULT,
                true,
                where,
                problems);
    int somEvents =
        (int)
            YamlValues.whole(
                c,
                "som-events-per-batch",
                LakeNormParams.SOM_EVENTS_PER_BATCH_DEFAULT,
                true,
                where,
                problems);
    long seed =
        YamlValues.whole(
            c, "seed", org.cytolake.som.SomParams.SEED_DEFAULT, false, where, problems);
    org.cytolake.normalise.ClusterNormParams clustering = null;
    if (clusters < 1) {
      problems.add(where + "clusters: must be at least 1 (1: no clustering), not " + clusters);
    } else if (clusters > 1) {
      try {
        clustering =
            new org.cytolake.normalise.ClusterNormParams(
                clusters, org.cytolake.som.SomParams.defaults().withSeed(seed), minCluster);
      } catch (IllegalArgumentException x) {
        problems.add(where + "clusters: " + x.getMessage());
      }
    }
    LakeNormParams p = null;
    try { // also when a value above was bad, so that the parameters' own problems are reported too
      p =
          LakeNormParams.builder(columns)
              .quantiles(quantiles)
              .goal(goal)
              .batches(rule != null ? rule : new BatchRule(kind, List.of()))
              .missingControl(missing)
              .pooledEventsPerSample(pooled)
              .minControlEvents(minControl)
              .confounders(confounders)
              .clustering(clustering)
              .somEventsPerBatch(somEvents)
              .referencePopulation(
                  c.hasNonNull("reference-population")
                      ? c.get("reference-population").asText().trim()
                      : null)
              .build();
    } catch (IllegalArgumentException x) {
      problems.add(where.substring(0, where.length() - 1) + ": " + x.getMessage());
    }
    return problems.size() > before ? null : p;
  }

  /** A list of strings, or {@code dflt} when absent. */
  private static List<String> strings(
      JsonNode c, String key, List<String> dflt, String where, List<String> problems) {
    JsonNode v = c.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isArray()) {
      problems.add(where + key + ": must be a list");
      return dflt;
    }
    List<String> out = new ArrayList<>();
    v.forEach(x -> out.add(x.asText()));
    return out;
  }
}
