package org.cytolake.clustering;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a cluster run does with a panel and algorithm's stored models ({@code cluster_models}), decided before any
 * work: train the first model, train a new version because the configuration changed, or keep the active model and
 * map onto it the samples it was not trained on. Immutable.
 *
 * <ul>
 *   <li>{@link Action#TRAIN}: no model yet (version 1), or the active model's configuration fingerprint differs from
 *       the run's (version active + 1);
 *   <li>{@link Action#MAP}: the fingerprint is the active model's; the samples it was not trained on
 *       ({@link #newSamples}, possibly none) are mapped onto it and its training samples keep their assignment
 *       (mapping them again gives the same nodes: {@link ClusterModel#map}).
 * </ul>
 *
 * @param action what to do
 * @param version the version the run's model has: the new one for TRAIN, the active one for MAP
 * @param active the active model (MAP; empty for TRAIN)
 * @param newSamples samples of the run that the active model was not trained on, sorted (MAP; all for TRAIN)
 * @param missingTrainingSamples training samples of the active model that the run no longer has, sorted (MAP; the
 *     model keeps them)
 * @param reason one line for the log
 */
public record ModelPlan(
    Action action,
    int version,
    Optional<ClusterModel> active,
    List<String> newSamples,
    List<String> missingTrainingSamples,
    String reason) {

  /** The two things a run can do. */
  public enum Action {
    TRAIN,
    MAP
  }

  public ModelPlan {
    newSamples = List.copyOf(newSamples);
    missingTrainingSamples = List.copyOf(missingTrainingSamples);
  }

  /**
   * The active model of a panel and algorithm: the highest version.
   *
   * @param versions every stored model of one panel and algorithm, any order
   * @throws IllegalArgumentException naming the problem when the models are of more than one panel or algorithm,
   *     or their versions are not 1 .. n each once
   */
  public static Optional<ClusterModel> active(Collection<ClusterModel> versions) {
    if (versions.isEmpty()) {
      return Optional.empty();
    }
    Set<String> keys = new TreeSet<>();
    Set<Integer> seen = new HashSet<>();
    List<String> problems = new ArrayList<>();
    ClusterModel best = null;
    for (ClusterModel m : versions) {
      keys.add(m.provenance().panel() + " " + m.provenance().algorithm());
      if (!seen.add(m.version())) {
        problems.add("version " + m.version() + " is stored twice");
      }
      if (best == null || m.version() > best.version()) {
        best = m;
      }
    }
    if (keys.size() > 1) {
      problems.add("they are of " + keys + ", not of one panel and algorithm");
    }
    for (int v = 1; v <= best.version(); v++) {
      if (!seen.contains(v)) {
        problems.add("version " + v + " is missing below " + best.version());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot choose the active cluster model of " + keys + ": " + String.join("; ", problems));
    }
    return Optional.of(best);
  }

  /**
   * The active model of a panel and algorithm: the pinned version ({@code cluster --activate}), else the highest
   * ({@link #active(Collection)}).
   *
   * @param versions every stored model of one panel and algorithm
   * @param pin the pinned version, if any
   * @throws IllegalArgumentException when the pinned version is not stored
   */
  public static Optional<ClusterModel> active(List<ClusterModel> versions, Optional<Integer> pin) {
    if (pin.isEmpty()) {
      return active(versions);
    }
    return Optional.of(
        versions.stream()
            .filter(m -> m.version() == pin.get())
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "Cannot use cluster model version "
                            + pin.get()
                            + ": cluster_models holds versions "
                            + versions.stream().map(ClusterModel::version).toList())));
  }

  /**
   * Decides a run.
   *
   * @param active the active model, if any ({@link #active})
   * @param fingerprint the run's configuration fingerprint ({@link ClusterModel#fingerprint})
   * @param samples the run's samples
   */
  public static ModelPlan decide(
      Optional<ClusterModel> active, String fingerprint, Collection<String> samples) {
    List<String> all = List.copyOf(new TreeSet<>(samples));
    if (active.isEmpty()) {
      return new ModelPlan(
          Action.TRAIN, 1, Optional.empty(), all, List.of(), "no model yet: train version 1");
    }
    ClusterModel m = active.get();
    if (!m.provenance().confFingerprint().equals(fingerprint)) {
      return new ModelPlan(
          Action.TRAIN,
          m.version() + 1,
          Optional.empty(),
          all,
          List.of(),
          "configuration changed since version "
              + m.version()
              + " (fingerprint "
              + abbreviate(m.provenance().confFingerprint())
              + " -> "
              + abbreviate(fingerprint)
              + "): train version "
              + (m.version() + 1));
    }
    Set<String> trained = new HashSet<>(m.trainingSampleIds());
    List<String> fresh = all.stream().filter(s -> !trained.contains(s)).toList();
    Set<String> present = new HashSet<>(all);
    List<String> missing =
        m.trainingSampleIds().stream().filter(s -> !present.contains(s)).sorted().toList();
    return new ModelPlan(
        Action.MAP,
        m.version(),
        active,
        fresh,
        missing,
        "configuration unchanged: map "
            + fresh.size()
            + " new sample(s) onto version "
            + m.version()
            + (missing.isEmpty()
                ? ""
                : "; " + missing.size() + " training sample(s) no longer present"));
  }

  private static String abbreviate(String fingerprint) {
    return fingerprint.length() > 12 ? fingerprint.substring(0, 12) : fingerprint;
  }
}
