package org.cytolake.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.cytolake.jobs.NightlyJob;
import org.cytolake.jobs.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cytolake nightly}. */
@Command(
    name = "nightly",
    mixinStandardHelpOptions = true,
    description = {
      "The scheduled run: ingest-clinical, ingest-fcs, qc, normalise (the panels "
          + "conf/normalisation.yaml names), gate, cluster, aggregate and report in order, as one"
          + " Spark "
          + "application, incremental and idempotent.",
      "Takes the lake's lock (another run on the same lake fails with a clear message; a lock "
          + "left by a killed run is taken over), rolls forward publications a killed run left "
          + "unfinished, reads only new or changed files (ledger: path, size, modification time, "
          + "SHA-256), gates only new or changed samples, refits clustering only when a panel's "
          + "samples changed. Every table write is published atomically per table or partition.",
      "Records the run in the runs table and in <lake>/_runs/<run>/nightly.json.",
      "Exit status: 0 when the run succeeded; 5 when it completed but is degraded: more than "
          + "ingest.max-quarantined-fraction (conf/cytolake.yaml, default 0.5) of its input "
          + "files, FCS events or clinical records went to quarantine (the reason on the last "
          + "line of stderr); 1 when a step failed (the reason on the last line of stderr); 4 "
          + "when another run holds the lake's lock."
    })
public final class NightlyCommand implements Callable<Integer> {
  /** Exit status when another run holds the lock. */
  public static final int EXIT_LOCKED = CliErrors.EXIT_LOCKED;

  /** Exit status of a run that completed but quarantined more than the configured share. */
  public static final int EXIT_DEGRADED = 5;

  @Spec CommandSpec spec;

  @Mixin JobOptions job;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "DIR",
      description =
          "Input directory (any Hadoop path): clinical/ (CSV or JSON lines), FCS "
              + "files anywhere below it, manifest.csv.")
  String input;

  @Option(
      names = "--manifest",
      paramLabel = "FILE",
      description = "Sample manifest; default: <input>/manifest.csv.")
  String manifest;

  @Mixin LakeOption lake;

  @Option(
      names = "--full",
      description =
          "Ignore what earlier runs completed: re-read every file and recompute every "
              + "step (the tables end up the same as an incremental run's).")
  boolean full;

  @Option(
      names = "--lock-stale-minutes",
      defaultValue = "30",
      paramLabel = "M",
      description =
          "Take over a lock its holder has not refreshed for M minutes (a run on "
              + "another host that died); default ${DEFAULT-VALUE}. On the same host a lock whose "
              + "process is gone is taken over at once.")
  long lockStaleMinutes;

  @Override
  public Integer call() throws java.io.IOException {
    SparkSession spark = SparkSessions.getOrCreate("cytolake nightly", job.master);
    var out = spec.commandLine().getOut();
    NightlyJob.Result r =
        NightlyJob.run(
            spark,
            new NightlyJob.Options(
                input,
                manifest,
                lake.root,
                job.confDir(),
                job.schemasDir(),
                job.runId,
                full,
                Duration.ofMinutes(lockStaleMinutes)));
    for (NightlyJob.Step s : r.steps()) {
      out.printf("  %-16s %-8s %8.1f s  %s%n", s.name(), s.status(), s.seconds(), s.detail());
    }
    for (String w : r.warnings()) {
      out.println("  warning: " + w);
    }
    out.printf(
        "nightly %s %s: %s; report %s%n",
        r.runId(), r.status(), new java.util.TreeMap<>(r.counts()), r.reportPath());
    out.flush();
    if ("degraded".equals(r.status())) {
      var err = spec.commandLine().getErr();
      err.println(
          "nightly run "
              + r.runId()
              + " degraded: "
              + r.warnings().get(0).replaceFirst("^DEGRADED: ", ""));
      err.flush();
      return EXIT_DEGRADED;
    }
    return 0;
  }
}
