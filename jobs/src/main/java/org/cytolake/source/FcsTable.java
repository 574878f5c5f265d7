package org.cytolake.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.apache.spark.util.SerializableConfiguration;
import org.cytolake.fcs.DataSegment;
import org.cytolake.fcs.FcsDataset;
import org.cytolake.fcs.FcsParameter;
import org.cytolake.fcs.FcsReader;

/** The FCS files of one read, planned into input partitions on the driver (metadata only). */
final class FcsTable implements SupportsRead {
  /** What the driver learnt: the output schema and the partitions. */
  record Plan(
      FcsSourceOptions options,
      List<String> channels,
      StructType schema,
      List<FcsInputPartition> partitions) {}

  private final Plan plan;

  FcsTable(Plan plan) {
    this.plan = plan;
  }

  /** Reads HEADER and TEXT of every file (never DATA) and splits large DATA segments. */
  static Plan plan(FcsSourceOptions o) {
    Configuration conf = SparkSession.active().sparkContext().hadoopConfiguration();
    List<String> channels = o.channels();
    List<FcsInputPartition> parts = new ArrayList<>();
    for (String path : o.paths()) {
      try (HadoopFcsInput in = HadoopFcsInput.open(path, conf)) {
        List<FcsDataset> datasets = FcsReader.readDatasets(in);
        if (channels.isEmpty()) {
          channels = datasets.get(0).parameters().stream().map(FcsParameter::id).toList();
        }
        for (FcsDataset ds : datasets) {
          for (String c : channels) {
            if (ds.indexOf(c) < 0) {
              throw new IllegalArgumentException(
                  "Cannot read FCS file '"
                      + path
                      + "': data set "
                      + (ds.index() + 1)
                      + " has no channel '"
                      + c
                      + "' (its channels: "
                      + ds.parameters().stream().map(FcsParameter::id).toList()
                      + ")");
            }
          }
          DataSegment d = ds.data();
          long perSplit = Math.max(1, o.splitBytes() / Math.max(1, d.eventBytes()));
          for (long first = 0; first < d.events(); first += perSplit) {
            parts.add(
                new FcsInputPartition(
                    path, ds.index(), first, Math.min(perSplit, d.events() - first)));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<String> names = o.names().isEmpty() ? channels : o.names();
    StructType schema =
        new StructType()
            .add("file", DataTypes.StringType, false)
            .add("dataset", DataTypes.IntegerType, false)
            .add("event", DataTypes.LongType, false);
    for (String t : o.tagNames()) {
      schema = schema.add(t, DataTypes.StringType, false);
    }
    for (String n : names) {
      schema = schema.add(n, DataTypes.FloatType, false);
    }
    return new Plan(o, channels, schema, parts);
  }

  @Override
  public String name() {
    return "fcs(" + plan.options().paths().size() + " files)";
  }

  @Override
  public StructType schema() {
    return plan.schema();
  }

  @Override
  public Set<TableCapability> capabilities() {
    return Set.of(TableCapability.BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    return () -> new FcsScan(plan);
  }

  /** Scan and batch of one read. */
  static final class FcsScan implements Scan, Batch {
    private final Plan plan;

    FcsScan(Plan plan) {
      this.plan = plan;
    }

    @Override
    public StructType readSchema() {
      return plan.schema();
    }

    @Override
    public String description() {
      return "FCS scan of "
          + plan.options().paths().size()
          + " file(s), "
          + plan.partitions().size()
          + " split(s), channels "
          + plan.channels();
    }

    @Override
    public Batch toBatch() {
      return this;
    }

    @Override
    public InputPartition[] planInputPartitions() {
      return plan.partitions().toArray(new InputPartition[0]);
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
      Configuration conf = SparkSession.active().sparkContext().hadoopConfiguration();
      return new FcsPartitionReaderFactory(
          plan.options(), plan.channels(), new SerializableConfiguration(conf));
    }
  }
}
