package org.cytolake.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.cytolake.aggregate.AggregateConfig;
import org.cytolake.config.ClusteringConfig;
import org.cytolake.config.ConfigException;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.DifferentialConfig;
import org.cytolake.config.GatingConfig;
import org.cytolake.config.NormalisationConfig;
import org.cytolake.lake.Lake;

/**
 * What every job of one run shares, built once: the Spark session, the configuration (every conf
 * file loaded and validated at start-up, all problems reported at once), the lake and the run
 * (its id and clock). A job called on its own builds one with {@link #open}; the nightly run builds
 * one and hands it to each step, so that the configuration is read once and every step records
 * the same run id.
 *
 * @param conf the configuration directory the configuration was loaded from (steps fingerprint its
 *     files)
 * @param steps the conf files of the steps, loaded once per run
 */
public record RunContext(
    SparkSession spark,
    CytolakeConfig config,
    Lake lake,
    JobRun run,
    Path conf,
    StepConfigs steps) {

  /**
   * The conf files the steps read beyond settings, panels and visits, each loaded and validated
   * at most once per run: {@link #openChecked} loads them all at start-up, a job called on its own
   * loads the ones it asks for on first use.
   */
  public static final class StepConfigs {
    private final CytolakeConfig config;
    private final Path conf;
    private ClusteringConfig clustering;
    private GatingConfig gating;
    private AggregateConfig aggregate;
    private DifferentialConfig differential;
    private NormalisationConfig normalisation;

    StepConfigs(CytolakeConfig config, Path conf) {
      this.config = config;
      this.conf = conf;
    }

    /** conf/clustering.yaml. */
    public synchronized ClusteringConfig clustering() {
      if (clustering == null) {
        clustering = ClusteringConfig.load(config);
      }
      return clustering;
    }

    /** conf/normalisation.yaml (optional: absent, no panel is normalised). */
    public synchronized NormalisationConfig normalisation() {
      if (normalisation == null) {
        normalisation = NormalisationConfig.load(config);
      }
      return normalisation;
    }

    /** conf/gating/ (one strategy per panel). */
    public synchronized GatingConfig gating() throws IOException {
      if (gating == null) {
        gating = GatingConfig.load(config);
      }
      return gating;
    }

    /** conf/cohorts.yaml and conf/features.yaml. */
    public synchronized AggregateConfig aggregate() {
      if (aggregate == null) {
        aggregate = AggregateConfig.load(conf);
      }
      return aggregate;
    }

    /** conf/differential.yaml, checked against the cohorts and pooled analysis it names. */
    public synchronized DifferentialConfig differential() {
      if (differential == null) {
        AggregateConfig agg = aggregate();
        differential = DifferentialConfig.load(config, agg.cohorts().keySet(), agg.pooled());
      }
      return differential;
    }
  }

  /**
   * Loads and validates the configuration in {@code conf} and opens the lake at {@code lakeRoot}
   * with the table contracts in {@code schemas}.
   *
   * @param runId the run id, or null for a new one
   * @throws org.cytolake.config.ConfigException naming every problem of the configuration
   */
  public static RunContext open(
      SparkSession spark, String lakeRoot, Path conf, Path schemas, String runId) {
    CytolakeConfig config = CytolakeConfig.load(conf);
    return new RunContext(
        spark,
        config,
        Lake.of(lakeRoot, schemas, config.settings()),
        JobRun.start(runId),
        conf,
        new StepConfigs(config, conf));
  }

  /**
   * Like {@link #open}, and checks every conf file any step reads (conf/clustering.yaml,
   * conf/gating/, conf/cohorts.yaml, conf/features.yaml and conf/differential.yaml besides the
   * settings, panels and visits) before anything runs, reporting every problem of all of them at once: a nightly run
   * with a typo in its last step's file fails at start-up, not after hours of ingest.
   *
   * @throws ConfigException naming every problem, each with its file and key
   */
  public static RunContext openChecked(
      SparkSession spark, String lakeRoot, Path conf, Path schemas, String runId) {
    RunContext ctx = open(spark, lakeRoot, conf, schemas, runId);
    List<String> problems = new ArrayList<>();
    collect(problems, () -> ctx.steps().clustering());
    collect(problems, () -> ctx.steps().gating());
    collect(problems, () -> ctx.steps().normalisation());
    collect(problems, () -> ctx.steps().differential());
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return ctx;
  }

  private interface Load {
    void run() throws IOException;
  }

  private static void collect(List<String> problems, Load load) {
    try {
      load.run();
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    } catch (IllegalArgumentException | IOException e) {
      problems.add(e.getMessage());
    }
  }

  /** The session's Hadoop configuration (the lake's and the inputs' file systems). */
  public Configuration hadoopConf() {
    return Lake.hadoopConf(spark);
  }

  /** The run id. */
  public String runId() {
    return run.runId();
  }

  /** Writes a job's run summary ({@code <lake>/_runs/<run id>/<job>.json}); returns its path. */
  public String writeRunSummary(String job, Object result) throws IOException {
    return lake.writeRunSummary(hadoopConf(), run.runId(), job, result);
  }
}
