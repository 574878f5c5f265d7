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
      ByteBuffer bb = ByteBuffer.wrap(dst, off, len);
      long pos = position;
      while (bb.hasRemaining()) {
        int n = channel.read(bb, pos);
        if (n < 0) {
          throw shortRead(name(), position, len, "end of file at byte " + pos);
        }
        pos += n;
      }
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
