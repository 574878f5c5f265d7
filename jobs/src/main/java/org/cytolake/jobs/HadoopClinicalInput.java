package org.cytolake.jobs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.cytolake.clinical.ClinicalInput;

/** Clinical files in a directory on any Hadoop file system ({@code file:}, {@code hdfs:}, ...). */
final class HadoopClinicalInput implements ClinicalInput {
  private final Path dir;
  private final FileSystem fs;

  HadoopClinicalInput(String dir, Configuration conf) throws IOException {
    this.dir = new Path(dir);
    this.fs = this.dir.getFileSystem(conf);
  }

  /** Whether the directory exists. */
  boolean exists() throws IOException {
    return fs.exists(dir) && fs.getFileStatus(dir).isDirectory();
  }

  @Override
  public Optional<String> read(String name) throws IOException {
    Path file = new Path(dir, name);
    FileStatus status;
    try {
      status = fs.getFileStatus(file);
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
    if (!status.isFile()) {
      return Optional.empty();
    }
    try (InputStream in = fs.open(file)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Override
  public String location() {
    return dir.toString();
  }
}
