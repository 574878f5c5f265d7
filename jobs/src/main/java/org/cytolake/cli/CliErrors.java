package org.cytolake.cli;

import org.cytolake.config.ConfigException;
import org.cytolake.fcs.FcsFormatException;
import org.cytolake.gating.GatingMlException;
import org.cytolake.jobs.NightlyJob;
import org.cytolake.lake.LakeLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one way a command fails: one line on standard error, the reason last, and an exit status a
 * scheduler can act on (the stack trace goes to the log at debug level).
 *
 * <table>
 *   <caption>Exit status of a failed command</caption>
 *   <tr><td>1</td><td>the run failed, or could not start (configuration, options, lake); the
 *       line reads "{@code <command> not started: <reason>}" or
 *       "{@code <command> failed: <reason>}" (a nightly run's own message names its run and
 *       step)</td></tr>
 *   <tr><td>2</td><td>the command line is wrong (picocli's usage error)</td></tr>
 *   <tr><td>3</td><td>an input file is malformed (FCS, Gating-ML)</td></tr>
 *   <tr><td>4</td><td>another run holds the lake's lock</td></tr>
 * </table>
 */
public final class CliErrors implements IExecutionExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(CliErrors.class);

  /** Exit status of a failed run. */
  public static final int EXIT_FAILED = 1;

  /** Exit status for a malformed input file. */
  public static final int EXIT_BAD_INPUT = 3;

  /** Exit status when another run holds the lake's lock. */
  public static final int EXIT_LOCKED = 4;

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    String name = cmd.getCommandName();
    LOG.debug("{} failed", name, e);
    int status = status(e);
    cmd.getErr().println(line(name, e));
    cmd.getErr().flush();
    return status;
  }

  /** The exit status of a command that threw {@code e}. */
  static int status(Throwable e) {
    if (e instanceof LakeLock.LockedException) {
      return EXIT_LOCKED;
    }
    if (e instanceof FcsFormatException || e instanceof GatingMlException) {
      return EXIT_BAD_INPUT;
    }
    return EXIT_FAILED;
  }

  /** The one line that says why command {@code name} failed. */
  static String line(String name, Throwable e) {
    String reason = e.getMessage() == null ? e.toString() : e.getMessage();
    reason = reason.strip().replaceAll("\\s*\\R\\s*", " ");
    if (e instanceof LakeLock.LockedException
        || e instanceof NightlyJob.NightlyFailedException
        || e instanceof FcsFormatException
        || e instanceof GatingMlException) {
      return reason; // these name their file or run themselves
    }
    if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
      return name + " not started: " + reason;
    }
    return name + " failed: " + reason;
  }
}
