package org.cytolake.scoring;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.stats.Quantiles;

/**
 * How far each sample's gated % of parent is from the truth, per population: what a cytometrist
 * reads off the {@code populations} table, scored against per-event truth labels. The unit is the
 * sample: per population and sample, the gated share of the parent's events against the share of
 * the truth parent's events that truly belong to it, in percentage points; then the distribution
 * over samples (median, 95th percentile, max) and the events put on the wrong side of the gate.
 *
 * <p>Which truth label belongs to a gated population is decided by name: a label is in the
 * population {@code a/b/c} when the segments {@code a}, {@code b}, {@code c} appear in the label's
 * path in that order, case-insensitively, other segments allowed between them (the generator's
 * {@code cells/singlets/live/leukocytes/lymphocytes/T/CD4/Treg/aTreg} is in the gated {@code
 * cells/singlets/live/lymphocytes/T/CD4/Treg}); helper segments ({@code _...}) are passed over. A
 * population no label of any sample matches has no truth and is listed, not scored.
 */
public final class PopulationAccuracy {
  private PopulationAccuracy() {}

  /**
   * Events of one sample sharing one gate membership and one truth label, as counted on Spark.
   *
   * @param membership bit i set when the events are in population i of the strategy's order
   */
  public record Cell(String sampleId, BitSet membership, String label, long events) {
    public Cell {
      Objects.requireNonNull(sampleId, "sampleId");
      Objects.requireNonNull(label, "label");
      membership = (BitSet) membership.clone();
    }

    @Override
    public BitSet membership() {
      return (BitSet) membership.clone();
    }
  }

  /**
   * A gated population: its path, and the index of its parent in the strategy's order (−1 for a
   * top population, whose parent is every event of the sample).
   */
  public record Population(String path, int index, int parentIndex, String parentPath) {}

  /**
   * One population of one sample.
   *
   * @param gated events the gate put in the population
   * @param gatedParent events the gates put in its parent
   * @param truth events whose truth label is in the population, among the truth parent's
   * @param truthParent events whose truth label is in the parent
   * @param both events in the gated population whose label is in the population
   */
  public record SampleRow(
      String sampleId,
      String population,
      long gated,
      long gatedParent,
      long truth,
      long truthParent,
      long both) {
    /** Gated % of parent (NaN for an empty parent). */
    public double gatedPercent() {
      return gatedParent == 0 ? Double.NaN : 100.0 * gated / gatedParent;
    }

    /** Truth % of parent (NaN for an empty truth parent). */
    public double truthPercent() {
      return truthParent == 0 ? Double.NaN : 100.0 * truth / truthParent;
    }

    /** |gated % − truth %| in percentage points (NaN when either parent is empty). */
    public double absError() {
      return Math.abs(gatedPercent() - truthPercent());
    }

    /** Events on the wrong side: gated but not truly in it, or truly in it but not gated. */
    public long misassigned() {
      return gated + truth - 2 * both;
    }
  }

  /**
   * Over the samples where both parents hold events.
   *
   * @param samples samples scored
   * @param medianAbsError median |gated % − truth %|, percentage points
   * @param p95AbsError its 95th percentile (R type 7)
   * @param maxAbsError its maximum
   * @param misassigned events on the wrong side of the gate, all samples
   * @param truthParentEvents events of the truth parent, all samples: the misassigned share's
   *     denominator
   */
  public record Summary(
      int samples,
      double medianAbsError,
      double p95AbsError,
      double maxAbsError,
      long misassigned,
      long truthParentEvents) {
    /** Misassigned events as a share of the parent's events. */
    public double misassignedShare() {
      return truthParentEvents == 0 ? Double.NaN : (double) misassigned / truthParentEvents;
    }
  }

  /** The strategy's reported populations, each with its membership bit and its parent's. */
  public static List<Population> populations(GatingStrategy strategy) {
    List<String> order = strategy.populations();
    List<Population> out = new ArrayList<>();
    for (String p : strategy.reportedPopulations()) {
      String parent = strategy.parentOf(p).orElse(null);
      out.add(
          new Population(
              strategy.path(p),
              order.indexOf(p),
              parent == null ? -1 : order.indexOf(parent),
              parent == null ? null : strategy.path(parent)));
    }
    return out;
  }

  /** Whether a truth label is in a gated population (see the class comment). */
  public static boolean labelIn(String populationPath, String label) {
    String[] want = populationPath.split("/");
    String[] have = label.split("/");
    int j = 0;
    for (String w : want) {
      if (w.isEmpty() || w.startsWith("_")) {
        continue;
      }
      String lower = w.toLowerCase(Locale.ROOT);
      while (j < have.length && !have[j].toLowerCase(Locale.ROOT).equals(lower)) {
        j++;
      }
      if (j == have.length) {
        return false;
      }
      j++;
    }
    return true;
  }

  /**
   * Every scored population of every sample, in sample then population order. A population no
   * label matches in any sample is left out ({@link #withoutTruth}).
   */
  public static List<SampleRow> rows(List<Population> populations, List<Cell> cells) {
    List<Population> scored = scored(populations, cells);
    Map<String, List<Cell>> bySample = new TreeMap<>();
    for (Cell c : cells) {
      bySample.computeIfAbsent(c.sampleId(), k -> new ArrayList<>()).add(c);
    }
    Map<String, Boolean> inPopulation = new LinkedHashMap<>();
    List<SampleRow> rows = new ArrayList<>();
    for (Map.Entry<String, List<Cell>> sample : bySample.entrySet()) {
      for (Population p : scored) {
        long gated = 0, gatedParent = 0, truth = 0, truthParent = 0, both = 0;
        for (Cell c : sample.getValue()) {
          BitSet m = c.membership;
          boolean g = m.get(p.index());
          boolean gp = p.parentIndex() < 0 || m.get(p.parentIndex());
          boolean t =
              inPopulation.computeIfAbsent(
                  p.path() + "\u0000" + c.label(), k -> labelIn(p.path(), c.label()));
          boolean tp =
              p.parentPath() == null
                  || inPopulation.computeIfAbsent(
                      p.parentPath() + "\u0000" + c.label(),
                      k -> labelIn(p.parentPath(), c.label()));
          gated += g ? c.events() : 0;
          gatedParent += gp ? c.events() : 0;
          truthParent += tp ? c.events() : 0;
          truth += t && tp ? c.events() : 0;
          both += g && t && tp ? c.events() : 0;
        }
        rows.add(
            new SampleRow(sample.getKey(), p.path(), gated, gatedParent, truth, truthParent, both));
      }
    }
    return rows;
  }

  /** The populations no label of any sample is in: they cannot be scored. */
  public static List<String> withoutTruth(List<Population> populations, List<Cell> cells) {
    List<Population> scored = scored(populations, cells);
    return populations.stream().filter(p -> !scored.contains(p)).map(Population::path).toList();
  }

  /** Per population (in the rows' order), over the samples where both parents hold events. */
  public static Map<String, Summary> summarise(List<SampleRow> rows) {
    Map<String, List<SampleRow>> byPopulation = new LinkedHashMap<>();
    for (SampleRow r : rows) {
      byPopulation.computeIfAbsent(r.population(), k -> new ArrayList<>()).add(r);
    }
    Map<String, Summary> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<SampleRow>> e : byPopulation.entrySet()) {
      List<SampleRow> usable =
          e.getValue().stream().filter(r -> r.gatedParent() > 0 && r.truthParent() > 0).toList();
      double[] errors = usable.stream().mapToDouble(SampleRow::absError).toArray();
      double[] q = Quantiles.type7(errors, new double[] {0.5, 0.95, 1.0});
      out.put(
          e.getKey(),
          new Summary(
              usable.size(),
              q[0],
              q[1],
              q[2],
              usable.stream().mapToLong(SampleRow::misassigned).sum(),
              usable.stream().mapToLong(SampleRow::truthParent).sum()));
    }
    return out;
  }

  /**
   * One panel's gating scored per sample.
   *
   * @param rows every scored population of every sample ({@link #rows})
   * @param withoutTruth populations no label is in ({@link #withoutTruth})
   */
  public record PanelAccuracy(String panel, List<SampleRow> rows, List<String> withoutTruth) {
    public PanelAccuracy {
      rows = List.copyOf(rows);
      withoutTruth = List.copyOf(withoutTruth);
    }

    /** Scores a panel from its cells. */
    public static PanelAccuracy of(String panel, List<Population> populations, List<Cell> cells) {
      return new PanelAccuracy(
          panel,
          PopulationAccuracy.rows(populations, cells),
          PopulationAccuracy.withoutTruth(populations, cells));
    }

    /**
     * {@code {population: {"samples", "median_abs_error_pp", "p95_abs_error_pp",
     * "max_abs_error_pp", "misassigned_events", "misassigned_share"}}}.
     */
    public ObjectNode summaryJson() {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, Summary> e : summarise(rows).entrySet()) {
        Summary s = e.getValue();
        ObjectNode p = out.putObject(e.getKey());
        p.put("samples", s.samples());
        p.put("median_abs_error_pp", s.medianAbsError());
        p.put("p95_abs_error_pp", s.p95AbsError());
        p.put("max_abs_error_pp", s.maxAbsError());
        p.put("misassigned_events", s.misassigned());
        p.put("misassigned_share", s.misassignedShare());
      }
      return out;
    }

    /** Every sample row, for the run summary. */
    public ArrayNode rowsJson() {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (SampleRow r : rows) {
        ObjectNode o = out.addObject();
        o.put("panel", panel);
        o.put("sample_id", r.sampleId());
        o.put("population", r.population());
        o.put("gated", r.gated());
        o.put("gated_parent", r.gatedParent());
        o.put("truth", r.truth());
        o.put("truth_parent", r.truthParent());
        o.put("gated_pct", r.gatedPercent());
        o.put("truth_pct", r.truthPercent());
        o.put("abs_error_pp", r.absError());
        o.put("misassigned", r.misassigned());
      }
      return out;
    }
  }

  private static List<Population> scored(List<Population> populations, List<Cell> cells) {
    List<String> labels = cells.stream().map(Cell::label).distinct().toList();
    return populations.stream()
        .filter(p -> labels.stream().anyMatch(l -> labelIn(p.path(), l)))
        .toList();
  }
}
