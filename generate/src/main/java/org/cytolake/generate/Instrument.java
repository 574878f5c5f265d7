package org.cytolake.generate;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.cytolake.fcs.Spillover;

/**
 * The one cytometer of the trial (TRIAL.md section 5): a BD LSRFortessa-class instrument with
 * 18-bit linear float output and a fixed spillover matrix, in one of two models.
 *
 * <p><b>Separable</b> ({@code --separable}): per-run-day detector gain drift logN(0, 0.05)
 * (truncated at ±{@link PanelModel#TRUNCATION} SD), and one setup change after ~60% of the run
 * days that shifts three random detectors by 10-20%. Observed detector values are (true × gain) ×
 * S (row-vector convention: observed_j = Σ_i true_i·gain_i·S_ij) plus photon noise with variance
 * {@link #PHOTON_NOISE} × signal (a normal deviate truncated at ±{@link PanelModel#TRUNCATION}
 * SD), so compensation with S recovers true × gain up to that noise (which is the spreading
 * error).
 *
 * <p><b>Realistic</b> (the default): the gain of detector i on run day d is exp(s_i(d) + 0.05·z),
 * z ~ N(0, 1) untruncated (TRIAL.md's per-day logN(0, 0.05) {@code [T]}), where s_i is a slow drift
 * across the ~300 run days (laser ageing, alignment, fluidics): an Ornstein-Uhlenbeck process over
 * the sorted run days with stationary SD {@link #DRIFT_LOG_SD} and correlation time {@link
 * #DRIFT_DAYS} run days {@code [A]}, so daily CS&amp;T-style tracking stays within ~±10-15%
 * (Perfetto et al., Nat Protoc 2012;7:2067: bead MFIs tracked within about ±10-15% {@code [L]}).
 * The setup change after ~60% of the run days {@code [T]} is the replacement of the 561-nm laser
 * with new PMT settings: the three yellow-green detectors (PE-A, PE-CF594-A, PE-Cy7-A: CD25,
 * HLA-DR and CD127 in P1) each move by a factor of {@link #REALISTIC_SHIFT_MIN}-{@link
 * #REALISTIC_SHIFT_MAX} up or down {@code [A]}, larger than TRIAL.md's 10-20% so that a fixed gate
 * (CD25 ≥ 2.0, CD127 ≤ 2.45 in arcsinh units) sees populations move across it in the batches after
 * the change. The spillover and noise model of the events is in {@link RealisticModel}; both
 * models write the same fixed {@code $SPILLOVER} (the matrix is a property of the dyes and
 * filters: a dye's gain scales all its detectors alike).
 */
final class Instrument {
  static final String CYTOMETER = "BD LSRFortessa (synthetic)";
  static final String SERIAL = "R658222-SYN";

  /** Detector noise variance per unit of linear signal. */
  static final double PHOTON_NOISE = 6.0;

  /** SD of the log of the per-day gain of each detector. */
  static final double DAILY_GAIN_LOG_SD = 0.05;

  /** Setup change after this fraction of run days. */
  static final double SETUP_CHANGE_AT = 0.6;

  /** Realistic model: stationary SD of the log of the slow gain drift. */
  static final double DRIFT_LOG_SD = 0.04;

  /** Realistic model: correlation time of the slow drift, in run days. */
  static final double DRIFT_DAYS = 25;

  /** Realistic model: the setup change moves each shifted detector by ×/÷ this range. */
  static final double REALISTIC_SHIFT_MIN = 1.25;

  static final double REALISTIC_SHIFT_MAX = 1.6;

  /** Realistic model: the detectors the setup change moves (the 561-nm laser's). */
  static final List<String> REALISTIC_SHIFTED = List.of("PE-A", "PE-CF594-A", "PE-Cy7-A");

  /**
   * Spillover, row = dye (detector it is measured in), column = detector, in
   * {@link PanelModel#DETECTORS} order. Values from TRIAL.md's table; blank entries are small
   * fixed values 0-0.02.
   */
  static final double[][] SPILLOVER = {
    // FITC   PE     CF594  PerCP  PE-Cy7 APC    APC-H7 BV421  BV510  BV605
    {1, 0.20, 0.05, 0.03, 0.005, 0, 0, 0, 0.002, 0.001}, // FITC
    {0.012, 1, 0.45, 0.10, 0.03, 0.003, 0.001, 0, 0, 0.05}, // PE
    {0.001, 0.015, 1, 0.25, 0.08, 0.010, 0.004, 0, 0, 0.05}, // PE-CF594
    {0, 0.002, 0.006, 1, 0.12, 0.018, 0.03, 0, 0, 0.004}, // PerCP-Cy5.5
    {0, 0.004, 0.002, 0.014, 1, 0.002, 0.02, 0, 0, 0.001}, // PE-Cy7
    {0, 0, 0.001, 0.04, 0.008, 1, 0.15, 0, 0, 0.002}, // APC
    {0, 0, 0, 0.005, 0.02, 0.012, 1, 0, 0, 0}, // APC-H7
    {0.003, 0, 0, 0, 0, 0, 0, 1, 0.15, 0.03}, // BV421
    {0.012, 0.002, 0.003, 0.001, 0, 0, 0, 0.004, 1, 0.08}, // BV510
    {0, 0.010, 0.15, 0.03, 0.008, 0.003, 0.001, 0, 0.006, 1}, // BV605
  };

  /** PMT voltages ($PnV) of scatter then detectors before the setup change. */
  private static final int[] VOLTAGES = {
    380, 380, 250, 490, 460, 520, 540, 580, 600, 560, 410, 430, 470
  };

  private final long seed;
  private final boolean realistic;
  private final LocalDate setupChange;
  private final int[] shifted;
  private final double[] shift;

  /** Realistic model: the slow drift (log gain) of every detector per run day. */
  private final Map<LocalDate, double[]> drift = new HashMap<>();

  /** The separable model's instrument. */
  Instrument(long seed, Collection<LocalDate> runDays) {
    this(seed, runDays, false);
  }

  /**
   * @param runDays every acquisition date of the trial
   * @param realistic the realistic model's drift and setup change (else the separable model's)
   */
  Instrument(long seed, Collection<LocalDate> runDays, boolean realistic) {
    this.seed = seed;
    this.realistic = realistic;
    List<LocalDate> days = new ArrayList<>(new TreeSet<>(runDays));
    setupChange =
        days.isEmpty()
            ? null
            : days.get(Math.min(days.size() - 1, (int) Math.floor(SETUP_CHANGE_AT * days.size())));
    if (realistic) {
      shifted = new int[REALISTIC_SHIFTED.size()];
      shift = new double[shifted.length];
      SplittableRandom rng = Seeds.random(seed, "setup-change", "realistic");
      for (int i = 0; i < shifted.length; i++) {
        shifted[i] = PanelModel.DETECTORS.indexOf(REALISTIC_SHIFTED.get(i));
        double by =
            Math.exp(rng.nextDouble(Math.log(REALISTIC_SHIFT_MIN), Math.log(REALISTIC_SHIFT_MAX)));
        shift[i] = rng.nextBoolean() ? by : 1 / by;
      }
      SplittableRandom walk = Seeds.random(seed, "gain-drift");
      double rho = Math.exp(-1 / DRIFT_DAYS);
      double[] s = new double[PanelModel.DETECTORS.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = DRIFT_LOG_SD * walk.nextGaussian();
      }
      for (LocalDate d : days) {
        drift.put(d, s.clone());
        for (int i = 0; i < s.length; i++) {
          s[i] = rho * s[i] + Math.sqrt(1 - rho * rho) * DRIFT_LOG_SD * walk.nextGaussian();
        }
      }
      return;
    }
    SplittableRandom rng = Seeds.random(seed, "setup-change");
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < PanelModel.DETECTORS.size(); i++) {
      order.add(i);
    }
    for (int i = order.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      Integer t = order.get(i);
      order.set(i, order.get(j));
      order.set(j, t);
    }
    shifted = new int[] {order.get(0), order.get(1), order.get(2)};
    java.util.Arrays.sort(shifted);
    shift = new double[3];
    for (int i = 0; i < 3; i++) {
      double by = rng.nextDouble(0.10, 0.20);
      shift[i] = rng.nextBoolean() ? 1 + by : 1 - by;
    }
  }

  static Spillover spillover(List<String> detectorNames) {
    return new Spillover("$SPILLOVER", detectorNames, SPILLOVER);
  }

  /** The first run day with the new setup, or null when there are no run days. */
  LocalDate setupChange() {
    return setupChange;
  }

  boolean afterSetupChange(LocalDate day) {
    return setupChange != null && !day.isBefore(setupChange);
  }

  /** Detector indices whose gain the setup change shifted. */
  int[] shiftedDetectors() {
    return shifted.clone();
  }

  /** Gain factor of each shifted detector. */
  double[] shifts() {
    return shift.clone();
  }

  boolean realistic() {
    return realistic;
  }

  /** Gain of each detector on a run day: daily drift (realistic: and slow drift) × setup change. */
  double[] gains(LocalDate day) {
    SplittableRandom rng = Seeds.random(seed, "gain", day.toString());
    double[] g = new double[PanelModel.DETECTORS.size()];
    double[] slow = realistic ? drift.get(day) : null;
    for (int i = 0; i < g.length; i++) {
      if (realistic) {
        g[i] = Math.exp((slow == null ? 0 : slow[i]) + DAILY_GAIN_LOG_SD * rng.nextGaussian());
      } else {
        g[i] = Math.exp(DAILY_GAIN_LOG_SD * PanelModel.truncatedGaussian(rng));
      }
    }
    if (afterSetupChange(day)) {
      for (int k = 0; k < shifted.length; k++) {
        g[shifted[k]] *= shift[k];
      }
    }
    return g;
  }

  /** $PnV of channel {@code i} (scatter, detectors, in file order) on a run day. */
  int voltage(int channel, LocalDate day) {
    double v = VOLTAGES[channel];
    int detector = channel - PanelModel.SCATTER.size();
    if (afterSetupChange(day)) {
      for (int k = 0; k < shifted.length; k++) {
        if (shifted[k] == detector) {
          v *= Math.pow(shift[k], 1 / 7.0); // PMT gain ~ V^7
        }
      }
    }
    return (int) Math.round(v);
  }
}
