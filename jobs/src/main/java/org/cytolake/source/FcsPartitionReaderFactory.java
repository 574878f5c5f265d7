package org.cytolake.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.util.SerializableConfiguration;

/** Creates the executor-side readers of FCS splits; they produce columnar batches. */
final class FcsPartitionReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  private final FcsSourceOptions options;
  private final List<String> channels;
  private final SerializableConfiguration conf;

  FcsPartitionReaderFactory(
      FcsSourceOptions options, List<String> channels, SerializableConfiguration conf) {
    this.options = options;
    this.channels = List.copyOf(channels);
    this.conf = conf;
  }

  @Override
  public boolean supportColumnarReads(InputPartition partition) {
    return true;
  }

  @Override
  public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
    try {
      return new FcsPartitionReader((FcsInputPartition) partition, options, channels, conf.value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    throw new UnsupportedOperationException("the fcs source reads columnar batches only");
  }
}
