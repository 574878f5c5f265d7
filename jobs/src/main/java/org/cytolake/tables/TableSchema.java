package org.cytolake.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.PanelConfig;

/**
 * The contract of one lake table, loaded from {@code schemas/<table>.schema.json}: columns in order
 * with type, nullability and meaning, partition keys, and whether the table is restricted (holds
 * raw paths or identifiers and is not for analysts). The events tables share one template,
 * {@code events.schema.json}, whose {@code marker_columns} entry expands to one float column per
 * channel of a panel.
 */
public record TableSchema(
    String table,
    int version,
    String description,
    boolean restricted,
    List<String> partitionBy,
    List<ColumnSpec> columns) {

  /** Declared column types and their Spark types. */
  public static final Map<String, DataType> TYPES =
      Map.of(
          "string",
          DataTypes.StringType,
          "int",
          DataTypes.IntegerType,
          "long",
          DataTypes.LongType,
          "float",
          DataTypes.FloatType,
          "double",
          DataTypes.DoubleType,
          "boolean",
          DataTypes.BooleanType,
          "date",
          DataTypes.DateType,
          "timestamp",
          DataTypes.TimestampType);

  private static final ObjectMapper JSON = new ObjectMapper();

  public TableSchema {
    partitionBy = List.copyOf(partitionBy);
    columns = List.copyOf(columns);
  }

  /** Loads {@code schemas/<table>.schema.json}. */
  public static TableSchema load(Path schemasDir, String table) {
    Path file = schemasDir.resolve(table + ".schema.json");
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(
          "Cannot load table contract '" + table + "': " + file + " does not exist");
    }
    try {
      return parse(file.toString(), JSON.readTree(file.toFile()), null, null);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot load table contract " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The contract of a wide table whose {@code feature_columns} entry expands to one nullable
   * double column per name of {@code featureColumns}, in that order (without them, as
   * {@link #load} gives it for the data dictionary, the entry is one placeholder row named
   * {@value #FEATURE_PLACEHOLDER}).
   */
  public static TableSchema wide(Path schemasDir, String table, List<String> featureColumns) {
    Path file = schemasDir.resolve(table + ".schema.json");
    try {
      return parse(
          file.toString(),
          JSON.readTree(file.toFile()),
          null,
          Objects.requireNonNull(featureColumns, "featureColumns"));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot load table contract " + file + ": " + e.getMessage(), e);
    }
  }

  /** The column name a {@code feature_columns} entry shows when no features are given. */
  public static final String FEATURE_PLACEHOLDER = "<feature columns>";

  /** The contract of {@code events_<panel>}: the template with the panel's marker columns. */
  public static TableSchema events(Path schemasDir, PanelConfig panel) {
    Path file = schemasDir.resolve("events.schema.json");
    try {
      return parse(file.toString(), JSON.readTree(file.toFile()), panel, null);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot load table contract " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The contract of {@code events_norm_<panel>}: the events template, for the events of a panel
   * normalised between batches ({@code conf/normalisation.yaml}).
   */
  public static TableSchema normalisedEvents(Path schemasDir, PanelConfig panel) {
    TableSchema t = events(schemasDir, panel);
    return new TableSchema(
        panel.normalisedEventsTable(),
        t.version(),
        "One event of a panel normalised between batches (table events_norm_<panel>, written by"
            + " bin/cytolake normalise when conf/normalisation.yaml names the panel): the row of"
            + " events_<panel>, with the normalised columns mapped through the spline of the"
            + " sample's batch (normalisation_models) and every other column as it is; gate,"
            + " cluster and evaluate read this table for such a panel, events_<panel> keeps the raw"
            + " values. Panel "
            + panel.code()
            + " ("
            + panel.name()
            + ").",
        t.restricted(),
        t.partitionBy(),
        t.columns());
  }

  private static TableSchema parse(
      String file, JsonNode n, PanelConfig panel, List<String> features) {
    List<String> problems = new ArrayList<>();
    List<ColumnSpec> cols = new ArrayList<>();
    for (JsonNode c : n.path("columns")) {
      if (c.has("feature_columns")) {
        String what = c.path("feature_columns").asText();
        if (features == null) {
          cols.add(new ColumnSpec(FEATURE_PLACEHOLDER, "double", true, what));
        } else {
          for (String f : features) {
            cols.add(new ColumnSpec(f, "double", true, "feature column (" + what + ")"));
          }
        }
        continue;
      }
      if (c.has("marker_columns")) {
        if (panel == null) {
          problems.add("marker_columns is only allowed in events.schema.json");
          continue;
        }
        for (ChannelConfig ch : panel.channels()) {
          cols.add(
              new ColumnSpec(
                  ch.column(),
                  "float",
                  false,
                  (ch.marker() != null ? ch.marker() + " (" + ch.detector() + ")" : ch.detector())
                      + ", compensated, "
                      + ch.transform().spec()));
        }
        continue;
      }
      String name = c.path("name").asText("");
      String type = c.path("type").asText("");
      if (name.isBlank()) {
        problems.add("a column has no name");
      }
      if (!TYPES.containsKey(type)) {
        problems.add(
            "column '"
                + name
                + "': type '"
                + type
                + "' is not one of "
                + new java.util.TreeSet<>(TYPES.keySet()));
      }
      if (!c.has("description") || c.get("description").asText().isBlank()) {
        problems.add("column '" + name + "': no description");
      }
      cols.add(
          new ColumnSpec(
              name, type, c.path("nullable").asBoolean(true), c.path("description").asText("")));
    }
    List<String> partitionBy = new ArrayList<>();
    n.path("partition_by").forEach(p -> partitionBy.add(p.asText()));
    for (String p : partitionBy) {
      if (cols.stream().noneMatch(c -> c.name().equals(p))) {
        problems.add("partition key '" + p + "' is not a column");
      }
    }
    String table = n.path("table").asText("");
    if (panel != null) {
      table = panel.eventsTable();
    }
    if (table.isBlank()) {
      problems.add("no table name");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot load table contract " + file + ": " + String.join("; ", problems));
    }
    String desc = n.path("description").asText("");
    if (panel != null) {
      desc = desc + " Panel " + panel.code() + " (" + panel.name() + ").";
    }
    return new TableSchema(
        table,
        n.path("version").asInt(1),
        desc,
        n.path("restricted").asBoolean(false),
        partitionBy,
        cols);
  }

  /** The Spark schema (declared order, declared nullability). */
  public StructType sparkSchema() {
    StructType s = new StructType();
    for (ColumnSpec c : columns) {
      s = s.add(c.name(), TYPES.get(c.type()), c.nullable());
    }
    return s;
  }

  public List<String> columnNames() {
    return columns.stream().map(ColumnSpec::name).toList();
  }

  /**
   * Every difference between a written (or about to be written) schema and this contract: missing
   * or extra columns and type mismatches. Nullability is not compared (Parquet readers report every
   * column nullable); {@link #nullViolations} checks data against it.
   */
  public List<String> differences(StructType actual) {
    List<String> out = new ArrayList<>();
    Map<String, DataType> got = new LinkedHashMap<>();
    for (StructField f : actual.fields()) {
      got.put(f.name(), f.dataType());
    }
    for (ColumnSpec c : columns) {
      DataType t = got.remove(c.name());
      if (t == null) {
        out.add(table + "." + c.name() + ": missing");
      } else if (!Objects.equals(t, TYPES.get(c.type()))) {
        out.add(
            table + "." + c.name() + ": type " + t.simpleString() + ", contract says " + c.type());
      }
    }
    for (String extra : got.keySet()) {
      out.add(table + "." + extra + ": not in the contract");
    }
    return out;
  }

  /** Non-nullable columns of the contract. */
  public Set<String> requiredColumns() {
    return Set.copyOf(columns.stream().filter(c -> !c.nullable()).map(ColumnSpec::name).toList());
  }
}
