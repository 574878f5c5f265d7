package org.cytolake.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import picocli.CommandLine.Option;

/** Options every Spark job shares (a picocli mixin). */
public final class JobOptions {
  @Option(
      names = "--master",
      paramLabel = "URL",
      description = "Spark master (default: the one spark-submit set, else local[*]).")
  String master;

  @Option(
      names = "--conf",
      paramLabel = "DIR",
      description = "Configuration directory (default: conf/ of the cytolake installation).")
  Path conf;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description = "Run id to record (default: a new one, e.g. 20261125T120301Z-1a2b3c4d).")
  String runId;

  /** The installation directory: {@code -Dcytolake.home} (bin/cytolake sets it) or the cwd. */
  static Path home() {
    String h = System.getProperty("cytolake.home");
    return h != null ? Paths.get(h) : Paths.get("").toAbsolutePath();
  }

  Path confDir() {
    return conf != null ? conf : home().resolve("conf");
  }

  Path schemasDir() {
    return home().resolve("schemas");
  }
}
