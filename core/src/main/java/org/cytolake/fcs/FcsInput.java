package org.cytolake.fcs;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Random-access bytes of one FCS file. The reader only ever asks for bounded ranges it has checked
 * against {@link #length()}, so an implementation never needs to buffer the whole file. Spark jobs
 * adapt Hadoop's {@code FSDataInputStream} (positioned reads) to this interface.
 */
public interface FcsInput extends Closeable {

  /** Name used in messages: a file name or path. */
  String name();

  /** Total length in bytes. */
  long length() throws IOException;

  /**
   * Reads exactly {@code len} bytes starting at {@code position} into {@code dst[off..off+len)}.
   *
   * @throws EOFException when the range runs past the end of the input
   */
  void readFully(long position, byte[] dst, int off, int len) throws IOException;

  /**
   * Reads exactly {@code dst.remaining()} bytes starting at {@code position} into {@code dst},
   * whose position ends at its limit. Inputs that can fill a direct buffer without an intermediate
   * array say so in {@link #directReads()}; the default goes through the array of a heap buffer, or
   * a temporary array for a direct one.
   *
   * @throws EOFException when the range runs past the end of the input
   */
  default void readFully(long position, ByteBuffer dst) throws IOException {
    int len = dst.remaining();
    if (dst.hasArray()) {
      readFully(position, dst.array(), dst.arrayOffset() + dst.position(), len);
      dst.position(dst.limit());
    } else {
      byte[] tmp = new byte[len];
      readFully(position, tmp, 0, len);
      dst.put(tmp);
    }
  }

  /**
   * Whether {@link #readFully(long, ByteBuffer)} fills a direct buffer straight from the source (one
   * copy fewer than reading into an array and converting from there). Readers allocate direct
   * buffers only when this is true.
   */
  default boolean directReads() {
    return false;
  }

  /** An input over a local file. */
  static FcsInput of(Path path) throws IOException {
    return new FileInput(path);
  }

  /** An input over bytes in memory (tests, fuzzing, small files). */
  static FcsInput of(String name, byte[] bytes) {
    return new BytesInput(name, bytes);
  }

  /** "Cannot read N bytes at byte P of 'name': reason", the one message of a read past the end. */
  private static EOFException shortRead(String name, long position, int len, String reason) {
    return new EOFException(
        "Cannot read " + len + " bytes at byte " + position + " of '" + name + "': " + reason);
  }

  /** {@link FcsInput} over a {@link FileChannel} with positioned reads. */
  final class FileInput implements FcsInput {
    private final Path path;
    private final FileChannel channel;

    FileInput(Path path) throws IOException {
      this.path = Objects.requireNonNull(path, "path");
      this.channel = FileChannel.open(path, StandardOpenOption.READ);
    }

    @Override
    public String name() {
      return path.toString();
    }

    @Override
    public long length() throws IOException {
      return channel.size();
    }

    @Override
    public void readFully(long position, byte[] dst, int off, int len) throws IOException {
      readFully(position, ByteBuffer.wrap(dst, off, len));
    }

    @Override
    public void readFully(long position, ByteBuffer dst) throws IOException {
      int len = dst.remaining();
      long pos = position;
      while (dst.hasRemaining()) {
        int n = channel.read(dst, pos);
        if (n < 0) {
          throw shortRead(name(), position, len, "end of file at byte " + pos);
        }
        pos += n;
      }
    }

    @Override
    public boolean directReads() {
      return true;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /** {@link FcsInput} over a byte array. */
  final class BytesInput implements FcsInput {
    private final String name;
    private final byte[] bytes;

    BytesInput(String name, byte[] bytes) {
      this.name = Objects.requireNonNull(name, "name");
      this.bytes = Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public long length() {
      return bytes.length;
    }

    @Override
    public void readFully(long position, byte[] dst, int off, int len) throws IOException {
      if (position < 0 || position + len > bytes.length) {
        throw shortRead(name, position, len, "it has " + bytes.length + " bytes");
      }
      System.arraycopy(bytes, (int) position, dst, off, len);
    }

    @Override
    public void close() {}
  }
}
