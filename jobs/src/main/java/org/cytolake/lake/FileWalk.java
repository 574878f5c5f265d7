package org.cytolake.lake;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Every file under a directory, recursively, through {@link FileSystem#listStatusIterator}.
 *
 * <p>Not {@link FileSystem#listFiles}: its {@code LocatedFileStatus} reads each entry's permissions, which Hadoop's
 * local file system without its native library does with an {@code ls -ld} process per file and directory (1,775
 * processes for one listing of a 1,422-file input; BENCHMARKS.md, "Where ingest-fcs spends its time per file"). A
 * {@link FileStatus} from a listing reads none; Spark's own file index skips them for the same reason.
 */
public final class FileWalk {
  private FileWalk() {}

  /** The files (not directories) under {@code dir}, in listing order; none when {@code dir} is absent. */
  public static List<FileStatus> files(FileSystem fs, Path dir) throws IOException {
    List<FileStatus> out = new ArrayList<>();
    if (fs.exists(dir)) {
      walk(fs, dir, out);
    }
    return out;
  }

  private static void walk(FileSystem fs, Path dir, List<FileStatus> out) throws IOException {
    RemoteIterator<FileStatus> it = fs.listStatusIterator(dir);
    while (it.hasNext()) {
      FileStatus s = it.next();
      if (s.isDirectory()) {
        walk(fs, s.getPath(), out);
      } else {
        out.add(s);
      }
    }
  }
}
