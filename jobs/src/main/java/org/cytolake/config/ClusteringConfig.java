package org.cytolake.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cytolake.clustering.ClusterModel;
import org.cytolake.clustering.TrainingSelection;
import org.cytolake.scoring.ReferencePopulations;
import org.cytolake.som.Metaclustering;
import org.cytolake.som.PhenotypeRule;
import org.cytolake.som.PhenotypeRules;
import org.cytolake.som.SomParams;

/**
 * {@code conf/clustering.yaml}, typed and validated: the parameters of {@code cytolake cluster}, the phenotype rules
 * that label its metaclusters and the reference populations {@code cytolake evaluate} scores against. Optional: an
 * absent file, or an absent key, takes the default below. Keys, under {@code clustering:}:
 *
 * <table>
 *   <caption>clustering.yaml</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code xdim}, {@code ydim}</td><td>10, 10</td><td>SOM grid (FlowSOM's default)</td></tr>
 *   <tr><td>{@code metaclusters}</td><td>15</td><td>k of the metaclustering (flowsom) or of k-means; 0: the elbow
 *       rule (flowsom only)</td></tr>
 *   <tr><td>{@code sample-per-file}</td><td>0</td><td>training events per sample (seeded choice); 0: every
 *       event</td></tr>
 *   <tr><td>{@code seed}</td><td>1</td><td>seed of the training-event choice, the SOM and the
 *       metaclustering</td></tr>
 *   <tr><td>{@code positive}, {@code high}</td><td>2.0, 3.5</td><td>phenotype thresholds, transformed units:
 *       {@code +}/{@code -} and {@code hi}/{@code lo}</td></tr>
 *   <tr><td>{@code rules}</td><td>none (every metacluster {@code unlabeled})</td><td>per panel, the
 *       {@link PhenotypeRule}s, first match names a metacluster</td></tr>
 *   <tr><td>{@code reference}</td><td>none (labels scored as they are)</td><td>per panel, population path prefix
 *       → reference population</td></tr>
 *   <tr><td>{@code misfit-margin}</td><td>0.25</td><td>a sample mapped onto a stored model is flagged a misfit
 *       when its median quantisation distance exceeds (1 + this) × the largest of a training sample's
 *       ({@link ClusterModel}); a finite number &gt;= 0</td></tr>
 *   <tr><td>{@code training}</td><td>baseline</td><td>the samples a new model version is trained on
 *       ({@link TrainingSelection}): {@code baseline} (the baseline visit's; every sample while there is
 *       none), {@code all}, {@code visit=V1,V2} or {@code sample=S1,S2}; {@code cluster --train --samples}
 *       overrides it for one run. Not part of the fingerprint: a change applies at the next
 *       training, it does not retrain by itself</td></tr>
 * </table>
 *
 * <p>These are the defaults of the lake's clustering; the SOM classes keep FlowSOM's own defaults, which agree but
 * for one: {@code som.Metaclustering}'s k defaults to 0 (the elbow rule), this file's {@code metaclusters} to 15
 * (and {@code cluster-fcs --metaclusters}, which reads no conf, to 10).
 *
 * <p>{@link #load} checks the whole file and reports every problem at once, each naming file and key: YAML that
 * does not parse, a number of the wrong kind, a negative {@code sample-per-file}, a rule without label or
 * phenotype, rules for a panel panels.yaml lacks, a phenotype token that names no column of its panel or has no
 * level, and a reference prefix or population that {@link ReferencePopulations#problem} rejects.
 *
 * @param file the file read (it need not exist)
 * @param rules panel → its rules, in order
 * @param reference panel → path prefix → reference population
 * @param misfitMargin the misfit margin ({@code misfit-margin})
 * @param training the training samples of a new model version ({@code training})
 */
public record ClusteringConfig(
    Path file,
    int xdim,
    int ydim,
    int metaclusters,
    int samplePerFile,
    long seed,
    double positive,
    double high,
    Map<String, List<PhenotypeRule>> rules,
    Map<String, Map<String, String>> reference,
    double misfitMargin,
    TrainingSelection training) {

  /** The file, in the conf directory. */
  public static final String FILE = "clustering.yaml";

  /** The top-level key holding every other. */
  public static final String ROOT = "clustering";

  public static final String XDIM = "xdim";
  public static final int XDIM_DEFAULT = 10;
  public static final String YDIM = "ydim";
  public static final int YDIM_DEFAULT = 10;
  public static final String METACLUSTERS = "metaclusters";
  public static final int METACLUSTERS_DEFAULT = 15;
  public static final String SAMPLE_PER_FILE = "sample-per-file";
  public static final int SAMPLE_PER_FILE_DEFAULT = 0;
  public static final String SEED = "seed";
  public static final long SEED_DEFAULT = 1;
  public static final String POSITIVE = "positive";
  public static final double POSITIVE_DEFAULT = 2.0;
  public static final String HIGH = "high";
  public static final double HIGH_DEFAULT = 3.5;
  public static final String RULES = "rules";
  public static final String REFERENCE = "reference";
  public static final String MISFIT_MARGIN = "misfit-margin";
  public static final double MISFIT_MARGIN_DEFAULT = ClusterModel.MISFIT_MARGIN_DEFAULT;
  public static final String TRAINING = "training";

  /** Every value but the misfit margin and the training samples, which take their defaults. */
  public ClusteringConfig(
      Path file,
      int xdim,
      int ydim,
      int metaclusters,
      int samplePerFile,
      long seed,
      double positive,
      double high,
      Map<String, List<PhenotypeRule>> rules,
      Map<String, Map<String, String>> reference) {
    this(
        file,
        xdim,
        ydim,
        metaclusters,
        samplePerFile,
        seed,
        positive,
        high,
        rules,
        reference,
        MISFIT_MARGIN_DEFAULT,
        TrainingSelection.BASELINE);
  }

  public ClusteringConfig {
    Map<String, List<PhenotypeRule>> r = new LinkedHashMap<>();
    rules.forEach((panel, list) -> r.put(panel, List.copyOf(list)));
    rules = Collections.unmodifiableMap(r);
    Map<String, Map<String, String>> ref = new LinkedHashMap<>();
    reference.forEach(
        (panel, prefixes) ->
            ref.put(panel, Collections.unmodifiableMap(new LinkedHashMap<>(prefixes))));
    reference = Collections.unmodifiableMap(ref);
  }

  /** Every default: what {@link #load} returns for a conf directory without the file. */
  public static ClusteringConfig defaults(Path file) {
    return new ClusteringConfig(
        file,
        XDIM_DEFAULT,
        YDIM_DEFAULT,
        METACLUSTERS_DEFAULT,
        SAMPLE_PER_FILE_DEFAULT,
        SEED_DEFAULT,
        POSITIVE_DEFAULT,
        HIGH_DEFAULT,
        Map.of(),
        Map.of());
  }

  /** The rules of a panel, in order; none when the file gives none. */
  public List<PhenotypeRule> rules(String panel) {
    return rules.getOrDefault(panel, List.of());
  }

  /** The reference prefixes of a panel (path prefix → population); empty when the file gives none. */
  public Map<String, String> reference(String panel) {
    return reference.getOrDefault(panel, Map.of());
  }

  /**
   * The SOM of the lake's clustering: this file's grid ({@code xdim}, {@code ydim}) and {@code seed}, FlowSOM's
   * defaults for the rest.
   */
  public SomParams somParams() {
    return SomParams.defaults().withGrid(xdim, ydim).withSeed(seed);
  }

  /**
   * The metaclustering of the lake's clustering: this file's {@code metaclusters} (0: the elbow rule) and
   * {@code seed}, FlowSOM's defaults for the rest.
   */
  public Metaclustering metaclustering() {
    return Metaclustering.defaults().withK(metaclusters).withSeed(seed);
  }

  /** The thresholds and the rules of {@code panel} (no rules: every cluster unlabeled). */
  public PhenotypeRules phenotypeRules(String panel) {
    return new PhenotypeRules(positive, high, rules(panel));
  }

  /** The reference populations of {@code panel}; the identity mapping when the file gives none. */
  public ReferencePopulations referencePopulations(String panel) {
    return new ReferencePopulations(reference(panel));
  }

  /**
   * This configuration with the values a command line gives in place of the file's; a null keeps the file's value.
   */
  public ClusteringConfig withOverrides(
      Integer newSamplePerFile, Long newSeed, Integer newMetaclusters) {
    return copy(
        newMetaclusters != null ? newMetaclusters : metaclusters,
        newSamplePerFile != null ? newSamplePerFile : samplePerFile,
        newSeed != null ? newSeed : seed,
        training);
  }

  /** This configuration with other training samples ({@code cluster --train --samples}). */
  public ClusteringConfig withTraining(TrainingSelection newTraining) {
    return copy(metaclusters, samplePerFile, seed, newTraining);
  }

  /** The one copy behind the {@code with*} methods: these four values replaced, the rest kept. */
  private ClusteringConfig copy(
      int newMetaclusters, int newSamplePerFile, long newSeed, TrainingSelection newTraining) {
    return new ClusteringConfig(
        file,
        xdim,
        ydim,
        newMetaclusters,
        newSamplePerFile,
        newSeed,
        positive,
        high,
        rules,
        reference,
        misfitMargin,
        newTraining);
  }

  /**
   * Reads and checks {@code clustering.yaml} of {@code config}'s directory (absent: {@link #defaults}); rules are
   * checked against {@code config}'s panels.
   *
   * @throws ConfigException listing every problem, each naming the file and key
   */
  public static ClusteringConfig load(CytolakeConfig config) {
    Path file = config.dir().resolve(FILE);
    List<String> problems = new ArrayList<>();
    JsonNode c = JsonNodeFactory.instance.objectNode();
    if (Files.exists(file)) {
      JsonNode root = CytolakeConfig.readMapping(file, problems);
      c = root == null ? c : root.path(ROOT);
    }
    String where = file + ": " + ROOT + ".";
    int xdim = (int) YamlValues.whole(c, XDIM, XDIM_DEFAULT, true, where, problems);
    int ydim = (int) YamlValues.whole(c, YDIM, YDIM_DEFAULT, true, where, problems);
    try {
      SomParams.defaults().withGrid(xdim, ydim);
    } catch (IllegalArgumentException e) {
      problems.add(where + XDIM + ", " + YDIM + ": " + e.getMessage());
    }
    int metaclusters =
        (int) YamlValues.whole(c, METACLUSTERS, METACLUSTERS_DEFAULT, true, where, problems);
    long seed = YamlValues.whole(c, SEED, SEED_DEFAULT, false, where, problems);
    double positive = YamlValues.number(c, POSITIVE, POSITIVE_DEFAULT, where, problems);
    double high = YamlValues.number(c, HIGH, HIGH_DEFAULT, where, problems);
    Map<String, List<PhenotypeRule>> rules = new LinkedHashMap<>();
    c.path(RULES)
        .fields()
        .forEachRemaining(
            e -> {
              String panelKey = where + RULES + "." + e.getKey();
              PanelConfig panel = config.panels().get(e.getKey());
              if (panel == null) {
                problems.add(
                    panelKey
                        + ": panel '"
                        + e.getKey()
                        + "' is not in panels.yaml "
                        + config.panels().keySet());
              }
              List<PhenotypeRule> list = new ArrayList<>();
              int i = 0;
              for (JsonNode r : e.getValue()) {
                String ruleKey = panelKey + "[" + i++ + "]";
                String label = r.path("label").asText();
                String phenotype = r.path("phenotype").asText();
                if (label.isBlank() || phenotype.isBlank()) {
                  problems.add(ruleKey + ": needs a label and a phenotype");
                  continue;
                }
                if (panel != null) {
                  try {
                    list.add(PhenotypeRule.parse(label, phenotype, panel.columns()));
                  } catch (IllegalArgumentException x) {
                    problems.add(ruleKey + ".phenotype: " + x.getMessage());
                  }
                }
              }
              rules.put(e.getKey(), list);
            });
    int samplePerFile =
        (int) YamlValues.whole(c, SAMPLE_PER_FILE, SAMPLE_PER_FILE_DEFAULT, true, where, problems);
    if (samplePerFile < 0) {
      problems.add(
          where
              + SAMPLE_PER_FILE
              + ": "
              + samplePerFile
              + " is negative (0: train on every event)");
    }
    Map<String, Map<String, String>> reference = new LinkedHashMap<>();
    c.path(REFERENCE)
        .fields()
        .forEachRemaining(
            p -> {
              String panelKey = where + REFERENCE + "." + p.getKey();
              if (!p.getValue().isObject()) {
                problems.add(
                    panelKey + ": must map population path prefixes to reference populations");
                return;
              }
              Map<String, String> prefixes = new LinkedHashMap<>();
              p.getValue()
                  .fields()
                  .forEachRemaining(
                      e ->
                          prefixes.put(
                              e.getKey(),
                              e.getValue().isValueNode() && !e.getValue().isNull()
                                  ? e.getValue().asText()
                                  : null));
              String problem = ReferencePopulations.problem(prefixes);
              if (problem != null) {
                problems.add(panelKey + ": " + problem);
              }
              reference.put(p.getKey(), prefixes);
            });
    double misfitMargin =
        YamlValues.number(c, MISFIT_MARGIN, MISFIT_MARGIN_DEFAULT, where, problems);
    if (!(misfitMargin >= 0) || Double.isInfinite(misfitMargin)) {
      problems.add(
          where
              + MISFIT_MARGIN
              + ": "
              + misfitMargin
              + " is not a finite number >= 0 (the share beyond the training samples' largest median"
              + " distance that still fits)");
    }
    TrainingSelection training = TrainingSelection.BASELINE;
    if (c.hasNonNull(TRAINING)) {
      try {
        training = TrainingSelection.parse(c.get(TRAINING).asText());
      } catch (IllegalArgumentException e) {
        problems.add(where + TRAINING + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new ClusteringConfig(
        file,
        xdim,
        ydim,
        metaclusters,
        samplePerFile,
        seed,
        positive,
        high,
        rules,
        reference,
        misfitMargin,
        training);
  }
}
