package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cytolake.generate.GenerateOptions;
import org.cytolake.generate.SeparableSamples;
import org.cytolake.generate.TrialGenerator;
import org.cytolake.stats.Quantiles;
import org.cytolake.tables.TableSchema;
import org.cytolake.testing.Lakes;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AggregateJob} on two lakes built by the pipeline: separable samples (11 patients, one per
 * cohort; ingest-clinical, ingest-fcs, gate, cluster) and a generated 46-patient trial (D1 and D8,
 * panels P1 and P2, few events per sample; ingest and gate), so that cohorts hold several
 * patients. Checks: every table matches its contract; the Treg % of CD4 fold change at D8 per
 * cohort (cohort_summary.median_fold_change) is within 5% of the generator's truth (the median over
 * the cohort's patients of the realised D8/D1 ratio of truth/populations.csv, for the patients
 * whose both files are in the lake); effector-memory T-cell features show no significant change
 * at D8 (nor, on separable samples, activation features; on the 46-patient trial the generator's small
 * simulated activation, TRIAL.md's 1.05, is checked against its realised truth instead); the pooled
 * D8 Treg test is significant after Benjamini-Hochberg; marker medians (arcsinh intensities) have
 * no fold change in either table, and their pooled D8 linear ratio follows the generator's truth
 * of linear medians; the README's analyst queries run in Spark SQL and DuckDB with the same
 * results.
 */
class AggregateJobIT {
  @TempDir static Path dir;
  static final String TREG_TRUTH = "cells/singlets/live/leukocytes/lymphocytes/T/CD4/Treg";

  /**
   * Effector-memory T-cell features that ld-IL2 leaves alone: fold change 1.0 at D8 in TRIAL.md
   * section 3 ("Tconv, CD8, memory subsets ... 1.0") and in the generator.
   */
  static final List<String[]> EFFECTOR =
      List.of(
          new String[] {"P2", "CD4_EM", "pct_of_parent"},
          new String[] {"P2", "CD8_EM", "pct_of_parent"},
          new String[] {"P2", "CD4_TEMRA", "pct_of_parent"},
          new String[] {"P2", "CD8_TEMRA", "pct_of_parent"},
          new String[] {"P2", "CD8", "pct_of_parent"});

  /**
   * Activation of effector T cells: TRIAL.md simulates a small rise at D8 (1.05, log-SD 0.1), so
   * with 46 patients it may be detectable; these must agree with the generator's realised truth
   * and stay far below the Treg expansion. Truth path in truth/effects.csv for each.
   */
  static final Map<String, String> ACTIVATION =
      Map.of(
          "CD4_activated", "cells/singlets/live/leukocytes/lymphocytes/T/CD4/Tconv/activated",
          "CD8_activated", "cells/singlets/live/leukocytes/lymphocytes/T/CD8/activated");

  static final double TOLERANCE = 0.05;

  static Path samplesLake;
  static Path trialLake;
  static Path trial;
  static AggregateJob.Result samplesResult;
  static AggregateJob.Result trialResult;

  @BeforeAll
  static void buildLakes() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Path home = SharedData.projectDir();
    samplesLake = dir.resolve("samples-lake");
    Lakes.ingestAndGate(spark, SeparableSamples.dir(), samplesLake, "agg-it");
    ClusterJob.run(
        spark,
        new ClusterJob.Options(
            samplesLake.toString(),
            home.resolve("conf"),
            home.resolve("schemas"),
            "flowsom",
            0,
            1L,
            15,
            "agg-it-cluster"));
    samplesResult =
        AggregateJob.run(
            spark,
            new AggregateJob.Options(
                samplesLake.toString(), home.resolve("conf"), home.resolve("schemas"), "agg-it"));

    trial = dir.resolve("trial");
    // Separable: the fold changes below are checked against truth within a few percent, which
    // the fixed gates of conf/gating only reach when populations do not overlap.
    TrialGenerator.run(
        GenerateOptions.defaults(trial)
            .withPatients(46)
            .withVisits(List.of("D1", "D8"))
            .withPanels(List.of("P1", "P2"))
            .withEventsPerSample(EVENTS_PER_SAMPLE)
            .withBadFraction(0)
            .withSeed(11)
            .withThreads(2)
            .withSeparable(true));
    trialLake = dir.resolve("trial-lake");
    Lakes.ingestAndGate(spark, trial, trialLake, "agg-it-trial");
    trialResult =
        AggregateJob.run(
            spark,
            new AggregateJob.Options(
                trialLake.toString(),
                home.resolve("conf"),
                home.resolve("schemas"),
                "agg-it-trial"));
  }

  /** P1 events per generated file (P2 half); the Treg count per sample scales with it. */
  static final int EVENTS_PER_SAMPLE = 12_000;

  static Dataset<Row> table(Path lake, String name) {
    return SparkTestSession.get().read().parquet(lake.resolve(name).toString());
  }

  @Test
  void everyTableMatchesItsContract() {
    Path schemas = SharedData.projectDir().resolve("schemas");
    for (Path lake : List.of(samplesLake, trialLake)) {
      for (String t :
          List.of(
              "immunophenotype",
              "cohort_summary",
              "clinical_response",
              "safety_summary",
              "differential")) {
        Dataset<Row> read = table(lake, t);
        TableSchema contract = TableSchema.load(schemas, t);
        assertEquals(List.of(), contract.differences(read.schema()), t);
        assertTrue(read.count() > 0, t + " is empty");
        for (String c : contract.requiredColumns()) {
          assertEquals(0, read.filter(read.col(c).isNull()).count(), t + "." + c + " has nulls");
        }
      }
      List<String> features =
          table(lake, "immunophenotype")
              .select("wide_column")
              .distinct()
              .orderBy("wide_column")
              .collectAsList()
              .stream()
              .map(r -> r.getString(0))
              .toList();
      Dataset<Row> wide = table(lake, "immunophenotype_wide");
      assertEquals(
          List.of(),
          TableSchema.wide(schemas, "immunophenotype_wide", features).differences(wide.schema()));
      assertEquals(
          table(lake, "immunophenotype").select("patient_id", "visit").distinct().count(),
          wide.count());
    }
    assertEquals(11, samplesResult.patients());
    assertEquals(List.of(), samplesResult.unknownDiseases());
    // every kind of feature is there on separable samples (clusters ran there)
    List<String> kinds =
        table(samplesLake, "immunophenotype")
            .select("kind")
            .distinct()
            .orderBy("kind")
            .collectAsList()
            .stream()
            .map(r -> r.getString(0))
            .toList();
    assertEquals(
        List.of("absolute_count", "marker_median", "metacluster", "population", "ratio"), kinds);
  }

  @Test
  void wideRowsHoldTheLongValues() {
    Row w =
        table(samplesLake, "immunophenotype_wide")
            .filter("visit = 'D8'")
            .orderBy("patient_id")
            .first();
    Row l =
        table(samplesLake, "immunophenotype")
            .filter(
                "visit = 'D8' AND patient_id = '"
                    + w.getAs("patient_id")
                    + "' AND wide_column = 'p1_treg_pct_of_parent'")
            .first();
    assertEquals((double) l.getAs("value"), (double) w.getAs("p1_treg_pct_of_parent"), 0);
    // the baseline of a D8 row is the same feature's D1 value, fold change their ratio
    Row d1 =
        table(samplesLake, "immunophenotype")
            .filter(
                "visit = 'D1' AND patient_id = '"
                    + w.getAs("patient_id")
                    + "' AND wide_column = 'p1_treg_pct_of_parent'")
            .first();
    assertEquals((double) d1.getAs("value"), (double) l.getAs("baseline_value"), 0);
    assertEquals(
        (double) l.getAs("value") / (double) d1.getAs("value"),
        (double) l.getAs("fold_change"),
        1e-12);
  }

  /**
   * The truth fold change per cohort: median over the cohort's patients (those with both P1 files
   * in the lake) of truth % of parent at D8 / at D1, from truth/populations.csv.
   */
  static Map<String, Double> truthTregFoldChange(Path trialDir, Path lake) throws Exception {
    Map<String, Double> truthPct = new HashMap<>();
    for (String line : Files.readAllLines(trialDir.resolve("truth/populations.csv"))) {
      String[] f = line.split(",", -1);
      if (f[1].equals(TREG_TRUTH) && !f[4].isEmpty()) {
        truthPct.put(f[0], Double.parseDouble(f[4]));
      }
    }
    Map<String, String> pathOfSample = new HashMap<>();
    for (Row r : table(lake, "ingest_ledger").filter("sample_id IS NOT NULL").collectAsList()) {
      pathOfSample.put(r.getAs("sample_id"), r.getAs("path"));
    }
    Map<String, Map<String, Double>> byPatient = new TreeMap<>();
    Map<String, String> cohortOf = new HashMap<>();
    for (Row r :
        table(lake, "immunophenotype")
            .filter("wide_column = 'p1_treg_pct_of_parent'")
            .select("patient_id", "cohort", "visit")
            .collectAsList()) {
      cohortOf.put(r.getString(0), r.getString(1));
    }
    for (Row r : table(lake, "samples").filter("panel = 'P1'").collectAsList()) {
      String path = pathOfSample.get(r.<String>getAs("sample_id"));
      String rel =
          truthPct.keySet().stream()
              .filter(k -> path != null && path.endsWith("/" + k))
              .findFirst()
              .orElse(null);
      if (rel != null) {
        byPatient
            .computeIfAbsent(r.getAs("patient_id"), k -> new HashMap<>())
            .put(r.getAs("visit"), truthPct.get(rel));
      }
    }
    Map<String, List<Double>> folds = new TreeMap<>();
    byPatient.forEach(
        (patient, v) -> {
          if (v.containsKey("D1")
              && v.containsKey("D8")
              && v.get("D1") > 0
              && cohortOf.containsKey(patient)) {
            double fc = v.get("D8") / v.get("D1");
            folds.computeIfAbsent(cohortOf.get(patient), k -> new ArrayList<>()).add(fc);
            folds.computeIfAbsent("ALL", k -> new ArrayList<>()).add(fc);
          }
        });
    Map<String, Double> out = new TreeMap<>();
    folds.forEach(
        (c, l) -> out.put(c, Quantiles.type7Median(l.stream().mapToDouble(x -> x).toArray())));
    return out;
  }

  static Map<String, Row> summaryRows(
      Path lake, String visit, String panel, String feature, String statistic) {
    Map<String, Row> out = new TreeMap<>();
    for (Row r :
        table(lake, "cohort_summary")
            .filter(
                String.format(
                    Locale.ROOT,
                    "visit = '%s' AND panel = '%s' AND feature = '%s' AND statistic = '%s'",
                    visit,
                    panel,
                    feature,
                    statistic))
            .collectAsList()) {
      out.put(r.getAs("cohort"), r);
    }
    return out;
  }

  /** Measured vs truth per cohort; fails listing every cohort outside the tolerance. */
  static void assertTregFoldChangeMatchesTruth(Path trialDir, Path lake, int minPatients)
      throws Exception {
    Map<String, Double> truth = truthTregFoldChange(trialDir, lake);
    Map<String, Row> measured = summaryRows(lake, "D8", "P1", "Treg", "pct_of_parent");
    List<String> report = new ArrayList<>();
    List<String> misses = new ArrayList<>();
    for (Map.Entry<String, Double> e : truth.entrySet()) {
      Row r = measured.get(e.getKey());
      assertNotNull(r, "no cohort_summary row for cohort " + e.getKey());
      double fc = r.getAs("median_fold_change");
      double rel = fc / e.getValue() - 1;
      String line =
          String.format(
              Locale.ROOT,
              "%s n=%d measured %.4f truth %.4f (%+.1f%%)",
              e.getKey(),
              (int) r.getAs("n_paired"),
              fc,
              e.getValue(),
              100 * rel);
      report.add(line);
      if (Math.abs(rel) > TOLERANCE) {
        misses.add(line);
      }
      if (!e.getKey().equals("ALL")) {
        assertTrue((int) r.getAs("n_paired") >= minPatients, line);
      }
    }
    System.out.println(
        "Treg % of CD4 fold change D8/D1 by cohort, "
            + lake.getFileName()
            + ":\n  "
            + String.join("\n  ", report));
    assertTrue(truth.size() >= 11, "cohorts with truth: " + truth.keySet());
    assertEquals(List.of(), misses, "cohorts outside " + (100 * TOLERANCE) + "% of truth");
  }

  @Test
  void tregFoldChangeAtD8MatchesTruthOnDataSamples() throws Exception {
    assertTregFoldChangeMatchesTruth(SeparableSamples.dir(), samplesLake, 1);
  }

  @Test
  void tregFoldChangeAtD8MatchesTruthOnTheGeneratedTrial() throws Exception {
    assertTregFoldChangeMatchesTruth(trial, trialLake, 4);
  }

  @Test
  void effectorTCellsShowNoSignificantChangeAtD8() {
    for (Path lake : List.of(samplesLake, trialLake)) {
      List<String> report = new ArrayList<>();
      List<String[]> features = new ArrayList<>(EFFECTOR);
      if (lake == samplesLake) {
        // on separable samples (10 pairs) the activation features are not significant either
        ACTIVATION.keySet().forEach(f -> features.add(new String[] {"P2", f, "pct_of_parent"}));
        features.add(new String[] {"P2", "Tconv", "median_hla_dr"});
        features.add(new String[] {"P2", "CD8", "median_hla_dr"});
      }
      List<String> significant = new ArrayList<>();
      for (String[] f : features) {
        Map<String, Row> rows = summaryRows(lake, "D8", f[0], f[1], f[2]);
        assertTrue(rows.containsKey("ALL"), "no pooled row for " + String.join(" ", f));
        for (Row r : rows.values()) {
          Object q = r.getAs("q_value");
          String line =
              String.format(
                  Locale.ROOT,
                  "%s %s %s: n %d, median fc %.3f, p %s, q %s",
                  r.getAs("cohort"),
                  f[1],
                  f[2],
                  (int) r.getAs("n_paired"),
                  (Double) r.getAs("median_fold_change"),
                  r.getAs("p_value"),
                  q);
          report.add(line);
          if (q != null && (double) q <= 0.05) {
            significant.add(line);
          }
        }
      }
      System.out.println(
          "effector T cells at D8, "
              + lake.getFileName()
              + " (pooled):\n  "
              + String.join("\n  ", report.stream().filter(s -> s.startsWith("ALL")).toList()));
      assertEquals(List.of(), significant, "significant effector T-cell changes");
    }
  }

  @Test
  void effectorActivationFollowsTheTruthAndStaysSmall() throws Exception {
    Map<String, Double> truth = new HashMap<>();
    for (String line : Files.readAllLines(trial.resolve("truth/effects.csv"))) {
      String[] f = line.split(",", -1);
      if (f[0].equals("ALL")
          && f[1].equals("D8")
          && f[3].equals("pct_of_parent")
          && !f[5].isEmpty()) {
        truth.put(f[2], Double.parseDouble(f[5]));
      }
    }
    Row treg = summaryRows(trialLake, "D8", "P1", "Treg", "pct_of_parent").get("ALL");
    for (Map.Entry<String, String> e : ACTIVATION.entrySet()) {
      Row r = summaryRows(trialLake, "D8", "P2", e.getKey(), "pct_of_parent").get("ALL");
      double fc = r.getAs("median_fold_change");
      double t = truth.get(e.getValue());
      System.out.printf(
          Locale.ROOT,
          "pooled D8 %s %% of parent, trial-lake: n %d, median fc %.4f"
              + " (truth %.4f, %+.1f%%), p %.3g, q %.3g%n",
          e.getKey(),
          (int) r.getAs("n_paired"),
          fc,
          t,
          100 * (fc / t - 1),
          (double) r.getAs("p_value"),
          (double) r.getAs("q_value"));
      assertEquals(t, fc, 0.05 * t, e.getKey() + " against truth");
      assertTrue(
          fc < 1.25 && (double) treg.getAs("median_fold_change") > 1.5 * fc,
          e.getKey() + " fold change " + fc);
    }
  }

  @Test
  void pooledD8TregExpansionIsSignificantAfterBenjaminiHochberg() {
    for (Path lake : List.of(samplesLake, trialLake)) {
      Row all = summaryRows(lake, "D8", "P1", "Treg", "pct_of_parent").get("ALL");
      System.out.printf(
          Locale.ROOT,
          "pooled D8 Treg %% of CD4, %s: n %d, median fc %.3f, V %.1f,"
              + " p %.3g (exact %s), q %.3g%n",
          lake.getFileName(),
          (int) all.getAs("n_paired"),
          (double) all.getAs("median_fold_change"),
          (double) all.getAs("wilcoxon_v"),
          (double) all.getAs("p_value"),
          all.getAs("p_exact"),
          (double) all.getAs("q_value"));
      assertTrue((double) all.getAs("median_fold_change") > 1.15);
      assertTrue((double) all.getAs("q_value") < 0.05, "q " + all.getAs("q_value"));
      // the BH family is the cohort x visit: q >= p, and the family has many features
      assertTrue((double) all.getAs("q_value") >= (double) all.getAs("p_value"));
    }
  }

  /**
   * Per cohort (and ALL, the equal-weight mean over cohorts, as the differential table pools),
   * the truth odds ratio of Treg % of CD4 at D8 against D1: exp of the mean over the cohort's
   * patients of logit(truth D8) − logit(truth D1), from truth/populations.csv.
   */
  static Map<String, Double> truthTregOddsRatio(Path trialDir, Path lake) throws Exception {
    Map<String, Double> truthPct = new HashMap<>();
    for (String line : Files.readAllLines(trialDir.resolve("truth/populations.csv"))) {
      String[] f = line.split(",", -1);
      if (f[1].equals(TREG_TRUTH) && !f[4].isEmpty()) {
        truthPct.put(f[0], Double.parseDouble(f[4]));
      }
    }
    Map<String, String> pathOfSample = new HashMap<>();
    for (Row r : table(lake, "ingest_ledger").filter("sample_id IS NOT NULL").collectAsList()) {
      pathOfSample.put(r.getAs("sample_id"), r.getAs("path"));
    }
    Map<String, String> cohortOf = new HashMap<>();
    for (Row r :
        table(lake, "immunophenotype")
            .filter("wide_column = 'p1_treg_pct_of_parent'")
            .select("patient_id", "cohort")
            .collectAsList()) {
      cohortOf.put(r.getString(0), r.getString(1));
    }
    Map<String, Map<String, Double>> byPatient = new TreeMap<>();
    for (Row r : table(lake, "samples").filter("panel = 'P1'").collectAsList()) {
      String path = pathOfSample.get(r.<String>getAs("sample_id"));
      truthPct.keySet().stream()
          .filter(k -> path != null && path.endsWith("/" + k))
          .findFirst()
          .ifPresent(
              rel ->
                  byPatient
                      .computeIfAbsent(r.getAs("patient_id"), k -> new HashMap<>())
                      .put(r.getAs("visit"), truthPct.get(rel)));
    }
    Map<String, List<Double>> logOdds = new TreeMap<>();
    byPatient.forEach(
        (patient, v) -> {
          if (v.containsKey("D1") && v.containsKey("D8") && cohortOf.containsKey(patient)) {
            double p1 = v.get("D1") / 100;
            double p8 = v.get("D8") / 100;
            logOdds
                .computeIfAbsent(cohortOf.get(patient), k -> new ArrayList<>())
                .add(Math.log(p8 / (1 - p8)) - Math.log(p1 / (1 - p1)));
          }
        });
    Map<String, Double> out = new TreeMap<>();
    double sum = 0;
    for (Map.Entry<String, List<Double>> e : logOdds.entrySet()) {
      double mean = e.getValue().stream().mapToDouble(x -> x).average().orElseThrow();
      out.put(e.getKey(), Math.exp(mean));
      sum += mean;
    }
    out.put("ALL", Math.exp(sum / logOdds.size()));
    return out;
  }

  static Map<String, Row> differentialRows(
      Path lake, String model, String visit, String panel, String feature, String statistic) {
    Map<String, Row> out = new TreeMap<>();
    for (Row r :
        table(lake, "differential")
            .filter(
                String.format(
                    Locale.ROOT,
                    "model = '%s' AND visit = '%s' AND panel = '%s' AND feature = '%s' AND statistic = '%s'",
                    model,
                    visit,
                    panel,
                    feature,
                    statistic))
            .collectAsList()) {
      out.put(r.getAs("cohort"), r);
    }
    return out;
  }

  /**
   * The differential table on the 46-patient trial: the primary endpoint (pooled D8 Treg % of
   * CD4) is its own family, tested and significant with q = p; its odds ratio is within 5% of the
   * truth's, and every cohort's 95% interval holds its truth odds ratio; pooled effector T-cell
   * features are not significant in their exploratory family; every untested row says why; the
   * secondary Wilcoxon rows repeat cohort_summary's p-values.
   */
  @Test
  void differentialTestsThePrimaryEndpointAloneAndFollowsTheTruth() throws Exception {
    Dataset<Row> d = table(trialLake, "differential");
    assertEquals(1, d.filter("family = 'primary'").count());
    Map<String, Row> treg = differentialRows(trialLake, "lmm", "D8", "P1", "Treg", "pct_of_parent");
    Row primary = treg.get("ALL");
    assertEquals("primary", primary.getAs("family"));
    assertTrue((boolean) primary.getAs("tested"), String.valueOf(primary));
    assertEquals((double) primary.getAs("p"), (double) primary.getAs("q"), 0);
    assertTrue((double) primary.getAs("p") < 1e-6, String.valueOf(primary));
    assertEquals("odds_ratio", primary.getAs("scale"));
    Map<String, Double> truth = truthTregOddsRatio(trial, trialLake);
    List<String> report = new ArrayList<>();
    List<String> misses = new ArrayList<>();
    for (Map.Entry<String, Double> e : truth.entrySet()) {
      Row r = treg.get(e.getKey());
      assertNotNull(r, "no differential row for " + e.getKey());
      double est = r.getAs("estimate");
      double lo = r.getAs("ci_low");
      double hi = r.getAs("ci_high");
      String line =
          String.format(
              Locale.ROOT,
              "%s n=%d OR %.3f [%.3f, %.3f] truth %.3f p %.3g" + " q %s %s",
              e.getKey(),
              (int) r.getAs("n_patients"),
              est,
              lo,
              hi,
              e.getValue(),
              (double) r.getAs("p"),
              r.getAs("q"),
              r.getAs("family"));
      report.add(line);
      if (!(lo <= e.getValue() && e.getValue() <= hi)) {
        misses.add(line);
      }
    }
    System.out.println(
        "differential, Treg % of CD4 D8 vs D1 odds ratio, trial-lake:\n  "
            + String.join("\n  ", report));
    assertEquals(List.of(), misses, "truth outside the 95% interval");
    assertEquals(truth.get("ALL"), (double) primary.getAs("estimate"), 0.05 * truth.get("ALL"));
    for (String[] f : EFFECTOR) {
      Row r = differentialRows(trialLake, "lmm", "D8", f[0], f[1], f[2]).get("ALL");
      assertTrue(r.getAs("family").toString().equals("exploratory:" + f[0] + ":D8"));
      Object q = r.getAs("q");
      assertTrue(q == null || (double) q > 0.05, "effector significant: " + r);
    }
    assertEquals(
        0,
        d.filter(
                "tested AND (p IS NULL OR why_not_tested IS NOT NULL)"
                    + " OR NOT tested AND (why_not_tested IS NULL OR p IS NOT NULL OR q IS NOT NULL)")
            .count());
    Row w = differentialRows(trialLake, "wilcoxon", "D8", "P1", "Treg", "pct_of_parent").get("ALL");
    Row cs = summaryRows(trialLake, "D8", "P1", "Treg", "pct_of_parent").get("ALL");
    assertEquals((double) cs.getAs("p_value"), (double) w.getAs("p"), 0);
    assertEquals((double) cs.getAs("median_fold_change"), (double) w.getAs("estimate"), 1e-12);
  }

  /** Scales whose values cannot be negative: the only ones with a fold change. */
  static final List<String> NON_NEGATIVE = List.of("percent", "count", "count_ratio");

  /**
   * Marker medians are intensities in the arcsinh(x/150) units of conf/panels.yaml: no row of
   * either table has a fold change of one; each patient's linear ratio is sinh(value) /
   * sinh(baseline) where the linear baseline is positive; the summary's median linear ratio is
   * the median of those; percentages, counts and count ratios keep their fold change.
   */
  @Test
  void markerMediansGetAChangeAndALinearRatioButNoFoldChange() {
    for (Path lake : List.of(samplesLake, trialLake)) {
      Dataset<Row> im = table(lake, "immunophenotype");
      assertEquals(
          List.of(),
          im.filter(
                  "(kind = 'marker_median' OR kind = 'metacluster' AND statistic LIKE 'median_%')"
                      + " AND scale <> 'asinh:cofactor=150'"
                      + " OR kind = 'population' AND scale <> 'percent'"
                      + " OR kind = 'metacluster' AND statistic = 'pct_of_sample'"
                      + " AND scale <> 'percent'"
                      + " OR kind = 'absolute_count' AND scale <> 'count'"
                      + " OR kind = 'ratio' AND scale <> 'count_ratio'")
              .collectAsList());
      String nonNegative = "('" + String.join("', '", NON_NEGATIVE) + "')";
      assertEquals(
          0,
          im.filter("scale NOT IN " + nonNegative + " AND fold_change IS NOT NULL").count(),
          "fold change of an intensity");
      assertEquals(
          0,
          im.filter("scale IN " + nonNegative + " AND linear_ratio IS NOT NULL").count(),
          "linear ratio of a non-intensity");
      assertTrue(im.filter("scale IN " + nonNegative + " AND fold_change IS NOT NULL").count() > 0);
      List<Row> medians =
          im.filter(
                  "statistic LIKE 'median_%' AND value IS NOT NULL"
                      + " AND baseline_value IS NOT NULL")
              .collectAsList();
      assertFalse(medians.isEmpty());
      for (Row r : medians) {
        double v = r.getAs("value");
        double b = r.getAs("baseline_value");
        Double ratio = r.getAs("linear_ratio");
        assertEquals(v - b, (double) r.getAs("change"), 1e-12);
        if (Math.sinh(b) > 0 && Math.sinh(v) >= 0) {
          assertNotNull(ratio, r.toString());
          assertEquals(Math.sinh(v) / Math.sinh(b), ratio, 1e-9 * ratio, r.toString());
        } else {
          assertNull(ratio, r.toString());
        }
      }
      Dataset<Row> cs = table(lake, "cohort_summary");
      assertEquals(
          0,
          cs.filter("scale NOT IN " + nonNegative + " AND median_fold_change IS NOT NULL").count(),
          "median fold change of an intensity");
      assertEquals(
          0, cs.filter("scale IN " + nonNegative + " AND median_linear_ratio IS NOT NULL").count());
      Row cd25 = summaryRows(lake, "D8", "P1", "Treg", "median_cd25").get("ALL");
      double[] ratios =
          im
              .filter(
                  "visit = 'D8' AND panel = 'P1' AND feature = 'Treg'"
                      + " AND statistic = 'median_cd25' AND linear_ratio IS NOT NULL")
              .select("linear_ratio")
              .collectAsList()
              .stream()
              .mapToDouble(r -> r.getDouble(0))
              .toArray();
      assertEquals(ratios.length, (int) cd25.getAs("n_ratio"));
      assertEquals(
          Quantiles.type7Median(ratios), (double) cd25.getAs("median_linear_ratio"), 1e-12);
      assertEquals("asinh:cofactor=150", cd25.getAs("scale"));
    }
  }

  /**
   * The generator draws marker intensities on the linear scale and its truth/effects.csv gives,
   * for the marker medians, the median over patients of linear median(D8) / linear median(D1):
   * the pooled median linear ratio estimates exactly that, whereas a ratio of the arcsinh medians
   * (what fold_change was before) does not.
   */
  @Test
  void linearRatiosOfMarkerMediansFollowTheTruth() throws Exception {
    for (Path[] lt :
        List.of(new Path[] {samplesLake, SeparableSamples.dir()}, new Path[] {trialLake, trial})) {
      Map<String, Double> truth = new TreeMap<>();
      for (String line : Files.readAllLines(lt[1].resolve("truth/effects.csv"))) {
        String[] f = line.split(",", -1);
        if (f[0].equals("ALL")
            && f[1].equals("D8")
            && f[3].startsWith("median_")
            && !f[5].isEmpty()) {
          String population = f[2].substring(f[2].lastIndexOf('/') + 1);
          truth.put(population + " " + f[3].toLowerCase(Locale.ROOT), Double.parseDouble(f[5]));
        }
      }
      assertEquals(3, truth.size(), "truth medians: " + truth.keySet());
      List<String> report = new ArrayList<>();
      List<String> misses = new ArrayList<>();
      for (Map.Entry<String, Double> e : truth.entrySet()) {
        String[] pf = e.getKey().split(" ");
        Row r = summaryRows(lt[0], "D8", "P1", pf[0], pf[1]).get("ALL");
        assertNotNull(r, "no pooled D8 row for " + e.getKey());
        double ratio = r.getAs("median_linear_ratio");
        double asinhRatio =
            Quantiles.type7Median(
                table(lt[0], "immunophenotype")
                    .filter(
                        "visit = 'D8' AND panel = 'P1' AND feature = '"
                            + pf[0]
                            + "' AND statistic = '"
                            + pf[1]
                            + "' AND baseline_value > 0")
                    .selectExpr("value / baseline_value")
                    .collectAsList()
                    .stream()
                    .mapToDouble(x -> x.getDouble(0))
                    .toArray());
        String line =
            String.format(
                Locale.ROOT,
                "%s: n %d, median change %+.3f asinh,"
                    + " median linear ratio %.4f, truth %.4f (%+.1f%%); ratio of asinh medians %.4f",
                e.getKey(),
                (int) r.getAs("n_ratio"),
                (double) r.getAs("median_change"),
                ratio,
                e.getValue(),
                100 * (ratio / e.getValue() - 1),
                asinhRatio);
        report.add(line);
        if (Math.abs(ratio / e.getValue() - 1) > LINEAR_RATIO_TOLERANCE) {
          misses.add(line);
        }
      }
      System.out.println(
          "pooled D8 marker medians, "
              + lt[0].getFileName()
              + ":\n  "
              + String.join("\n  ", report));
      assertEquals(List.of(), misses, "outside " + 100 * LINEAR_RATIO_TOLERANCE + "% of truth");
    }
  }

  /**
   * Bound on |median linear ratio / truth − 1| of the pooled D8 marker medians. Truth's medians
   * are of the drawn signal; the lake's include what the instrument adds after it (daily detector
   * gain, up to ±0.13 arcsinh units per sample, photon noise, spillover and its compensation).
   * Measured 2026-12-03: at most 4.6% off (separable samples), 2.0% (the 46-patient trial).
   */
  static final double LINEAR_RATIO_TOLERANCE = 0.10;

  @Test
  void clinicalResponseFollowsTheScoresAndTheBaseline() {
    Dataset<Row> cr = table(samplesLake, "clinical_response");
    Dataset<Row> scores = table(samplesLake, "disease_scores");
    // one row per patient x visit of the cohort's score: 11 patients x 6 scored visits at most
    assertEquals(cr.count(), cr.select("patient_id", "visit").distinct().count());
    assertEquals(11, cr.select("patient_id").distinct().count());
    assertEquals(0, cr.filter("visit = 'D1' AND responder IS NOT NULL").count());
    assertEquals(
        0, cr.filter("visit <> 'D1' AND baseline_value IS NOT NULL AND responder IS NULL").count());
    // the baseline is the same patient's D1 score of the same test
    Row m6 = cr.filter("visit = 'M6' AND cohort = 'RA'").first();
    double d1 =
        scores
            .filter(
                "visit = 'D1' AND test_code = 'DAS28CRP' AND patient_id = '"
                    + m6.getAs("patient_id")
                    + "'")
            .first()
            .getAs("value");
    assertEquals(d1, (double) m6.getAs("baseline_value"), 0);
    assertEquals((double) m6.getAs("value") - d1, (double) m6.getAs("change"), 1e-12);
    boolean expected =
        d1 - (double) m6.getAs("value") > 1.2
            || (d1 - (double) m6.getAs("value") > 0.6 && (double) m6.getAs("value") <= 5.1);
    assertEquals(expected, m6.getAs("responder"));
    assertEquals(11, table(trialLake, "clinical_response").select("cohort").distinct().count());
  }

  @Test
  void safetySummaryReconcilesWithTheAdverseEvents() {
    for (Path lake : List.of(samplesLake, trialLake)) {
      Dataset<Row> s = table(lake, "safety_summary");
      long events = table(lake, "adverse_events").count();
      long related =
          table(lake, "adverse_events")
              .filter("related IS NOT NULL AND upper(related) <> 'NOT RELATED'")
              .count();
      Row cohorts =
          s.filter("cohort <> 'ALL'").selectExpr("sum(events)", "sum(related_events)").first();
      Row pooled =
          s.filter("cohort = 'ALL'")
              .selectExpr("sum(events)", "sum(related_events)", "max(cohort_patients)")
              .first();
      assertEquals(events, cohorts.getLong(0));
      assertEquals(events, pooled.getLong(0));
      assertEquals(related, cohorts.getLong(1));
      assertEquals(related, pooled.getLong(1));
      assertEquals(table(lake, "patients").count(), pooled.getLong(2));
      assertEquals(
          0,
          s.filter(
                  "patients > cohort_patients OR related_patients > patients"
                      + " OR patients > events")
              .count());
    }
  }

  @Test
  void cohortSummaryDescribesEveryCohortAndThePool() {
    Map<String, Row> d8 = summaryRows(trialLake, "D8", "P1", "Treg", "pct_of_parent");
    assertEquals(12, d8.size(), "cohorts: " + d8.keySet());
    Row all = d8.get("ALL");
    int sum =
        d8.entrySet().stream()
            .filter(e -> !e.getKey().equals("ALL"))
            .mapToInt(e -> (int) e.getValue().getAs("n"))
            .sum();
    assertEquals(sum, (int) all.getAs("n"));
    assertTrue(
        (double) all.getAs("q1") <= (double) all.getAs("median")
            && (double) all.getAs("median") <= (double) all.getAs("q3"));
    Row d1 = summaryRows(trialLake, "D1", "P1", "Treg", "pct_of_parent").get("ALL");
    assertNull(d1.getAs("p_value"));
  }

  /** The fenced {@code sql} blocks of README.md whose first line is {@code -- <engine>}. */
  static List<String> readmeQueries(String engine) throws Exception {
    String readme = Files.readString(SharedData.projectDir().resolve("README.md"));
    Matcher m =
        Pattern.compile("```sql\n-- " + Pattern.quote(engine) + "\n(.*?)```", Pattern.DOTALL)
            .matcher(readme);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1).trim());
    }
    return out;
  }

  /**
   * Every analyst query of README.md runs as written, in Spark SQL and in DuckDB, on the
   * separable samples lake (the README's {@code lake/} prefix becomes this test's lake directory), and
   * the two engines return the same rows.
   */
  @Test
  void readmeQueriesRunInSparkSqlAndDuckDb() throws Exception {
    List<String> spark = readmeQueries("Spark SQL");
    List<String> duck = readmeQueries("DuckDB");
    assertTrue(spark.size() >= 5, "Spark SQL queries in README: " + spark.size());
    assertEquals(spark.size(), duck.size(), "each query in both engines");
    String root = samplesLake.toAbsolutePath().toString().replace('\\', '/') + "/";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      for (int i = 0; i < spark.size(); i++) {
        assertTrue(spark.get(i).contains("`lake/"), spark.get(i));
        assertTrue(duck.get(i).contains("'lake/"), duck.get(i));
        List<Row> sparkRows =
            SparkTestSession.get().sql(spark.get(i).replace("`lake/", "`" + root)).collectAsList();
        List<List<String>> duckRows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(duck.get(i).replace("'lake/", "'" + root))) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            List<String> row = new ArrayList<>();
            for (int k = 1; k <= n; k++) {
              row.add(cell(rs.getObject(k)));
            }
            duckRows.add(row);
          }
        }
        assertFalse(sparkRows.isEmpty(), "no rows: " + spark.get(i));
        List<List<String>> sparkCells = new ArrayList<>();
        for (Row r : sparkRows) {
          List<String> row = new ArrayList<>();
          for (int k = 0; k < r.size(); k++) {
            row.add(cell(r.get(k)));
          }
          sparkCells.add(row);
        }
        assertEquals(sparkCells, duckRows, "query " + (i + 1) + ": Spark SQL and DuckDB differ");
      }
    }
  }

  /** A cell as text for comparing engines: numbers to 6 significant digits, null as null. */
  static String cell(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Number n) {
      return String.format(Locale.ROOT, "%.6g", n.doubleValue());
    }
    return v.toString();
  }
}
