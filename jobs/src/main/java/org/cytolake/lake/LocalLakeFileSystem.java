package org.cytolake.lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.nativeio.NativeIO;

/**
 * Hadoop's local file system ({@code file://}, with its {@code .crc} checksums) that sets permissions through
 * {@code java.nio} instead of a {@code chmod} process per file.
 *
 * <p>Without Hadoop's native library (which Maven Central does not ship), {@link RawLocalFileSystem#setPermission}
 * forks {@code chmod} for every file it creates (each Parquet file and its {@code .crc}) and every directory it
 * makes: measured, 4,400 processes for one ingest of 1,394 samples, the larger part of its per-file cost (BENCHMARKS.md,
 * "Where ingest-fcs spends its time per file"). This class gives the same permissions with {@link
 * Files#setPosixFilePermissions}, in process; where the native library is loaded, or the file store is not POSIX, it
 * does what Hadoop does. {@link org.cytolake.jobs.SparkSessions} registers it as {@code fs.file.impl}; the lake's
 * files and layout are unchanged.
 */
public class LocalLakeFileSystem extends LocalFileSystem {
  public LocalLakeFileSystem() {
    super(new Raw());
  }

  /** {@link RawLocalFileSystem} with in-process permissions. */
  static final class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      if (NativeIO.isAvailable()) {
        super.setPermission(p, permission);
        return;
      }
      try {
        Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(permission));
      } catch (UnsupportedOperationException notPosix) {
        super.setPermission(p, permission);
      }
    }
  }

  /** The nine rwx bits of {@code permission} (sticky bit and ACLs are not set, as Hadoop's {@code chmod} sets them). */
  static Set<PosixFilePermission> posix(FsPermission permission) {
    Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
    add(
        out,
        permission.getUserAction(),
        PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_EXECUTE);
    add(
        out,
        permission.getGroupAction(),
        PosixFilePermission.GROUP_READ,
        PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_EXECUTE);
    add(
        out,
        permission.getOtherAction(),
        PosixFilePermission.OTHERS_READ,
        PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_EXECUTE);
    return out;
  }

  private static void add(
      Set<PosixFilePermission> out,
      FsAction action,
      PosixFilePermission read,
      PosixFilePermission write,
      PosixFilePermission execute) {
    if (action.implies(FsAction.READ)) {
      out.add(read);
    }
    if (action.implies(FsAction.WRITE)) {
      out.add(write);
    }
    if (action.implies(FsAction.EXECUTE)) {
      out.add(execute);
    }
  }
}
