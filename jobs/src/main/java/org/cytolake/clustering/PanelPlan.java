package org.cytolake.clustering;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What a cluster run does with one panel and algorithm, given the stored versions and the pin of the registry, and
 * what the nightly run repeats loudly about it. Immutable.
 *
 * <ul>
 *   <li>{@code cluster --train}: train the next version whatever the registry holds (the pin is dropped once it is
 *       trained);
 *   <li>a pinned version fitted under another configuration than the run's: map onto it, not retrain, and warn;
 *   <li>else {@link ModelPlan#decide} on the active model ({@link ModelPlan#active(List, Optional)}), a training
 *       numbered after the highest stored version (not after the active one, which a pin may hold lower).
 * </ul>
 *
 * @param panel the panel code
 * @param algorithm the algorithm
 * @param plan the decision
 * @param active the model active before the run, if any (a training replaces it)
 * @param warnings what the run warns of before any work
 */
public record PanelPlan(
    String panel,
    String algorithm,
    ModelPlan plan,
    Optional<ClusterModel> active,
    List<String> warnings) {

  public PanelPlan {
    warnings = List.copyOf(warnings);
  }

  /**
   * Plans a panel and algorithm's run.
   *
   * @param versions every stored version, ascending
   * @param pin the pinned version, if any
   * @param fingerprint the run's configuration fingerprint ({@link ModelConfiguration})
   * @param samples the run's samples, sorted
   * @param train {@code cluster --train}
   * @throws IllegalArgumentException when the pinned version is not stored
   */
  public static PanelPlan of(
      String panel,
      String algorithm,
      List<ClusterModel> versions,
      Optional<Integer> pin,
      String fingerprint,
      Collection<String> samples,
      boolean train) {
    Optional<ClusterModel> active = ModelPlan.active(versions, pin);
    List<String> warnings = new ArrayList<>();
    int next = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
    ModelPlan plan;
    if (train) {
      plan =
          new ModelPlan(
              ModelPlan.Action.TRAIN,
              next,
              Optional.empty(),
              List.copyOf(samples),
              List.of(),
              "cluster --train: train version " + next);
    } else if (pin.isPresent()
        && !active.get().provenance().confFingerprint().equals(fingerprint)) {
      plan = ModelPlan.decide(active, active.get().provenance().confFingerprint(), samples);
      warnings.add(
          "cluster "
              + panel
              + " "
              + algorithm
              + ": version "
              + pin.get()
              + " is pinned but was fitted under another configuration than tonight's; samples are"
              + " mapped onto it, not retrained (cluster --train retrains and unpins)");
    } else {
      plan = ModelPlan.decide(active, fingerprint, samples);
      if (plan.action() == ModelPlan.Action.TRAIN) {
        plan =
            new ModelPlan(
                plan.action(),
                next,
                plan.active(),
                plan.newSamples(),
                plan.missingTrainingSamples(),
                plan.reason().replace("version " + plan.version(), "version " + next));
      }
    }
    return new PanelPlan(panel, algorithm, plan, active, warnings);
  }

  /** Whether the run trains a new version. */
  public boolean trains() {
    return plan.action() == ModelPlan.Action.TRAIN;
  }

  /** The version a training replaces, or null (no model before, or the run maps). */
  public Integer replacedVersion() {
    return trains() ? active.map(ClusterModel::version).orElse(null) : null;
  }

  /**
   * After a training that replaced a version: each new metacluster's nearest old one
   * ({@link MetaclusterCorrespondence#describe}); else empty.
   */
  public Optional<String> correspondence(ClusterModel trained) {
    return replacedVersion() == null
        ? Optional.empty()
        : Optional.of(MetaclusterCorrespondence.of(active.get(), trained).describe());
  }

  /** The warning of a training that replaced a version: earlier metacluster numbers no longer apply. */
  public Optional<String> retrainedWarning(ClusterModel trained) {
    return correspondence(trained)
        .map(
            c ->
                "cluster "
                    + panel
                    + " "
                    + algorithm
                    + ": RETRAINED, model version "
                    + replacedVersion()
                    + " -> "
                    + trained.version()
                    + " ("
                    + plan.reason()
                    + "); metacluster numbers and labels of earlier runs no longer apply; "
                    + c);
  }
}
