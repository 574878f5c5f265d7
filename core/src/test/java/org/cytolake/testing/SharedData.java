package org.cytolake.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/** Locates the project root and {@code ../shared} (the team's shared test data) for tests. */
public final class SharedData {
  private SharedData() {}

  /** The project root (set by Maven as {@code cytolake.project.dir}; else the working directory). */
  public static Path projectDir() {
    String p = System.getProperty("cytolake.project.dir");
    Path dir = p != null ? Paths.get(p) : Paths.get("").toAbsolutePath();
    if (!Files.exists(dir.resolve("schemas")) && Files.exists(dir.getParent().resolve("schemas"))) {
      dir = dir.getParent();
    }
    return dir.toAbsolutePath().normalize();
  }

  /** {@code ../shared/<relative>} from the project root, or a skipped test when it is absent. */
  public static Path sharedOrSkip(String relative) {
    Path shared = projectDir().resolve("../shared").normalize().resolve(relative);
    Assumptions.assumeTrue(Files.exists(shared), "shared data absent: " + shared);
    return shared;
  }
}
