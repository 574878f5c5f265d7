package org.cytolake.source;

import java.util.Map;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * Spark DataSource V2 for FCS files: {@code spark.read.format("fcs").option("channels", ...)
 * .load(paths...)} gives one row per event with columns {@code file} (the path as given),
 * {@code dataset} (0-based data set of the file), {@code event} (0-based event index) and one
 * float column per requested channel, optionally compensated with the file's own spillover and
 * transformed per channel ({@link FcsSourceOptions}). One task reads one file, or one range of
 * whole events of a large file; events are decoded on the executors, never collected.
 */
public final class FcsDataSource implements TableProvider, DataSourceRegister {
  @Override
  public String shortName() {
    return "fcs";
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return FcsTable.plan(FcsSourceOptions.parse(options.asCaseSensitiveMap())).schema();
  }

  @Override
  public Table getTable(
      StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return new FcsTable(FcsTable.plan(FcsSourceOptions.parse(properties)));
  }
}
