package org.cytolake.generate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The model of the {@code stim-cytof} example study ({@link StimCytofStudy}): peripheral blood
 * mononuclear cells of healthy donors measured by mass cytometry (CyTOF-like), unstimulated and
 * stimulated, on one panel without scatter channels and without spillover.
 *
 * <p>What a CyTOF file holds, and how this model makes it: metal channels named
 * {@code <element><mass>Di} ({@code $PnN}, e.g. {@code Yb176Di}) with the marker as {@code $PnS},
 * plus {@code Time}, {@code Event_length} (the event's length in pushes, a whole number), two DNA
 * channels ({@code Ir191Di}, {@code Ir193Di}: the iridium intercalator; natural abundance of
 * 193Ir / 191Ir is 62.7% / 37.3%, so 193 reads 1.68 times 191) and a viability channel
 * ({@code Pt195Di}, cisplatin, high on dead cells). Values are ion counts: each event's mean count
 * per channel is the population's level times a per-cell log-normal factor (log-SD
 * {@value #LINEAGE_SD} for lineage markers, {@value #FUNCTIONAL_SD} for the functional ones),
 * truncated at ±{@value #TRUNCATE} SD as in {@link PanelModel}; the count is a Poisson deviate of
 * that mean, and a non-zero count is randomised by subtracting a uniform [0, 1) deviate (the
 * instrument software's randomisation), so negative channels hold many exact zeros and the rest
 * are integer-ish float32 values.
 *
 * <p>Separable by design, as the TRANSREG generator: a negative marker has mean {@value #NEG}
 * (at most 0.64 after truncation) and a positive one {@value #POS} or more (at least 71), so with
 * the cytometry-usual arcsinh(x / 5) a gate at 1.5 (a count of 10.65) splits them except with
 * Poisson probability below 10^-9 per event and marker; the other gates have wider margins (their
 * Javadoc and {@code examples/stim-cytof/conf/gating/PBMC.yaml} give both sides).
 *
 * <p>The stimulation effect ({@link #STIM_FOLD}): pS6 × 12 in B cells, × 5 in monocytes and × 3
 * in dendritic cells; pERK × 4 in monocytes and × 2 in B cells; nothing else changes. Each donor's
 * fold is the nominal one times a log-normal donor factor (log-SD 0.15, truncated), so it is
 * above 8 for pS6 in B cells in every donor, and the median pS6 of B cells rises in every donor.
 * Population shares vary between donors (log-SD 0.2), not between a donor's two samples.
 */
public final class StimCytofModel {
  private StimCytofModel() {}

  /** One channel of the panel: {@code $PnN} and {@code $PnS} (null for Time and Event_length). */
  public record Channel(String detector, String marker) {}

  /** The channels in file order: {@code stim-cytof-channels.txt} beside this class. */
  public static final List<Channel> CHANNELS = readChannels();

  /** Mean count of a negative marker. */
  static final double NEG = 0.3;

  /** Mean count of a dim marker (never on a gated marker of a population that must be negative). */
  static final double DIM = 15;

  /** Mean count of a positive marker. */
  static final double POS = 150;

  /** Mean count of a bright marker. */
  static final double BRIGHT = 400;

  static final double LINEAGE_SD = 0.3;
  static final double FUNCTIONAL_SD = 0.5;
  static final double TRUNCATE = 2.5;

  /** 193Ir reads this many times 191Ir (natural abundance 62.7% / 37.3%). */
  static final double IR193_PER_IR191 = 62.7 / 37.3;

  /** Acquisition time of one sample, milliseconds (the Time channel runs over it). */
  static final double ACQUISITION_MS = 600_000;

  /** The functional (state) markers; the others are lineage (type) markers. */
  public static final List<String> FUNCTIONAL = List.of("pS6", "pERK", "pSTAT5");

  /** Labels of the events that are not leukocytes. */
  public static final String DEBRIS = "debris";

  public static final String DOUBLET = "doublet";
  public static final String DEAD = "dead";
  public static final String CD45_NEGATIVE = "CD45- cells";

  /** Shares of all events: debris, doublets, dead cells, CD45- nucleated cells; the rest live leukocytes. */
  static final double DEBRIS_SHARE = 0.05;

  static final double DOUBLET_SHARE = 0.04;
  static final double DEAD_SHARE = 0.05;
  static final double CD45_NEGATIVE_SHARE = 0.01;

  /**
   * A leukocyte population: its share of live leukocytes (before the donor's variation), its
   * lineage levels (mean counts; unlisted markers are {@link #NEG}, CD45 is {@link #POS}) and its
   * functional baseline (mean counts of pS6, pERK, pSTAT5).
   */
  public record Population(
      String name, double share, Map<String, Double> lineage, Map<String, Double> functional) {}

  /**
   * PBMC-like composition (rough shares of healthy adult blood, summing to 1), and with it the
   * stimulation: {@code stim-cytof-populations.txt} beside this class, one population a row.
   */
  private static final List<SpecTable.Row> POPULATION_ROWS =
      SpecTable.read(
          "stim-cytof-populations.txt", "name", "share", "lineage", "functional", "stimulation");

  public static final List<Population> POPULATIONS =
      POPULATION_ROWS.stream()
          .map(
              r ->
                  new Population(
                      r.get(0),
                      Double.parseDouble(r.get(1)),
                      levels(r, 2, false),
                      levels(r, 3, true)))
          .toList();

  /** The stimulation: population → functional marker → fold of the mean count (1 when absent). */
  public static final Map<String, Map<String, Double>> STIM_FOLD = stimulation();

  private static List<Channel> readChannels() {
    return SpecTable.read("stim-cytof-channels.txt", "detector", "marker").stream()
        .map(r -> new Channel(r.get(0), r.get(1).equals("-") ? null : r.get(1)))
        .toList();
  }

  /**
   * A column of {@code marker value, ...}: functional markers with counts, or lineage markers with
   * a level named NEG, DIM, POS or BRIGHT.
   */
  private static Map<String, Double> levels(SpecTable.Row r, int column, boolean functional) {
    Map<String, Double> m = new LinkedHashMap<>();
    String field = r.get(column);
    for (String item : field.isEmpty() ? new String[0] : field.split(",")) {
      String[] w = item.strip().split("\\s+");
      if (w.length != 2 || FUNCTIONAL.contains(w[0]) != functional) {
        throw r.error(
            "expected '<"
                + (functional ? "functional" : "lineage")
                + " marker> <level>', not '"
                + item.strip()
                + "'");
      }
      channel(w[0]);
      double v =
          functional
              ? Double.parseDouble(w[1])
              : switch (w[1]) {
                case "NEG" -> NEG;
                case "DIM" -> DIM;
                case "POS" -> POS;
                case "BRIGHT" -> BRIGHT;
                default -> throw r.error("unknown level " + w[1] + " (NEG, DIM, POS, BRIGHT)");
              };
      if (m.put(w[0], v) != null) {
        throw r.error(w[0] + " listed twice");
      }
    }
    return Collections.unmodifiableMap(m);
  }

  private static Map<String, Map<String, Double>> stimulation() {
    Map<String, Map<String, Double>> fold = new LinkedHashMap<>();
    for (SpecTable.Row r : POPULATION_ROWS) {
      Map<String, Double> f = levels(r, 4, true);
      if (!f.isEmpty()) {
        fold.put(r.get(0), f);
      }
    }
    return Collections.unmodifiableMap(fold);
  }

  /** Index of a channel by marker ($PnS) or detector ($PnN). */
  static int channel(String name) {
    for (int i = 0; i < CHANNELS.size(); i++) {
      Channel c = CHANNELS.get(i);
      if (name.equals(c.marker()) || name.equals(c.detector())) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "Cannot find channel '" + name + "' in the stim-cytof " + "panel");
  }

  private static final int TIME = channel("Time");
  private static final int LENGTH = channel("Event_length");
  private static final int CD45 = channel("CD45");
  private static final int DNA1 = channel("DNA1");
  private static final int DNA2 = channel("DNA2");
  private static final int CISPLATIN = channel("Cisplatin");

  /** The marker channels (CD45, lineage and functional), in channel order. */
  private static final int[] MARKERS = markers();

  private static int[] markers() {
    List<Integer> m = new ArrayList<>();
    for (int i = 0; i < CHANNELS.size(); i++) {
      if (i != TIME && i != LENGTH && i != DNA1 && i != DNA2 && i != CISPLATIN) {
        m.add(i);
      }
    }
    return m.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * One donor: the share of each population among live leukocytes, a factor on each functional
   * marker's baseline, and the donor's own fold of each stimulation effect.
   */
  record Donor(String id, double[] shares, double[] functionalFactor, double[][] fold) {}

  /** The donor with this id, the same in both of its samples. */
  static Donor donor(long seed, String id) {
    SplittableRandom r = Seeds.random(seed, StimCytofStudy.NAME, "donor", id);
    int n = POPULATIONS.size();
    double[] shares = new double[n];
    double sum = 0;
    for (int p = 0; p < n; p++) {
      shares[p] = POPULATIONS.get(p).share() * Math.exp(0.2 * truncated(r));
      sum += shares[p];
    }
    for (int p = 0; p < n; p++) {
      shares[p] /= sum;
    }
    double[] factor = new double[CHANNELS.size()];
    java.util.Arrays.fill(factor, 1);
    for (String f : FUNCTIONAL) {
      factor[channel(f)] = Math.exp(0.15 * truncated(r));
    }
    double[][] fold = new double[n][CHANNELS.size()];
    for (int p = 0; p < n; p++) {
      java.util.Arrays.fill(fold[p], 1);
      Map<String, Double> f = STIM_FOLD.getOrDefault(POPULATIONS.get(p).name(), Map.of());
      for (String m : FUNCTIONAL) {
        if (f.containsKey(m)) {
          fold[p][channel(m)] = f.get(m) * Math.exp(0.15 * truncated(r));
        }
      }
    }
    return new Donor(id, shares, factor, fold);
  }

  /**
   * One sample's events, row-major over {@link #CHANNELS}, and each event's label (a population
   * of {@link #POPULATIONS}, or {@link #DEBRIS}, {@link #DOUBLET}, {@link #DEAD},
   * {@link #CD45_NEGATIVE}).
   */
  public record Events(int events, float[] values, List<String> labels) {}

  /**
   * The events of one donor's sample under one condition; the same seed, donor, condition and
   * size give the same events.
   *
   * @param stimulated whether the stimulation effect applies
   */
  static Events simulate(long seed, Donor donor, String condition, boolean stimulated, int events) {
    SplittableRandom r = Seeds.random(seed, StimCytofStudy.NAME, "sample", donor.id(), condition);
    int c = CHANNELS.size();
    float[] out = new float[events * c];
    List<String> labels = new ArrayList<>(events);
    double[] mean = new double[c];
    double dt = ACQUISITION_MS / Math.max(1, events);
    for (int e = 0; e < events; e++) {
      double u = r.nextDouble();
      String label;
      double length;
      java.util.Arrays.fill(mean, 0);
      if (u < DEBRIS_SHARE) {
        label = DEBRIS;
        negative(r, mean);
        dna(r, mean, 5, 1);
        mean[CISPLATIN] = 2 * lineage(r);
        length = 12 + 2 * truncated(r);
      } else if (u < DEBRIS_SHARE + DOUBLET_SHARE) {
        label = DOUBLET;
        double[] second = new double[c];
        cell(r, donor, pick(r, donor.shares()), stimulated, mean);
        cell(r, donor, pick(r, donor.shares()), stimulated, second);
        for (int m : MARKERS) {
          mean[m] += second[m];
        }
        dna(r, mean, 300, 2);
        mean[CISPLATIN] = 2 * lineage(r);
        length = 40 + 3 * truncated(r);
      } else if (u < DEBRIS_SHARE + DOUBLET_SHARE + DEAD_SHARE) {
        label = DEAD;
        cell(r, donor, pick(r, donor.shares()), stimulated, mean);
        dna(r, mean, 300, 1);
        mean[CISPLATIN] = 300 * lineage(r);
        length = 20 + 2 * truncated(r);
      } else if (u < DEBRIS_SHARE + DOUBLET_SHARE + DEAD_SHARE + CD45_NEGATIVE_SHARE) {
        label = CD45_NEGATIVE;
        negative(r, mean);
        dna(r, mean, 300, 1);
        mean[CISPLATIN] = 2 * lineage(r);
        length = 20 + 2 * truncated(r);
      } else {
        int p = pick(r, donor.shares());
        label = POPULATIONS.get(p).name();
        cell(r, donor, p, stimulated, mean);
        dna(r, mean, 300, 1);
        mean[CISPLATIN] = 2 * lineage(r);
        length = 20 + 2 * truncated(r);
      }
      int row = e * c;
      for (int k = 0; k < c; k++) {
        if (k == TIME) {
          out[row + k] = (float) ((e + r.nextDouble()) * dt);
        } else if (k == LENGTH) {
          out[row + k] = (float) Math.rint(length);
        } else {
          long n = Poisson.sample(r, mean[k]);
          out[row + k] = n == 0 ? 0f : (float) (n - r.nextDouble());
        }
      }
      labels.add(label);
    }
    return new Events(events, out, List.copyOf(labels));
  }

  /** Mean counts of a live leukocyte of population {@code p} into {@code mean}. */
  private static void cell(SplittableRandom r, Donor d, int p, boolean stimulated, double[] mean) {
    Population pop = POPULATIONS.get(p);
    for (int m : MARKERS) {
      String marker = CHANNELS.get(m).marker();
      if (FUNCTIONAL.contains(marker)) {
        double fold = stimulated ? d.fold()[p][m] : 1;
        mean[m] =
            pop.functional().get(marker)
                * d.functionalFactor()[m]
                * fold
                * Math.exp(FUNCTIONAL_SD * truncated(r));
      } else {
        double level = m == CD45 ? POS : pop.lineage().getOrDefault(marker, NEG);
        mean[m] = level * lineage(r);
      }
    }
  }

  /** Every marker negative. */
  private static void negative(SplittableRandom r, double[] mean) {
    for (int m : MARKERS) {
      mean[m] = NEG * lineage(r);
    }
  }

  /** DNA of {@code cells} nuclei with a 191Ir mean of {@code ir191} each. */
  private static void dna(SplittableRandom r, double[] mean, double ir191, int cells) {
    double v = cells * ir191 * Math.exp(0.2 * truncated(r));
    mean[DNA1] = v;
    mean[DNA2] = v * IR193_PER_IR191;
  }

  /** A per-cell lineage factor: log-normal, log-SD {@value #LINEAGE_SD}, truncated. */
  private static double lineage(SplittableRandom r) {
    return Math.exp(LINEAGE_SD * truncated(r));
  }

  /** A standard normal deviate truncated at ±{@value #TRUNCATE}. */
  static double truncated(SplittableRandom r) {
    while (true) {
      double z = r.nextGaussian();
      if (Math.abs(z) <= TRUNCATE) {
        return z;
      }
    }
  }

  private static int pick(SplittableRandom r, double[] shares) {
    double u = r.nextDouble();
    double acc = 0;
    for (int i = 0; i < shares.length; i++) {
      acc += shares[i];
      if (u < acc) {
        return i;
      }
    }
    return shares.length - 1;
  }
}
