package org.cytolake.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.cytolake.clustering.ClusterModel;
import org.cytolake.clustering.MetaclusterCorrespondence;
import org.cytolake.clustering.MetaclusterSummary;
import org.cytolake.clustering.ModelPlan;
import org.cytolake.clustering.SampleAbundance;
import org.cytolake.config.ClusteringConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.lake.Lake;
import org.cytolake.som.Metaclustering;
import org.cytolake.som.PhenotypeRules;
import org.cytolake.tables.TableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cytolake cluster}: unsupervised clustering of every panel's events in the lake, on the panel's lineage
 * markers (conf/panels.yaml {@code lineage: true}; the lake holds them compensated and transformed). Per panel:
 *
 * <ol>
 *   <li>read {@code events_<panel>};
 *   <li>pick the training events ({@link ClusterFit#trainingSet}): all, or per sample the {@code samplePerFile}
 *       events with the smallest seeded hash of (sample_id, event_index), so a huge sample cannot dominate and the
 *       choice is deterministic;
 *   <li>fit ({@link ClusterFit}): {@code flowsom} (SOM + consensus metaclustering), or the MLlib baselines
 *       {@code kmeans} / {@code bisecting-kmeans} with k = metaclusters (each centre is its own node and
 *       metacluster);
 *   <li>apply to all events; count and median every marker per metacluster, label metaclusters by the
 *       phenotype rules of conf/clustering.yaml ({@link MetaclusterSummary}); count events per sample and
 *       metacluster, zeros included ({@link SampleAbundance}), and median every marker there; every median is
 *       exact, by the definition of {@code population_medians} ({@link GroupMedians}), so that two runs on the
 *       same input write the same bytes;
 *   <li>write {@code cluster_model}, {@code clusters}, {@code cluster_abundance}, {@code cluster_sample_medians}
 *       and {@code cluster_events} (every event's node and metacluster); the panel's rows of this algorithm are
 *       replaced (the tables are partitioned by panel and algorithm).
 * </ol>
 *
 * Parameters, rules and their defaults are those of conf/clustering.yaml ({@link ClusteringConfig}), with the
 * options' values in place. Deterministic for a seed.
 */
public final class ClusterJob {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterJob.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The algorithms. */
  public static final List<String> ALGORITHMS = List.of("flowsom", "kmeans", "bisecting-kmeans");

  private ClusterJob() {}

  /**
   * Options.
   *
   * @param lake lake root
   * @param conf the conf directory (panels.yaml, clustering.yaml)
   * @param schemas the schemas directory
   * @param algorithm one of {@link #ALGORITHMS}
   * @param samplePerFile training events per sample, 0 for all, or null for conf/clustering.yaml's
   *     {@code sample-per-file}
   * @param seed seed, or null for conf/clustering.yaml's
   * @param metaclusters metaclusters, 0 for the elbow rule of {@link Metaclustering} (flowsom only), or null for
   *     conf/clustering.yaml's
   * @param runId run id, or null
   * @param panel the one panel to cluster, or null for every panel
   * @param train train a new model version whatever the registry holds ({@code cluster --train})
   * @param activate pin this stored version as the active model before the run ({@code cluster --activate}), or
   *     null
   * @param remap samples whose events changed since they were mapped (the nightly run knows them): mapped again
   *     even when their rows are current; null or empty for none
   */
  public record Options(
      String lake,
      Path conf,
      Path schemas,
      String algorithm,
      Integer samplePerFile,
      Long seed,
      Integer metaclusters,
      String runId,
      String panel,
      boolean train,
      Integer activate,
      Set<String> remap) {

    /** Every panel, the registry's decision, nothing to re-map. */
    public Options(
        String lake,
        Path conf,
        Path schemas,
        String algorithm,
        Integer samplePerFile,
        Long seed,
        Integer metaclusters,
        String runId) {
      this(
          lake,
          conf,
          schemas,
          algorithm,
          samplePerFile,
          seed,
          metaclusters,
          runId,
          null,
          false,
          null,
          null);
    }

    public Options {
      remap = remap == null ? Set.of() : Set.copyOf(remap);
      List<String> problems = new ArrayList<>();
      if (train && activate != null) {
        problems.add("--train and --activate exclude each other");
      }
      if (activate != null && activate < 1) {
        problems.add("activate must be a version >= 1 but is " + activate);
      }
      if (!ALGORITHMS.contains(algorithm)) {
        problems.add("algorithm '" + algorithm + "' is not one of " + ALGORITHMS);
      }
      if (samplePerFile != null && samplePerFile < 0) {
        problems.add("sample-per-file must be >= 0 but is " + samplePerFile);
      }
      if (metaclusters != null && metaclusters != 0 && metaclusters < 2) {
        problems.add(
            "metaclusters must be >= 2, or 0 for the elbow rule (flowsom only), but is "
                + metaclusters);
      }
      if (metaclusters != null && metaclusters == 0 && !"flowsom".equals(algorithm)) {
        problems.add("metaclusters 0 (the elbow rule) needs algorithm flowsom, not " + algorithm);
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "Cannot configure cluster job: " + String.join("; ", problems));
      }
    }
  }

  /**
   * Per-panel outcome.
   *
   * @param action {@code train} or {@code map} ({@link ModelPlan.Action})
   * @param modelVersion the model version the panel's rows come from
   * @param previousVersion the version active before a training run, or null
   * @param reason why (the plan's line)
   * @param mappedSamples samples whose rows were (re)written this run
   * @param keptSamples samples whose rows were kept as they were
   * @param misfits samples mapped this run that the misfit rule flags, sorted
   * @param correspondence after a retraining, each new metacluster's nearest old one, else null
   * @param warnings what the nightly run repeats loudly
   */
  public record PanelResult(
      String panel,
      long events,
      long trainingEvents,
      int metaclusters,
      Map<String, Long> sizeByLabel,
      double fitSeconds,
      String action,
      int modelVersion,
      Integer previousVersion,
      String reason,
      int mappedSamples,
      int keptSamples,
      List<String> misfits,
      String correspondence,
      List<String> warnings) {
    public PanelResult {
      misfits = List.copyOf(misfits);
      warnings = List.copyOf(warnings);
    }
  }

  /** The outcome. */
  public record Result(
      String runId, String algorithm, long seed, List<PanelResult> panels, String summaryPath) {
    public Result {
      panels = List.copyOf(panels);
    }
  }

  /** Clusters the lake of {@code o}, loading the configuration; tests call this directly. */
  public static Result run(SparkSession spark, Options o) throws IOException {
    return run(RunContext.open(spark, o.lake(), o.conf(), o.schemas(), o.runId()), o);
  }

  /**
   * Clusters within a run, with {@code o}'s algorithm and overrides of conf/clustering.yaml (its
   * lake, configuration and run id are the context's).
   */
  public static Result run(RunContext ctx, Options o) throws IOException {
    SparkSession spark = ctx.spark();
    JobRun run = ctx.run();
    CytolakeConfig config = ctx.config();
    ClusteringConfig clustering =
        ctx.steps().clustering().withOverrides(o.samplePerFile(), o.seed(), o.metaclusters());
    long seed = clustering.seed();
    int samplePerFile = clustering.samplePerFile();
    Lake lake = ctx.lake();
    ClusterRegistry registry = new ClusterRegistry(spark, lake, ctx.lake().state(ctx.hadoopConf()));
    if (o.panel() != null && !config.panels().containsKey(o.panel())) {
      throw new IllegalArgumentException(
          "Cannot cluster panel '"
              + o.panel()
              + "': conf/panels.yaml declares "
              + config.panels().keySet());
    }
    List<PanelResult> results = new ArrayList<>();
    for (PanelConfig panel : config.panels().values()) {
      if (o.panel() != null && !o.panel().equals(panel.code())) {
        continue;
      }
      if (!lake.exists(spark, panel.eventsTable())) {
        LOG.info(
            "cluster: no table {} in the lake, panel {} skipped",
            panel.eventsTable(),
            panel.code());
        continue;
      }
      results.add(clusterPanel(ctx, o, clustering, registry, panel));
    }
    spark.sparkContext().setJobDescription(null);
    String summaryPath = writeSummary(ctx, o, seed, samplePerFile, results);
    return new Result(run.runId(), o.algorithm(), seed, results, summaryPath);
  }

  /**
   * The configuration a panel's model answers, as {@link ClusterModel#fingerprint} hashes it: the algorithm, the
   * lineage columns, every fitting parameter (grid, SOM schedule, metaclustering, sample-per-file, seed) and the
   * phenotype thresholds and rules of the panel (the labels are the model's).
   */
  static Map<String, String> fingerprinted(
      String algorithm, ClusteringConfig clustering, PanelConfig panel) {
    Map<String, String> c = new TreeMap<>();
    c.put("algorithm", algorithm);
    c.put("columns", String.join(",", panel.lineageColumns()));
    c.put("som", clustering.somParams().toString());
    c.put("metaclustering", clustering.metaclustering().toString());
    c.put("metaclusters", Integer.toString(clustering.metaclusters()));
    c.put("sample_per_file", Integer.toString(clustering.samplePerFile()));
    c.put("seed", Long.toString(clustering.seed()));
    c.put("phenotypes", clustering.phenotypeRules(panel.code()).toString());
    return c;
  }

  private static PanelResult clusterPanel(
      RunContext ctx,
      Options o,
      ClusteringConfig clustering,
      ClusterRegistry registry,
      PanelConfig panel)
      throws IOException {
    SparkSession spark = ctx.spark();
    JobRun run = ctx.run();
    Lake lake = ctx.lake();
    String code = panel.code();
    String algorithm = o.algorithm();
    long seed = clustering.seed();
    int samplePerFile = clustering.samplePerFile();
    List<String> lineage = panel.lineageColumns();
    List<String> markers = panel.columns();
    String fingerprint = ClusterModel.fingerprint(fingerprinted(algorithm, clustering, panel));
    List<String> warnings = new ArrayList<>();

    step(spark, run, 1, panel, "read " + panel.eventsTable() + "; plan against cluster_models");
    Dataset<Row> events =
        QcEvents.read(spark, lake, panel, QcEvents.cleanOnly(ctx.config().settings()))
            .persist(StorageLevel.MEMORY_AND_DISK());
    long n = events.count();
    List<String> samples =
        events.select("sample_id").distinct().collectAsList().stream()
            .map(r -> r.getString(0))
            .sorted()
            .toList();
    List<ClusterModel> versions = new ArrayList<>(registry.versions(code, algorithm));
    if (o.activate() != null) {
      registry.active(versions, Optional.of(o.activate()));
      registry.setPin(code, algorithm, o.activate());
    }
    Optional<Integer> pin = registry.pin(code, algorithm);
    Optional<ClusterModel> active = registry.active(versions, pin);
    ModelPlan plan;
    int next = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
    if (o.train()) {
      plan =
          new ModelPlan(
              ModelPlan.Action.TRAIN,
              next,
              Optional.empty(),
              samples,
              List.of(),
              "cluster --train: train version " + next);
    } else if (pin.isPresent()
        && !active.get().provenance().confFingerprint().equals(fingerprint)) {
      plan = ModelPlan.decide(active, active.get().provenance().confFingerprint(), samples);
      warnings.add(
          "cluster "
              + code
              + " "
              + algorithm
              + ": version "
              + pin.get()
              + " is pinned but was fitted under another configuration than tonight's; samples are"
              + " mapped onto it, not retrained (cluster --train retrains and unpins)");
    } else {
      plan = ModelPlan.decide(active, fingerprint, samples);
      if (plan.action() == ModelPlan.Action.TRAIN) {
        plan =
            new ModelPlan(
                plan.action(),
                next,
                plan.active(),
                plan.newSamples(),
                plan.missingTrainingSamples(),
                plan.reason().replace("version " + plan.version(), "version " + next));
      }
    }
    LOG.info("cluster {} {}: {}", code, algorithm, plan.reason());
    boolean train = plan.action() == ModelPlan.Action.TRAIN;
    Integer previous = active.map(ClusterModel::version).orElse(null);

    ClusterModel model;
    Dataset<Row> modelTable = null;
    long trainingEvents;
    double fitSeconds = 0;
    Set<String> kept = new TreeSet<>();
    if (train) {
      step(
          spark,
          run,
          2,
          panel,
          samplePerFile > 0
              ? "sample " + samplePerFile + " events per sample"
              : "take all events for training");
      Dataset<Row> training =
          ClusterFit.trainingSet(events, lineage, samplePerFile, seed)
              .persist(StorageLevel.MEMORY_AND_DISK());

      step(spark, run, 3, panel, "fit " + algorithm + " (version " + plan.version() + ")");
      long t0 = System.nanoTime();
      ClusterFit fit = ClusterFit.fit(algorithm, clustering, lineage, training);
      fitSeconds = (System.nanoTime() - t0) / 1e9;
      trainingEvents = fit.trainingEvents();
      fit.params().put("model_version", plan.version());
      modelTable = fit.modelTable(spark, code, algorithm, seed, run.runId());
      ClusterModel.Provenance provenance =
          new ClusterModel.Provenance(
              plan.version(),
              code,
              algorithm,
              parameters(fit.params()),
              seed,
              fingerprint,
              run.runId());
      List<String> unlabeled = Collections.nCopies(fit.metaclusters(), PhenotypeRules.UNLABELED);
      ClusterModel unsummarised =
          new ClusterModel(
              provenance,
              lineage,
              fit.codebook(),
              fit.nodeToMetacluster(),
              unlabeled,
              List.of(
                  new ClusterModel.TrainingSample(
                      "-", 0, 0, Collections.nCopies(fit.metaclusters(), Double.NaN))));
      List<String> labels =
          labels(
              spark,
              ClusterModelMapper.transform(events, unsummarised),
              markers,
              n,
              clustering.phenotypeRules(code),
              fit.metaclusters());
      List<ClusterModel.TrainingSample> trained =
          summaries(ClusterModelMapper.transform(training, unsummarised), fit.metaclusters())
              .values()
              .stream()
              .toList();
      training.unpersist(false);
      model =
          new ClusterModel(
              provenance, lineage, fit.codebook(), fit.nodeToMetacluster(), labels, trained);
      if (previous != null) {
        String correspondence = MetaclusterCorrespondence.of(active.get(), model).describe();
        warnings.add(
            "cluster "
                + code
                + " "
                + algorithm
                + ": RETRAINED, model version "
                + previous
                + " -> "
                + model.version()
                + " ("
                + plan.reason()
                + "); metacluster numbers and labels of earlier runs no longer apply; "
                + correspondence);
      }
    } else {
      model = plan.active().orElseThrow();
      trainingEvents =
          model.training().stream().mapToLong(ClusterModel.TrainingSample::events).sum();
      Set<String> current = mappedWith(spark, lake, code, algorithm, model.version());
      for (String s : samples) {
        if (current.contains(s) && !o.remap().contains(s)) {
          kept.add(s);
        }
      }
      Set<String> everMapped = mappedWith(spark, lake, code, algorithm, null);
      if (kept.size() == samples.size() && everMapped.equals(kept)) {
        events.unpersist(false);
        LOG.info(
            "cluster {} {}: every sample is mapped onto version {} already; nothing written",
            code,
            algorithm,
            model.version());
        return new PanelResult(
            code,
            n,
            trainingEvents,
            model.metaclusters(),
            Map.of(),
            0,
            "map",
            model.version(),
            null,
            plan.reason() + "; every sample is current",
            0,
            kept.size(),
            List.of(),
            null,
            warnings);
      }
      if (kept.isEmpty() && !everMapped.isEmpty()) {
        modelTable = modelTable(spark, model, run.runId());
      }
    }
    List<String> toMap = samples.stream().filter(s -> !kept.contains(s)).toList();

    step(
        spark,
        run,
        4,
        panel,
        "map all "
            + n
            + " events onto version "
            + model.version()
            + " ("
            + toMap.size()
            + " sample(s) written, "
            + kept.size()
            + " kept); medians, abundance and misfit");
    Dataset<Row> assigned =
        ClusterModelMapper.transform(events, model)
            .select(
                functions.col("sample_id"),
                functions.col("visit"),
                functions.col("event_index"),
                functions.col("node"),
                functions.col("metacluster"),
                functions.col("distance"),
                functions
                    .struct(markers.stream().map(functions::col).toArray(Column[]::new))
                    .as("m"))
            .persist(StorageLevel.MEMORY_AND_DISK());
    List<String> markerFields = markers.stream().map(c -> "m." + c).toList();
    List<MetaclusterSummary> summaries =
        metaclusterSummaries(assigned, markers, markerFields, n, model.labels());
    Dataset<Row> clustersTable = clustersTable(spark, summaries, code, algorithm, run.runId());
    Dataset<Row> keptIds =
        spark.createDataFrame(
            kept.stream().map(RowFactory::create).toList(),
            new StructType().add("sample_id", DataTypes.StringType, false));
    Dataset<Row> fresh =
        kept.isEmpty() ? assigned : assigned.join(keptIds, seq("sample_id"), "left_anti");
    Map<String, Map<Integer, Long>> counts = new TreeMap<>();
    for (Row r : fresh.groupBy("sample_id", "metacluster").count().collectAsList()) {
      counts.computeIfAbsent(r.getString(0), x -> new TreeMap<>()).put(r.getInt(1), r.getLong(2));
    }
    List<Row> abundanceRows =
        SampleAbundance.of(counts, summaries.stream().map(MetaclusterSummary::metacluster).toList())
            .stream()
            .map(a -> RowFactory.create(a.sampleId(), a.metacluster(), a.count(), a.pctOfSample()))
            .toList();
    Dataset<Row> abundance =
        withKeys(
            spark.createDataFrame(
                abundanceRows,
                new StructType()
                    .add("sample_id", DataTypes.StringType)
                    .add("metacluster", DataTypes.IntegerType)
                    .add("count", DataTypes.LongType)
                    .add("pct_of_sample", DataTypes.DoubleType)),
            code,
            algorithm,
            run.runId());
    Dataset<Row> sampleMedians =
        sampleMedians(
            spark,
            abundance,
            GroupMedians.of(fresh, List.of("sample_id", "metacluster"), markerFields),
            panel);
    double margin = clustering.misfitMargin();
    List<ClusterModel.Misfit> misfits = new ArrayList<>();
    Map<String, long[]> perMeta = new TreeMap<>();
    counts.forEach(
        (id, byMeta) -> {
          long[] c = new long[model.metaclusters()];
          byMeta.forEach((m, k) -> c[m] = k);
          perMeta.put(id, c);
        });
    for (ClusterModel.TrainingSample s : summaries(fresh, model.metaclusters()).values()) {
      misfits.add(model.misfit(s, perMeta.get(s.sampleId()), margin));
    }
    Dataset<Row> qc = qcTable(spark, misfits, model, margin, code, algorithm, run.runId());
    List<String> flagged =
        misfits.stream()
            .filter(ClusterModel.Misfit::flagged)
            .map(ClusterModel.Misfit::sampleId)
            .sorted()
            .toList();
    if (!flagged.isEmpty()) {
      warnings.add(
          "cluster_qc: "
              + flagged.size()
              + " misfit sample(s) in "
              + code
              + " "
              + algorithm
              + " (median distance beyond (1 + "
              + margin
              + ") x the training samples' largest, model version "
              + model.version()
              + "): "
              + flagged);
    }
    Map<String, Long> sizeByLabel = MetaclusterSummary.sizeByLabel(summaries);

    step(
        spark,
        run,
        5,
        panel,
        (train ? "write cluster_models, " : "write ")
            + "cluster_model, clusters, cluster_abundance, cluster_sample_medians, cluster_events,"
            + " cluster_qc");
    if (train) {
      List<ClusterModel> all = new ArrayList<>(versions);
      all.add(model);
      registry.write(all);
      if (pin.isPresent()) {
        registry.setPin(code, algorithm, null);
      }
    }
    if (modelTable != null) {
      lake.write(modelTable, lake.schema("cluster_model"), SaveMode.Overwrite);
    }
    lake.write(clustersTable, lake.schema("clusters"), SaveMode.Overwrite);
    Dataset<Row> eventRows = withKeys(fresh.drop("distance"), code, algorithm, run.runId());
    for (var t :
        List.of(
            Map.entry("cluster_abundance", abundance),
            Map.entry("cluster_sample_medians", sampleMedians),
            Map.entry("cluster_events", eventRows),
            Map.entry("cluster_qc", qc))) {
      TableSchema contract = lake.schema(t.getKey());
      lake.write(
          withKept(spark, lake, contract, t.getValue(), keptIds, kept, code, algorithm),
          contract,
          SaveMode.Overwrite);
    }
    assigned.unpersist(false);
    events.unpersist(false);
    LOG.info(
        "cluster {} {} v{}: {} events, {} metaclusters {}, {} sample(s) mapped, {} kept, {} misfit",
        code,
        algorithm,
        model.version(),
        n,
        summaries.size(),
        sizeByLabel,
        toMap.size(),
        kept.size(),
        flagged.size());
    warnings.forEach(w -> LOG.warn("{}", w));
    return new PanelResult(
        code,
        n,
        trainingEvents,
        summaries.size(),
        sizeByLabel,
        fitSeconds,
        train ? "train" : "map",
        model.version(),
        train ? previous : null,
        plan.reason(),
        toMap.size(),
        kept.size(),
        flagged,
        train && previous != null
            ? MetaclusterCorrespondence.of(active.get(), model).describe()
            : null,
        warnings);
  }

  /** The fit's parameters as the model keeps them: name → text (JSON text for arrays and numbers). */
  private static SortedMap<String, String> parameters(ObjectNode params) {
    SortedMap<String, String> out = new TreeMap<>();
    params
        .fields()
        .forEachRemaining(
            e ->
                out.put(
                    e.getKey(),
                    e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    return out;
  }

  /** The rows of {@code cluster_model} of a stored model (when the active version changes without a fit). */
  private static Dataset<Row> modelTable(SparkSession spark, ClusterModel model, String runId)
      throws IOException {
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    for (var e : model.provenance().parameters().entrySet()) {
      JsonNode v;
      try {
        v = JSON.readTree(e.getValue());
      } catch (IOException notJson) {
        v = null;
      }
      if (v == null || v.isMissingNode() || v.isTextual()) {
        params.put(e.getKey(), e.getValue());
      } else {
        params.set(e.getKey(), v);
      }
    }
    params.put("model_version", model.version());
    List<Row> rows = new ArrayList<>();
    double[][] codes = model.codebook();
    int[] meta = model.nodeToMetacluster();
    for (int j = 0; j < codes.length; j++) {
      rows.add(RowFactory.create(j, meta[j], ClusterFit.codebookJson(model.columns(), codes[j])));
    }
    return new ClusterFit(codes, meta, model.metaclusters(), rows, params, 0)
        .modelTable(
            spark,
            model.provenance().panel(),
            model.provenance().algorithm(),
            model.provenance().seed(),
            runId);
  }

  /**
   * The samples of {@code cluster_qc} for a panel and algorithm mapped onto {@code version} (null: onto any
   * version); none when the table does not exist.
   */
  private static Set<String> mappedWith(
      SparkSession spark, Lake lake, String panel, String algorithm, Integer version) {
    if (!lake.exists(spark, "cluster_qc")) {
      return Set.of();
    }
    Column where =
        functions.col("panel").equalTo(panel).and(functions.col("algorithm").equalTo(algorithm));
    if (version != null) {
      where = where.and(functions.col("model_version").equalTo(version));
    }
    Set<String> out = new TreeSet<>();
    lake.read(spark, "cluster_qc")
        .where(where)
        .select("sample_id")
        .collectAsList()
        .forEach(r -> out.add(r.getString(0)));
    return out;
  }

  /**
   * {@code fresh} (this run's rows) and, for the kept samples, the rows the table already holds for the panel and
   * algorithm, exactly as they are (their run_id included).
   */
  private static Dataset<Row> withKept(
      SparkSession spark,
      Lake lake,
      TableSchema contract,
      Dataset<Row> fresh,
      Dataset<Row> keptIds,
      Set<String> kept,
      String panel,
      String algorithm) {
    Column[] columns = contract.columnNames().stream().map(functions::col).toArray(Column[]::new);
    if (kept.isEmpty()) {
      return fresh;
    }
    Dataset<Row> old =
        lake.read(spark, contract.table())
            .where(
                functions
                    .col("panel")
                    .equalTo(panel)
                    .and(functions.col("algorithm").equalTo(algorithm)))
            .join(keptIds, seq("sample_id"), "left_semi");
    return fresh.select(columns).unionByName(old.select(columns));
  }

  /** Per sample, the median quantisation distance overall and per metacluster ({@link GroupMedians}). */
  private static Map<String, ClusterModel.TrainingSample> summaries(
      Dataset<Row> mapped, int metaclusters) {
    Map<String, long[]> events = new TreeMap<>();
    Map<String, Double> overall = new TreeMap<>();
    for (Row r :
        GroupMedians.of(mapped, List.of("sample_id"), List.of("distance")).collectAsList()) {
      overall.put(r.getString(0), r.getDouble(3));
      events.put(r.getString(0), new long[] {r.getLong(2)});
    }
    Map<String, List<Double>> perMeta = new TreeMap<>();
    for (Row r :
        GroupMedians.of(mapped, List.of("sample_id", "metacluster"), List.of("distance"))
            .collectAsList()) {
      perMeta
          .computeIfAbsent(
              r.getString(0), x -> new ArrayList<>(Collections.nCopies(metaclusters, Double.NaN)))
          .set(r.getInt(1), r.getDouble(4));
    }
    Map<String, ClusterModel.TrainingSample> out = new TreeMap<>();
    overall.forEach(
        (id, median) ->
            out.put(
                id,
                new ClusterModel.TrainingSample(
                    id,
                    events.get(id)[0],
                    median,
                    perMeta.getOrDefault(id, Collections.nCopies(metaclusters, Double.NaN)))));
    return out;
  }

  /** The label of every metacluster by the phenotype rules, from the medians of all events mapped. */
  private static List<String> labels(
      SparkSession spark,
      Dataset<Row> mapped,
      List<String> markers,
      long n,
      PhenotypeRules phenotypes,
      int metaclusters) {
    Dataset<Row> assigned =
        mapped.select(
            functions.col("metacluster"),
            functions.struct(markers.stream().map(functions::col).toArray(Column[]::new)).as("m"));
    List<String> markerFields = markers.stream().map(c -> "m." + c).toList();
    List<String> out = new ArrayList<>(Collections.nCopies(metaclusters, PhenotypeRules.UNLABELED));
    for (MetaclusterSummary s :
        metaclusterSummaries(assigned, markers, markerFields, n, null, phenotypes)) {
      out.set(s.metacluster(), s.label());
    }
    return out;
  }

  private static List<MetaclusterSummary> metaclusterSummaries(
      Dataset<Row> assigned,
      List<String> markers,
      List<String> markerFields,
      long n,
      List<String> labels) {
    return metaclusterSummaries(assigned, markers, markerFields, n, labels, null);
  }

  /**
   * Size and exact medians of every metacluster with events; labelled by {@code labels} (the model's) or, when null,
   * by {@code phenotypes}.
   */
  private static List<MetaclusterSummary> metaclusterSummaries(
      Dataset<Row> assigned,
      List<String> markers,
      List<String> markerFields,
      long n,
      List<String> labels,
      PhenotypeRules phenotypes) {
    Map<Integer, Map<String, Double>> mediansByMetacluster = new TreeMap<>();
    for (Row r : GroupMedians.of(assigned, List.of("metacluster"), markerFields).collectAsList()) {
      mediansByMetacluster
          .computeIfAbsent(r.getInt(0), x -> new TreeMap<>())
          .put(r.getString(1), r.getDouble(3));
    }
    List<MetaclusterSummary> summaries = new ArrayList<>();
    for (Row r : assigned.groupBy("metacluster").count().orderBy("metacluster").collectAsList()) {
      int metacluster = r.getInt(0);
      Map<String, Double> medians = new LinkedHashMap<>();
      for (String c : markers) {
        medians.put(c, mediansByMetacluster.get(metacluster).get(c));
      }
      MetaclusterSummary m =
          MetaclusterSummary.of(
              metacluster,
              r.getLong(1),
              medians,
              n,
              phenotypes != null ? phenotypes : new PhenotypeRules(0, 0, List.of()));
      if (labels != null) {
        m =
            new MetaclusterSummary(
                m.metacluster(), labels.get(metacluster), m.size(), m.pctOfPanel(), m.medians());
      }
      summaries.add(m);
    }
    return summaries;
  }

  private static Dataset<Row> clustersTable(
      SparkSession spark,
      List<MetaclusterSummary> summaries,
      String panel,
      String algorithm,
      String runId)
      throws IOException {
    List<Row> clusterRows = new ArrayList<>();
    for (MetaclusterSummary m : summaries) {
      ObjectNode mj = JsonNodeFactory.instance.objectNode();
      m.medians().forEach(mj::put);
      clusterRows.add(
          RowFactory.create(
              m.metacluster(), m.label(), m.size(), m.pctOfPanel(), JSON.writeValueAsString(mj)));
    }
    StructType clusterSchema =
        new StructType()
            .add("metacluster", DataTypes.IntegerType)
            .add("label", DataTypes.StringType)
            .add("size", DataTypes.LongType)
            .add("pct_of_panel", DataTypes.DoubleType)
            .add("marker_medians", DataTypes.StringType);
    return withKeys(spark.createDataFrame(clusterRows, clusterSchema), panel, algorithm, runId);
  }

  /** The rows of {@code cluster_qc}: one per sample tested. */
  private static Dataset<Row> qcTable(
      SparkSession spark,
      List<ClusterModel.Misfit> misfits,
      ClusterModel model,
      double margin,
      String panel,
      String algorithm,
      String runId)
      throws IOException {
    Set<String> training = new TreeSet<>(model.trainingSampleIds());
    List<Row> rows = new ArrayList<>();
    for (ClusterModel.Misfit m : misfits) {
      ArrayNode absorbed = JsonNodeFactory.instance.arrayNode();
      for (ClusterModel.Absorption a : m.absorbedBy()) {
        ObjectNode j = absorbed.addObject();
        j.put("metacluster", a.metacluster());
        j.put("label", a.label());
        j.put("events", a.events());
        j.put("median_distance", a.medianDistance());
        j.put("limit", a.limit());
      }
      rows.add(
          RowFactory.create(
              m.sampleId(),
              model.version(),
              training.contains(m.sampleId()),
              m.events(),
              m.medianDistance(),
              m.trainingMax(),
              margin,
              m.limit(),
              m.flagged(),
              JSON.writeValueAsString(absorbed)));
    }
    StructType schema =
        new StructType()
            .add("sample_id", DataTypes.StringType, false)
            .add("model_version", DataTypes.IntegerType, false)
            .add("training_sample", DataTypes.BooleanType, false)
            .add("events", DataTypes.LongType, false)
            .add("median_distance", DataTypes.DoubleType, false)
            .add("training_max", DataTypes.DoubleType, false)
            .add("misfit_margin", DataTypes.DoubleType, false)
            .add("misfit_limit", DataTypes.DoubleType, false)
            .add("misfit", DataTypes.BooleanType, false)
            .add("absorbed_by", DataTypes.StringType, false);
    return withKeys(spark.createDataFrame(rows, schema), panel, algorithm, runId);
  }

  private static Dataset<Row> withKeys(
      Dataset<Row> data, String panel, String algorithm, String runId) {
    return data.withColumn("panel", functions.lit(panel))
        .withColumn("algorithm", functions.lit(algorithm))
        .withColumn("run_id", functions.lit(runId));
  }

  private static scala.collection.immutable.Seq<String> seq(String... columns) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(columns)).toSeq();
  }

  /**
   * The rows of {@code cluster_sample_medians}: every row of {@code abundance} (sample × metacluster, zero counts
   * included) × every column of the panel, with its marker, the events and the exact median of the sample's events
   * in the metacluster ({@code medians}, from {@link GroupMedians}); null where the sample has no event there.
   */
  static Dataset<Row> sampleMedians(
      SparkSession spark, Dataset<Row> abundance, Dataset<Row> medians, PanelConfig panel) {
    List<Row> columns =
        panel.channels().stream().map(c -> RowFactory.create(c.column(), c.marker())).toList();
    Dataset<Row> markerOf =
        spark.createDataFrame(
            columns,
            new StructType()
                .add("column", DataTypes.StringType, false)
                .add("marker", DataTypes.StringType, true));
    return abundance
        .crossJoin(markerOf)
        .join(
            medians.drop("events"),
            scala.jdk.javaapi.CollectionConverters.asScala(
                    List.of("sample_id", "metacluster", "column"))
                .toSeq(),
            "left")
        .withColumn("events", functions.col("count"))
        .withColumn(
            "median", functions.when(functions.col("count").gt(0), functions.col("median")));
  }

  private static String writeSummary(
      RunContext ctx, Options o, long seed, int samplePerFile, List<PanelResult> results)
      throws IOException {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("job", "cluster");
    s.put("run_id", ctx.runId());
    s.put("algorithm", o.algorithm());
    s.put("seed", seed);
    s.put("sample_per_file", samplePerFile);
    s.set("panels", JSON.valueToTree(results));
    return ctx.writeRunSummary("cluster-" + o.algorithm(), s);
  }

  private static void step(SparkSession spark, JobRun run, int n, PanelConfig panel, String what) {
    String d = "cluster " + panel.code() + " " + n + "/5: " + what;
    spark.sparkContext().setJobDescription(d);
    LOG.info("{} [{}]", d, run.runId());
  }
}
