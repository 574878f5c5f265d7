package org.cytolake.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cytolake} command: one entry point for every job and tool. {@code bin/cytolake} runs it
 * with embedded Spark; on a cluster, {@code spark-submit --class org.cytolake.cli.CytolakeCli} does.
 */
@Command(
    name = "cytolake",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Clinical-trial immunomonitoring on Apache Spark: FCS files and clinical records into a "
          + "Parquet lake and analysis-ready tables.",
      ""
    },
    subcommands = {
      IngestClinicalCommand.class,
      IngestFcsCommand.class,
      NormaliseCommand.class,
      GateCommand.class,
      ClusterCommand.class,
      AggregateCommand.class,
      ReportCommand.class,
      NightlyCommand.class,
      EvaluateCommand.class,
      PlotCommand.class,
      PlotClustersCommand.class,
      FcsInfoCommand.class,
      GateFcsCommand.class,
      PlotFcsCommand.class,
      ClusterFcsCommand.class,
      NormaliseFcsCommand.class,
      ExportGatingCommand.class,
      ExportFcsCommand.class,
      GenerateCommand.class,
      DataDictionaryCommand.class,
      BenchCommand.class,
      BenchSizingCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {"", "Run 'cytolake <command> --help' for a command's options."})
public final class CytolakeCli implements Runnable {

  /** Exit status for a malformed input file. */
  public static final int EXIT_BAD_INPUT = CliErrors.EXIT_BAD_INPUT;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The command line, failures handled by {@link CliErrors} (tests run it). */
  public static CommandLine commandLine() {
    return new CommandLine(new CytolakeCli()).setExecutionExceptionHandler(new CliErrors());
  }

  /** Runs the command line and returns its exit status (tests call this). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
