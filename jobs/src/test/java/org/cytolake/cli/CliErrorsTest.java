package org.cytolake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.cytolake.config.ConfigException;
import org.cytolake.fcs.FcsErrorCode;
import org.cytolake.fcs.FcsFormatException;
import org.cytolake.fcs.FcsSegment;
import org.cytolake.lake.LakeLock;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Every failure of a command is one line on stderr and an exit status by kind. */
class CliErrorsTest {

  @Command(name = "boom")
  static final class Boom implements java.util.concurrent.Callable<Integer> {
    private final Exception e;

    Boom(Exception e) {
      this.e = e;
    }

    @Override
    public Integer call() throws Exception {
      throw e;
    }
  }

  private static String[] run(Exception e) {
    StringWriter err = new StringWriter();
    int status =
        new CommandLine(new Boom(e))
            .setExecutionExceptionHandler(new CliErrors())
            .setErr(new PrintWriter(err))
            .execute();
    return new String[] {Integer.toString(status), err.toString()};
  }

  @Test
  void aRuntimeFailureIsOneLineNamingTheCommandAndExitsOne() {
    String[] r = run(new IllegalStateException("Cannot gate lake 'x':\n  no panel"));
    assertEquals("1", r[0]);
    assertEquals(List.of("boom failed: Cannot gate lake 'x': no panel"), r[1].lines().toList());
  }

  @Test
  void badConfigurationOrOptionsMeanTheRunDidNotStart() {
    String[] r = run(new ConfigException(List.of("conf/panels.yaml: missing")));
    assertEquals("1", r[0]);
    assertEquals(1, r[1].lines().count(), r[1]);
    assertEquals(true, r[1].startsWith("boom not started: "), r[1]);
    r = run(new IllegalArgumentException("metaclusters must be >= 2"));
    assertEquals("boom not started: metaclusters must be >= 2", r[1].strip());
  }

  @Test
  void aMalformedFileExitsThreeWithItsOwnMessage() {
    FcsFormatException e =
        new FcsFormatException(
            "a.fcs", FcsSegment.HEADER, 0, FcsErrorCode.NOT_FCS, "not an FCS file");
    String[] r = run(e);
    assertEquals(Integer.toString(CytolakeCli.EXIT_BAD_INPUT), r[0]);
    assertEquals(e.getMessage(), r[1].strip());
  }

  @Test
  void aHeldLockExitsFour() throws IOException {
    String[] r = run(new LakeLock.LockedException("lake /l is locked by run R"));
    assertEquals(Integer.toString(NightlyCommand.EXIT_LOCKED), r[0]);
    assertEquals("lake /l is locked by run R", r[1].strip());
  }

  @Test
  void anExceptionWithoutMessageIsNamedByItsType() {
    assertEquals(
        "x failed: java.lang.NullPointerException",
        CliErrors.line("x", new NullPointerException()));
  }
}
