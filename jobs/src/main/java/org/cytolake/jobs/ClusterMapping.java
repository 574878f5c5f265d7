package org.cytolake.jobs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.cytolake.clustering.ClusterModel;
import org.cytolake.clustering.MappingPlan;
import org.cytolake.clustering.MetaclusterSummary;
import org.cytolake.clustering.MisfitReport;
import org.cytolake.lake.Lake;
import org.cytolake.som.PhenotypeRules;

/**
 * Step 4 of {@link ClusterJob}: maps a panel's events onto its model ({@link ClusterModelMapper}) and computes in
 * Spark what the cores summarise: the size and exact marker medians of every metacluster
 * ({@link MetaclusterSummary}), each sample's events per metacluster, and each sample's median quantisation
 * distance overall and per metacluster, which the model's misfit rule tests ({@link MisfitReport}). Also which
 * samples the tables hold as mapped onto a version ({@link #mappedWith}), for the {@link MappingPlan}.
 */
final class ClusterMapping {
  private ClusterMapping() {}

  /**
   * A panel's events mapped onto its model.
   *
   * @param events the mapped events, cached ({@link #release} unpersists them)
   * @param sampleMedians the rows of {@link SampleGroupMedians} by sample and metacluster, of the samples mapped
   *     this run (the kept ones left out)
   * @param eventRows sample_id, visit, event_index, node and metacluster of every event of the samples mapped this
   *     run
   * @param keptIds the kept samples' ids, one column {@code sample_id}
   * @param summaries every metacluster with events, labelled by the model
   * @param counts sample → metacluster → events, of the samples mapped this run
   * @param misfits the misfit rule on the samples mapped this run
   * @param model the model mapped onto, labelled ({@link #map})
   */
  record Mapped(
      MappedEvents events,
      JavaRDD<MappedEvents.SampleStats> stats,
      Dataset<Row> sampleMedians,
      Dataset<Row> eventRows,
      Dataset<Row> keptIds,
      List<MetaclusterSummary> summaries,
      Map<String, Map<Integer, Long>> counts,
      MisfitReport misfits,
      ClusterModel model) {
    void release() {
      stats.unpersist(false);
      events.release();
    }
  }

  /**
   * Maps every event of {@code events} onto {@code model} and summarises the samples not {@code kept}: one mapping
   * scan into cached blocks ({@link MappedEvents}), then scans of the blocks. A sample whose events lie in several
   * partitions, and a metacluster whose middle values are too many to select, are left to the shuffling classes
   * ({@link SampleDistances}, {@link SampleGroupMedians}, {@link GroupMedians}), which give the same values.
   *
   * @param columns the panel's columns (all markers, not only the model's)
   * @param visitOf every sample of {@code events} → its visit
   * @param panelEvents the events of {@code events}
   * @param labelBy for a model just fitted (every sample mapped, none kept): the phenotype rules that label its
   *     metaclusters from the medians of all the panel's events mapped onto it, which this mapping computes anyway;
   *     empty for a stored model, which keeps its labels
   */
  static Mapped map(
      SparkSession spark,
      Dataset<Row> events,
      ClusterModel fitted,
      List<String> columns,
      Map<String, String> visitOf,
      long panelEvents,
      Set<String> kept,
      double margin,
      Optional<PhenotypeRules> labelBy) {
    MappedEvents mapped = MappedEvents.map(events, fitted, visitOf, columns);
    MappedEvents.Tally tally = mapped.tally();
    List<String> ids = mapped.sampleIds();
    boolean[] fresh = new boolean[ids.size()];
    boolean[] freshSplit = new boolean[ids.size()];
    Set<Integer> split = MappedEvents.split(tally.partition);
    for (int s = 0; s < ids.size(); s++) {
      fresh[s] = !kept.contains(ids.get(s));
      freshSplit[s] = fresh[s] && split.contains(s);
    }
    SortedMap<Integer, Long> sizes = new TreeMap<>();
    for (int m = 0; m < tally.sizes.length; m++) {
      if (tally.sizes[m] > 0) {
        sizes.put(m, tally.sizes[m]);
      }
    }
    Map<Integer, Map<String, Double>> medians =
        metaclusterMedians(spark, mapped, tally, columns, BinnedMedians.MAX_SELECTED);
    List<String> fields = columns.stream().map(c -> "m." + c).toList();
    List<MetaclusterSummary> unlabelled =
        MetaclusterSummary.of(
            sizes, medians, columns, panelEvents, new PhenotypeRules(0, 0, List.of()));
    ClusterModel model =
        labelBy
            .map(
                rules ->
                    fitted.withLabels(
                        MetaclusterSummary.labels(
                            MetaclusterSummary.labelledBy(unlabelled, rules),
                            fitted.metaclusters())))
            .orElse(fitted);
    List<MetaclusterSummary> summaries = MetaclusterSummary.relabelled(unlabelled, model.labels());
    Dataset<Row> keptIds =
        spark.createDataFrame(
            kept.stream().map(RowFactory::create).toList(),
            new StructType().add("sample_id", DataTypes.StringType, false));
    Map<String, Map<Integer, Long>> counts = new TreeMap<>();
    for (int s = 0; s < ids.size(); s++) {
      for (int m = 0; fresh[s] && m < tally.metaclusters; m++) {
        long c = tally.count(s, m);
        if (c > 0) {
          counts.computeIfAbsent(ids.get(s), x -> new TreeMap<>()).put(m, c);
        }
      }
    }
    JavaRDD<MappedEvents.SampleStats> stats =
        mapped.sampleStats(fresh, tally.partition).persist(StorageLevel.MEMORY_AND_DISK());
    List<Row> distanceRows = new ArrayList<>();
    for (MappedEvents.SampleStats st : stats.collect()) {
      SampleDistances.rows(ids.get(st.sample()), st, distanceRows);
    }
    Dataset<Row> sampleMedians = MappedEvents.sampleMedianRows(spark, stats, ids, columns);
    if (split.stream().anyMatch(s -> fresh[s])) {
      Dataset<Row> rest = mapped.frame(spark, freshSplit, true);
      distanceRows.addAll(SampleDistances.of(rest).collectAsList());
      sampleMedians =
          sampleMedians.unionByName(
              SampleGroupMedians.of(rest, List.of("sample_id", "metacluster"), fields));
    }
    MisfitReport misfits =
        MisfitReport.of(model, distances(distanceRows, model.metaclusters()), counts, margin);
    Dataset<Row> eventRows = mapped.frame(spark, fresh, false).drop("distance");
    return new Mapped(
        mapped, stats, sampleMedians, eventRows, keptIds, summaries, counts, misfits, model);
  }

  /**
   * The exact median of every column per metacluster of {@code mapped}, all samples: {@link BinnedMedians}' two scans
   * on the blocks, a metacluster whose middle bins hold more than {@code maxSelected} values by {@link GroupMedians}.
   */
  static Map<Integer, Map<String, Double>> metaclusterMedians(
      SparkSession spark,
      MappedEvents mapped,
      MappedEvents.Tally tally,
      List<String> columns,
      long maxSelected) {
    BinnedMedians.Plan plan = BinnedMedians.Plan.of(BinnedMedians.bins(tally.bins), maxSelected);
    Map<Integer, Map<String, Double>> medians = new TreeMap<>();
    if (!plan.middles().isEmpty()) {
      BinnedMedians.Selection selection = plan.selection();
      mapped.select(plan.wanted(), selection);
      medians.putAll(selection.medians(columns));
    }
    if (!plan.fallback().isEmpty()) {
      boolean[] every = new boolean[mapped.sampleIds().size()];
      Arrays.fill(every, true);
      BinnedMedians.fallback(
          mapped.frame(spark, every, true),
          "metacluster",
          columns.stream().map(c -> "m." + c).toList(),
          plan.fallback(),
          medians);
    }
    return medians;
  }

  /**
   * Per sample, the median quantisation distance overall and per metacluster ({@link SampleDistances}), by sample
   * id.
   *
   * @param mapped rows with {@code sample_id}, {@code metacluster} and {@code distance}
   */
  static List<ClusterModel.TrainingSample> distances(Dataset<Row> mapped, int metaclusters) {
    return distances(SampleDistances.of(mapped).collectAsList(), metaclusters);
  }

  /** {@link #distances(Dataset, int)} from the rows of {@link SampleDistances}. */
  static List<ClusterModel.TrainingSample> distances(List<Row> rows, int metaclusters) {
    Map<String, Long> events = new TreeMap<>();
    Map<String, Double> overall = new TreeMap<>();
    Map<String, Map<Integer, Double>> perMeta = new TreeMap<>();
    for (Row r : rows) {
      if (r.isNullAt(1)) {
        overall.put(r.getString(0), r.getDouble(3));
        events.put(r.getString(0), r.getLong(2));
      } else {
        perMeta
            .computeIfAbsent(r.getString(0), x -> new TreeMap<>())
            .put(r.getInt(1), r.getDouble(3));
      }
    }
    List<ClusterModel.TrainingSample> out = new ArrayList<>();
    overall.forEach(
        (id, median) ->
            out.add(
                ClusterModel.TrainingSample.of(
                    id, events.get(id), median, perMeta.getOrDefault(id, Map.of()), metaclusters)));
    return out;
  }

  /**
   * The samples of {@code cluster_qc} for a panel and algorithm mapped onto {@code version} (null: onto any
   * version); none when the table does not exist.
   */
  static Set<String> mappedWith(
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
}
