package org.cytolake.jobs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.cytolake.config.ClusteringConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.lake.Lake;
import org.cytolake.scoring.ContingencyCounts.ClusterCount;
import org.cytolake.scoring.ContingencyCounts.Clustering;
import org.cytolake.scoring.ContingencyCounts.GateCount;
import org.cytolake.scoring.LabelLinks;
import org.cytolake.scoring.PopulationAccuracy;
import org.cytolake.scoring.ReferencePopulations;

/**
 * The frames of the evaluate job: the label CSV, its links to the lake's samples, every labelled
 * event's reference population, and the counts (reference population × metacluster or gated
 * population) that reach the driver; the rules are in {@code org.cytolake.scoring}.
 */
final class EvaluateFrames {
  private EvaluateFrames() {}

  /** The label CSV, {@code file,event_index,label} ({@link LabelLinks#checkHeader}). */
  static Dataset<Row> labels(SparkSession spark, String labels) {
    Dataset<Row> raw = spark.read().option("header", "true").csv(labels);
    LabelLinks.checkHeader(labels, Arrays.asList(raw.columns()));
    return raw;
  }

  /** The accepted entries of the restricted {@code ingest_ledger}. */
  static List<LabelLinks.LedgerEntry> ledger(SparkSession spark, Lake lake) {
    List<LabelLinks.LedgerEntry> ledger = new ArrayList<>();
    for (Row r :
        lake.read(spark, "ingest_ledger")
            .where("sample_id is not null")
            .select("path", "sample_id", "panel")
            .distinct()
            .collectAsList()) {
      ledger.add(new LabelLinks.LedgerEntry(r.getString(0), r.getString(1), r.getString(2)));
    }
    return ledger;
  }

  /** The distinct label files the label CSV names. */
  static List<String> files(Dataset<Row> raw) {
    return raw.select("file").distinct().collectAsList().stream().map(r -> r.getString(0)).toList();
  }

  /**
   * Every labelled event of a linked file with its reference population (panel, sample_id,
   * event_index, population), persisted; a label no reference population matches is left out.
   */
  static Dataset<Row> truth(
      SparkSession spark, ClusteringConfig clustering, Dataset<Row> labelled) {
    List<Row> vocabulary = new ArrayList<>();
    for (Row r : labelled.select("panel", "label").distinct().collectAsList()) {
      ReferencePopulations ref = clustering.referencePopulations(r.getString(0));
      String population = ref.populationOf(r.getString(1));
      if (population != null) {
        vocabulary.add(RowFactory.create(r.getString(0), r.getString(1), population));
      }
    }
    return labelled
        .join(
            functions.broadcast(
                spark.createDataFrame(
                    vocabulary,
                    new StructType()
                        .add("panel", DataTypes.StringType)
                        .add("label", DataTypes.StringType)
                        .add("population", DataTypes.StringType))),
            new String[] {"panel", "label"})
        .select("panel", "sample_id", "event_index", "population")
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /**
   * Every labelled event of a linked file with its label as written (panel, sample_id,
   * event_index, label), persisted.
   */
  static Dataset<Row> labelled(SparkSession spark, Dataset<Row> raw, List<LabelLinks.Link> links) {
    Dataset<Row> link =
        spark.createDataFrame(
            links.stream().map(l -> RowFactory.create(l.file(), l.sampleId(), l.panel())).toList(),
            new StructType()
                .add("file", DataTypes.StringType)
                .add("sample_id", DataTypes.StringType)
                .add("panel", DataTypes.StringType));
    Dataset<Row> labelled =
        raw.join(functions.broadcast(link), "file")
            .select(
                functions.col("panel"),
                functions.col("sample_id"),
                functions.col("event_index").cast(DataTypes.LongType).as("event_index"),
                functions.col("label"));
    return labelled.persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** The metacluster labels of the {@code clusters} table, per clustering (empty without it). */
  static Map<Clustering, Map<Integer, String>> clusterLabels(SparkSession spark, Lake lake) {
    Map<Clustering, Map<Integer, String>> labels = new HashMap<>();
    if (lake.exists(spark, "clusters")) {
      for (Row r :
          lake.read(spark, "clusters")
              .select("panel", "algorithm", "metacluster", "label")
              .collectAsList()) {
        labels
            .computeIfAbsent(new Clustering(r.getString(0), r.getString(1)), k -> new HashMap<>())
            .put(r.getInt(2), r.getString(3));
      }
    }
    return labels;
  }

  /**
   * Events per panel, algorithm, reference population and metacluster, joining {@code
   * cluster_events} on (sample_id, event_index).
   *
   * @param panel only this panel, or null for all
   */
  static List<ClusterCount> clusterCounts(
      SparkSession spark, Lake lake, Dataset<Row> truth, String panel) {
    Dataset<Row> events = lake.read(spark, "cluster_events");
    if (panel != null) {
      events = events.where(functions.col("panel").equalTo(panel));
    }
    return events
        .join(truth, new String[] {"panel", "sample_id", "event_index"})
        .groupBy("panel", "algorithm", "population", "metacluster")
        .count()
        .collectAsList()
        .stream()
        .map(
            r ->
                new ClusterCount(
                    r.getString(0), r.getString(1), r.getString(2), r.getInt(3), r.getLong(4)))
        .toList();
  }

  /**
   * Events per reference population and deepest gated population of a panel, gating every
   * sample again ({@link GatedEvents}).
   */
  static List<GateCount> gateCounts(
      SparkSession spark,
      Lake lake,
      PanelConfig panel,
      String strategy,
      boolean cleanOnly,
      Dataset<Row> truth) {
    return countJoined(
            GatedEvents.of(spark, lake, panel, strategy, cleanOnly),
            truth,
            panel,
            "population",
            "gated")
        .stream()
        .map(r -> new GateCount(r.getString(0), r.getString(1), r.getLong(2)))
        .toList();
  }

  /**
   * Events per {@code keys} (then the count) of a panel's gated events joined with its labelled
   * events on (sample_id, event_index); only the counts reach the driver.
   */
  private static List<Row> countJoined(
      Dataset<Row> gated, Dataset<Row> labels, PanelConfig panel, String... keys) {
    return gated
        .join(
            labels.where(functions.col("panel").equalTo(panel.code())),
            new String[] {"sample_id", "event_index"})
        .groupBy(keys[0], Arrays.copyOfRange(keys, 1, keys.length))
        .count()
        .collectAsList();
  }

  /**
   * Events per sample, gate membership and truth label of a panel, gating every sample again
   * ({@link GatedEvents#memberships}): the counts {@link PopulationAccuracy} scores.
   */
  static List<PopulationAccuracy.Cell> accuracyCells(
      SparkSession spark,
      Lake lake,
      PanelConfig panel,
      String strategy,
      boolean cleanOnly,
      Dataset<Row> labelled) {
    return countJoined(
            GatedEvents.memberships(spark, lake, panel, strategy, cleanOnly),
            labelled,
            panel,
            "sample_id",
            "membership",
            "label")
        .stream()
        .map(
            r ->
                new PopulationAccuracy.Cell(
                    r.getString(0),
                    BitSet.valueOf((byte[]) r.get(1)),
                    r.getString(2),
                    r.getLong(3)))
        .toList();
  }
}
