package org.cytolake.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cytolake.testing.SharedData;

/** Conf directories the config tests write: the shipped panels and visits plus one file of theirs. */
final class ConfDirs {
  private ConfDirs() {}

  /** The project's shipped conf directory. */
  static final Path SHIPPED = SharedData.projectDir().resolve("conf");

  /**
   * Loads {@code dir} after copying the shipped panels.yaml and visits.yaml into it and, when
   * {@code yaml} has lines, writing them to {@code file} (none written otherwise: its defaults).
   */
  static CytolakeConfig load(Path dir, String file, String... yaml) throws IOException {
    for (String f : List.of("panels.yaml", "visits.yaml")) {
      Files.copy(SHIPPED.resolve(f), dir.resolve(f));
    }
    if (yaml.length > 0) {
      Files.writeString(dir.resolve(file), String.join("\n", yaml) + "\n");
    }
    return CytolakeConfig.load(dir);
  }
}
