package org.cytolake.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalLakeFileSystemTest {
  @TempDir java.nio.file.Path tmp;

  /** What Hadoop's own local file system leaves on disk, this one leaves too: files, .crc files, modes. */
  @Test
  void leavesTheSameFilesAndPermissionsAsHadoopsLocalFileSystem() throws IOException {
    Configuration stock = new Configuration(false);
    stock.set("fs.file.impl", LocalFileSystem.class.getName());
    Configuration ours = new Configuration(false);
    ours.set("fs.file.impl", LocalLakeFileSystem.class.getName());
    try (FileSystem a = FileSystem.newInstance(URI.create("file:///"), stock);
        FileSystem b = FileSystem.newInstance(URI.create("file:///"), ours)) {
      assertInstanceOf(LocalLakeFileSystem.class, b);
      List<String> modesA = exercise(a, new Path(tmp.resolve("stock").toUri()));
      List<String> modesB = exercise(b, new Path(tmp.resolve("ours").toUri()));
      assertEquals(modesA, modesB);
      assertEquals(
          8, modesA.size(), modesA.toString()); // root, 3 directories, 2 files, 2 .crc files
    }
  }

  /** Creates files and directories with default and explicit modes; returns each path's mode, relative. */
  private static List<String> exercise(FileSystem fs, Path root) throws IOException {
    fs.mkdirs(new Path(root, "a/b=1"));
    fs.mkdirs(new Path(root, "c"), new FsPermission((short) 0750));
    try (FSDataOutputStream out = fs.create(new Path(root, "a/b=1/part-0.parquet"))) {
      out.writeUTF("x");
    }
    try (FSDataOutputStream out =
        fs.create(
            new Path(root, "c/secret"),
            new FsPermission((short) 0600),
            true,
            4096,
            (short) 1,
            1 << 20,
            null)) {
      out.writeUTF("y");
    }
    fs.setPermission(new Path(root, "a/b=1/part-0.parquet"), new FsPermission((short) 0640));
    java.nio.file.Path base = java.nio.file.Path.of(root.toUri());
    List<String> out = new ArrayList<>();
    try (var walk = Files.walk(base)) {
      for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) walk.sorted()::iterator) {
        out.add(
            base.relativize(p)
                + " "
                + java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(p)));
      }
    }
    return out;
  }

  @Test
  void fileWalkListsWhatListFilesLists() throws IOException {
    Configuration conf = new Configuration(false);
    conf.set("fs.file.impl", LocalLakeFileSystem.class.getName());
    try (FileSystem fs = FileSystem.newInstance(URI.create("file:///"), conf)) {
      Path root = new Path(tmp.resolve("walk").toUri());
      exercise(fs, root);
      fs.mkdirs(new Path(root, "empty/deeper"));
      TreeSet<String> expected = new TreeSet<>();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        LocatedFileStatus s = it.next();
        expected.add(s.getPath() + " " + s.getLen());
      }
      TreeSet<String> walked = new TreeSet<>();
      FileWalk.files(fs, root).forEach(s -> walked.add(s.getPath() + " " + s.getLen()));
      assertEquals(expected, walked);
      assertEquals(
          2, walked.size(), walked.toString()); // the checksum file system hides .crc files
      assertEquals(List.of(), FileWalk.files(fs, new Path(root, "absent")));
    }
  }
}
