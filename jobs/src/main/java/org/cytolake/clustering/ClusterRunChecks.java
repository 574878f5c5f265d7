package org.cytolake.clustering;

import java.util.ArrayList;
import java.util.List;

/**
 * The checks of a cluster run's options ({@code cytolake cluster}), all problems at once: the
 * algorithm, the command-line overrides of conf/clustering.yaml, {@code --train} against {@code
 * --activate}, and the training-sample selector.
 */
public final class ClusterRunChecks {
  /** The clustering algorithms. */
  public static final List<String> ALGORITHMS = List.of("flowsom", "kmeans", "bisecting-kmeans");

  private ClusterRunChecks() {}

  /**
   * Every problem of the options, empty when there is none.
   *
   * @param samplePerFile null: the conf's
   * @param metaclusters null: the conf's; 0 the elbow rule (flowsom only)
   * @param activate null: no pin
   * @param samples a {@link TrainingSelection} selector, or null: the conf's
   */
  public static List<String> problems(
      String algorithm,
      Integer samplePerFile,
      Integer metaclusters,
      boolean train,
      Integer activate,
      String samples) {
    List<String> problems = new ArrayList<>();
    if (train && activate != null) {
      problems.add("--train and --activate exclude each other");
    }
    if (activate != null && activate < 1) {
      problems.add("activate must be a version >= 1 but is " + activate);
    }
    if (samples != null) {
      try {
        TrainingSelection.parse(samples);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (!ALGORITHMS.contains(algorithm)) {
      problems.add("algorithm '" + algorithm + "' is not one of " + ALGORITHMS);
    }
    if (samplePerFile != null && samplePerFile < 0) {
      problems.add("sample-per-file must be >= 0 but is " + samplePerFile);
    }
    if (metaclusters != null && metaclusters != 0 && metaclusters < 2) {
      problems.add(
          "metaclusters must be >= 2, or 0 for the elbow rule (flowsom only), but is "
              + metaclusters);
    }
    if (metaclusters != null && metaclusters == 0 && !"flowsom".equals(algorithm)) {
      problems.add("metaclusters 0 (the elbow rule) needs algorithm flowsom, not " + algorithm);
    }
    return problems;
  }
}
