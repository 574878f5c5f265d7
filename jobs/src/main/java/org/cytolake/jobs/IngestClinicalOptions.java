package org.cytolake.jobs;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Options of {@link IngestClinicalJob}.
 *
 * @param input directory holding dm.csv, sv.csv ... (or .jsonl); any Hadoop path
 * @param lake lake root; any Hadoop path
 * @param confDir configuration directory (cytolake.yaml, panels.yaml, visits.yaml)
 * @param schemasDir table contracts
 * @param master Spark master URL, or null for spark-submit's or embedded {@code local[*]}
 * @param runId run id, or null for a new one
 */
public record IngestClinicalOptions(String input, String lake, Path confDir, Path schemasDir,
    String master, String runId) {

  /** System property naming the installation (set by bin/cytolake). */
  public static final String HOME_PROPERTY = "cytolake.home";

  private static final List<String> FLAGS =
      List.of("--input", "--lake", "--conf", "--schemas", "--master", "--run-id");

  public IngestClinicalOptions {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(lake, "lake");
    Objects.requireNonNull(confDir, "confDir");
    Objects.requireNonNull(schemasDir, "schemasDir");
  }

  /**
   * {@code <cytolake.home>/<name>} when the {@value #HOME_PROPERTY} system property is set, else
   * {@code ./<name>}: where {@code conf} and {@code schemas} are by default.
   */
  public static Path defaultDir(String name) {
    String home = System.getProperty(HOME_PROPERTY);
    return home != null && !home.isBlank() ? Paths.get(home, name) : Paths.get(name);
  }

  /**
   * Parses {@code --input DIR --lake DIR [--conf DIR] [--schemas DIR] [--master URL]
   * [--run-id ID]} (also {@code --flag=value}), the arguments of {@code main} under
   * spark-submit.
   */
  public static IngestClinicalOptions parse(String... args) {
    Map<String, String> v = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String value;
      int eq = flag.indexOf('=');
      if (flag.startsWith("--") && eq > 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("Cannot parse ingest-clinical options: " + flag
            + " needs a value");
      }
      if (!FLAGS.contains(flag)) {
        throw new IllegalArgumentException("Cannot parse ingest-clinical options: unknown option '"
            + flag + "' (known: " + FLAGS + ")");
      }
      v.put(flag, value);
    }
    for (String required : List.of("--input", "--lake")) {
      if (!v.containsKey(required)) {
        throw new IllegalArgumentException("Cannot parse ingest-clinical options: " + required
            + " is required");
      }
    }
    return new IngestClinicalOptions(v.get("--input"), v.get("--lake"),
        v.containsKey("--conf") ? Paths.get(v.get("--conf")) : defaultDir("conf"),
        v.containsKey("--schemas") ? Paths.get(v.get("--schemas")) : defaultDir("schemas"),
        v.get("--master"), v.get("--run-id"));
  }
}
