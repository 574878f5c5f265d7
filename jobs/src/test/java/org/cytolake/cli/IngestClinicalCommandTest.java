package org.cytolake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.cytolake.jobs.IngestClinicalOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code cytolake ingest-clinical} (also the spark-submit entry point, through
 * {@link CytolakeCli}) parses into the job's options, {@code --flag=value} included; the table
 * contracts are those of the installation.
 */
class IngestClinicalCommandTest {
  @Test
  void optionsParseLikeTheCli() {
    IngestClinicalCommand command = new IngestClinicalCommand();
    new CommandLine(command)
        .parseArgs(
            "--input", "in", "--lake=lk", "--conf", "c", "--master", "local[1]", "--run-id", "r");
    assertEquals(
        new IngestClinicalOptions(
            "in", "lk", Path.of("c"), JobOptions.home().resolve("schemas"), "local[1]", "r"),
        command.options());
  }
}
