package org.cytolake.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.cytolake.jobs.AggregateJob;
import org.cytolake.jobs.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cytolake aggregate}. */
@Command(
    name = "aggregate",
    mixinStandardHelpOptions = true,
    description = {
      "Aggregation per disease cohort: writes immunophenotype (patient x visit x feature, with "
          + "baseline, change, and fold change (percentages, counts) or linear ratio (marker "
          + "medians, back-transformed)), immunophenotype_wide (patient x visit), "
          + "cohort_summary (cohort and pooled x visit x feature: n, mean, sd, median, q1, q3, "
          + "median change, median fold change or linear ratio, paired Wilcoxon p vs baseline, "
          + "BH q), clinical_response "
          + "(score vs baseline and responder flag by conf/cohorts.yaml) and safety_summary "
          + "(cohort x adverse-event term x grade).",
      "Exit status 0 when the run completed, 1 when it failed."
    })
public final class AggregateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin JobOptions job;

  @Mixin LakeOption lake;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = SparkSessions.getOrCreate("cytolake aggregate", job.master);
    AggregateJob.Result r =
        AggregateJob.run(
            spark, new AggregateJob.Options(lake.root, job.confDir(), job.schemasDir(), job.runId));
    var out = spec.commandLine().getOut();
    out.printf(
        "aggregate %s: %d patient(s), %d feature(s); immunophenotype %d row(s), "
            + "immunophenotype_wide %d, cohort_summary %d, clinical_response %d, safety_summary %d%n",
        r.runId(),
        r.patients(),
        r.features(),
        r.immunophenotypeRows(),
        r.wideRows(),
        r.cohortSummaryRows(),
        r.clinicalResponseRows(),
        r.safetyRows());
    if (!r.unknownDiseases().isEmpty()) {
      out.printf("  WARNING: diseases in no cohort of cohorts.yaml: %s%n", r.unknownDiseases());
    }
    out.printf("run summary: %s%n", r.summaryPath());
    out.flush();
    return 0;
  }
}
