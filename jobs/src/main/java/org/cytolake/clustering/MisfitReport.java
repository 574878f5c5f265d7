package org.cytolake.clustering;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The misfit rule of a model ({@link ClusterModel#misfit(ClusterModel.TrainingSample, long[], double)}) applied to
 * the samples a cluster run maps: the rows of {@code cluster_qc} and the samples it flags. Immutable.
 *
 * @param model the model the samples were mapped onto
 * @param margin the misfit margin
 * @param misfits one per sample, in the order of the summaries
 */
public record MisfitReport(ClusterModel model, double margin, List<ClusterModel.Misfit> misfits) {

  public MisfitReport {
    misfits = List.copyOf(misfits);
  }

  /**
   * Tests every sample.
   *
   * @param samples each sample's summary (its events and median distances, overall and per metacluster)
   * @param counts sample → metacluster → events; a metacluster without events may be absent
   * @param margin the misfit margin, >= 0
   */
  public static MisfitReport of(
      ClusterModel model,
      Collection<ClusterModel.TrainingSample> samples,
      Map<String, Map<Integer, Long>> counts,
      double margin) {
    List<ClusterModel.Misfit> out = new ArrayList<>();
    for (ClusterModel.TrainingSample s : samples) {
      long[] c = new long[model.metaclusters()];
      counts.getOrDefault(s.sampleId(), Map.of()).forEach((m, k) -> c[m] = k);
      out.add(model.misfit(s, c, margin));
    }
    return new MisfitReport(model, margin, out);
  }

  /** The flagged samples, sorted. */
  public List<String> flagged() {
    return misfits.stream()
        .filter(ClusterModel.Misfit::flagged)
        .map(ClusterModel.Misfit::sampleId)
        .sorted()
        .toList();
  }

  /** Whether {@code sampleId} is one of the model's training samples. */
  public boolean isTrainingSample(String sampleId) {
    return model.trainingSampleIds().contains(sampleId);
  }

  /** The warning naming the flagged samples, when there are any. */
  public Optional<String> warning(String panel, String algorithm) {
    List<String> flagged = flagged();
    if (flagged.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "cluster_qc: "
            + flagged.size()
            + " misfit sample(s) in "
            + panel
            + " "
            + algorithm
            + " (median distance beyond (1 + "
            + margin
            + ") x the training samples' largest, model version "
            + model.version()
            + "): "
            + flagged);
  }
}
