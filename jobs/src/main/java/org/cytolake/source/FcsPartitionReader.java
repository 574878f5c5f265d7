package org.cytolake.source;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.execution.vectorized.ConstantColumnVector;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.UTF8String;
import org.cytolake.cytometry.BoundCompensation;
import org.cytolake.cytometry.Compensation;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.fcs.EventReader;
import org.cytolake.fcs.FcsDataset;
import org.cytolake.fcs.FcsErrorCode;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsFormatException;
import org.cytolake.fcs.FcsParameter;
import org.cytolake.fcs.FcsReader;
import org.cytolake.fcs.FcsSegment;
import org.cytolake.fcs.Spillover;

/**
 * Reads one split as columnar batches: decodes a block of events, compensates it with the file's
 * spillover when asked, transforms each requested channel into its own float column. File, data
 * set and tag columns are constants of the batch.
 */
final class FcsPartitionReader implements PartitionReader<ColumnarBatch> {
  /** Events per batch at most. */
  static final int BATCH_EVENTS = 8192;

  private final FcsFile file;
  private final EventReader events;
  private final int par;
  private final int[] columns;
  private final Transform[] transforms;
  private final BoundCompensation compensation;

  /** Per parameter: 0 = as stored, 1 = divide by gain, 2 = log-amplified; null when none. */
  private final int[] linearKind;

  private final double[] linearA;
  private final double[] linearB;
  private final float[] block;
  private final float[] raw;
  private final float[] out;
  private final ColumnVector[] vectors;
  private final OnHeapColumnVector eventVector;
  private final OnHeapColumnVector[] valueVectors;
  private final ConstantColumnVector[] constants;
  private final ColumnarBatch batch;
  private long nextEvent;

  FcsPartitionReader(
      FcsInputPartition p, FcsSourceOptions o, List<String> channels, Configuration conf)
      throws IOException {
    this.file = FcsReader.open(HadoopFcsInput.open(p.path(), conf));
    FcsDataset ds = file.datasets().get(p.dataset());
    this.par = ds.parameters().size();
    this.columns = new int[channels.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = ds.indexOf(channels.get(i));
      if (columns[i] < 0) {
        throw new FcsFormatException(
            p.path(),
            FcsSegment.TEXT,
            -1,
            FcsErrorCode.MISSING_KEYWORD,
            "no channel '" + channels.get(i) + "'");
      }
    }
    this.transforms = o.parsedTransforms(channels.size()).toArray(new Transform[0]);
    if (o.compensate() && o.spilloverMatrix() != null) {
      this.compensation =
          Compensation.of(o.spilloverChannels(), o.spilloverMatrix())
              .bind(ds.parameters().stream().map(FcsParameter::id).toList());
    } else if (o.compensate()) {
      Spillover s =
          ds.spillover()
              .orElseThrow(
                  () ->
                      new FcsFormatException(
                          p.path(),
                          FcsSegment.TEXT,
                          -1,
                          FcsErrorCode.MISSING_KEYWORD,
                          "compensation was asked for but the file has no $SPILLOVER/SPILL/$SPILL keyword"));
      this.compensation =
          Compensation.of(s.channels(), s.matrix())
              .bind(ds.parameters().stream().map(FcsParameter::id).toList());
    } else {
      this.compensation = null;
    }
    int[] kind = null;
    double[] la = new double[par];
    double[] lb = new double[par];
    if (o.linearize()) {
      kind = new int[par];
      boolean any = false;
      for (int i = 0; i < par; i++) {
        FcsParameter fp = ds.parameters().get(i);
        if (fp.decades() > 0 && fp.range() > 0) {
          kind[i] = 2;
          la[i] = fp.decades() / fp.range();
          lb[i] = fp.logOffset() > 0 ? fp.logOffset() : 1;
          any = true;
        } else if (fp.gain() > 0 && fp.gain() != 1) {
          kind[i] = 1;
          la[i] = 1 / fp.gain();
          any = true;
        }
      }
      if (!any) {
        kind = null;
      }
    }
    this.linearKind = kind;
    this.linearA = la;
    this.linearB = lb;
    int batchEvents = (int) Math.max(1, Math.min(BATCH_EVENTS, p.count()));
    this.events = file.events(ds, p.first(), p.count(), batchEvents * ds.layout().eventBytes());
    this.block = new float[batchEvents * par];
    this.raw = new float[batchEvents];
    this.out = new float[batchEvents];

    int tags = o.tagNames().size();
    this.constants = new ConstantColumnVector[2 + tags];
    this.vectors = new ColumnVector[3 + tags + columns.length];
    ConstantColumnVector fileVec = new ConstantColumnVector(batchEvents, DataTypes.StringType);
    fileVec.setUtf8String(UTF8String.fromString(p.path()));
    ConstantColumnVector dsVec = new ConstantColumnVector(batchEvents, DataTypes.IntegerType);
    dsVec.setInt(p.dataset());
    constants[0] = fileVec;
    constants[1] = dsVec;
    vectors[0] = fileVec;
    vectors[1] = dsVec;
    this.eventVector = new OnHeapColumnVector(batchEvents, DataTypes.LongType);
    vectors[2] = eventVector;
    for (int t = 0; t < tags; t++) {
      ConstantColumnVector v = new ConstantColumnVector(batchEvents, DataTypes.StringType);
      v.setUtf8String(UTF8String.fromString(o.tags().get(p.path()).get(t)));
      constants[2 + t] = v;
      vectors[3 + t] = v;
    }
    this.valueVectors = new OnHeapColumnVector[columns.length];
    for (int i = 0; i < columns.length; i++) {
      valueVectors[i] = new OnHeapColumnVector(batchEvents, DataTypes.FloatType);
      vectors[3 + tags + i] = valueVectors[i];
    }
    this.batch = new ColumnarBatch(vectors);
    this.nextEvent = p.first();
  }

  @Override
  public boolean next() throws IOException {
    int n = events.read(block);
    if (n == 0) {
      return false;
    }
    if (linearKind != null) {
      linearize(n);
    }
    if (compensation != null) {
      compensation.compensate(block, n, par);
    }
    for (int e = 0; e < n; e++) {
      eventVector.putLong(e, nextEvent + e);
    }
    for (int i = 0; i < columns.length; i++) {
      int c = columns[i];
      for (int e = 0, at = c; e < n; e++, at += par) {
        raw[e] = block[at];
      }
      Transform t = transforms[i];
      for (int e = 0; e < n; e++) {
        out[e] = (float) t.apply(raw[e]);
      }
      valueVectors[i].putFloats(0, n, out, 0);
    }
    nextEvent += n;
    batch.setNumRows(n);
    return true;
  }

  private void linearize(int n) {
    for (int c = 0; c < par; c++) {
      int k = linearKind[c];
      if (k == 0) {
        continue;
      }
      for (int e = 0, at = c; e < n; e++, at += par) {
        block[at] =
            k == 1
                ? (float) (block[at] * linearA[c])
                : (float) (Math.pow(10, block[at] * linearA[c]) * linearB[c]);
      }
    }
  }

  @Override
  public ColumnarBatch get() {
    return batch;
  }

  @Override
  public void close() throws IOException {
    try {
      batch.close();
    } finally {
      file.close();
    }
  }
}
