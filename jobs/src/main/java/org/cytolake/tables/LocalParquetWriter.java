package org.cytolake.tables;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.xerial.snappy.Snappy;

/**
 * One Parquet file on the local file system, written row by row without Spark or a Hadoop file system (for the small
 * file tools): the caller sets every column of the current row ({@link #set}) and calls {@link #endRow()}. Nothing is
 * kept per row, so a table of 10^7 rows streams through the writer's column buffers (one row group, at most
 * {@value #ROW_GROUP_BYTES} bytes, at a time). Snappy-compressed; an existing file is overwritten.
 *
 * <p>Columns are flat and required, of the types {@link #schema} builds: {@code string} (BINARY, STRING), {@code int}
 * (INT32), {@code long} (INT64) and {@code double}. DuckDB ({@code read_parquet}), pandas/pyarrow and Spark read the
 * result as they read any Parquet file.
 */
public final class LocalParquetWriter implements Closeable {

  /** Row group size: the most a writer buffers before it flushes. */
  public static final int ROW_GROUP_BYTES = 64 * 1024 * 1024;

  private final Path file;
  private final MessageType schema;
  private final ParquetWriter<LocalParquetWriter> writer;
  private final long[] longs;
  private final double[] doubles;
  private final Binary[] binaries;
  private final String[] strings;
  private final boolean[] isSet;
  private long rows;

  private LocalParquetWriter(Path file, MessageType schema) throws IOException {
    this.file = file;
    this.schema = schema;
    int n = schema.getFieldCount();
    longs = new long[n];
    doubles = new double[n];
    binaries = new Binary[n];
    strings = new String[n];
    isSet = new boolean[n];
    writer =
        new Builder(new LocalOutputFile(file), new RowSupport(schema))
            .withConf(new PlainParquetConfiguration())
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withCodecFactory(SnappyOnly.INSTANCE)
            .withRowGroupSize((long) ROW_GROUP_BYTES)
            .build();
  }

  /**
   * Opens {@code file} for writing (creating or overwriting it).
   *
   * @throws IOException if the file cannot be created
   */
  public static LocalParquetWriter open(Path file, MessageType schema) throws IOException {
    return new LocalParquetWriter(file, schema);
  }

  /**
   * A flat schema of required columns from (name, type) pairs, type one of {@code string}, {@code int}, {@code long},
   * {@code double}.
   *
   * @throws IllegalArgumentException naming every duplicate name or unknown type
   */
  public static MessageType schema(String message, List<String[]> columns) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    HashMap<String, String> seen = new HashMap<>();
    StringBuilder problems = new StringBuilder();
    for (String[] c : columns) {
      String name = c[0];
      if (seen.put(name, c[1]) != null) {
        problems.append("; column '").append(name).append("' appears twice");
        continue;
      }
      switch (c[1]) {
        case "string" ->
            b.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
        case "int" -> b.required(PrimitiveTypeName.INT32).named(name);
        case "long" -> b.required(PrimitiveTypeName.INT64).named(name);
        case "double" -> b.required(PrimitiveTypeName.DOUBLE).named(name);
        default ->
            problems
                .append("; column '")
                .append(name)
                .append("' has unknown type '")
                .append(c[1])
                .append("' (string, int, long, double)");
      }
    }
    if (problems.length() > 0) {
      throw new IllegalArgumentException(
          "Cannot build Parquet schema '" + message + "': " + problems.substring(2));
    }
    return b.named(message);
  }

  /** Sets an INT32 or INT64 column of the current row. */
  public LocalParquetWriter set(int column, long value) {
    PrimitiveTypeName t = type(column);
    check(column, t == PrimitiveTypeName.INT32 || t == PrimitiveTypeName.INT64, "an integer");
    if (t == PrimitiveTypeName.INT32 && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
      throw new IllegalArgumentException(
          "Cannot write column '"
              + name(column)
              + "' of '"
              + file
              + "': "
              + value
              + " is out of int range");
    }
    longs[column] = value;
    isSet[column] = true;
    return this;
  }

  /** Sets a DOUBLE column of the current row. */
  public LocalParquetWriter set(int column, double value) {
    check(column, type(column) == PrimitiveTypeName.DOUBLE, "a double");
    doubles[column] = value;
    isSet[column] = true;
    return this;
  }

  /** Sets a string column of the current row (the same String as the previous row's is encoded once). */
  public LocalParquetWriter set(int column, String value) {
    check(column, type(column) == PrimitiveTypeName.BINARY, "a string");
    if (value == null) {
      throw new IllegalArgumentException(
          "Cannot write column '" + name(column) + "' of '" + file + "': null");
    }
    if (!value.equals(strings[column])) {
      strings[column] = value;
      binaries[column] = Binary.fromString(value);
    }
    isSet[column] = true;
    return this;
  }

  /**
   * Writes the current row.
   *
   * @throws IllegalStateException naming the row and the first column not set
   * @throws IOException if the file cannot be written
   */
  public void endRow() throws IOException {
    for (int c = 0; c < isSet.length; c++) {
      if (!isSet[c]) {
        throw new IllegalStateException(
            "Cannot write row " + rows + " of '" + file + "': column '" + name(c) + "' is not set");
      }
    }
    writer.write(this);
    Arrays.fill(isSet, false);
    rows++;
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  /** Writes the footer and closes the file. */
  @Override
  public void close() throws IOException {
    writer.close();
  }

  private PrimitiveTypeName type(int column) {
    return schema.getType(column).asPrimitiveType().getPrimitiveTypeName();
  }

  private String name(int column) {
    return schema.getFieldName(column);
  }

  private void check(int column, boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException(
          "Cannot write column '"
              + name(column)
              + "' of '"
              + file
              + "': it is "
              + schema.getType(column)
              + ", not "
              + what);
    }
  }

  /** Puts the current row's values into the record consumer, column by column. */
  private static final class RowSupport extends WriteSupport<LocalParquetWriter> {
    private final MessageType schema;
    private RecordConsumer out;

    RowSupport(MessageType schema) {
      this.schema = schema;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(schema, new HashMap<>());
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
      return new WriteContext(schema, new HashMap<>());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      out = recordConsumer;
    }

    @Override
    public void write(LocalParquetWriter row) {
      out.startMessage();
      for (int c = 0; c < schema.getFieldCount(); c++) {
        Type t = schema.getType(c);
        out.startField(t.getName(), c);
        switch (((PrimitiveType) t).getPrimitiveTypeName()) {
          case INT32 -> out.addInteger((int) row.longs[c]);
          case INT64 -> out.addLong(row.longs[c]);
          case DOUBLE -> out.addDouble(row.doubles[c]);
          case BINARY -> out.addBinary(row.binaries[c]);
          default -> throw new IllegalStateException("unsupported type " + t);
        }
        out.endField(t.getName(), c);
      }
      out.endMessage();
    }
  }

  /**
   * Snappy straight through snappy-java, the library parquet-hadoop's own Snappy codec calls: the same bytes, without
   * the Hadoop {@code Configuration} that parquet-hadoop's {@code CodecFactory} builds (loading and parsing Hadoop's
   * default XML resources cost 1.3-1.4 s in a fresh JVM, more than writing 10^6 rows once warm).
   */
  private static final class SnappyOnly implements CompressionCodecFactory {
    static final SnappyOnly INSTANCE = new SnappyOnly();

    private static final BytesInputCompressor COMPRESSOR =
        new BytesInputCompressor() {
          @Override
          public BytesInput compress(BytesInput bytes) throws IOException {
            return BytesInput.from(Snappy.compress(bytes.toByteArray()));
          }

          @Override
          public CompressionCodecName getCodecName() {
            return CompressionCodecName.SNAPPY;
          }

          @Override
          public void release() {}
        };

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
      if (codec != CompressionCodecName.SNAPPY) {
        throw new IllegalArgumentException(
            "Cannot compress Parquet pages with " + codec + ": this writer writes SNAPPY only");
      }
      return COMPRESSOR;
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
      throw new UnsupportedOperationException("Cannot decompress: LocalParquetWriter only writes");
    }

    @Override
    public void release() {}
  }

  private static final class Builder extends ParquetWriter.Builder<LocalParquetWriter, Builder> {
    private final RowSupport support;

    Builder(LocalOutputFile file, RowSupport support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<LocalParquetWriter> getWriteSupport(Configuration conf) {
      return support;
    }

    @Override
    protected WriteSupport<LocalParquetWriter> getWriteSupport(ParquetConfiguration conf) {
      return support;
    }
  }
}
