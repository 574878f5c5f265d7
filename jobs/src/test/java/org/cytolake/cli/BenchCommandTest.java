package org.cytolake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bench}'s argument checks, which refuse before anything is generated or timed. */
class BenchCommandTest {

  private static int run(StringWriter err, String... args) {
    CommandLine cl = CytolakeCli.commandLine();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void nightlyRefusesATrialTheGeneratorCannotMake(@TempDir Path tmp) {
    StringWriter err = new StringWriter();
    assertEquals(
        2, run(err, "bench", "--only", "nightly", "--files", "2", "--work-dir", tmp.toString()));
    assertTrue(err.toString().contains("--files must be >= 3"), err.toString());
    err = new StringWriter();
    assertEquals(
        2,
        run(
            err,
            "bench",
            "--only",
            "nightly",
            "--sample-per-file",
            "-1",
            "--work-dir",
            tmp.toString()));
    assertTrue(err.toString().contains("--sample-per-file must be >= 0"), err.toString());
  }

  @Test
  void nightlyIsKnownButNotInTheDefaultSet() {
    assertTrue(BenchCommand.BENCHMARKS.contains("nightly"));
    assertTrue(!BenchCommand.DEFAULT_BENCHMARKS.contains("nightly"));
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "bench", "--only", "night"));
    assertTrue(err.toString().contains("nightly"), err.toString());
  }
}
