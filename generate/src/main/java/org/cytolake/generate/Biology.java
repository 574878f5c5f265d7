package org.cytolake.generate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.cytolake.generate.EffectModel.Effect;
import org.cytolake.generate.EffectModel.Group;
import org.cytolake.generate.EffectModel.IntensityEffect;
import org.cytolake.generate.PanelModel.Population;

/**
 * Per-patient baselines and per-visit states of the immune system, drawn from {@link PanelModel}
 * (baseline % of parent) and {@link EffectModel} (fold changes). The same state feeds the three
 * tubes of a visit, as one blood sample does.
 */
final class Biology {
  private static final List<Population> TREE = PanelModel.tree();
  private static final int LIVE = PanelModel.population(PanelModel.LIVE).index();
  private static final int CD45NEG = PanelModel.population(PanelModel.CD45NEG).index();
  private static final List<List<Integer>> CHILDREN = new ArrayList<>();

  /** The finest live populations, in tree order. */
  static final int[] LIVE_LEAVES;

  static {
    for (Population p : TREE) {
      CHILDREN.add(PanelModel.children(p.index()));
    }
    List<Integer> leaves = new ArrayList<>();
    for (Population p : TREE) {
      if (CHILDREN.get(p.index()).isEmpty() && within(p.index(), LIVE)) {
        leaves.add(p.index());
      }
    }
    LIVE_LEAVES = leaves.stream().mapToInt(Integer::intValue).toArray();
  }

  private final long seed;
  private final boolean separable;
  private final Map<Cohort, Double> diseaseMultiplier = new HashMap<>();

  /**
   * @param separable the separable model (patient intensity levels truncated at ±{@link
   *     PanelModel#TRUNCATION} SD) or the realistic one (untruncated); shares are the same
   */
  Biology(long seed, boolean separable) {
    this.seed = seed;
    this.separable = separable;
    for (Cohort c : Cohort.values()) {
      diseaseMultiplier.put(
          c,
          Seeds.random(seed, "disease-multiplier", c.code())
              .nextDouble(EffectModel.DISEASE_MIN, EffectModel.DISEASE_MAX));
    }
  }

  double diseaseMultiplier(Cohort c) {
    return diseaseMultiplier.get(c);
  }

  /**
   * A patient's baseline: shares, responder factor, intensity levels ({@code cohort} null for the
   * control aliquot's healthy donor, {@link #healthyDonor}).
   */
  record PatientState(
      String patientId,
      Cohort cohort,
      double responder,
      boolean eosinophilOutlier,
      double[] share,
      double[] intensity) {}

  /** One visit's state: fraction of parent of every node, live leaf probabilities, intensities. */
  record SampleState(
      PatientState patient,
      Visit visit,
      double[] fraction,
      double[] leafProbability,
      float[][] intensity,
      double[] effectFold) {
    /** Intended fraction of its parent of the population at {@code path}. */
    double fraction(String path) {
      return fraction[PanelModel.population(path).index()];
    }

    /** The fold change drawn for an effect at this visit (1 at D1). */
    double fold(Effect e) {
      return effectFold[EffectModel.EFFECTS.indexOf(e)];
    }
  }

  PatientState patient(String patientId, Cohort cohort) {
    return draw(
        patientId,
        cohort,
        Seeds.random(seed, "patient-biology", patientId),
        cohort.tregFactor(),
        cohort.lymphocyteFactor(),
        cohort.cd25TregFactor());
  }

  /**
   * A healthy donor outside the trial (the control aliquot's): drawn as a patient's baseline is,
   * from the named stream {@code control-biology}, but without any cohort's disease factors (Treg
   * %, lymphocyte %, Treg CD25 at the trial mean) and with no cohort; {@link #sample} at {@link
   * Visit#D1} then applies no treatment effect.
   */
  PatientState healthyDonor(String donorId) {
    return draw(donorId, null, Seeds.random(seed, "control-biology", donorId), 1, 1, 1);
  }

  /** A baseline from {@code rng}, with the cohort's factors on Treg %, lymphocyte %, Treg CD25. */
  private PatientState draw(
      String patientId,
      Cohort cohort,
      SplittableRandom rng,
      double tregFactor,
      double lymphocyteFactor,
      double cd25TregFactor) {
    double[] share = new double[TREE.size()];
    Map<String, Double> byKey = new HashMap<>();
    Map<String, Double> zByKey = new HashMap<>();
    for (Population p : TREE) {
      PanelModel.Share s = p.share();
      if (s == null) {
        share[p.index()] = Double.NaN;
        continue;
      }
      Double done = byKey.get(p.shareKey());
      if (done != null) {
        share[p.index()] = done;
        continue;
      }
      double z =
          s.zKey() == null
              ? rng.nextGaussian()
              : zByKey.computeIfAbsent(s.zKey(), k -> rng.nextGaussian());
      double m = s.meanPct() / 100;
      if (p.path().equals(PanelModel.TREG)) {
        m *= tregFactor;
      } else if (p.path().equals(PanelModel.LYMPHOCYTES)) {
        m *= lymphocyteFactor;
      }
      double[] musigma = logitNormal(m, s.sdPct() / 100);
      double v = logistic(musigma[0] + musigma[1] * z);
      v = Math.max(s.minPct() / 100, Math.min(s.maxPct() / 100, v));
      share[p.index()] = v;
      byKey.put(p.shareKey(), v);
    }
    double responder = Math.exp(EffectModel.RESPONDER_LOG_SD * rng.nextGaussian());
    boolean eos = rng.nextDouble() < EffectModel.EOSINOPHIL_OUTLIERS;
    double[] intensity = new double[EffectModel.INTENSITIES.size()];
    for (int i = 0; i < intensity.length; i++) {
      IntensityEffect ie = EffectModel.INTENSITIES.get(i);
      double f =
          separable
              ? Math.exp(0.1 * PanelModel.truncatedGaussian(rng))
              : Math.exp(RealisticModel.PATIENT_INTENSITY_LOG_SD * rng.nextGaussian());
      if (ie.effect() == EffectModel.CD25_TREG) {
        f *= cd25TregFactor;
      }
      intensity[i] = f;
    }
    return new PatientState(patientId, cohort, responder, eos, share, intensity);
  }

  SampleState sample(PatientState p, Visit visit) {
    SplittableRandom rng = Seeds.random(seed, "visit-biology", p.patientId(), visit.name());
    Group g = visit.group();
    // a baseline draws no fold, so a donor without a cohort needs no disease multiplier
    double m = g == Group.BASELINE ? 1 : diseaseMultiplier(p.cohort());
    List<Effect> effects = EffectModel.EFFECTS;
    double[] fold = new double[effects.size()];
    for (int i = 0; i < fold.length; i++) {
      fold[i] = g == Group.BASELINE ? 1 : drawFold(effects.get(i), g, p, m, rng);
    }
    double[] factor = new double[TREE.size()];
    Map<String, Double> byKey = new HashMap<>();
    for (Population n : TREE) {
      if (n.share() == null) {
        continue;
      }
      Effect e = EffectModel.shareEffect(n);
      if (e != null) {
        factor[n.index()] = fold[effects.indexOf(e)];
      } else if (g == Group.BASELINE) {
        factor[n.index()] = 1;
      } else {
        factor[n.index()] =
            byKey.computeIfAbsent(
                n.shareKey(), k -> Math.exp(EffectModel.VISIT_NOISE * rng.nextGaussian()));
      }
    }
    double[] fraction = new double[TREE.size()];
    fraction[0] = 1;
    for (Population n : TREE) {
      List<Integer> kids = CHILDREN.get(n.index());
      if (kids.isEmpty()) {
        continue;
      }
      double sum = 0;
      int remainder = -1;
      for (int c : kids) {
        Population child = TREE.get(c);
        if (child.share() == null) {
          remainder = c;
          continue;
        }
        double v = Math.max(1e-4, saturate(p.share()[c], factor[c]));
        fraction[c] = v;
        sum += v;
      }
      if (remainder >= 0) {
        if (sum > 0.999) {
          for (int c : kids) {
            if (c != remainder) {
              fraction[c] *= 0.999 / sum;
            }
          }
          sum = 0.999;
        }
        fraction[remainder] = 1 - sum;
      } else {
        for (int c : kids) {
          fraction[c] /= sum;
        }
      }
    }
    double[] leafP = new double[LIVE_LEAVES.length];
    for (int i = 0; i < LIVE_LEAVES.length; i++) {
      double prob = 1;
      for (int n = LIVE_LEAVES[i]; n != LIVE; n = TREE.get(n).parent()) {
        prob *= fraction[n];
      }
      leafP[i] = prob;
    }
    float[][] intensity = new float[TREE.size()][PanelModel.MARKERS.size()];
    for (float[] row : intensity) {
      java.util.Arrays.fill(row, 1f);
    }
    for (int i = 0; i < EffectModel.INTENSITIES.size(); i++) {
      IntensityEffect ie = EffectModel.INTENSITIES.get(i);
      int root = PanelModel.population(ie.root()).index();
      int marker = PanelModel.marker(ie.marker());
      float f = (float) (p.intensity()[i] * fold[effects.indexOf(ie.effect())]);
      for (Population n : TREE) {
        if (within(n.index(), root)) {
          intensity[n.index()][marker] = f;
        }
      }
    }
    return new SampleState(p, visit, fraction, leafP, intensity, fold);
  }

  private static double drawFold(
      Effect e, Group g, PatientState p, double disease, SplittableRandom rng) {
    if (e == EffectModel.EOS && p.eosinophilOutlier() && (g == Group.D5 || g == Group.D8)) {
      return rng.nextDouble(2, 4);
    }
    double mean = Math.log(e.gm(g));
    if (e.treg()) {
      mean *= p.responder();
    }
    if (e.il2()) {
      mean *= disease;
    }
    double sd = e.logSd(g);
    if (e.treg()) {
      double explained = Math.log(e.gm(g)) * EffectModel.RESPONDER_LOG_SD;
      sd =
          Math.sqrt(
              Math.max(
                  EffectModel.VISIT_NOISE * EffectModel.VISIT_NOISE,
                  sd * sd - explained * explained));
    }
    double log = mean + sd * rng.nextGaussian();
    if (e == EffectModel.TREG_PCT && g == Group.D8) {
      double floor = Math.log(EffectModel.MIN_D8_TREG_FOLD);
      for (int tries = 0; log <= floor && tries < 100; tries++) {
        log = mean + sd * rng.nextGaussian();
      }
      if (log <= floor) {
        log = Math.log(EffectModel.MIN_D8_TREG_FOLD + 0.01);
      }
    }
    return Math.exp(log);
  }

  /**
   * share × factor, saturating smoothly towards 1 above max(share, 0.85): a 75% share raised by
   * 1.3× becomes ~94%, not 100%.
   */
  static double saturate(double share, double factor) {
    double v = share * factor;
    double knee = Math.max(share, 0.85);
    if (v <= knee) {
      return v;
    }
    double room = 1 - knee;
    return Math.min(0.999, knee + room * (1 - Math.exp(-(v - knee) / room)));
  }

  static boolean within(int node, int ancestor) {
    for (int i = node; i >= 0; i = TREE.get(i).parent()) {
      if (i == ancestor) {
        return true;
      }
    }
    return false;
  }

  static int cd45NegIndex() {
    return CD45NEG;
  }

  private static double logistic(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static final Map<String, double[]> LOGIT_NORMAL = new HashMap<>();

  /**
   * μ and σ of the logit-normal distribution with mean {@code mean} and SD {@code sd} (solved
   * numerically: the delta method's σ = sd / (m(1 − m)) and μ = logit(m) miss both for skewed
   * shares such as 6 ± 4 %).
   */
  static synchronized double[] logitNormal(double mean, double sd) {
    String key = mean + "/" + sd;
    double[] done = LOGIT_NORMAL.get(key);
    if (done != null) {
      return done;
    }
    double sigma = sd / (mean * (1 - mean));
    double mu = Math.log(mean / (1 - mean));
    for (int iter = 0; iter < 30; iter++) {
      double lo = mu - 10;
      double hi = mu + 10;
      for (int b = 0; b < 60; b++) {
        mu = (lo + hi) / 2;
        if (moments(mu, sigma)[0] < mean) {
          lo = mu;
        } else {
          hi = mu;
        }
      }
      double actual = moments(mu, sigma)[1];
      if (Math.abs(actual - sd) < 1e-6 * sd) {
        break;
      }
      sigma *= sd / actual;
    }
    double[] out = {mu, sigma};
    LOGIT_NORMAL.put(key, out);
    return out;
  }

  /** Mean and SD of logistic(μ + σZ), Z standard normal, by quadrature on [-7, 7]. */
  private static double[] moments(double mu, double sigma) {
    double w = 0;
    double m1 = 0;
    double m2 = 0;
    for (int i = -140; i <= 140; i++) {
      double z = i * 0.05;
      double f = Math.exp(-0.5 * z * z);
      double p = logistic(mu + sigma * z);
      w += f;
      m1 += f * p;
      m2 += f * p * p;
    }
    m1 /= w;
    return new double[] {m1, Math.sqrt(Math.max(0, m2 / w - m1 * m1))};
  }
}
