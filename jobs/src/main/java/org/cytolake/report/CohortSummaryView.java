package org.cytolake.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.cytolake.report.ReportModel.CohortSummary;
import org.cytolake.report.ReportModel.DataTable;
import org.cytolake.report.ReportModel.TitledTable;

/**
 * What the report shows of {@code cohort_summary} (one row per feature × cohort × visit, thousands
 * of rows on a real study): not the table itself, which stays in the lake, but
 *
 * <ol>
 *   <li>the primary population's % of parent by cohort and visit (cohorts by code, the pooled
 *       cohort last; visits in conf/visits.yaml order);
 *   <li>the largest changes from baseline: the rows with the smallest Benjamini-Hochberg q values
 *       in the pooled cohort (every cohort when the table has no pooled rows), ties by the larger
 *       fold change, then feature, statistic, panel, cohort and visit.
 * </ol>
 */
public final class CohortSummaryView {
  /** Rows of the largest-changes table. */
  public static final int TOP_CHANGES = 25;

  /** The statistic the primary population is plotted and tabled as. */
  public static final String PRIMARY_STATISTIC = "pct_of_parent";

  private CohortSummaryView() {}

  /** One row of {@code cohort_summary}, the columns the report uses (null where the table has null). */
  public record Row(
      String cohort,
      String visit,
      String panel,
      String feature,
      String statistic,
      Integer n,
      Double median,
      Double q1,
      Double q3,
      Integer nPaired,
      Double medianFoldChange,
      Double pValue,
      Double qValue) {
    public Row {
      Objects.requireNonNull(cohort, "cohort");
      Objects.requireNonNull(visit, "visit");
      Objects.requireNonNull(feature, "feature");
      Objects.requireNonNull(statistic, "statistic");
    }
  }

  /**
   * @param rows the whole table
   * @param primary the report's primary population (its panel and name select table 1)
   * @param visitOrder visit codes in schedule order
   * @param pooled the pooled cohort's code (conf/cohorts.yaml {@code pooled-cohort})
   */
  public static CohortSummary of(
      List<Row> rows, PrimaryPopulation primary, List<String> visitOrder, String pooled) {
    Comparator<String> byVisit =
        Comparator.comparingInt(
                (String v) -> {
                  int i = visitOrder.indexOf(v);
                  return i < 0 ? Integer.MAX_VALUE : i;
                })
            .thenComparing(Comparator.naturalOrder());
    Comparator<String> byCohort =
        Comparator.comparing((String c) -> c.equals(pooled))
            .thenComparing(Comparator.naturalOrder());

    List<Row> first =
        rows.stream()
            .filter(
                r ->
                    primary.panel().equals(r.panel())
                        && primary.name().equals(r.feature())
                        && PRIMARY_STATISTIC.equals(r.statistic()))
            .sorted(Comparator.comparing(Row::cohort, byCohort).thenComparing(Row::visit, byVisit))
            .toList();
    List<List<String>> firstCells = new ArrayList<>();
    for (Row r : first) {
      firstCells.add(
          Arrays.asList(
              r.cohort(),
              r.visit(),
              text(r.n()),
              num(r.median()),
              num(r.q1()),
              num(r.q3()),
              text(r.nPaired()),
              num(r.medianFoldChange()),
              num(r.pValue()),
              num(r.qValue())));
    }
    TitledTable primaryTable =
        new TitledTable(
            primary.title() + " by cohort and visit",
            first.isEmpty()
                ? "No row of feature "
                    + primary.name()
                    + ", statistic "
                    + PRIMARY_STATISTIC
                    + ", panel "
                    + primary.panel()
                    + " in cohort_summary."
                : null,
            new DataTable(
                List.of(
                    "cohort",
                    "visit",
                    "n",
                    "median %",
                    "q1",
                    "q3",
                    "n paired",
                    "median fold change",
                    "p",
                    "q"),
                firstCells,
                firstCells.size()));

    boolean hasPooled = rows.stream().anyMatch(r -> r.cohort().equals(pooled));
    List<Row> tested =
        rows.stream()
            .filter(
                r ->
                    r.qValue() != null
                        && !r.qValue().isNaN()
                        && (!hasPooled || r.cohort().equals(pooled)))
            .sorted(
                Comparator.comparingDouble(Row::qValue)
                    .thenComparing(
                        Comparator.comparingDouble(CohortSummaryView::logChange).reversed())
                    .thenComparing(Row::feature)
                    .thenComparing(Row::statistic)
                    .thenComparing(r -> r.panel() == null ? "" : r.panel())
                    .thenComparing(Row::cohort, byCohort)
                    .thenComparing(Row::visit, byVisit))
            .toList();
    List<List<String>> topCells = new ArrayList<>();
    for (Row r : tested.subList(0, Math.min(TOP_CHANGES, tested.size()))) {
      topCells.add(
          Arrays.asList(
              r.feature(),
              r.statistic(),
              r.panel(),
              r.cohort(),
              r.visit(),
              text(r.nPaired()),
              num(r.median()),
              num(r.medianFoldChange()),
              num(r.pValue()),
              num(r.qValue())));
    }
    TitledTable top =
        new TitledTable(
            "Largest changes from baseline, "
                + (hasPooled ? "all cohorts pooled (" + pooled + ")" : "every cohort")
                + ": the smallest q values",
            tested.isEmpty()
                ? "No row has a q value (no visit after baseline, or no paired patients)."
                : null,
            new DataTable(
                List.of(
                    "feature",
                    "statistic",
                    "panel",
                    "cohort",
                    "visit",
                    "n paired",
                    "median",
                    "median fold change",
                    "p",
                    "q"),
                topCells,
                tested.size()));

    Set<List<String>> features = new HashSet<>();
    rows.forEach(r -> features.add(Arrays.asList(r.feature(), r.statistic(), r.panel())));
    return new CohortSummary(rows.size(), features.size(), List.of(primaryTable, top));
  }

  /** |ln(fold change)|, 0 when there is none (so rows without one sort after those with one). */
  private static double logChange(Row r) {
    Double fc = r.medianFoldChange();
    return fc == null || !(fc > 0) || fc.isInfinite() ? 0 : Math.abs(Math.log(fc));
  }

  private static String text(Integer v) {
    return v == null ? null : v.toString();
  }

  private static String num(Double v) {
    return v == null ? null : Html.number(v);
  }
}
