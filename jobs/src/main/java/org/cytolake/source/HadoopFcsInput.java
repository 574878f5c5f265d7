package org.cytolake.source;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;
import org.cytolake.fcs.FcsInput;

/**
 * An {@link FcsInput} over any Hadoop file system ({@code file:}, {@code hdfs:}, {@code s3a:} when
 * hadoop-aws is on the classpath), using positioned reads so one open stream serves every range.
 */
public final class HadoopFcsInput implements FcsInput {
  private final String name;
  private final long length;
  private final FSDataInputStream in;
  private final boolean direct;

  private HadoopFcsInput(String name, long length, FSDataInputStream in) {
    this.name = name;
    this.length = length;
    this.in = in;
    this.direct = in.hasCapability(StreamCapabilities.PREADBYTEBUFFER);
  }

  /** Opens {@code path} with the file system its scheme names. */
  public static HadoopFcsInput open(String path, Configuration conf) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    long len = fs.getFileStatus(p).getLen();
    return new HadoopFcsInput(path, len, fs.open(p));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public void readFully(long position, byte[] dst, int off, int len) throws IOException {
    checkRange(position, len);
    in.readFully(position, dst, off, len);
  }

  private void checkRange(long position, int len) throws java.io.EOFException {
    if (position < 0 || position + len > length) {
      throw new java.io.EOFException(
          "Cannot read "
              + len
              + " bytes at byte "
              + position
              + " of '"
              + name
              + "': it has "
              + length
              + " bytes");
    }
  }

  /**
   * True when the stream reads positioned ranges into byte buffers itself (HDFS does; the local
   * checksummed file system does not, and gets the array path).
   */
  @Override
  public boolean directReads() {
    return direct;
  }

  @Override
  public void readFully(long position, java.nio.ByteBuffer dst) throws IOException {
    if (!direct) {
      FcsInput.super.readFully(position, dst);
      return;
    }
    checkRange(position, dst.remaining());
    in.readFully(position, dst);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
