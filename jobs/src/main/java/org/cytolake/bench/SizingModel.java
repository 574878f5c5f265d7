package org.cytolake.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularMatrixException;

/**
 * A sizing model of the nightly run fitted on measured nights ({@code bench --only nightly}
 * results): each step's seconds as
 *
 * <pre>
 *   t = fixed + perFile·F + (perFileWork·F + perEvent·E) / P
 * </pre>
 *
 * for E events in F files on P executor cores: {@code fixed} and {@code perFile} are what does not
 * spread over executors (the driver's planning, job set-up, the work on collected data), {@code
 * perFileWork} and {@code perEvent} what does (tasks per file, decoding and writing events). Each
 * term is non-negative (least squares over the non-negative coefficient sets, exactly: the best
 * of every subset of terms whose plain least-squares fit is non-negative), so a term the runs
 * cannot tell apart from another is left at 0 rather than made negative to fit noise.
 *
 * <p>Pure Java; the runs are read from the bench JSON ({@link #run}).
 */
public final class SizingModel {
  /** Names of the terms, in the order of {@link Terms}' components. */
  public static final List<String> TERMS =
      List.of("fixed s", "per file s", "per file per core s", "per event per core s");

  private SizingModel() {}

  /** One measured night. */
  public record Run(
      String name,
      long events,
      int files,
      int cores,
      String master,
      double nightSeconds,
      Map<String, Double> stepSeconds,
      double driverPeakAfterGcMib,
      double executorPeakHeapMib) {}

  /** A step's fitted terms. */
  public record Terms(double fixed, double perFile, double perFileWork, double perEvent) {
    public double predict(double events, double files, double cores) {
      return fixed + perFile * files + (perFileWork * files + perEvent * events) / cores;
    }

    double[] values() {
      return new double[] {fixed, perFile, perFileWork, perEvent};
    }
  }

  /** The model: each step's terms, fitted on {@code runs}. */
  public record Fit(List<Run> runs, Map<String, Terms> steps) {
    /** The whole night: the steps' terms added up ({@link #night()}), as a prediction. */
    public double predictNight(double events, double files, double cores) {
      return night().predict(events, files, cores);
    }

    /** Every step's terms added up: the night's own terms. */
    public Terms night() {
      double[] sum = new double[TERMS.size()];
      for (Terms t : steps.values()) {
        double[] v = t.values();
        for (int i = 0; i < sum.length; i++) {
          sum[i] += v[i];
        }
      }
      return new Terms(sum[0], sum[1], sum[2], sum[3]);
    }
  }

  private static final Pattern LOCAL_N = Pattern.compile("local\\[(\\d+)(?:,\\d+)?\\]");
  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*\\d+\\s*\\]");

  /**
   * The executor cores of a Spark master URL: {@code local[N]} N, {@code local[*]} and {@code
   * local} the machine's cores ({@code machineCores}; 1 for {@code local}), {@code
   * local-cluster[W,C,M]} W × C.
   *
   * @throws IllegalArgumentException for any other master (its cores are not in its URL)
   */
  public static int cores(String master, int machineCores) {
    if (master.equals("local")) {
      return 1;
    }
    if (master.startsWith("local[*")) {
      return machineCores;
    }
    Matcher m = LOCAL_N.matcher(master);
    if (m.matches()) {
      return Integer.parseInt(m.group(1));
    }
    m = LOCAL_CLUSTER.matcher(master);
    if (m.matches()) {
      return Integer.parseInt(m.group(1)) * Integer.parseInt(m.group(2));
    }
    throw new IllegalArgumentException(
        "Cannot tell the cores of Spark master '"
            + master
            + "': the sizing model takes local, local[N], local[*] and local-cluster[W,C,M]");
  }

  /**
   * Reads one night from a {@code bench --only nightly} JSON result.
   *
   * @throws IllegalArgumentException when it holds no successful nightly run
   */
  public static Run run(String name, JsonNode bench) {
    JsonNode d = bench.path("details").path("nightly");
    if (d.isMissingNode()) {
      throw new IllegalArgumentException(
          "Cannot read " + name + ": no details.nightly (not a bench --only nightly result)");
    }
    if (!"succeeded".equals(d.path("status").asText())) {
      throw new IllegalArgumentException(
          "Cannot read " + name + ": its night " + d.path("status").asText() + ", not succeeded");
    }
    String master = d.path("spark_master").asText();
    Map<String, Double> steps = new LinkedHashMap<>();
    d.path("step_seconds")
        .fields()
        .forEachRemaining(e -> steps.put(e.getKey(), e.getValue().asDouble()));
    double executorPeak = 0;
    for (JsonNode v : d.path("executor_peak_heap_in_use_mib")) {
      executorPeak = Math.max(executorPeak, v.asDouble());
    }
    return new Run(
        name,
        d.path("events").asLong(),
        d.path("fcs_files").asInt(),
        cores(master, bench.path("machine").path("cores").asInt(1)),
        master,
        d.path("nightly_seconds").asDouble(),
        steps,
        d.path("driver_heap").path("peak_after_gc_mib").asDouble(Double.NaN),
        executorPeak);
  }

  /**
   * Fits every step that all {@code runs} have.
   *
   * @throws IllegalArgumentException with fewer than 2 runs
   */
  public static Fit fit(List<Run> runs) {
    if (runs.size() < 2) {
      throw new IllegalArgumentException(
          "Cannot fit the sizing model: it needs at least 2 nights, not " + runs.size());
    }
    Set<String> steps = new LinkedHashSet<>(runs.get(0).stepSeconds().keySet());
    runs.forEach(r -> steps.retainAll(r.stepSeconds().keySet()));
    double[][] x = new double[runs.size()][];
    for (int i = 0; i < runs.size(); i++) {
      Run r = runs.get(i);
      x[i] =
          new double[] {
            1, r.files(), (double) r.files() / r.cores(), (double) r.events() / r.cores()
          };
    }
    Map<String, Terms> fitted = new LinkedHashMap<>();
    for (String s : steps) {
      double[] y = runs.stream().mapToDouble(r -> r.stepSeconds().get(s)).toArray();
      double[] b = nonNegativeLeastSquares(x, y);
      fitted.put(s, new Terms(b[0], b[1], b[2], b[3]));
    }
    return new Fit(List.copyOf(runs), fitted);
  }

  /**
   * Least squares with every coefficient ≥ 0, exactly for a few columns: of every subset of
   * columns whose unconstrained fit (QR) is non-negative, the one of least residual; the other
   * coefficients 0. Ties go to the smaller subset (a column that adds nothing stays out).
   */
  static double[] nonNegativeLeastSquares(double[][] x, double[] y) {
    int p = x[0].length;
    double[] best = new double[p];
    double bestResidual = residual(x, y, best);
    List<Integer> masks = new ArrayList<>();
    for (int mask = 1; mask < (1 << p); mask++) {
      masks.add(mask);
    }
    masks.sort(java.util.Comparator.comparingInt(Integer::bitCount));
    for (int mask : masks) {
      List<Integer> cols = new ArrayList<>();
      for (int j = 0; j < p; j++) {
        if ((mask & (1 << j)) != 0) {
          cols.add(j);
        }
      }
      if (cols.size() > x.length) {
        continue;
      }
      RealMatrix a = new Array2DRowRealMatrix(x.length, cols.size());
      for (int i = 0; i < x.length; i++) {
        for (int k = 0; k < cols.size(); k++) {
          a.setEntry(i, k, x[i][cols.get(k)]);
        }
      }
      RealVector sol;
      try {
        sol = new QRDecomposition(a, 1e-12).getSolver().solve(new ArrayRealVector(y));
      } catch (SingularMatrixException e) {
        continue;
      }
      double[] b = new double[p];
      boolean ok = true;
      for (int k = 0; k < cols.size(); k++) {
        b[cols.get(k)] = sol.getEntry(k);
        ok &= sol.getEntry(k) >= 0;
      }
      if (!ok) {
        continue;
      }
      double r = residual(x, y, b);
      if (r < bestResidual * (1 - 1e-9)) {
        best = b;
        bestResidual = r;
      }
    }
    return best;
  }

  private static double residual(double[][] x, double[] y, double[] b) {
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      double f = 0;
      for (int j = 0; j < b.length; j++) {
        f += x[i][j] * b[j];
      }
      sum += (y[i] - f) * (y[i] - f);
    }
    return sum;
  }

  /**
   * The model as Markdown: the runs, each step's terms, each run measured against the fit (and
   * the {@code held} runs, not fitted, against the prediction), and the predicted night for every
   * {@code events} × {@code cores}, with {@code events / eventsPerFile} files.
   */
  public static String markdown(
      Fit fit, List<Run> held, List<Long> events, List<Integer> cores, long eventsPerFile) {
    StringBuilder b = new StringBuilder();
    b.append("Runs (fitted");
    b.append(held.isEmpty() ? ")" : "; held out: only checked against the prediction)");
    b.append(":\n\n| run | master | cores | events | files | night s | driver heap after GC,")
        .append(" peak MiB | executor heap in use, peak MiB |\n");
    b.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    List<Run> all = new ArrayList<>(fit.runs());
    all.addAll(held);
    for (Run r : all) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | `%s` | %d | %,d | %,d | %.1f | %.0f | %.0f |%n",
              label(r, held),
              r.master(),
              r.cores(),
              r.events(),
              r.files(),
              r.nightSeconds(),
              r.driverPeakAfterGcMib(),
              r.executorPeakHeapMib()));
    }
    b.append("\nTerms (t = fixed + per file·F + (per file per core·F + per event per core·E) / P):")
        .append("\n\n| step | fixed s | per 1,000 files s | per 1,000 files per core s |")
        .append(" per 10^6 events per core s |\n| --- | --- | --- | --- | --- |\n");
    Map<String, Terms> rows = new LinkedHashMap<>(fit.steps());
    rows.put("**night**", fit.night());
    rows.forEach(
        (step, t) ->
            b.append(
                String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %.2f | %.2f | %.2f |%n",
                    step,
                    t.fixed(),
                    t.perFile() * 1e3,
                    t.perFileWork() * 1e3,
                    t.perEvent() * 1e6)));
    b.append("\nMeasured against the model (night, seconds):\n\n| run | measured | model |")
        .append(" model / measured |\n| --- | --- | --- | --- |\n");
    for (Run r : all) {
      double m = fit.predictNight(r.events(), r.files(), r.cores());
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %.2f |%n",
              label(r, held),
              r.nightSeconds(),
              m,
              m / r.nightSeconds()));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%nPredicted night (files = events / %,d), minutes:%n%n| events | files |",
            eventsPerFile));
    cores.forEach(c -> b.append(String.format(Locale.ROOT, " %,d cores |", c)));
    b.append("\n| --- | --- |").append(" --- |".repeat(cores.size())).append("\n");
    for (long e : events) {
      long f = Math.max(1, e / eventsPerFile);
      b.append(String.format(Locale.ROOT, "| %.0e | %,d |", (double) e, f));
      for (int c : cores) {
        b.append(String.format(Locale.ROOT, " %.1f |", fit.predictNight(e, f, c) / 60));
      }
      b.append("\n");
    }
    return b.toString();
  }

  private static String label(Run r, List<Run> held) {
    return held.contains(r) ? r.name() + " (held out)" : r.name();
  }
}
