package org.cytolake.jobs;

import java.util.ArrayList;
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
   * @param assigned every event: sample_id, visit, event_index, node, metacluster, distance and the struct
   *     {@code m} of the panel's columns (persisted: {@link #release} unpersists it)
   * @param fresh the rows of the samples mapped this run (the kept ones left out)
   * @param keptIds the kept samples' ids, one column {@code sample_id}
   * @param summaries every metacluster with events, labelled by the model
   * @param counts sample → metacluster → events, of the samples mapped this run
   * @param misfits the misfit rule on the samples mapped this run
   * @param model the model mapped onto, labelled ({@link #map})
   */
  record Mapped(
      Dataset<Row> assigned,
      Dataset<Row> fresh,
      Dataset<Row> keptIds,
      List<MetaclusterSummary> summaries,
      Map<String, Map<Integer, Long>> counts,
      MisfitReport misfits,
      ClusterModel model) {
    void release() {
      assigned.unpersist(false);
    }
  }

  /**
   * Maps every event of {@code events} onto {@code model} and summarises the samples not {@code kept}.
   *
   * @param columns the panel's columns (all markers, not only the model's)
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
      long panelEvents,
      Set<String> kept,
      double margin,
      Optional<PhenotypeRules> labelBy) {
    Dataset<Row> assigned =
        ClusterModelMapper.transform(events, fitted)
            .select(
                functions.col("sample_id"),
                functions.col("visit"),
                functions.col("event_index"),
                functions.col("node"),
                functions.col("metacluster"),
                functions.col("distance"),
                withColumns(columns))
            .persist(StorageLevel.MEMORY_AND_DISK());
    List<MetaclusterSummary> unlabelled =
        summaries(assigned, columns, panelEvents, new PhenotypeRules(0, 0, List.of()));
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
    Dataset<Row> fresh =
        kept.isEmpty()
            ? assigned
            : assigned.join(keptIds, ClusterFrames.seq("sample_id"), "left_anti");
    Map<String, Map<Integer, Long>> counts = new TreeMap<>();
    for (Row r : fresh.groupBy("sample_id", "metacluster").count().collectAsList()) {
      counts.computeIfAbsent(r.getString(0), x -> new TreeMap<>()).put(r.getInt(1), r.getLong(2));
    }
    MisfitReport misfits =
        MisfitReport.of(model, distances(fresh, model.metaclusters()), counts, margin);
    return new Mapped(assigned, fresh, keptIds, summaries, counts, misfits, model);
  }

  /** The struct {@code m} of {@code columns}, whose fields {@link GroupMedians} takes as {@code m.<column>}. */
  static Column withColumns(List<String> columns) {
    return functions.struct(columns.stream().map(functions::col).toArray(Column[]::new)).as("m");
  }

  /**
   * Size and exact medians of every metacluster with events ({@link BinnedMedians}), labelled by {@code rules}.
   *
   * @param assigned rows with {@code metacluster} and the struct {@code m} of {@code columns}
   */
  static List<MetaclusterSummary> summaries(
      Dataset<Row> assigned, List<String> columns, long panelEvents, PhenotypeRules rules) {
    List<String> fields = columns.stream().map(c -> "m." + c).toList();
    Map<Integer, Map<String, Double>> medians = BinnedMedians.of(assigned, "metacluster", fields);
    SortedMap<Integer, Long> sizes = new TreeMap<>();
    for (Row r : assigned.groupBy("metacluster").count().orderBy("metacluster").collectAsList()) {
      sizes.put(r.getInt(0), r.getLong(1));
    }
    return MetaclusterSummary.of(sizes, medians, columns, panelEvents, rules);
  }

  /**
   * Per sample, the median quantisation distance overall and per metacluster ({@link SampleDistances}), by sample
   * id.
   *
   * @param mapped rows with {@code sample_id}, {@code metacluster} and {@code distance}
   */
  static List<ClusterModel.TrainingSample> distances(Dataset<Row> mapped, int metaclusters) {
    Map<String, Long> events = new TreeMap<>();
    Map<String, Double> overall = new TreeMap<>();
    Map<String, Map<Integer, Double>> perMeta = new TreeMap<>();
    for (Row r : SampleDistances.of(mapped).collectAsList()) {
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
