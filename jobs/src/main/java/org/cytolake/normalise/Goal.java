package org.cytolake.normalise;

import java.util.Objects;

/**
 * What the batches are normalised onto: the mean of every batch's quantiles, one batch's, or
 * quantiles given in a file ({@link GoalQuantiles}).
 */
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

  /** The prefix of the text form of {@link Given}: {@code quantiles:FILE}. */
  String GIVEN_PREFIX = "quantiles:";

  /** Quantiles given by the user, the same for every batch whatever its controls. */
  record Given(GoalQuantiles quantiles) implements Goal {
    public Given {
      Objects.requireNonNull(quantiles, "quantiles");
    }

    @Override
    public String toString() {
      return quantiles.toString();
    }
  }

  /** {@code batch-mean}, or the name of a batch ({@code quantiles:FILE} is not read here). */
  static Goal parse(String text) {
    String t = text.trim();
    return t.equals(BATCH_MEAN) ? new BatchMean() : new Batch(t);
  }

  /**
   * {@code batch-mean}, {@code quantiles:FILE} (a {@link GoalQuantiles} file, relative to {@code
   * base}) or the name of a batch.
   *
   * @throws IllegalArgumentException when the name is blank or the file cannot be read or is bad,
   *     naming it
   */
  static Goal parse(String text, java.nio.file.Path base) {
    String t = text.trim();
    if (!t.startsWith(GIVEN_PREFIX)) {
      return parse(t);
    }
    String name = t.substring(GIVEN_PREFIX.length()).trim();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("goal '" + t + "' names no file after " + GIVEN_PREFIX);
    }
    java.nio.file.Path file = base == null ? java.nio.file.Path.of(name) : base.resolve(name);
    try {
      return new Given(GoalQuantiles.read(file));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException("goal file '" + file + "' does not exist", e);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("Cannot read goal file '" + file + "': " + e, e);
    }
  }
}
