package org.cytolake.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.config.PanelConfig;
import org.cytolake.lake.Lake;
import org.cytolake.normalise.NormalisationModel;
import org.cytolake.tables.TableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes of the normalise job: normalised events (partition by partition through the
 * batches' splines), removed samples, a panel's table dropped, the versioned model rows and the
 * samples table with other panels' rows kept.
 */
final class NormaliseWrites {
  private static final Logger LOG = LoggerFactory.getLogger(NormaliseWrites.class);

  private NormaliseWrites() {}

  /** The model key each sample of a panel was last written with. */
  static Map<String, String> previousKeys(SparkSession spark, Lake lake, String panel) {
    Map<String, String> out = new HashMap<>();
    if (!lake.exists(spark, NormaliseFrames.SAMPLES)) {
      return out;
    }
    for (Row r :
        lake.read(spark, NormaliseFrames.SAMPLES)
            .where(
                functions.col("panel").equalTo(panel).and(functions.col("model_key").isNotNull()))
            .select("sample_id", "model_key")
            .collectAsList()) {
      out.put(r.getString(0), r.getString(1));
    }
    return out;
  }

  static void writeEvents(
      SparkSession spark,
      Lake lake,
      PanelConfig panel,
      NormalisationModel model,
      Map<String, String> batchOf) {
    if (batchOf.isEmpty()) {
      return;
    }
    TableSchema contract = TableSchema.normalisedEvents(lake.schemasDir(), panel);
    Dataset<Row> raw =
        lake.read(spark, panel.eventsTable())
            .where(functions.col("sample_id").isin(batchOf.keySet().toArray()));
    Column[] cols = contract.columnNames().stream().map(functions::col).toArray(Column[]::new);
    raw = raw.select(cols);
    int[] index = new int[model.columns().size()];
    for (int c = 0; c < index.length; c++) {
      index[c] = contract.columnNames().indexOf(model.columns().get(c));
    }
    Map<String, double[][][]> knots = new HashMap<>();
    new TreeSet<>(batchOf.values()).forEach(b -> knots.put(b, model.knots(b)));
    // the knots (batches x columns x 2 x quantiles) and the sample -> batch map go to each
    // executor once, not with every task
    var jsc = new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext());
    Dataset<Row> out =
        raw.mapPartitions(
            new NormalisePartition(
                contract.columnNames().indexOf("sample_id"),
                index,
                jsc.broadcast(new HashMap<>(batchOf)),
                jsc.broadcast(knots),
                model.clustering() == null ? null : jsc.broadcast(model.clustering())),
            Encoders.row(raw.schema()));
    lake.write(out, contract, SaveMode.Overwrite);
  }

  static void removeSamples(
      SparkSession spark,
      Lake lake,
      PanelConfig panel,
      Set<String> remove,
      Map<String, String> visits) {
    if (remove.isEmpty() || !lake.exists(spark, panel.normalisedEventsTable())) {
      return;
    }
    Map<String, String> where = new HashMap<>();
    for (Row r :
        lake.read(spark, panel.normalisedEventsTable())
            .where(functions.col("sample_id").isin(remove.toArray()))
            .select("sample_id", "visit")
            .distinct()
            .collectAsList()) {
      where.put(r.getString(0), r.getString(1));
    }
    List<String> partitions = new ArrayList<>();
    where.forEach((id, visit) -> partitions.add("visit=" + visit + "/sample_id=" + id));
    lake.deletePartitions(spark, panel.normalisedEventsTable(), partitions);
  }

  /** A panel no longer normalised reads its ingested values again: its table goes. */
  static void dropNormalised(SparkSession spark, Lake lake, PanelConfig panel) {
    if (!lake.exists(spark, panel.normalisedEventsTable())) {
      return;
    }
    List<String> partitions = new ArrayList<>();
    for (Row r :
        lake.read(spark, panel.normalisedEventsTable())
            .select("sample_id", "visit")
            .distinct()
            .collectAsList()) {
      partitions.add("visit=" + r.getString(1) + "/sample_id=" + r.getString(0));
    }
    lake.deletePartitions(spark, panel.normalisedEventsTable(), partitions);
    try {
      org.apache.hadoop.fs.Path p =
          new org.apache.hadoop.fs.Path(lake.table(panel.normalisedEventsTable()));
      p.getFileSystem(Lake.hadoopConf(spark)).delete(p, true);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(
          "Cannot remove table "
              + panel.normalisedEventsTable()
              + " of a panel no longer normalised",
          e);
    }
    LOG.warn(
        "normalise: panel {} is no longer in conf/normalisation.yaml: {} removed; gate and"
            + " cluster read {} again",
        panel.code(),
        panel.normalisedEventsTable(),
        panel.eventsTable());
  }

  /**
   * {@code normalisation_models}: every other panel's and version's rows as they were; of each
   * panel's version in use, the rows of batches kept as they were and new rows for the batches
   * (and, for a new version, the goal) computed now.
   */
  static void writeModels(
      SparkSession spark,
      Lake lake,
      JobRun run,
      Map<String, NormalisationModel> models,
      List<NormaliseJob.PanelResult> results) {
    TableSchema contract = lake.schema(NormaliseFrames.MODELS);
    List<Row> fresh = new ArrayList<>();
    Dataset<Row> old =
        lake.exists(spark, NormaliseFrames.MODELS)
            ? lake.read(spark, contract)
            : spark.createDataFrame(List.of(), contract.sparkSchema());
    Column keep = functions.lit(true);
    for (NormaliseJob.PanelResult p : results) {
      NormalisationModel m = models.get(p.panel());
      Set<String> now = new TreeSet<>(p.fitted());
      for (Row r : NormaliseFrames.modelRows(m, run)) {
        String batch = r.getString(3);
        if (p.newVersion() || now.contains(batch)) {
          fresh.add(r);
        }
      }
      Column thisVersion =
          functions
              .col("panel")
              .equalTo(p.panel())
              .and(functions.col("model_version").equalTo(m.version()));
      Set<String> kept = new TreeSet<>(m.batches().keySet());
      kept.removeAll(now);
      kept.add(org.cytolake.normalise.ModelRow.GOAL_BATCH);
      Column keepRow =
          p.newVersion() ? functions.lit(false) : functions.col("batch").isin(kept.toArray());
      keep = keep.and(functions.not(thisVersion).or(keepRow));
    }
    Dataset<Row> rows =
        old.where(keep)
            .select(contract.columnNames().stream().map(functions::col).toArray(Column[]::new))
            .unionByName(rowsFrame(spark, fresh, contract))
            .localCheckpoint();
    lake.write(rows, contract, SaveMode.Overwrite);
  }

  /**
   * Driver-side rows as a frame spread over tasks of about 20,000 rows each (a model of a few
   * hundred batches has 10^5 rows: one local relation would ship them all in one task).
   */
  static Dataset<Row> rowsFrame(SparkSession spark, List<Row> rows, TableSchema contract) {
    int slices = Math.max(1, rows.size() / 20_000 + 1);
    return spark.createDataFrame(
        new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
            .parallelize(rows, slices),
        contract.sparkSchema());
  }

  /** {@code normalisation_samples}: this run's rows plus other panels' rows as they were. */
  static List<Row> keepOtherPanels(
      SparkSession spark, Lake lake, List<Row> rows, Set<String> panels) {
    List<Row> out = new ArrayList<>(rows);
    if (lake.exists(spark, NormaliseFrames.SAMPLES)) {
      TableSchema contract = lake.schema(NormaliseFrames.SAMPLES);
      out.addAll(
          lake.read(spark, contract)
              .where(functions.not(functions.col("panel").isin(panels.toArray())))
              .select(contract.columnNames().stream().map(functions::col).toArray(Column[]::new))
              .collectAsList());
    }
    return out;
  }
}
