package org.cytolake.qc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.cytolake.cytometry.transform.Transform;

/**
 * Acquisition quality control of one sample, in the class of PeacoQC (Emmaneel et al., Cytometry A
 * 2022, 101:325) and flowAI (Monaco et al., Bioinformatics 2016, 32:2473): events recorded while
 * the flow was disturbed (a clog, a bubble, a surge) or outside the detector range are flagged,
 * never removed. Pure Java, deterministic (no randomness), one sample at a time.
 *
 * <p>Steps:
 *
 * <ol>
 *   <li>Resolve the Time channel and put the events in acquisition order ({@link TimeAxis}:
 *       wrapped, unordered, restarted or saturated Time channels).
 *   <li>Resolve the channels to check ({@link QcParams#channels()}; by default every channel but
 *       clocks, widths, counters and constants).
 *   <li>MARGIN: per checked channel, values {@code >= $PnR − 1}; on scatter channels also a
 *       pile-up at the lowest value (it holds more than {@value #PILE_UP_FACTOR} times the mean
 *       count of the next {@value #PILE_UP_NEXT} distinct values, and at least 2 events): a
 *       detector clipped at its floor. A continuous channel's single lowest event is not a pile-up.
 *   <li>Bin the events in acquisition order: {@link QcParams#eventsPerBin()} per bin, fewer (down
 *       to {@link QcParams#minEventsPerBin()}) for a file that would have fewer than {@link
 *       QcParams#minBins()} bins; a file too small even then is reported {@code TOO_SMALL}, and
 *       one without Time {@code NO_TIME}: only margins are checked.
 *   <li>FLOW_RATE: per bin, log(events per unit time) from the Time of its last event and of the
 *       previous bin's last event.
 *   <li>SIGNAL: per bin and checked channel, each of {@link QcParams#quantiles()} of the
 *       transformed values ({@link QcChannel#transform()}).
 *   <li>A bin is anomalous when a statistic lies outside median ± k·MAD over all bins ({@link
 *       QcParams#madMultiplier()}; MAD scaled by 1.4826), with limits never narrower than the
 *       statistic's sampling error in one bin of n events: for a log rate ± k·√(1/n), widened
 *       for the Time resolution; for a quantile q, the quantiles q ± k·√(q(1−q)/n) of the pooled
 *       values (distribution-free: the median of a channel whose two populations split near 50:50
 *       jumps between them from bin to bin, and the median of discrete values by whole steps,
 *       while the MAD over bins, mostly equal, is small).
 *   <li>Runs of fewer than {@link QcParams#consecutiveBins()} good bins between anomalous ones
 *       become anomalous (PeacoQC's consecutive-bins rule); each run is then refined to the events
 *       where it starts and ends ({@link SegmentLocator}) with per-event log-likelihood ratios:
 *       exponential gaps between events for the flow rate, exceedance of the midpoint between
 *       normal and anomalous level for a signal quantile.
 * </ol>
 */
public final class AcquisitionQc {
  /** A bin must span at least this many Time steps for its flow rate to mean anything. */
  public static final int MIN_TICKS_PER_BIN = 5;

  /** See step 3. */
  public static final int PILE_UP_FACTOR = 5;

  /** See step 3. */
  public static final int PILE_UP_NEXT = 5;

  /** A channel that does not decrease between this share of consecutive events is a counter. */
  static final double COUNTER_SHARE = 0.99;

  /**
   * At most this many events (evenly spread) estimate the pooled distribution of a channel and the
   * normal exceedance rate of a signal level.
   */
  static final int REFERENCE_EVENTS = 50_000;

  /** Probabilities are kept this far from 0 and 1 in log-likelihood ratios. */
  static final double P_EPS = 1e-4;

  private final QcParams params;

  public AcquisitionQc(QcParams params) {
    this.params = params;
  }

  public QcParams params() {
    return params;
  }

  /**
   * Checks one sample.
   *
   * @throws IllegalArgumentException naming the file when a channel named in the parameters is
   *     not in the sample
   */
  public QcResult run(QcSample sample) {
    int n = sample.events();
    byte[] flags = new byte[n];
    List<String> notes = new ArrayList<>(sample.notes());
    Set<QcReason> performed = EnumSet.noneOf(QcReason.class);

    // 1. The Time channel and the order of the events.
    int timeIndex = timeChannel(sample);
    TimeAxis axis = null;
    if (timeIndex >= 0) {
      QcChannel tc = sample.channels().get(timeIndex);
      axis = TimeAxis.of(tc.name(), sample.values(timeIndex), tc.range());
      notes.addAll(axis.notes);
    }

    // 2. The channels to check.
    List<Integer> checked = checkedChannels(sample, timeIndex, axis, notes);
    List<String> checkedNames = new ArrayList<>();
    for (int c : checked) {
      checkedNames.add(sample.channels().get(c).name());
    }

    // 3. Margins.
    List<QcSummary.Margin> margins = new ArrayList<>();
    if (params.checks().contains(QcReason.MARGIN)) {
      performed.add(QcReason.MARGIN);
      for (int c : checked) {
        QcSummary.Margin m = margins(sample, c, flags);
        if (m.low() + m.high() > 0) {
          margins.add(m);
        }
      }
    }

    String timeName = timeIndex >= 0 ? sample.channels().get(timeIndex).name() : null;
    boolean seconds = !Double.isNaN(sample.timeStep());
    String timeUnit = seconds ? "s" : "Time unit";
    boolean wantsSegments =
        params.checks().contains(QcReason.FLOW_RATE) || params.checks().contains(QcReason.SIGNAL);
    Collected collected =
        new Collected(sample, timeName, timeUnit, checkedNames, performed, flags, margins, notes);
    if (timeIndex < 0) {
      notes.add("no Time channel: margins only");
      return collected.result(QcSummary.Status.NO_TIME, 0, 0, List.of());
    }
    int perBin = (int) Math.min(params.eventsPerBin(), n / params.minBins());
    if (perBin < params.minEventsPerBin()) {
      notes.add(
          n
              + " events are too few to bin: at least "
              + params.minEvents()
              + " ("
              + params.minBins()
              + " bins of "
              + params.minEventsPerBin()
              + ") are needed; margins "
              + "only");
      return collected.result(QcSummary.Status.TOO_SMALL, 0, 0, List.of());
    }

    // 4. Bins.
    Bins bins = new Bins(n, n / perBin);
    List<QcSummary.Segment> segments = new ArrayList<>();
    if (!wantsSegments) {
      return collected.result(QcSummary.Status.CHECKED, perBin, bins.count, segments);
    }
    double scale = seconds ? sample.timeStep() : 1;

    // 5. Flow rate.
    if (params.checks().contains(QcReason.FLOW_RATE)) {
      FlowRate fr = flowRate(axis, bins, notes);
      if (fr != null) {
        performed.add(QcReason.FLOW_RATE);
        boolean[] bad = consecutive(fr.flagged);
        for (int[] run : runs(bad)) {
          int[] seg = refineFlow(axis, bins, fr, run, segments, QcReason.FLOW_RATE);
          mark(flags, axis, seg, QcReason.FLOW_RATE);
          int hits = 0;
          double worst = Double.NaN;
          for (int b = run[0]; b <= run[1]; b++) {
            if (fr.flagged[b]) {
              hits++;
              if (Double.isNaN(worst)
                  || Math.abs(fr.stat[b] - fr.center) > Math.abs(worst - fr.center)) {
                worst = fr.stat[b];
              }
            }
          }
          String unit = seconds ? "events/s" : "events/Time unit";
          QcSummary.Violation v =
              new QcSummary.Violation(
                  timeName,
                  "flow rate (" + unit + ")",
                  hits,
                  Math.exp(worst) / scale,
                  Math.exp(fr.center - fr.limit) / scale,
                  Math.exp(fr.center + fr.limit) / scale);
          segments.add(segment(QcReason.FLOW_RATE, axis, seg, run, scale, List.of(v)));
        }
      }
    }

    // 6. Signal.
    if (params.checks().contains(QcReason.SIGNAL)) {
      if (checked.isEmpty()) {
        notes.add("no channel to check for signal");
      } else {
        performed.add(QcReason.SIGNAL);
        Signal sig = signal(sample, checked, axis, bins);
        boolean[] bad = consecutive(sig.flagged);
        for (int[] run : runs(bad)) {
          int[] seg = refineSignal(sample, axis, bins, sig, bad, run, segments);
          mark(flags, axis, seg, QcReason.SIGNAL);
          segments.add(
              segment(QcReason.SIGNAL, axis, seg, run, scale, sig.violations(sample, run)));
        }
      }
    }
    return collected.result(QcSummary.Status.CHECKED, perBin, bins.count, segments);
  }

  /**
   * What one {@link AcquisitionQc#run} has collected so far, shared by each of its outcomes: the accumulators
   * ({@code performed}, {@code flags}, {@code margins}, {@code notes}) are the run's own, read when
   * {@link #result} builds the outcome.
   */
  private record Collected(
      QcSample sample,
      String timeName,
      String timeUnit,
      List<String> channels,
      Set<QcReason> performed,
      byte[] flags,
      List<QcSummary.Margin> margins,
      List<String> notes) {

    QcResult result(
        QcSummary.Status status, int perBin, int binCount, List<QcSummary.Segment> segments) {
      Map<QcReason, Integer> counts = new EnumMap<>(QcReason.class);
      QcFlags f = QcFlags.wrap(flags);
      for (QcReason r : QcReason.values()) {
        counts.put(r, f.count(r));
      }
      QcSummary s =
          new QcSummary(
              sample.source(),
              sample.events(),
              status,
              timeName,
              timeUnit,
              perBin,
              binCount,
              channels,
              performed,
              counts,
              f.countAny(),
              segments,
              margins,
              notes);
      return new QcResult(s, f);
    }
  }

  // ---- 1, 2: channels ----------------------------------------------------------------------

  private int timeChannel(QcSample sample) {
    if (params.timeChannel() != null) {
      int i = sample.indexOf(params.timeChannel());
      if (i < 0) {
        throw new IllegalArgumentException(
            "Cannot run acquisition QC on '"
                + sample.source()
                + "': time channel '"
                + params.timeChannel()
                + "' is not among its channels "
                + names(sample));
      }
      return i;
    }
    List<QcChannel> cs = sample.channels();
    for (int i = 0; i < cs.size(); i++) {
      if (cs.get(i).name().trim().equalsIgnoreCase("time")) {
        return i;
      }
    }
    for (int i = 0; i < cs.size(); i++) {
      if (cs.get(i).name().trim().equalsIgnoreCase("HDR-T")) {
        return i;
      }
    }
    return -1;
  }

  private List<Integer> checkedChannels(
      QcSample sample, int timeIndex, TimeAxis axis, List<String> notes) {
    List<Integer> out = new ArrayList<>();
    if (!params.channels().isEmpty()) {
      List<String> missing = new ArrayList<>();
      for (String name : params.channels()) {
        int i = sample.indexOf(name);
        if (i < 0) {
          missing.add("'" + name + "'");
        } else if (i == timeIndex) {
          missing.add("'" + name + "' (the Time channel)");
        } else {
          out.add(i);
        }
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException(
            "Cannot run acquisition QC on '"
                + sample.source()
                + "': channels to check "
                + String.join(", ", missing)
                + " are not checkable "
                + "channels of it "
                + names(sample));
      }
      return out;
    }
    Map<String, List<String>> left = new LinkedHashMap<>();
    for (int c = 0; c < sample.channels().size(); c++) {
      String name = sample.channels().get(c).name();
      String why = null;
      if (c == timeIndex || ChannelRoles.isTimeLike(name)) {
        why = "time";
      } else if (ChannelRoles.isWidth(name)) {
        why = "width";
      } else if (sample.events() > 1) {
        why = counterOrConstant(sample.values(c), axis);
      }
      if (why == null) {
        out.add(c);
      } else {
        left.computeIfAbsent(why, k -> new ArrayList<>()).add(name);
      }
    }
    if (!left.isEmpty()) {
      List<String> parts = new ArrayList<>();
      left.forEach((why, names) -> parts.add(why + ": " + String.join(", ", names)));
      notes.add("not checked: " + String.join("; ", parts));
    }
    return out;
  }

  /** "counter", "constant" or null, judged in acquisition order. */
  private static String counterOrConstant(float[] v, TimeAxis axis) {
    int n = v.length;
    int up = 0;
    int pairs = 0;
    boolean constant = true;
    float prev = v[axis == null ? 0 : axis.event(0)];
    for (int p = 1; p < n; p++) {
      float x = v[axis == null ? p : axis.event(p)];
      if (Float.isNaN(x) || Float.isNaN(prev)) {
        prev = x;
        continue;
      }
      pairs++;
      if (x >= prev) {
        up++;
      }
      if (x != prev) {
        constant = false;
      }
      prev = x;
    }
    if (constant) {
      return "constant";
    }
    return pairs > 0 && up >= COUNTER_SHARE * pairs ? "counter" : null;
  }

  private static List<String> names(QcSample sample) {
    List<String> out = new ArrayList<>();
    for (QcChannel c : sample.channels()) {
      out.add(c.name());
    }
    return out;
  }

  // ---- 3: margins --------------------------------------------------------------------------

  private static QcSummary.Margin margins(QcSample sample, int c, byte[] flags) {
    QcChannel ch = sample.channels().get(c);
    float[] v = sample.values(c);
    byte bit = QcReason.MARGIN.bit();
    double top = Double.isNaN(ch.range()) ? Double.NaN : ch.range() - 1;
    int high = 0;
    if (!Double.isNaN(top)) {
      for (int i = 0; i < v.length; i++) {
        if (v[i] >= top) {
          flags[i] |= bit;
          high++;
        }
      }
    }
    int low = 0;
    double floor = Double.NaN;
    if (ChannelRoles.isScatter(ch.name())) {
      floor = pileUp(v);
      if (!Double.isNaN(floor)) {
        for (int i = 0; i < v.length; i++) {
          if (v[i] <= floor) {
            flags[i] |= bit;
            low++;
          }
        }
      }
    }
    return new QcSummary.Margin(ch.name(), low, high, floor, top);
  }

  /** The lowest value when events pile up there (step 3), else NaN. */
  static double pileUp(float[] v) {
    TreeMap<Float, Integer> lowest = new TreeMap<>();
    int keep = PILE_UP_NEXT + 1;
    for (float x : v) {
      if (Float.isNaN(x)) {
        continue;
      }
      if (lowest.size() < keep || x <= lowest.lastKey()) {
        lowest.merge(x, 1, Integer::sum);
        if (lowest.size() > keep) {
          lowest.pollLastEntry();
        }
      }
    }
    if (lowest.size() < 2) {
      return Double.NaN;
    }
    Map.Entry<Float, Integer> min = lowest.pollFirstEntry();
    double next = 0;
    for (int count : lowest.values()) {
      next += count;
    }
    next /= lowest.size();
    return min.getValue() >= 2 && min.getValue() > PILE_UP_FACTOR * next
        ? min.getKey()
        : Double.NaN;
  }

  // ---- 4: bins -----------------------------------------------------------------------------

  /** Bin b holds positions [start(b), start(b + 1)) in acquisition order; sizes differ by ≤ 1. */
  static final class Bins {
    final int events;
    final int count;

    Bins(int events, int count) {
      this.events = events;
      this.count = count;
    }

    int start(int b) {
      return (int) ((long) Math.max(0, Math.min(b, count)) * events / count);
    }

    int size(int b) {
      return start(b + 1) - start(b);
    }
  }

  // ---- 5: flow rate ------------------------------------------------------------------------

  /** Per-bin log rate, its robust center and limit half-width, flagged bins. */
  private record FlowRate(
      double[] stat, double center, double limit, boolean[] flagged, double tick) {}

  private FlowRate flowRate(TimeAxis axis, Bins bins, List<String> notes) {
    if (axis.unusable != null) {
      notes.add("flow rate not checked: " + axis.unusable);
      return null;
    }
    double[] t = axis.time;
    double[] stat = new double[bins.count];
    double[] duration = new double[bins.count];
    Arrays.fill(stat, Double.NaN);
    Arrays.fill(duration, Double.NaN);
    for (int b = 0; b < bins.count; b++) {
      int s = bins.start(b);
      int e = bins.start(b + 1);
      if (e > axis.usableEnd) {
        continue;
      }
      int intervals = b == 0 ? e - s - 1 : e - s;
      duration[b] = t[e - 1] - (b == 0 ? t[0] : t[s - 1]);
      stat[b] = Math.log(intervals / Math.max(duration[b], axis.tick / 2));
    }
    int evaluable = Robust.countFinite(stat);
    if (evaluable < params.minBins()) {
      notes.add(
          "flow rate not checked: only "
              + evaluable
              + " bins have a usable Time (at least "
              + params.minBins()
              + " are needed)");
      return null;
    }
    double ticks = Robust.median(duration) / axis.tick;
    if (!(ticks >= MIN_TICKS_PER_BIN)) {
      notes.add(
          String.format(
              java.util.Locale.ROOT,
              "flow rate not checked: the Time resolution"
                  + " is too coarse (a bin spans a median of %.1f Time steps of %s; at least %d are "
                  + "needed)",
              ticks,
              TimeAxis.fmt(axis.tick),
              MIN_TICKS_PER_BIN));
      return null;
    }
    double center = Robust.median(stat);
    double perBin = bins.events / (double) bins.count;
    double quantisation = axis.tick / Robust.median(duration);
    double floor = Math.sqrt(1 / perBin + quantisation * quantisation / 6);
    double limit = params.madMultiplier() * Math.max(Robust.mad(stat, center), floor);
    boolean[] flagged = new boolean[bins.count];
    for (int b = 0; b < bins.count; b++) {
      flagged[b] = !Double.isNaN(stat[b]) && Math.abs(stat[b] - center) > limit;
    }
    return new FlowRate(stat, center, limit, flagged, axis.tick);
  }

  private int[] refineFlow(
      TimeAxis axis,
      Bins bins,
      FlowRate fr,
      int[] run,
      List<QcSummary.Segment> done,
      QcReason reason) {
    int a = run[0];
    int b = run[1];
    int[] w = window(bins, run, done, reason);
    int hi = Math.min(w[3], axis.usableEnd);
    int rightStart = Math.min(w[2], hi);
    double[] t = axis.time;
    double normal = Math.exp(fr.center);
    double events = 0;
    double span = 0;
    for (int k = a; k <= b; k++) {
      if (!Double.isNaN(fr.stat[k])) {
        int s = bins.start(k);
        int e = bins.start(k + 1);
        events += k == 0 ? e - s - 1 : e - s;
        span += Math.max(t[e - 1] - (k == 0 ? t[0] : t[s - 1]), fr.tick / 2);
      }
    }
    int[] seg = {bins.start(a), bins.start(b + 1)};
    if (span <= 0 || hi <= w[0]) {
      return seg;
    }
    double anomalous = events / span;
    for (int pass = 0; pass < 2; pass++) {
      double[] score = new double[hi - w[0]];
      double logRatio = Math.log(anomalous / normal);
      for (int p = w[0]; p < hi; p++) {
        // The first event has no gap before it: no evidence either way.
        score[p - w[0]] = p == 0 ? 0 : logRatio - (anomalous - normal) * (t[p] - t[p - 1]);
      }
      int[] found = SegmentLocator.locate(score, w[0], w[1], rightStart, hi);
      if (found == null) {
        break;
      }
      seg = found;
      int count = seg[0] == 0 ? seg[1] - 1 : seg[1] - seg[0];
      double d = t[seg[1] - 1] - (seg[0] == 0 ? t[0] : t[seg[0] - 1]);
      if (count <= 0) {
        break;
      }
      anomalous = count / Math.max(d, fr.tick / 2);
    }
    return seg;
  }

  /**
   * The search window of a run: {lo, leftEnd, rightStart, hi}, from the bin before the run to
   * the bin after it, never reaching back into the previous segment of the same reason.
   */
  private static int[] window(Bins bins, int[] run, List<QcSummary.Segment> done, QcReason reason) {
    int lo = bins.start(run[0] - 1);
    for (QcSummary.Segment s : done) {
      if (s.reason() == reason) {
        lo = Math.max(lo, s.endEvent());
      }
    }
    int leftEnd = Math.max(lo, bins.start(run[0] + 1));
    int hi = bins.start(run[1] + 2);
    int rightStart = Math.max(lo, bins.start(run[1]));
    return new int[] {lo, leftEnd, rightStart, hi};
  }

  // ---- 6: signal ---------------------------------------------------------------------------

  /** A statistic of a channel out of its limits in one bin. */
  private record Hit(
      int bin, int channel, int quantile, double value, double lower, double upper) {}

  /** Per checked channel and quantile: per-bin statistics, robust center and limit. */
  private final class Signal {
    final List<Integer> channels;
    final double[][][] stat; // [channel][quantile][bin]
    final double[][] center;
    final double[][] lower;
    final double[][] upper;
    final boolean[] flagged;
    final List<Hit> hits = new ArrayList<>();

    Signal(List<Integer> channels, int binCount) {
      this.channels = channels;
      int q = params.quantiles().size();
      stat = new double[channels.size()][q][binCount];
      center = new double[channels.size()][q];
      lower = new double[channels.size()][q];
      upper = new double[channels.size()][q];
      flagged = new boolean[binCount];
    }

    List<QcSummary.Violation> violations(QcSample sample, int[] run) {
      Map<String, QcSummary.Violation> byStat = new LinkedHashMap<>();
      for (Hit h : hits) {
        if (h.bin < run[0] || h.bin > run[1]) {
          continue;
        }
        int ci = channels.indexOf(h.channel);
        QcChannel ch = sample.channels().get(h.channel);
        String statName = statisticName(params.quantiles().get(h.quantile), ch.transform());
        String key = ch.name() + "\u0000" + statName;
        QcSummary.Violation prev = byStat.get(key);
        double c = center[ci][h.quantile];
        double worst =
            prev == null || Math.abs(h.value - c) > Math.abs(prev.worst() - c)
                ? h.value
                : prev.worst();
        byStat.put(
            key,
            new QcSummary.Violation(
                ch.name(), statName, prev == null ? 1 : prev.bins() + 1, worst, h.lower, h.upper));
      }
      return new ArrayList<>(byStat.values());
    }
  }

  static String statisticName(double q, Transform transform) {
    String stat = q == 0.5 ? "median" : "q" + q;
    return stat + " of " + transform.spec();
  }

  private Signal signal(QcSample sample, List<Integer> checked, TimeAxis axis, Bins bins) {
    List<Double> qs = params.quantiles();
    double[] qArray = qs.stream().mapToDouble(Double::doubleValue).toArray();
    double[] binStats = new double[qArray.length];
    Signal sig = new Signal(checked, bins.count);
    double[] buffer = new double[bins.size(0) + 1];
    double perBin = bins.events / (double) bins.count;
    double k = params.madMultiplier();
    double[] probs = new double[2 * qArray.length];
    for (int qi = 0; qi < qArray.length; qi++) {
      double q = qArray[qi];
      double se = Math.sqrt(q * (1 - q) / perBin);
      probs[2 * qi] = Math.max(0, q - k * se);
      probs[2 * qi + 1] = Math.min(1, q + k * se);
    }
    double[] bounds = new double[probs.length];
    double[] y = new double[sample.events()];
    for (int ci = 0; ci < checked.size(); ci++) {
      int c = checked.get(ci);
      float[] v = sample.values(c);
      Transform tr = sample.channels().get(c).transform();
      // every event transformed once, for the bins and the pooled sample alike
      for (int i = 0; i < v.length; i++) {
        y[i] = tr.apply(v[i]);
      }
      for (int b = 0; b < bins.count; b++) {
        int m = 0;
        for (int p = bins.start(b); p < bins.start(b + 1); p++) {
          double t = y[axis.event(p)];
          if (Double.isFinite(t)) {
            buffer[m++] = t;
          }
        }
        if (m < 2) {
          for (int qi = 0; qi < qArray.length; qi++) {
            sig.stat[ci][qi][b] = Double.NaN;
          }
        } else {
          Robust.quantilesBySelection(buffer, m, qArray, binStats);
          for (int qi = 0; qi < qArray.length; qi++) {
            sig.stat[ci][qi][b] = binStats[qi];
          }
        }
      }
      double[] pooled = pooledSample(y, v.length);
      if (pooled.length > 0) {
        Robust.quantilesBySelection(pooled, pooled.length, probs, bounds);
      }
      for (int qi = 0; qi < qs.size(); qi++) {
        double[] s = sig.stat[ci][qi];
        double center = Robust.median(s);
        double mad = Robust.mad(s, center);
        double lower = center - k * mad;
        double upper = center + k * mad;
        if (pooled.length > 0) {
          lower = Math.min(lower, bounds[2 * qi]);
          upper = Math.max(upper, bounds[2 * qi + 1]);
        }
        sig.center[ci][qi] = center;
        sig.lower[ci][qi] = lower;
        sig.upper[ci][qi] = upper;
        for (int b = 0; b < bins.count; b++) {
          if (s[b] < lower || s[b] > upper) {
            sig.flagged[b] = true;
            sig.hits.add(new Hit(b, c, qi, s[b], lower, upper));
          }
        }
      }
    }
    return sig;
  }

  /**
   * The finite transformed values of at most {@value #REFERENCE_EVENTS} events evenly spread over
   * the sample ({@code y[0 .. n)}, in event order): the pooled distribution whose quantiles bound a
   * bin quantile's sampling error. Not sorted: the bounds are selected ({@link
   * Robust#quantilesBySelection}, the sorted array's quantiles bit for bit; the sort was half of
   * acquisition QC's time on files of a few thousand events, BENCHMARKS.md).
   */
  private static double[] pooledSample(double[] y, int n) {
    int stride = Math.max(1, n / REFERENCE_EVENTS);
    double[] out = new double[(n + stride - 1) / stride];
    int m = 0;
    for (int i = 0; i < n; i += stride) {
      if (Double.isFinite(y[i])) {
        out[m++] = y[i];
      }
    }
    return Arrays.copyOf(out, m);
  }

  private int[] refineSignal(
      QcSample sample,
      TimeAxis axis,
      Bins bins,
      Signal sig,
      boolean[] bad,
      int[] run,
      List<QcSummary.Segment> done) {
    int a = run[0];
    int b = run[1];
    int[] seg = {bins.start(a), bins.start(b + 1)};
    // The statistics that left their limits in this run, each with its normal level, its level
    // in the run and the midpoint whose exceedance the events are scored on.
    Map<Long, Integer> seen = new HashMap<>();
    List<int[]> stats = new ArrayList<>();
    for (Hit h : sig.hits) {
      if (h.bin >= a
          && h.bin <= b
          && seen.putIfAbsent(((long) h.channel << 32) | h.quantile, 1) == null) {
        stats.add(new int[] {sig.channels.indexOf(h.channel), h.quantile});
      }
    }
    int[] w = window(bins, run, done, QcReason.SIGNAL);
    int lo = w[0];
    int hi = w[3];
    if (stats.isEmpty() || hi <= lo) {
      return seg;
    }
    int s = stats.size();
    float[][] x = new float[s][];
    double[] mid = new double[s];
    double[] p0 = new double[s];
    for (int k = 0; k < s; k++) {
      int ci = stats.get(k)[0];
      int qi = stats.get(k)[1];
      int c = sig.channels.get(ci);
      Transform tr = sample.channels().get(c).transform();
      float[] v = sample.values(c);
      x[k] = new float[hi - lo];
      for (int p = lo; p < hi; p++) {
        x[k][p - lo] = (float) tr.apply(v[axis.event(p)]);
      }
      double[] inRun = Arrays.copyOfRange(sig.stat[ci][qi], a, b + 1);
      mid[k] = (sig.center[ci][qi] + Robust.median(inRun)) / 2;
      p0[k] = referenceExceedance(v, tr, axis, bins, bad, mid[k]);
    }
    int first = seg[0];
    int end = seg[1];
    for (int pass = 0; pass < 2; pass++) {
      double[] score = new double[hi - lo];
      for (int k = 0; k < s; k++) {
        int above = 0;
        int total = 0;
        for (int p = first; p < end; p++) {
          float y = x[k][p - lo];
          if (!Float.isNaN(y)) {
            total++;
            if (y > mid[k]) {
              above++;
            }
          }
        }
        if (total == 0) {
          continue;
        }
        double p1 = clamp((double) above / total);
        double up = Math.log(p1 / p0[k]);
        double down = Math.log((1 - p1) / (1 - p0[k]));
        for (int p = lo; p < hi; p++) {
          float y = x[k][p - lo];
          if (!Float.isNaN(y)) {
            score[p - lo] += y > mid[k] ? up : down;
          }
        }
      }
      int[] found = SegmentLocator.locate(score, lo, w[1], w[2], hi);
      if (found == null) {
        break;
      }
      seg = found;
      first = seg[0];
      end = seg[1];
    }
    return seg;
  }

  /** Share of events of good bins above {@code level}, from at most REFERENCE_EVENTS of them. */
  private static double referenceExceedance(
      float[] v, Transform tr, TimeAxis axis, Bins bins, boolean[] bad, double level) {
    long good = 0;
    for (int b = 0; b < bins.count; b++) {
      if (!bad[b]) {
        good += bins.size(b);
      }
    }
    int stride = (int) Math.max(1, good / REFERENCE_EVENTS);
    int above = 0;
    int total = 0;
    int i = 0;
    for (int b = 0; b < bins.count; b++) {
      if (bad[b]) {
        continue;
      }
      for (int p = bins.start(b); p < bins.start(b + 1); p++, i++) {
        if (i % stride != 0) {
          continue;
        }
        double y = tr.apply(v[axis.event(p)]);
        if (!Double.isNaN(y)) {
          total++;
          if (y > level) {
            above++;
          }
        }
      }
    }
    return clamp(total == 0 ? 0.5 : (double) above / total);
  }

  private static double clamp(double p) {
    return Math.min(1 - P_EPS, Math.max(P_EPS, p));
  }

  // ---- 7: runs and segments ----------------------------------------------------------------

  /** PeacoQC's rule: fewer than consecutiveBins good bins between two bad ones become bad. */
  boolean[] consecutive(boolean[] flagged) {
    boolean[] out = flagged.clone();
    int lastBad = -1;
    for (int b = 0; b < out.length; b++) {
      if (flagged[b]) {
        if (lastBad >= 0 && b - lastBad - 1 > 0 && b - lastBad - 1 < params.consecutiveBins()) {
          Arrays.fill(out, lastBad + 1, b, true);
        }
        lastBad = b;
      }
    }
    return out;
  }

  /** Maximal runs {first, last} of true. */
  static List<int[]> runs(boolean[] bad) {
    List<int[]> out = new ArrayList<>();
    int b = 0;
    while (b < bad.length) {
      if (!bad[b]) {
        b++;
        continue;
      }
      int a = b;
      while (b + 1 < bad.length && bad[b + 1]) {
        b++;
      }
      out.add(new int[] {a, b});
      b++;
    }
    return out;
  }

  private static void mark(byte[] flags, TimeAxis axis, int[] seg, QcReason reason) {
    for (int p = seg[0]; p < seg[1]; p++) {
      flags[axis.event(p)] |= reason.bit();
    }
  }

  private static QcSummary.Segment segment(
      QcReason reason,
      TimeAxis axis,
      int[] seg,
      int[] run,
      double scale,
      List<QcSummary.Violation> why) {
    return new QcSummary.Segment(
        reason,
        seg[0],
        seg[1],
        axis.time[seg[0]] * scale,
        axis.time[seg[1] - 1] * scale,
        run[0],
        run[1],
        why);
  }
}
