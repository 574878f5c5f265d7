package org.cytolake.plot;

import java.util.List;

/**
 * Which samples of a panel a plot shows: one sample, the samples of one visit or of one cohort, or all of them
 * (every field null). The selection names a value; {@link #requireKnown} checks it against the values the lake has
 * and, when it is not one of them, lists those.
 *
 * @param sample a sample id, or null
 * @param visit a visit code, or null
 * @param cohort a cohort, or null
 */
public record PlotSelection(String sample, String visit, String cohort) {

  /** Most values an error message lists. */
  public static final int LIST_AT_MOST = 20;

  /** @throws IllegalArgumentException when more than one of sample, visit and cohort is given */
  public PlotSelection {
    int chosen = (sample != null ? 1 : 0) + (visit != null ? 1 : 0) + (cohort != null ? 1 : 0);
    if (chosen > 1) {
      throw new IllegalArgumentException(
          "Cannot plot: give at most one of --sample, --visit and --cohort");
    }
  }

  /** Whether the plot shows every sample of the panel. */
  public boolean all() {
    return sample == null && visit == null && cohort == null;
  }

  /**
   * Checks that the named sample, visit or cohort is one of {@code valid} (the panel's distinct sample ids, visits or
   * cohorts, sorted).
   *
   * @throws IllegalArgumentException naming the value and the panel and listing the valid values (sample ids: the
   *     first {@link #LIST_AT_MOST} and how many more)
   */
  public void requireKnown(String panel, List<String> valid) {
    if (all()) {
      return;
    }
    if (sample != null && !valid.contains(sample)) {
      throw new IllegalArgumentException(
          "Cannot plot sample '"
              + sample
              + "': panel "
              + panel
              + " has no such sample; its "
              + valid.size()
              + " samples are "
              + firstFew(valid));
    }
    if (visit != null && !valid.contains(visit)) {
      throw new IllegalArgumentException(
          "Cannot plot visit '" + visit + "': panel " + panel + " has samples at visits " + valid);
    }
    if (cohort != null && !valid.contains(cohort)) {
      throw new IllegalArgumentException(
          "Cannot plot cohort '"
              + cohort
              + "': panel "
              + panel
              + " has samples of cohorts "
              + valid);
    }
  }

  /**
   * The selection as a plot's subtitle says it: {@code all samples}, {@code sample S}, {@code visit D1 (12 samples)}
   * or {@code cohort A (30 samples)}.
   *
   * @param samples how many samples the selection holds (not shown for one sample or all)
   */
  public String describe(int samples) {
    if (sample != null) {
      return "sample " + sample;
    }
    if (visit != null) {
      return "visit " + visit + " (" + samples + " samples)";
    }
    if (cohort != null) {
      return "cohort " + cohort + " (" + samples + " samples)";
    }
    return "all samples";
  }

  /** The list as {@code [a, b]}, or its first {@link #LIST_AT_MOST} and {@code and N more}. */
  static String firstFew(List<String> all) {
    return all.size() <= LIST_AT_MOST
        ? all.toString()
        : all.subList(0, LIST_AT_MOST) + " and " + (all.size() - LIST_AT_MOST) + " more";
  }
}
