package org.cytolake.source;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.unsafe.types.UTF8String;
import org.cytolake.cytometry.BoundCompensation;
import org.cytolake.cytometry.Compensation;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.fcs.EventReader;
import org.cytolake.fcs.FcsDataset;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsFormatException;
import org.cytolake.fcs.FcsParameter;
import org.cytolake.fcs.FcsReader;
import org.cytolake.fcs.FcsSegment;
import org.cytolake.fcs.FcsErrorCode;
import org.cytolake.fcs.Spillover;

/**
 * Reads one split: decodes blocks of events, compensates them with the file's spillover when asked,
 * transforms the requested channels and emits one row per event.
 */
final class FcsPartitionReader implements PartitionReader<InternalRow> {
  private final FcsFile file;
  private final EventReader events;
  private final int par;
  private final int[] columns;
  private final Transform[] transforms;
  private final BoundCompensation compensation;
  private final float[] block;
  private final Object[] values;
  private final GenericInternalRow row;
  private final int datasetIndex;
  private long nextEvent;
  private int inBlock;
  private int pos;

  FcsPartitionReader(FcsInputPartition p, FcsSourceOptions o, List<String> channels,
      Configuration conf) throws IOException {
    this.file = FcsReader.open(HadoopFcsInput.open(p.path(), conf));
    FcsDataset ds = file.datasets().get(p.dataset());
    this.datasetIndex = p.dataset();
    this.par = ds.parameters().size();
    this.columns = new int[channels.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = ds.indexOf(channels.get(i));
    }
    List<Transform> ts = o.parsedTransforms(channels.size());
    this.transforms = ts.toArray(new Transform[0]);
    if (o.compensate()) {
      Spillover s = ds.spillover().orElseThrow(() -> new FcsFormatException(p.path(),
          FcsSegment.TEXT, -1, FcsErrorCode.MISSING_KEYWORD,
          "compensation was asked for but the file has no $SPILLOVER/SPILL/$SPILL keyword"));
      this.compensation = Compensation.of(s.channels(), s.matrix())
          .bind(ds.parameters().stream().map(FcsParameter::id).toList());
    } else {
      this.compensation = null;
    }
    this.events = file.events(ds, p.first(), p.count(), FcsFile.DEFAULT_BLOCK_BYTES);
    this.block = new float[Math.max(par, FcsFile.DEFAULT_BLOCK_BYTES / 4 / par * par)];
    this.values = new Object[3 + columns.length];
    this.values[0] = UTF8String.fromString(p.path());
    this.values[1] = datasetIndex;
    this.row = new GenericInternalRow(values);
    this.nextEvent = p.first();
  }

  @Override
  public boolean next() throws IOException {
    if (pos >= inBlock) {
      inBlock = events.read(block);
      pos = 0;
      if (inBlock == 0) {
        return false;
      }
      if (compensation != null) {
        compensation.compensate(block, inBlock, par);
      }
    }
    int base = pos * par;
    values[2] = nextEvent;
    for (int i = 0; i < columns.length; i++) {
      values[3 + i] = (float) transforms[i].apply(block[base + columns[i]]);
    }
    pos++;
    nextEvent++;
    return true;
  }

  @Override
  public InternalRow get() {
    return row;
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
