package org.cytolake.jobs;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Options of {@link IngestClinicalJob} (the command line is {@code cli.IngestClinicalCommand}).
 *
 * @param input directory holding dm.csv, sv.csv ... (or .jsonl); any Hadoop path
 * @param lake lake root; any Hadoop path
 * @param confDir configuration directory (cytolake.yaml, panels.yaml, visits.yaml)
 * @param schemasDir table contracts
 * @param master Spark master URL, or null for spark-submit's or embedded {@code local[*]}
 * @param runId run id, or null for a new one
 */
public record IngestClinicalOptions(
    String input, String lake, Path confDir, Path schemasDir, String master, String runId) {

  public IngestClinicalOptions {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(lake, "lake");
    Objects.requireNonNull(confDir, "confDir");
    Objects.requireNonNull(schemasDir, "schemasDir");
  }
}
