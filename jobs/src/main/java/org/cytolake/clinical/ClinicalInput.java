package org.cytolake.clinical;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the clinical files are: a directory on the local disk, or (in the Spark job) any Hadoop
 * path. Files are small (thousands of records) and are read whole, as UTF-8.
 */
public interface ClinicalInput {

  /** The text of the file {@code name} in the input directory, or empty when it does not exist. */
  Optional<String> read(String name) throws IOException;

  /** The directory, for messages. */
  String location();

  /** A local directory. */
  static ClinicalInput directory(Path dir) {
    return new ClinicalInput() {
      @Override
      public Optional<String> read(String name) throws IOException {
        Path f = dir.resolve(name);
        return Files.isRegularFile(f)
            ? Optional.of(Files.readString(f, StandardCharsets.UTF_8))
            : Optional.empty();
      }

      @Override
      public String location() {
        return dir.toString();
      }
    };
  }
}
