package org.cytolake.normalise;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The lake's normalisation of one panel ({@code conf/normalisation.yaml}): which events columns,
 * how many quantiles, onto what goal, how samples fall into batches and what a batch without a
 * control gets. Values are the lake's transformed units (the events tables hold arcsinh values),
 * so quantiles and splines work on the columns as stored.
 *
 * @param columns the events columns normalised; every other column is copied
 * @param quantiles quantiles per batch and column, at k / (quantiles + 1)
 * @param goal the batch mean of the controls' quantiles, one batch's, or given quantiles
 * @param batches how samples fall into batches
 * @param missingControl what a batch without a control gets
 * @param pooledEventsPerSample for {@link MissingControl#POOLED}: events of each patient sample in
 *     a batch's pool (the first ones by event index), so a large sample cannot dominate it
 * @param minControlEvents a batch whose controls hold fewer clean events counts as without one
 * @param confounders sample attributes ({@code visit}) a pooled batch must not be confounded with
 * @param clustering per-cluster models (a SOM on the training controls), or null for one model
 *     per batch
 * @param somEventsPerBatch with clustering: events of each control batch the SOM is trained on (the
 *     first ones by event index), so that every batch counts alike
 * @param referencePopulation the population (a gate id of the panel's strategy, gated on columns
 *     that are not normalised) whose events give the quantiles, so that a control's debris, doublets
 *     and dead cells do not shape its batch's splines; null: every clean event
 * @see #builder(List)
 */
public record LakeNormParams(
    List<String> columns,
    int quantiles,
    Goal goal,
    BatchRule batches,
    MissingControl missingControl,
    int pooledEventsPerSample,
    int minControlEvents,
    List<String> confounders,
    ClusterNormParams clustering,
    int somEventsPerBatch,
    String referencePopulation) {

  public static final int QUANTILES_DEFAULT = 99;
  public static final List<String> CONFOUNDERS_DEFAULT = List.of("visit");
  public static final int POOLED_EVENTS_PER_SAMPLE_DEFAULT = 20_000;
  public static final int MIN_CONTROL_EVENTS_DEFAULT = 1_000;
  public static final int SOM_EVENTS_PER_BATCH_DEFAULT = 5_000;

  public LakeNormParams {
    Objects.requireNonNull(goal, "goal");
    Objects.requireNonNull(batches, "batches");
    Objects.requireNonNull(missingControl, "missingControl");
    List<String> problems = new ArrayList<>();
    if (columns == null || columns.isEmpty()) {
      problems.add("no columns");
      columns = List.of();
    }
    Set<String> seen = new HashSet<>();
    for (String c : columns) {
      if (!seen.add(c)) {
        problems.add("column '" + c + "' is listed twice");
      }
    }
    if (quantiles < 2) {
      problems.add("quantiles must be at least 2, not " + quantiles);
    } else if (goal instanceof Goal.Given g) {
      problems.addAll(
          g.quantiles()
              .problems(
                  columns,
                  QuantileNormParams.probabilities(quantiles),
                  clustering == null ? 1 : clustering.clusters()));
    }
    if (pooledEventsPerSample < 1) {
      problems.add("pooled-events-per-sample must be at least 1, not " + pooledEventsPerSample);
    }
    if (somEventsPerBatch < 1) {
      problems.add("som-events-per-batch must be at least 1, not " + somEventsPerBatch);
    }
    if (minControlEvents < 1) {
      problems.add("min-control-events must be at least 1, not " + minControlEvents);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot configure normalisation: " + String.join("; ", problems));
    }
    columns = List.copyOf(columns);
    confounders = List.copyOf(confounders);
  }

  /**
   * A builder holding the defaults ({@code conf/normalisation.yaml}'s for a panel named without
   * keys) for {@code columns}: {@link #QUANTILES_DEFAULT} quantiles onto the batch mean, batches by
   * acquisition date, a batch without a control quarantined, confounded with {@code visit}, no
   * clustering and no reference population. The parameters are checked once, by {@link
   * Builder#build}, so that every problem is reported at once.
   */
  public static Builder builder(List<String> columns) {
    return new Builder(columns);
  }

  /** Named parameters for {@link LakeNormParams}, each starting at its default. */
  public static final class Builder {
    private List<String> columns;
    private int quantiles = QUANTILES_DEFAULT;
    private Goal goal = new Goal.BatchMean();
    private BatchRule batches = new BatchRule(BatchRule.Kind.ACQUISITION_DATE, List.of());
    private MissingControl missingControl = MissingControl.QUARANTINE;
    private int pooledEventsPerSample = POOLED_EVENTS_PER_SAMPLE_DEFAULT;
    private int minControlEvents = MIN_CONTROL_EVENTS_DEFAULT;
    private List<String> confounders = CONFOUNDERS_DEFAULT;
    private ClusterNormParams clustering;
    private int somEventsPerBatch = SOM_EVENTS_PER_BATCH_DEFAULT;
    private String referencePopulation;

    private Builder(List<String> columns) {
      this.columns = columns;
    }

    public Builder quantiles(int q) {
      quantiles = q;
      return this;
    }

    public Builder goal(Goal g) {
      goal = g;
      return this;
    }

    public Builder batches(BatchRule b) {
      batches = b;
      return this;
    }

    public Builder missingControl(MissingControl m) {
      missingControl = m;
      return this;
    }

    public Builder pooledEventsPerSample(int n) {
      pooledEventsPerSample = n;
      return this;
    }

    public Builder minControlEvents(int n) {
      minControlEvents = n;
      return this;
    }

    public Builder confounders(List<String> c) {
      confounders = c;
      return this;
    }

    /** Per-cluster models, or null (the default) for one model per batch. */
    public Builder clustering(ClusterNormParams c) {
      clustering = c;
      return this;
    }

    public Builder somEventsPerBatch(int n) {
      somEventsPerBatch = n;
      return this;
    }

    /** The reference population's gate id, or null (the default) for every clean event. */
    public Builder referencePopulation(String r) {
      referencePopulation = r;
      return this;
    }

    /**
     * The parameters.
     *
     * @throws IllegalArgumentException naming every problem
     */
    public LakeNormParams build() {
      return new LakeNormParams(
          columns,
          quantiles,
          goal,
          batches,
          missingControl,
          pooledEventsPerSample,
          minControlEvents,
          confounders,
          clustering,
          somEventsPerBatch,
          referencePopulation);
    }
  }

  /** The number of clusters: 1 without clustering. */
  public int clusters() {
    return clustering == null ? 1 : clustering.clusters();
  }

  /** The probabilities k / (quantiles + 1), k = 1..quantiles. */
  public double[] probabilities() {
    return QuantileNormParams.probabilities(quantiles);
  }

  /**
   * Every parameter that shapes a model, as one line: a model version is made for one such line,
   * and a change makes the next (the stored batches' quantiles then no longer apply).
   */
  public String describe() {
    return "columns="
        + String.join(",", columns)
        + " quantiles="
        + quantiles
        + " goal="
        + goal
        + " batches="
        + batches.describe()
        + " missing-control="
        + missingControl.text()
        + (missingControl == MissingControl.POOLED
            ? " pooled-events-per-sample=" + pooledEventsPerSample
            : "")
        + " min-control-events="
        + minControlEvents
        + (clustering == null
            ? ""
            : " " + clustering.describe() + " som-events-per-batch=" + somEventsPerBatch)
        + (referencePopulation == null ? "" : " reference-population=" + referencePopulation);
  }
}
