package org.cytolake.generate;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cytolake.generate.EffectModel.Feature;
import org.cytolake.generate.PanelModel.PanelTree;
import org.cytolake.generate.SampleWriter.Outcome;
import org.cytolake.stats.Quantiles;

/**
 * The statistics of {@code truth/}: per-file population counts from the drawn labels, the
 * realised fold changes of {@link EffectModel#FEATURES}, and (realistic model) the per-file
 * summary of acquisition anomalies.
 */
final class Truth {
  private Truth() {}

  static final String POPULATIONS_HEADER = "file,population,count,parent,percent_of_parent";
  static final String EFFECTS_HEADER =
      "cohort,visit,population,statistic,intended_fold_change,realised_median_fold_change";
  static final String ANOMALIES_HEADER =
      "file,anomaly,injected,events,anomalous_events,"
          + "percent_of_file,first_event,last_event,time_start,time_end,detail";
  static final String EVENT_ANOMALIES_HEADER = "file,event_index,anomaly";

  /** Counts of every label of the panel (non-leaves summed from their leaves). */
  static long[] aggregate(PanelTree tree, long[] leafCounts) {
    long[] agg = leafCounts.clone();
    for (int l = agg.length - 1; l >= 0; l--) {
      if (tree.parent(l) >= 0) {
        agg[tree.parent(l)] += agg[l];
      }
    }
    return agg;
  }

  /** The rows of populations.csv for one file. */
  static void populations(Writer w, String file, PanelTree tree, long[] leafCounts, long total)
      throws IOException {
    long[] agg = aggregate(tree, leafCounts);
    for (int l = 0; l < agg.length; l++) {
      int parent = tree.parent(l);
      long parentCount = parent < 0 ? total : agg[parent];
      w.write(
          Csv.line(
              file,
              tree.labels().get(l),
              Long.toString(agg[l]),
              parent < 0 ? "" : tree.labels().get(parent),
              percent(agg[l], parentCount)));
      w.write('\n');
    }
  }

  /** 100 × count / parent with 4 decimals; empty when the parent has no events. */
  static String percent(long count, long parent) {
    return parent == 0 ? "" : Csv.ratio(100.0 * count / parent);
  }

  /** The value of a feature in one file's outcome: a fraction of the parent, or a median. */
  static double value(Feature f, Outcome o) {
    PanelTree tree = PanelModel.treeOf(o.sample().panel());
    if (f.isMedian()) {
      List<EventSimulator.Tracked> tracked = EventSimulator.trackedFor(o.sample().panel());
      int label = tree.indexOf(f.population());
      int detector = o.sample().panel().markers().indexOf(f.marker());
      return o.medians()[tracked.indexOf(new EventSimulator.Tracked(label, detector))];
    }
    long[] agg = aggregate(tree, o.labelCounts());
    long parent = agg[tree.indexOf(f.parent())];
    long count;
    int at = tree.indexOf(f.population());
    if (at >= 0) {
      count = agg[at];
    } else {
      PanelModel.Derived d =
          PanelModel.DERIVED.stream()
              .filter(x -> x.path().equals(f.population()))
              .findFirst()
              .orElseThrow();
      count = 0;
      for (int l = 0; l < agg.length; l++) {
        if (tree.isLeaf(l) && d.contains(tree.labels().get(l))) {
          count += agg[l];
        }
      }
    }
    return parent == 0 ? Double.NaN : (double) count / parent;
  }

  /**
   * Writes effects.csv: for each cohort (then ALL) × visit after D1 × feature, the intended fold
   * change and the median over the cohort's patients of value(visit) / value(D1), from regular
   * files only.
   */
  static void effects(Path file, TrialPlan plan, Map<String, Map<Feature, Double>> values)
      throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(EFFECTS_HEADER);
      w.write('\n');
      if (!plan.visits.contains(Visit.D1)) {
        return;
      }
      List<String> cohorts = new ArrayList<>();
      for (Cohort c : Cohort.values()) {
        if (plan.patients.stream().anyMatch(p -> p.cohort() == c)) {
          cohorts.add(c.code());
        }
      }
      cohorts.add("ALL");
      for (String cohort : cohorts) {
        for (Visit v : plan.visits) {
          if (v == Visit.D1) {
            continue;
          }
          for (Feature f : EffectModel.FEATURES) {
            if (plan.panels.stream().noneMatch(p -> p.id().equals(f.panel()))) {
              continue;
            }
            List<Double> folds = new ArrayList<>();
            for (TrialPlan.Patient p : plan.patients) {
              if (!cohort.equals("ALL") && !p.cohort().code().equals(cohort)) {
                continue;
              }
              Double base = get(values, p.id(), Visit.D1, f);
              Double now = get(values, p.id(), v, f);
              if (base != null && now != null && base > 0 && Double.isFinite(now)) {
                folds.add(now / base);
              }
            }
            w.write(
                Csv.line(
                    cohort,
                    v.name(),
                    f.population(),
                    f.statistic(),
                    Csv.ratio(f.intended(v.group())),
                    Csv.ratio(Quantiles.median(folds, Quantiles.NaNs.ORDERED_LAST))));
            w.write('\n');
          }
        }
      }
    }
  }

  static String key(String patient, Visit v, String panel) {
    return patient + "|" + v.name() + "|" + panel;
  }

  private static Double get(
      Map<String, Map<Feature, Double>> values, String patient, Visit v, Feature f) {
    Map<Feature, Double> m = values.get(key(patient, v, f.panel()));
    if (m == null) {
      return null;
    }
    Double x = m.get(f);
    return x == null || !Double.isFinite(x) ? null : x;
  }

  /** The feature values of one file (regular files only). */
  static Map<Feature, Double> features(Outcome o) {
    Map<Feature, Double> m = new LinkedHashMap<>();
    for (Feature f : EffectModel.FEATURES) {
      if (f.panel().equals(o.sample().panel().id())) {
        m.put(f, value(f, o));
      }
    }
    return m;
  }

  /**
   * The rows of anomalies.csv for one file: one per kind with marked events or injected (clog,
   * bubble, margin), or one {@code none} row. Times are the Time channel's values ($TIMESTEP
   * ticks) of the first and last marked event.
   */
  static void anomalies(Writer w, String file, Anomaly injected, Anomaly.Tally tally, long events)
      throws IOException {
    boolean any = false;
    for (Anomaly.Kind k : Anomaly.INJECTED) {
      int c = k.code();
      boolean isInjected = injected.kind == k;
      if (tally.count[c] == 0 && !isInjected) {
        continue;
      }
      any = true;
      boolean marked = tally.count[c] > 0;
      String detail =
          isInjected
              ? injected.describe()
              : "saturated on their own: at $PnR-1 on some channel (no anomaly injected)";
      w.write(
          Csv.line(
              file,
              k.label,
              Boolean.toString(isInjected),
              Long.toString(events),
              Long.toString(tally.count[c]),
              percent(tally.count[c], events),
              marked ? Long.toString(tally.first[c]) : "",
              marked ? Long.toString(tally.last[c]) : "",
              marked ? Csv.number(tally.timeFirst[c], 2) : "",
              marked ? Csv.number(tally.timeLast[c], 2) : "",
              detail));
      w.write('\n');
    }
    if (!any) {
      w.write(
          Csv.line(
              file,
              Anomaly.Kind.NONE.label,
              "false",
              Long.toString(events),
              "0",
              percent(0, events),
              "",
              "",
              "",
              "",
              ""));
      w.write('\n');
    }
  }
}
