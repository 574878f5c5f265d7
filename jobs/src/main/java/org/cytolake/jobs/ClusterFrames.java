package org.cytolake.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cytolake.clustering.ClusterModel;
import org.cytolake.clustering.MetaclusterSummary;
import org.cytolake.clustering.MisfitReport;
import org.cytolake.clustering.ModelParameters;
import org.cytolake.clustering.SampleAbundance;
import org.cytolake.config.PanelConfig;
import org.cytolake.lake.Lake;
import org.cytolake.tables.TableSchema;

/**
 * Step 5 of {@link ClusterJob}: the rows of a panel's cluster tables as frames, written through their contracts.
 * {@code clusters}, {@code cluster_abundance}, {@code cluster_sample_medians}, {@code cluster_events} and
 * {@code cluster_qc} hold the panel's rows of one algorithm (the tables are partitioned by panel and algorithm,
 * so a write replaces them); the kept samples' rows are carried over as they were ({@link #withKept}).
 * {@code cluster_model} is written when the model was fitted or its stored rows are stale ({@link #modelTable}).
 */
final class ClusterFrames {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClusterFrames() {}

  /**
   * Writes a panel's tables.
   *
   * @param modelTable the rows of {@code cluster_model}, or null to leave them
   * @param kept the samples whose rows are kept
   */
  static void write(
      SparkSession spark,
      Lake lake,
      PanelConfig panel,
      String algorithm,
      String runId,
      ClusterMapping.Mapped mapped,
      Dataset<Row> modelTable,
      Set<String> kept)
      throws IOException {
    String code = panel.code();
    if (modelTable != null) {
      lake.write(modelTable, lake.schema("cluster_model"), SaveMode.Overwrite);
    }
    lake.write(
        withKeys(clusters(spark, mapped.summaries()), code, algorithm, runId),
        lake.schema("clusters"),
        SaveMode.Overwrite);
    List<Integer> metaclusters =
        mapped.summaries().stream().map(MetaclusterSummary::metacluster).toList();
    Dataset<Row> abundance =
        withKeys(
            abundance(spark, SampleAbundance.of(mapped.counts(), metaclusters)),
            code,
            algorithm,
            runId);
    Dataset<Row> sampleMedians = sampleMedians(spark, abundance, mapped.sampleMedians(), panel);
    Dataset<Row> qc = withKeys(qc(spark, mapped.misfits()), code, algorithm, runId);
    Dataset<Row> eventRows = withKeys(mapped.eventRows(), code, algorithm, runId);
    for (var t :
        List.of(
            Map.entry("cluster_abundance", abundance),
            Map.entry("cluster_sample_medians", sampleMedians),
            Map.entry("cluster_events", eventRows),
            Map.entry("cluster_qc", qc))) {
      TableSchema contract = lake.schema(t.getKey());
      lake.write(
          withKept(spark, lake, contract, t.getValue(), mapped.keptIds(), kept, code, algorithm),
          contract,
          SaveMode.Overwrite);
    }
  }

  /** The rows of {@code cluster_model} of a stored model (when the active version changes without a fit). */
  static Dataset<Row> modelTable(SparkSession spark, ClusterModel model, String runId)
      throws IOException {
    ObjectNode params = ModelParameters.json(model.provenance().parameters(), model.version());
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

  /** The rows of {@code clusters}: one per metacluster with events, its medians as JSON. */
  private static Dataset<Row> clusters(SparkSession spark, List<MetaclusterSummary> summaries)
      throws IOException {
    List<Row> rows = new ArrayList<>();
    for (MetaclusterSummary m : summaries) {
      ObjectNode mj = JsonNodeFactory.instance.objectNode();
      m.medians().forEach(mj::put);
      rows.add(
          RowFactory.create(
              m.metacluster(), m.label(), m.size(), m.pctOfPanel(), JSON.writeValueAsString(mj)));
    }
    StructType schema =
        new StructType()
            .add("metacluster", DataTypes.IntegerType)
            .add("label", DataTypes.StringType)
            .add("size", DataTypes.LongType)
            .add("pct_of_panel", DataTypes.DoubleType)
            .add("marker_medians", DataTypes.StringType);
    return spark.createDataFrame(rows, schema);
  }

  /** The rows of {@code cluster_abundance}: every sample × every metacluster, zero counts included. */
  private static Dataset<Row> abundance(SparkSession spark, List<SampleAbundance> abundance) {
    return spark.createDataFrame(
        abundance.stream()
            .map(a -> RowFactory.create(a.sampleId(), a.metacluster(), a.count(), a.pctOfSample()))
            .toList(),
        new StructType()
            .add("sample_id", DataTypes.StringType)
            .add("metacluster", DataTypes.IntegerType)
            .add("count", DataTypes.LongType)
            .add("pct_of_sample", DataTypes.DoubleType));
  }

  /** The rows of {@code cluster_qc}: one per sample tested. */
  private static Dataset<Row> qc(SparkSession spark, MisfitReport report) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (ClusterModel.Misfit m : report.misfits()) {
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
              report.model().version(),
              report.isTrainingSample(m.sampleId()),
              m.events(),
              m.medianDistance(),
              m.trainingMax(),
              report.margin(),
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
    return spark.createDataFrame(rows, schema);
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
        .join(medians.drop("events"), seq("sample_id", "metacluster", "column"), "left")
        .withColumn("events", functions.col("count"))
        .withColumn(
            "median", functions.when(functions.col("count").gt(0), functions.col("median")));
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

  private static Dataset<Row> withKeys(
      Dataset<Row> data, String panel, String algorithm, String runId) {
    return data.withColumn("panel", functions.lit(panel))
        .withColumn("algorithm", functions.lit(algorithm))
        .withColumn("run_id", functions.lit(runId));
  }

  static scala.collection.immutable.Seq<String> seq(String... columns) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(columns)).toSeq();
  }
}
