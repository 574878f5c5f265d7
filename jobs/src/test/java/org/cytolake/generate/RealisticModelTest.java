package org.cytolake.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.cytolake.cytometry.BoundCompensation;
import org.cytolake.cytometry.Compensation;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.RectangleGate;
import org.cytolake.generate.PanelModel.PanelTree;
import org.cytolake.generate.TrialPlan.Sample;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The realistic model (the default) with fixed seeds, without Spark: populations overlap across
 * the fixed gates of {@code conf/gating/P1.yaml}, every anomalous event is marked in truth with the
 * configured shares, the setup change moves a stable channel by the configured amount, event
 * counts vary per file, and the same seed gives the same bytes.
 */
class RealisticModelTest {
  private static final int W = PanelModel.CHANNELS;
  private static final int S = PanelModel.SCATTER.size();

  /** P1 files of 6 patients at D1 and D8, 20,000 events (median), no anomalies. */
  private static GenerateOptions p1Options() {
    return GenerateOptions.defaults(Path.of("unused"))
        .withPatients(6)
        .withVisits(List.of("D1", "D8"))
        .withPanels(List.of("P1"))
        .withEventsPerSample(20_000)
        .withBadFraction(0)
        .withAnomalyFraction(0)
        .withSeed(5);
  }

  /** Linear values as written, undoing the ×0.25 of the int16 files (not Time). */
  private static float[] linear(Sample s, float[] raw) {
    float[] v = raw.clone();
    if (s.encoding() == TrialPlan.Encoding.FCS20_I16_BE) {
      for (int i = 0; i < v.length; i++) {
        if (i % W != W - 1) {
          v[i] /= (float) TrialPlan.INT16_SCALE;
        }
      }
    }
    return v;
  }

  /** Compensated, arcsinh(x/150) values of the 10 detectors, as the lake holds them. */
  private static double[][] transformed(Sample s, float[] raw) {
    float[] v = linear(s, raw);
    List<String> names = new ArrayList<>(PanelModel.SCATTER);
    names.addAll(PanelModel.DETECTORS);
    names.add(PanelModel.TIME);
    BoundCompensation c = Compensation.of(PanelModel.DETECTORS, Instrument.SPILLOVER).bind(names);
    int n = v.length / W;
    c.compensate(v, n, W);
    double[][] out = new double[n][PanelModel.DETECTORS.size()];
    for (int e = 0; e < n; e++) {
      for (int d = 0; d < out[e].length; d++) {
        out[e][d] = asinh(v[e * W + S + d] / PanelModel.COFACTOR);
      }
    }
    return out;
  }

  private static double asinh(double x) {
    return Math.log(x + Math.sqrt(x * x + 1));
  }

  private static List<Sample> regularP1(TrialPlan plan) {
    return plan.samples.stream().filter(s -> s.regular() && s.panel() == PanelModel.P1).toList();
  }

  /**
   * (a) With the fixed Treg gate of conf/gating/P1.yaml (CD25 ≥ min, CD127 < max), some true Tregs
   * fall outside (the CD25 continuum and the CD127-low shoulder) and some Tconv inside, in
   * plausible shares (real CD25+CD127lo gates are 85-95% FOXP3+); the separable model of the same
   * files puts none on the wrong side.
   */
  @Test
  void populationsOverlapAcrossTheFixedTregGate() throws Exception {
    RectangleGate treg =
        (RectangleGate)
            CompactGatingReader.read(SharedData.projectDir().resolve("conf/gating/P1.yaml"))
                .gateOf("Treg");
    List<String> dims = treg.dimensions().stream().map(d -> d.name()).toList();
    int cd25Dim = dims.indexOf("cd25");
    int cd127Dim = dims.indexOf("cd127");
    double cd25Min = treg.min()[cd25Dim];
    double cd127Max = treg.max()[cd127Dim];
    int cd25 = PanelModel.P1.markers().indexOf("CD25");
    int cd127 = PanelModel.P1.markers().indexOf("CD127");
    PanelTree tree = PanelModel.treeOf(PanelModel.P1);

    Map<Boolean, long[]> counts = new LinkedHashMap<>();
    for (boolean separable : new boolean[] {false, true}) {
      GenerateOptions o = p1Options().withSeparable(separable);
      long tregs = 0;
      long tregsOut = 0;
      long tconvIn = 0;
      long gated = 0;
      for (Sample s : regularP1(TrialPlan.build(o))) {
        SampleWriter.Drawn d = TrialGenerator.redraw(o, s.file());
        double[][] t = transformed(s, d.values());
        for (int e = 0; e < t.length; e++) {
          String label = tree.labels().get(d.labels()[e]);
          boolean in = t[e][cd25] >= cd25Min && t[e][cd127] < cd127Max;
          if (label.startsWith(PanelModel.TREG)) {
            tregs++;
            tregsOut += in ? 0 : 1;
          } else if (label.startsWith(PanelModel.TCONV) && in) {
            tconvIn++;
          }
          gated += label.startsWith(PanelModel.CD4) && in ? 1 : 0;
        }
      }
      counts.put(separable, new long[] {tregs, tregsOut, tconvIn, gated});
    }
    long[] r = counts.get(false);
    double out = (double) r[1] / r[0];
    double purity = 1 - (double) r[2] / r[3];
    System.out.printf(
        Locale.ROOT,
        "realistic: %d true Tregs, %.1f%% outside the fixed gate; "
            + "%d Tconv inside, gate purity %.1f%%%n",
        r[0],
        100 * out,
        r[2],
        100 * purity);
    assertTrue(r[0] > 1000, "enough Tregs: " + r[0]);
    assertTrue(out > 0.01 && out < 0.25, "share of true Tregs outside the fixed gate " + out);
    assertTrue(
        r[2] > 0 && purity > 0.8 && purity < 0.995,
        "Tconv in the gate " + r[2] + ", purity " + purity);
    long[] sep = counts.get(true);
    assertTrue(sep[0] > 1000, "enough separable Tregs: " + sep[0]);
    assertEquals(0, sep[1], "separable: no true Treg outside the gate");
    assertEquals(0, sep[2], "separable: no Tconv inside the gate");
  }

  /**
   * (b) In a realistic trial with anomalies, every anomalous event is marked in
   * truth/event_anomalies.csv.gz with its kind, truth/anomalies.csv counts them, and the shares
   * are the configured ones: round(fraction × regular files) files (at least one of each kind),
   * a clog segment of 5-15% of a file with a slower flow and lower signals, a bubble's gap in
   * Time followed by 0.5-2% of disturbed events, margin events at $PnR − 1 in the configured
   * share.
   */
  @Test
  void everyAnomalousEventIsMarkedInTheConfiguredShares() throws Exception {
    Path trial = Trials.small();
    GenerateOptions o = Trials.smallOptions(trial);
    TrialPlan plan = TrialPlan.build(o);
    long regular = plan.samples.stream().filter(Sample::regular).count();
    Map<String, Map<Integer, String>> marked = new HashMap<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(
                    Files.newInputStream(trial.resolve("truth/event_anomalies.csv.gz"))),
                StandardCharsets.US_ASCII))) {
      assertEquals(Truth.EVENT_ANOMALIES_HEADER, r.readLine());
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        String[] f = l.split(",");
        marked.computeIfAbsent(f[0], k -> new HashMap<>()).put(Integer.parseInt(f[1]), f[2]);
      }
    }
    Map<String, Map<String, List<String>>> summary = new HashMap<>();
    for (List<String> row : Trials.rows(trial.resolve("truth/anomalies.csv"))) {
      summary.computeIfAbsent(row.get(0), k -> new HashMap<>()).put(row.get(1), row);
    }
    int injected = 0;
    Map<Anomaly.Kind, Integer> kinds = new LinkedHashMap<>();
    for (Sample s : plan.samples) {
      SampleWriter.Drawn d = TrialGenerator.redraw(o, s.file());
      int n = s.events();
      float max =
          s.encoding() == TrialPlan.Encoding.FCS20_I16_BE
              ? SampleWriter.INT16_MAX
              : PanelModel.MAX_VALUE;
      Map<Integer, String> m = marked.getOrDefault(s.file(), Map.of());
      Map<String, Integer> perKind = new HashMap<>();
      for (int e = 0; e < n; e++) {
        boolean saturated = false;
        for (int c = 0; c < W - 1; c++) {
          saturated |= d.values()[e * W + c] >= max;
        }
        String kind = m.get(e);
        assertEquals(
            Anomaly.Kind.of(d.anomalies()[e]).label,
            kind == null ? Anomaly.Kind.NONE.label : kind,
            s.file() + " event " + e);
        assertEquals(
            saturated,
            "margin".equals(kind),
            s.file() + " event " + e + ": margin exactly where a channel is at $PnR-1");
        if (kind != null) {
          perKind.merge(kind, 1, Integer::sum);
        }
      }
      Map<String, List<String>> rows = summary.get(s.file());
      assertTrue(rows != null, "anomalies.csv has " + s.file());
      for (Map.Entry<String, Integer> k : perKind.entrySet()) {
        assertEquals(
            Integer.toString(k.getValue()),
            rows.get(k.getKey()).get(4),
            s.file() + " " + k.getKey());
      }
      if (perKind.isEmpty() && s.anomaly() == null) {
        assertEquals("0", rows.get("none").get(4));
      }
      Anomaly a = SampleWriter.anomaly(s, new Instrument(o.seed(), plan.runDays(), true), o.seed());
      assertEquals(s.anomaly() == null ? Anomaly.Kind.NONE : s.anomaly(), a.kind);
      if (s.anomaly() == null) {
        continue;
      }
      assertEquals("true", rows.get(a.kind.label).get(2), s.file());
      if (s.regular()) {
        injected++;
        kinds.merge(a.kind, 1, Integer::sum);
      }
      float[] v = d.values();
      switch (a.kind) {
        case CLOG -> {
          double share = (double) a.count / n;
          assertTrue(
              share >= Anomaly.CLOG_SHARE_MIN - 1.0 / n
                  && share <= Anomaly.CLOG_SHARE_MAX + 1.0 / n,
              "clog share " + share);
          int inSegment = 0;
          for (int e = 0; e < n; e++) {
            String kind = m.get(e);
            if (a.inSegment(e)) {
              inSegment++;
              assertTrue("clog".equals(kind) || "margin".equals(kind), s.file() + " " + e);
            } else {
              assertTrue(!"clog".equals(kind), s.file() + " " + e);
            }
          }
          assertEquals(a.count, inSegment);
          // the flow slows down and the signals drop on the plateau
          int plateauFrom = a.first + (int) Math.ceil(Anomaly.CLOG_RAMP * a.count);
          int plateauTo = a.first + a.count - (int) Math.ceil(Anomaly.CLOG_RAMP * a.count);
          double inGap =
              (v[(plateauTo - 1) * W + W - 1] - v[plateauFrom * W + W - 1])
                  / (plateauTo - 1 - plateauFrom);
          double outGap = v[(a.first - 1) * W + W - 1] / (a.first - 1);
          assertTrue(inGap > 1.5 * outGap, "clog: time per event " + inGap + " vs " + outGap);
          assertTrue(
              medianFsc(v, plateauFrom, plateauTo) < 0.9 * medianFsc(v, 0, a.first),
              "clog: signals drop");
        }
        case BUBBLE -> {
          double share = (double) a.count / n;
          assertTrue(
              share >= Anomaly.BUBBLE_SHARE_MIN - 1.0 / n
                  && share <= Anomaly.BUBBLE_SHARE_MAX + 1.0 / n,
              "bubble share " + share);
          for (int e = 0; e < n; e++) {
            String kind = m.get(e);
            assertEquals(
                a.inSegment(e) && !"margin".equals(kind),
                "bubble".equals(kind),
                s.file() + " " + e);
          }
          double gap = v[a.first * W + W - 1] - v[(a.first - 1) * W + W - 1];
          assertTrue(
              gap >= 100 * a.gapSeconds && a.gapSeconds >= Anomaly.BUBBLE_GAP_MIN_S,
              "bubble: a gap in Time of " + gap + " ticks");
        }
        case MARGIN -> {
          long count = m.values().stream().filter("margin"::equals).count();
          double expected = a.marginShare * n;
          double natural = 0.01 * n; // at most ~1% saturate on their own (granulocyte doublets)
          assertTrue(
              a.marginShare >= Anomaly.MARGIN_SHARE_MIN
                  && a.marginShare <= Anomaly.MARGIN_SHARE_MAX);
          assertTrue(
              count >= expected - 4 * Math.sqrt(expected)
                  && count <= expected + natural + 4 * Math.sqrt(expected),
              "margin events " + count + ", configured share " + a.marginShare + " of " + n);
        }
        default -> throw new AssertionError(a.kind);
      }
    }
    int expectedFiles =
        (int)
            Math.max(
                Math.round(o.anomalyFraction() * regular),
                regular >= Anomaly.MIN_FILES_FOR_EVERY_KIND ? Anomaly.INJECTED.length : 0);
    assertEquals(expectedFiles, injected, "files with an anomaly among " + regular);
    assertEquals(
        Map.of(Anomaly.Kind.CLOG, 1, Anomaly.Kind.BUBBLE, 1, Anomaly.Kind.MARGIN, 1), kinds);
  }

  private static double medianFsc(float[] v, int from, int to) {
    double[] x = new double[to - from];
    for (int e = from; e < to; e++) {
      x[e - from] = v[e * W];
    }
    Arrays.sort(x);
    return x[x.length / 2];
  }

  /**
   * (c) The median of a stable channel of a control population (compensated PE-Cy7, CD127, on
   * true Tconv: no visit or patient effect) in the first batch and in the first batch after the
   * setup change differ by the configured setup-change gain of PE-Cy7-A, times the day-to-day
   * drift of the two days.
   */
  @Test
  void theSetupChangeMovesAStableChannelByTheConfiguredAmount() throws Exception {
    GenerateOptions o = p1Options().withPatients(11).withEventsPerSample(30_000);
    TrialPlan plan = TrialPlan.build(o);
    Instrument instrument = new Instrument(o.seed(), plan.runDays(), true);
    LocalDate first = plan.runDays().get(0);
    LocalDate change = instrument.setupChange();
    Sample before =
        regularP1(plan).stream().filter(s -> s.date().equals(first)).findFirst().orElseThrow();
    Sample after =
        regularP1(plan).stream().filter(s -> s.date().equals(change)).findFirst().orElseThrow();
    int detector = PanelModel.DETECTORS.indexOf("PE-Cy7-A");
    int[] shifted = instrument.shiftedDetectors();
    double shift = Double.NaN;
    for (int k = 0; k < shifted.length; k++) {
      if (shifted[k] == detector) {
        shift = instrument.shifts()[k];
      }
    }
    assertTrue(
        Math.abs(Math.log(shift)) >= Math.log(Instrument.REALISTIC_SHIFT_MIN) - 1e-9,
        "the setup change moves PE-Cy7-A by 25-60%: " + shift);
    double drift = instrument.gains(change)[detector] / shift / instrument.gains(first)[detector];
    double measured = tconvMedian(o, after, detector) / tconvMedian(o, before, detector);
    System.out.printf(
        Locale.ROOT,
        "PE-Cy7 (CD127) median on Tconv, %s vs %s: x%.4f; setup "
            + "change x%.4f, day-to-day drift x%.4f%n",
        change,
        first,
        measured,
        shift,
        drift);
    assertEquals(
        shift * drift, measured, 0.03 * shift * drift, "median ratio = configured shift x drift");
    assertTrue(Math.abs(Math.log(drift)) < 0.3, "drift stays within its range: " + drift);
  }

  private static double tconvMedian(GenerateOptions o, Sample s, int detector) {
    SampleWriter.Drawn d = TrialGenerator.redraw(o, s.file());
    float[] v = linear(s, d.values());
    List<String> names = new ArrayList<>(PanelModel.SCATTER);
    names.addAll(PanelModel.DETECTORS);
    names.add(PanelModel.TIME);
    Compensation.of(PanelModel.DETECTORS, Instrument.SPILLOVER)
        .bind(names)
        .compensate(v, d.labels().length, W);
    PanelTree tree = PanelModel.treeOf(PanelModel.P1);
    List<Double> x = new ArrayList<>();
    for (int e = 0; e < d.labels().length; e++) {
      if (tree.labels().get(d.labels()[e]).startsWith(PanelModel.TCONV)) {
        x.add((double) v[e * W + S + detector]);
      }
    }
    assertTrue(x.size() > 1000, "Tconv events in " + s.file() + ": " + x.size());
    return org.cytolake.stats.Quantiles.median(x, org.cytolake.stats.Quantiles.NaNs.ORDERED_LAST);
  }

  /** (d) Event counts vary per file, log-normally around the configured number. */
  @Test
  void eventCountsVaryPerFile() {
    GenerateOptions o =
        GenerateOptions.defaults(Path.of("unused"))
            .withPatients(46)
            .withVisits(List.of("D1", "D8"))
            .withEventsPerSample(10_000);
    List<Integer> p1 = regularP1(TrialPlan.build(o)).stream().map(Sample::events).toList();
    double[] logs = p1.stream().mapToDouble(n -> Math.log(n / 10_000.0)).toArray();
    double mean = Arrays.stream(logs).average().orElseThrow();
    double sd =
        Math.sqrt(Arrays.stream(logs).map(x -> (x - mean) * (x - mean)).sum() / (logs.length - 1));
    assertTrue(p1.stream().distinct().count() > 80, "92 P1 files, distinct counts: " + p1);
    assertTrue(Math.abs(mean) < 0.1, "median near the configured count: " + Math.exp(mean));
    assertTrue(sd > 0.2 && sd < 0.4, "log-SD " + sd);
    List<Integer> separable =
        regularP1(TrialPlan.build(o.withSeparable(true))).stream()
            .map(Sample::events)
            .distinct()
            .toList();
    assertEquals(List.of(10_000), separable, "separable: every P1 file the configured count");
  }

  /** (e) The same seed gives the same bytes (anomalies and their truth included). */
  @Test
  void sameSeedGivesTheSameBytes(@TempDir Path tmp) throws Exception {
    GenerateOptions o =
        GenerateOptions.defaults(tmp.resolve("a"))
            .withPatients(4)
            .withVisits(List.of("D1", "D8"))
            .withEventsPerSample(1500)
            .withSeed(9)
            .withAnomalyFraction(0.5);
    TrialGenerator.run(o.withThreads(1));
    TrialGenerator.run(o.withOut(tmp.resolve("b")).withThreads(3));
    Map<String, String> a = Trials.sha256Tree(tmp.resolve("a"));
    assertTrue(
        a.containsKey("truth/anomalies.csv") && a.containsKey("truth/event_anomalies.csv.gz"),
        a.keySet().toString());
    assertEquals(a, Trials.sha256Tree(tmp.resolve("b")));
    SampleWriter.Drawn x = TrialGenerator.redraw(o, regularP1(TrialPlan.build(o)).get(1).file());
    SampleWriter.Drawn y = TrialGenerator.redraw(o, regularP1(TrialPlan.build(o)).get(1).file());
    assertArrayEquals(x.values(), y.values());
    assertArrayEquals(x.anomalies(), y.anomalies());
  }
}
