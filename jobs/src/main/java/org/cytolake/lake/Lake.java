package org.cytolake.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.tables.TableSchema;

/**
 * A lake root (any Hadoop path) and everything that lives under it: the tables and the one way
 * jobs write them (only the contract's columns, in its order and types, partitioned as it says,
 * as Parquet, published atomically by the {@link TablePublisher}), the run summaries
 * ({@code _runs/<run id>/<job>.json}), the HTML reports ({@code _reports/<run id>/index.html}),
 * the steps' incremental state ({@link LakeState}) and the lock of the nightly run
 * ({@link LakeLock}). No other class builds a path below the root.
 */
public final class Lake {
  private final String root;
  private final Path schemasDir;
  private final boolean acceptNonAtomicRename;

  /** A lake that refuses to publish to a file system without atomic rename. */
  public Lake(String root, Path schemasDir) {
    this(root, schemasDir, false);
  }

  /**
   * A lake.
   *
   * @param acceptNonAtomicRename publish even where renames are not atomic
   *     ({@code lake.accept-non-atomic-rename}; see {@link TablePublisher})
   */
  public Lake(String root, Path schemasDir, boolean acceptNonAtomicRename) {
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    this.schemasDir = schemasDir;
    this.acceptNonAtomicRename = acceptNonAtomicRename;
  }

  /** A lake with the settings of {@code conf/cytolake.yaml}. */
  public static Lake of(String root, Path schemasDir, org.cytolake.config.Settings settings) {
    return new Lake(
        root,
        schemasDir,
        settings.getBoolean(org.cytolake.config.Settings.LAKE_ACCEPT_NON_ATOMIC_RENAME));
  }

  public String root() {
    return root;
  }

  public Path schemasDir() {
    return schemasDir;
  }

  /** Directory of one run's summaries: {@code <lake>/_runs/<run id>}. */
  public String runDir(String runId) {
    return root + "/" + RUNS + "/" + runId;
  }

  /** A job's run summary: {@code <lake>/_runs/<run id>/<job>.json}. */
  public String runSummary(String runId, String job) {
    return runDir(runId) + "/" + job + ".json";
  }

  /** The HTML report of a run: {@code <lake>/_reports/<run id>/index.html}. */
  public String reportPage(String runId) {
    return root + "/" + REPORTS + "/" + runId + "/index.html";
  }

  /**
   * Writes a job's result as its run summary ({@link #runSummary}): indented JSON, record
   * components in snake_case (a JSON tree or a map is written as it is).
   *
   * @return the summary's path
   */
  public String writeRunSummary(Configuration conf, String runId, String job, Object result)
      throws IOException {
    String path = runSummary(runId, job);
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    FileSystem fs = p.getFileSystem(conf);
    fs.mkdirs(p.getParent());
    try (java.io.OutputStream out = fs.create(p, true)) {
      out.write(SUMMARY_JSON.writeValueAsBytes(result));
    }
    return path;
  }

  /** The steps' incremental state ({@code _state/}). */
  public LakeState state(Configuration conf) {
    return new LakeState(root, conf);
  }

  /**
   * Takes the lake's lock for a run ({@code _lock}); see {@link LakeLock#acquire}.
   *
   * @throws LakeLock.LockedException when another live run holds it
   */
  public LakeLock lock(Configuration conf, String runId, java.time.Duration stale)
      throws IOException {
    return LakeLock.acquire(root, conf, runId, stale);
  }

  /** Path of a table's directory. */
  public String table(String name) {
    return root + "/" + name;
  }

  /** The contract of a table. */
  public TableSchema schema(String table) {
    return TableSchema.load(schemasDir, table);
  }

  /** Whether a table has been written. */
  public boolean exists(SparkSession spark, String table) {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(table(table));
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a table. */
  public Dataset<Row> read(SparkSession spark, String table) {
    return spark.read().parquet(table(table));
  }

  /**
   * Reads a table with its contract's schema, so that a table written without rows (a
   * partitioned table with no rows is a directory without data files, which Spark cannot infer
   * a schema from) reads as no rows.
   */
  public Dataset<Row> read(SparkSession spark, TableSchema contract) {
    return spark.read().schema(contract.sparkSchema()).parquet(table(contract.table()));
  }

  /**
   * Writes {@code data} as the table {@code contract.table()}: selects and casts the declared
   * columns (failing, naming them, when a column is missing), writes Parquet into a staging
   * directory, then publishes it atomically ({@link TablePublisher}). With
   * {@code SaveMode.Overwrite} an unpartitioned table is replaced as a whole and a partitioned
   * one only in the partitions present in {@code data} (dynamic partition overwrite, one atomic
   * swap per partition); {@code SaveMode.Append} adds the new files.
   */
  public void write(Dataset<Row> data, TableSchema contract, SaveMode mode) {
    write(data, contract, mode, java.util.Map.of());
  }

  /** Like {@link #write(Dataset, TableSchema, SaveMode)} with extra Parquet writer options. */
  public void write(
      Dataset<Row> data,
      TableSchema contract,
      SaveMode mode,
      java.util.Map<String, String> options) {
    List<String> have = List.of(data.columns());
    List<String> missing = contract.columnNames().stream().filter(c -> !have.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "Cannot write table "
              + contract.table()
              + ": columns "
              + missing
              + " of its contract are missing (have "
              + have
              + ")");
    }
    if (mode != SaveMode.Overwrite && mode != SaveMode.Append) {
      throw new IllegalArgumentException(
          "Cannot write table "
              + contract.table()
              + " with mode "
              + mode
              + ": only Overwrite and Append");
    }
    TablePublisher.Mode how =
        mode == SaveMode.Append
            ? TablePublisher.Mode.APPEND
            : contract.partitionBy().isEmpty()
                ? TablePublisher.Mode.REPLACE_TABLE
                : TablePublisher.Mode.REPLACE_PARTITIONS;
    stageAndPublish(data.select(columns(contract, List.of())), contract, how, options, null);
  }

  /** The contract's columns but {@code leaveOut}, cast to their declared types. */
  private static Column[] columns(TableSchema contract, List<String> leaveOut) {
    return contract.columns().stream()
        .filter(c -> !leaveOut.contains(c.name()))
        .map(c -> functions.col(c.name()).cast(TableSchema.TYPES.get(c.type())).as(c.name()))
        .toArray(Column[]::new);
  }

  /**
   * Writes {@code out} (the contract's columns) as Parquet into a staging directory and publishes
   * it: partitioned by the contract's keys, or, with {@code partition} given (such as
   * {@code job=ingest-fcs}), as that one partition, which then exists even when {@code out} has
   * no rows ({@code out} without the partition columns).
   */
  private void stageAndPublish(
      Dataset<Row> out,
      TableSchema contract,
      TablePublisher.Mode how,
      java.util.Map<String, String> options,
      String partition) {
    // Whatever session a caller passes: timestamps as INT64 micros (DuckDB, pandas and Arrow read
    // them as timestamps), never INT96. Spark takes this from the session, not from write options.
    out.sparkSession().conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    TablePublisher publisher = publisher(out.sparkSession());
    org.apache.hadoop.fs.Path staged = publisher.newStaging(contract.table());
    int depth = contract.partitionBy().size();
    if (partition != null) {
      out.write()
          .mode(SaveMode.Overwrite)
          .option("compression", "snappy")
          .options(options)
          .parquet(new org.apache.hadoop.fs.Path(staged, partition).toString());
    } else {
      var w = out.write().mode(SaveMode.Overwrite).option("compression", "snappy").options(options);
      if (depth > 0) {
        w = w.partitionBy(contract.partitionBy().toArray(new String[0]));
      }
      w.parquet(staged.toString());
    }
    try {
      publisher.publish(staged, contract.table(), depth, how);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot publish table " + contract.table() + " to " + table(contract.table()), e);
    }
  }

  /**
   * Replaces one job's partition ({@code job=<job>}) of the shared quarantine table with
   * {@code rows}, which must all belong to that job, atomically. With no rows the partition is
   * replaced by one that holds a single Parquet file of no rows: the table always holds exactly
   * the rejections of every job's current inputs (a file fixed since the last run leaves no stale
   * row behind), and stays readable by Spark, DuckDB and pandas when nothing is rejected.
   *
   * @return the number of rows now in the job's partition
   */
  public long replaceQuarantine(SparkSession spark, String job, List<Row> rows) {
    TableSchema contract = schema(QUARANTINE);
    if (!contract.partitionBy().equals(List.of("job"))) {
      throw new IllegalStateException(
          "Cannot write table "
              + QUARANTINE
              + ": its contract must "
              + "be partitioned by [job] so that each job replaces only its own rows, not "
              + contract.partitionBy());
    }
    int jobIndex = contract.columnNames().indexOf("job");
    for (Row r : rows) {
      if (!job.equals(r.get(jobIndex))) {
        throw new IllegalArgumentException(
            "Cannot write "
                + QUARANTINE
                + " rows of job "
                + job
                + ": a row belongs to job '"
                + r.get(jobIndex)
                + "'");
      }
    }
    // One partition written explicitly, so that it exists (one Parquet file of no rows) when
    // there are no rows.
    stageAndPublish(
        spark
            .createDataFrame(rows, contract.sparkSchema())
            .select(columns(contract, List.of("job")))
            .coalesce(1),
        contract,
        TablePublisher.Mode.REPLACE_PARTITIONS,
        java.util.Map.of(),
        "job=" + job);
    return rows.size();
  }

  /** The table of rejected inputs, one partition per job. */
  public static final String QUARANTINE = "quarantine";

  /** Directory of the run summaries below the root. */
  public static final String RUNS = "_runs";

  /** Directory of the HTML reports below the root. */
  public static final String REPORTS = "_reports";

  private static final com.fasterxml.jackson.databind.ObjectMapper SUMMARY_JSON =
      new com.fasterxml.jackson.databind.ObjectMapper()
          .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
          .setPropertyNamingStrategy(
              com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

  /**
   * Removes partitions of a table (paths relative to the table, such as
   * {@code visit=D8/sample_id=S1}), atomically per partition.
   */
  public int deletePartitions(SparkSession spark, String table, List<String> partitions) {
    try {
      return publisher(spark).deletePartitions(table, partitions);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot delete partitions " + partitions + " of table " + table, e);
    }
  }

  /** The lake's publisher (staging, journals, recovery). */
  public TablePublisher publisher(SparkSession spark) {
    return new TablePublisher(root, hadoopConf(spark), acceptNonAtomicRename);
  }

  /** Hadoop configuration of the session. */
  public static Configuration hadoopConf(SparkSession spark) {
    return spark.sparkContext().hadoopConfiguration();
  }
}
