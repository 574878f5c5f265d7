package org.cytolake.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * The 11 disease cohorts of TRANSREG (TRIAL.md sections 1 and 4): patients per cohort, sex ratio,
 * the disease score(s) with baseline and change at M6 (mean ± SD), and the few disease-specific
 * immune baselines TRIAL.md names (SLE: Treg deficit with 0.8× CD25 on Tregs; vasculitides: lower
 * Tregs, after Boyer 2004). Values marked {@code [A]} in TRIAL.md are assumptions.
 */
public enum Cohort {
  RA(
      "RA",
      "Rheumatoid arthritis",
      5,
      0.60,
      "03",
      8,
      1.0,
      1.0,
      1.0,
      score("DAS28CRP", "DAS28-CRP", "", 0, 9.4, 2, 4.0, 0.8, -0.6, 0.9, 2.6)),
  AS(
      "AS",
      "Ankylosing spondylitis",
      4,
      0.30,
      "03",
      10,
      1.0,
      1.0,
      1.0,
      score("BASDAI", "BASDAI", "", 0, 10, 1, 4.5, 1.5, -1.0, 1.5, 2)),
  SLE(
      "SLE",
      "Systemic lupus erythematosus",
      4,
      0.90,
      "01",
      4,
      0.8,
      0.8,
      0.8,
      score("SLEDAI2K", "SLEDAI-2K", "", 0, 105, 0, 6, 3, -2, 3, 2)),
  PSO(
      "PSO",
      "Psoriasis",
      4,
      0.60,
      "04",
      4,
      1.0,
      1.0,
      1.0,
      score("PASI", "PASI", "", 0, 72, 1, 8, 4, -2.5, 3.5, 2)),
  BEH(
      "BEH",
      "Behcet's disease",
      5,
      0.60,
      "01",
      6,
      0.85,
      1.0,
      1.0,
      score("BDCAF", "BDCAF", "", 0, 12, 0, 3, 2, -1, 1.5, 1)),
  GPA(
      "GPA",
      "Granulomatosis with polyangiitis",
      4,
      0.60,
      "01",
      7,
      0.85,
      1.0,
      1.0,
      score("BVAS", "BVAS v3", "", 0, 63, 0, 3, 2, -1, 2, 1)),
  TAK(
      "TAK",
      "Takayasu arteritis",
      4,
      0.90,
      "01",
      9,
      0.85,
      1.0,
      1.0,
      score("ITAS2010", "ITAS2010", "", 0, 51, 0, 2, 2, -0.5, 1.5, 1)),
  CD(
      "CD",
      "Crohn's disease",
      4,
      0.60,
      "02",
      10,
      1.0,
      1.0,
      1.0,
      score("HBI", "Harvey-Bradshaw Index", "", 0, 30, 0, 6, 3, -1.5, 3, 2)),
  UC(
      "UC",
      "Ulcerative colitis",
      4,
      0.60,
      "02",
      8,
      1.0,
      1.0,
      1.0,
      score("MAYO", "Mayo score", "", 0, 12, 0, 5, 2, -1.5, 2.5, 2)),
  AIH(
      "AIH",
      "Autoimmune hepatitis",
      4,
      0.60,
      "02",
      3,
      1.0,
      1.0,
      1.0,
      relative("ALTULN", "ALT (x ULN)", "xULN", 2, 1.5, 0.8, -0.20, 0.30, 0.6),
      relative("IGG", "Immunoglobulin G", "g/L", 1, 14, 4, -0.20, 0.30, 6)),
  PSC(
      "PSC",
      "Primary sclerosing cholangitis",
      4,
      0.60,
      "02",
      4,
      1.0,
      1.0,
      1.0,
      relative("ALPULN", "ALP (x ULN)", "xULN", 2, 2.0, 1.0, -0.10, 0.25, 0.8));

  /**
   * A disease-activity measure (QS row). Absolute scores change by {@code delta} points at M6;
   * relative ones (liver tests) by {@code delta} × baseline.
   */
  public record Score(
      String testCode,
      String test,
      String unit,
      double min,
      double max,
      int decimals,
      double baselineMean,
      double baselineSd,
      double deltaMean,
      double deltaSd,
      boolean relative,
      double baselineMin) {}

  private final String code;
  private final String disease;
  private final int defaultPatients;
  private final double femaleFraction;
  private final String site;
  private final double crpMedian;
  private final double tregFactor;
  private final double cd25TregFactor;
  private final double lymphocyteFactor;
  private final List<Score> scores;

  Cohort(
      String code,
      String disease,
      int defaultPatients,
      double femaleFraction,
      String site,
      double crpMedian,
      double tregFactor,
      double cd25TregFactor,
      double lymphocyteFactor,
      Score... scores) {
    this.code = code;
    this.disease = disease;
    this.defaultPatients = defaultPatients;
    this.femaleFraction = femaleFraction;
    this.site = site;
    this.crpMedian = crpMedian;
    this.tregFactor = tregFactor;
    this.cd25TregFactor = cd25TregFactor;
    this.lymphocyteFactor = lymphocyteFactor;
    this.scores = List.of(scores);
  }

  private static Score score(
      String cd,
      String name,
      String unit,
      double min,
      double max,
      int decimals,
      double mean,
      double sd,
      double dMean,
      double dSd,
      double baselineMin) {
    return new Score(cd, name, unit, min, max, decimals, mean, sd, dMean, dSd, false, baselineMin);
  }

  private static Score relative(
      String cd,
      String name,
      String unit,
      int decimals,
      double mean,
      double sd,
      double dMean,
      double dSd,
      double baselineMin) {
    return new Score(
        cd, name, unit, 0, Double.MAX_VALUE, decimals, mean, sd, dMean, dSd, true, baselineMin);
  }

  /** Short code used in patient ids, e.g. {@code RA} in {@code TRANSREG-RA-01}. */
  public String code() {
    return code;
  }

  public String disease() {
    return disease;
  }

  /** Patients of this cohort in the 46-patient trial (TRIAL.md section 1). */
  public int defaultPatients() {
    return defaultPatients;
  }

  public double femaleFraction() {
    return femaleFraction;
  }

  /** SDTM SITEID of the department that follows the cohort. */
  public String site() {
    return site;
  }

  /** Median baseline CRP in mg/L {@code [A]}. */
  public double crpMedian() {
    return crpMedian;
  }

  /** Baseline Treg % of CD4 relative to the trial mean. */
  public double tregFactor() {
    return tregFactor;
  }

  /** Baseline CD25 intensity on Tregs relative to other cohorts (SLE 0.8×). */
  public double cd25TregFactor() {
    return cd25TregFactor;
  }

  /** Baseline lymphocytes % of leukocytes relative to the trial mean (SLE lymphopenia). */
  public double lymphocyteFactor() {
    return lymphocyteFactor;
  }

  /** The QS disease measures, first = the cohort's main score. */
  public List<Score> scores() {
    return scores;
  }

  /**
   * The cohorts of the first {@code n} patients, in enrolment order: round-robin over the 11
   * cohorts, each cohort skipped once it has its TRIAL.md count, so every cohort has one patient
   * before any has two and 46 patients give exactly the TRIAL.md split; beyond 46, plain
   * round-robin.
   */
  public static List<Cohort> assign(int n) {
    List<Cohort> out = new ArrayList<>(n);
    int[] have = new int[values().length];
    int total = 0;
    for (Cohort c : values()) {
      total += c.defaultPatients;
    }
    while (out.size() < n) {
      boolean capped = out.size() < total;
      for (Cohort c : values()) {
        if (out.size() >= n) {
          break;
        }
        if (capped && have[c.ordinal()] >= c.defaultPatients) {
          continue;
        }
        have[c.ordinal()]++;
        out.add(c);
      }
    }
    return out;
  }
}
