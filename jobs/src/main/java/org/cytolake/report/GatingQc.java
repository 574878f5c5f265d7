package org.cytolake.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cytolake.stats.MadOutliers;

/**
 * The gating QC page of one panel: for each gate, the density of its parent's events on the gate's
 * dimensions with the gate drawn, for all samples pooled and for each flagged sample; then every
 * sample's % of parent per population, the outliers and the {@code gating_qc} flags marked.
 *
 * <p>A sample is marked for a population when {@code gating_qc} flags it there ({@code
 * LOW_COUNT}, {@code EMPTY_GATE}) or when its % of parent lies more than {@value
 * MadOutliers#K_DEFAULT} MADs ({@link MadOutliers}, R's scaled MAD) from the median of the
 * panel's samples. The plots are drawn elsewhere (the report package draws no density) and come
 * here as SVG elements, each with its own title and axis labels.
 *
 * @param figures one per drawn gate, in the strategy's order
 * @param populations the table's columns, population paths in the strategy's order
 * @param rows one per sample, in visit then sample order
 * @param notes what was left out and why (gates not drawn, samples over the limit)
 * @param thresholds the panel's data-adaptive gate limits across its samples ({@code
 *     gate_thresholds}), empty when it has none
 */
public record GatingQc(
    String panel,
    List<GateFigure> figures,
    List<String> populations,
    List<SampleRow> rows,
    List<String> notes,
    List<AdaptiveThresholds> thresholds) {

  /** A page without data-adaptive limits. */
  public GatingQc(
      String panel,
      List<GateFigure> figures,
      List<String> populations,
      List<SampleRow> rows,
      List<String> notes) {
    this(panel, figures, populations, rows, notes, List.of());
  }

  public GatingQc {
    Objects.requireNonNull(panel, "panel");
    thresholds = List.copyOf(thresholds);
    figures = List.copyOf(figures);
    populations = List.copyOf(populations);
    rows = List.copyOf(rows);
    notes = List.copyOf(notes);
    for (SampleRow r : rows) {
      if (r.cells().size() != populations.size()) {
        throw new IllegalArgumentException(
            "Cannot build gating QC of panel "
                + panel
                + ": sample "
                + r.sampleId()
                + " has "
                + r.cells().size()
                + " cells for "
                + populations.size()
                + " populations");
      }
    }
  }

  /** The plots of one gate: all samples pooled first, then each flagged sample. */
  public record GateFigure(String gate, String population, List<Plot> plots) {
    public GateFigure {
      Objects.requireNonNull(gate, "gate");
      Objects.requireNonNull(population, "population");
      plots = List.copyOf(plots);
    }
  }

  /**
   * One drawn plot.
   *
   * @param samples "all samples" or the sample id
   * @param svg an {@code <svg>} element with its title and axis labels
   */
  public record Plot(String samples, String svg) {
    public Plot {
      Objects.requireNonNull(samples, "samples");
      Objects.requireNonNull(svg, "svg");
    }
  }

  /** One sample's row of the table. */
  public record SampleRow(String sampleId, String visit, List<Cell> cells) {
    public SampleRow {
      Objects.requireNonNull(sampleId, "sampleId");
      cells = List.copyOf(cells);
    }

    /** Whether any cell is marked. */
    public boolean marked() {
      return cells.stream().anyMatch(Cell::marked);
    }
  }

  /**
   * One sample's % of parent of one population.
   *
   * @param pct the % of parent, NaN when the lake has none
   * @param madDistance signed distance from the panel's median in MADs, NaN when not defined
   * @param outlier more than {@value MadOutliers#K_DEFAULT} MADs from the median
   * @param flags the {@code gating_qc} flags of the sample and population, sorted
   */
  public record Cell(double pct, double madDistance, boolean outlier, List<String> flags) {
    public Cell {
      flags = List.copyOf(flags);
    }

    public boolean marked() {
      return outlier || !flags.isEmpty();
    }
  }

  /** A {@code populations} row of the panel: a sample's % of parent of one population. */
  public record Pct(String sampleId, String visit, String population, double pct) {}

  /** A {@code gating_qc} row of the panel. */
  public record Flag(String sampleId, String population, String flag) {}

  /**
   * The table: one row per sample (visit order, then sample id), one column per population of
   * {@code populations} (the strategy's order; populations with no value at all are left out), the
   * outliers computed per population over the panel's samples.
   */
  public static List<SampleRow> table(
      List<String> populations, List<Pct> values, List<Flag> flags, Comparator<String> byVisit) {
    Map<String, String> visits = new TreeMap<>();
    Map<String, Map<String, Double>> bySample = new TreeMap<>();
    for (Pct v : values) {
      visits.put(v.sampleId(), v.visit());
      bySample
          .computeIfAbsent(v.sampleId(), k -> new LinkedHashMap<>())
          .put(v.population(), v.pct());
    }
    Map<String, Map<String, Set<String>>> flagged = new TreeMap<>();
    for (Flag f : flags) {
      flagged
          .computeIfAbsent(f.sampleId(), k -> new TreeMap<>())
          .computeIfAbsent(f.population(), k -> new TreeSet<>())
          .add(f.flag());
      bySample.computeIfAbsent(f.sampleId(), k -> new LinkedHashMap<>());
    }
    List<String> samples = new ArrayList<>(bySample.keySet());
    samples.sort(
        Comparator.comparing(
                (String s) -> visits.getOrDefault(s, ""), Comparator.nullsLast(byVisit))
            .thenComparing(Comparator.naturalOrder()));
    Map<String, MadOutliers> mads = new LinkedHashMap<>();
    for (String p : populations) {
      double[] v =
          samples.stream().mapToDouble(s -> bySample.get(s).getOrDefault(p, Double.NaN)).toArray();
      mads.put(p, MadOutliers.of(v, MadOutliers.K_DEFAULT));
    }
    List<SampleRow> rows = new ArrayList<>();
    for (String s : samples) {
      List<Cell> cells = new ArrayList<>();
      for (String p : populations) {
        double pct = bySample.get(s).getOrDefault(p, Double.NaN);
        MadOutliers m = mads.get(p);
        List<String> f = List.copyOf(flagged.getOrDefault(s, Map.of()).getOrDefault(p, Set.of()));
        cells.add(
            new Cell(pct, Double.isNaN(pct) ? Double.NaN : m.distance(pct), m.isOutlier(pct), f));
      }
      rows.add(new SampleRow(s, visits.get(s), cells));
    }
    return rows;
  }

  /**
   * The samples to draw one by one: those with a marked cell, the most marked first (then by
   * sample id), at most {@code limit}; for each, the populations marked.
   */
  public static Map<String, Set<String>> flaggedSamples(
      List<String> populations, List<SampleRow> rows, int limit) {
    List<SampleRow> marked = new ArrayList<>(rows.stream().filter(SampleRow::marked).toList());
    marked.sort(
        Comparator.comparingLong((SampleRow r) -> -r.cells().stream().filter(Cell::marked).count())
            .thenComparing(SampleRow::sampleId));
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (SampleRow r : marked.subList(0, Math.min(limit, marked.size()))) {
      Set<String> pops = new TreeSet<>();
      for (int i = 0; i < populations.size(); i++) {
        if (r.cells().get(i).marked()) {
          pops.add(populations.get(i));
        }
      }
      out.put(r.sampleId(), pops);
    }
    return out;
  }

  /** How many samples have a marked cell. */
  public long markedSamples() {
    return rows.stream().filter(SampleRow::marked).count();
  }
}
