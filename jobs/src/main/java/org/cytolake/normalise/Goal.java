package org.cytolake.normalise;

import java.util.Objects;

/** What the batches are normalised onto: the mean of every batch's quantiles, or one batch's. */
public sealed interface Goal {

  /** The text form of {@link BatchMean}. */
  String BATCH_MEAN = "batch-mean";

  /** The goal quantile is the mean, over batches, of the batches' quantiles (CytoNorm's "mean"). */
  record BatchMean() implements Goal {
    @Override
    public String toString() {
      return BATCH_MEAN;
    }
  }

  /** The goal quantiles are those of one batch, which then stays as it is up to the spline. */
  record Batch(String name) implements Goal {
    public Batch {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("Cannot use goal batch: its name is blank");
      }
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** {@code batch-mean}, or the name of a batch. */
  static Goal parse(String text) {
    String t = text.trim();
    return t.equals(BATCH_MEAN) ? new BatchMean() : new Batch(t);
  }
}
