package org.cytolake.normalise;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a normalise run does to each sample of a panel, decided from the plan, the model and the
 * keys the samples were last written with: normalised (written again when its batch's spline key
 * changed, else left), or not normalised and why (a quarantine reason). Pure: the job turns the
 * outcomes into rows, quarantine records and writes.
 *
 * @param outcomes one per sample, in the order given
 * @param write the samples whose {@code events_norm_<panel>} rows are written now → their batch
 * @param remove the samples whose normalised rows go (no longer normalised, or gone)
 * @param unchanged normalised samples whose rows stay as they are
 * @param quarantined samples not normalised, by reason
 * @param warnings what the run must say, each naming the panel
 */
public record SampleOutcomes(
    List<Outcome> outcomes,
    Map<String, String> write,
    Set<String> remove,
    int unchanged,
    Map<String, Integer> quarantined,
    List<String> warnings) {

  /** The status of a normalised sample in {@code normalisation_samples}. */
  public static final String NORMALISED = "normalised";

  /**
   * One sample's outcome.
   *
   * @param batch its batch, or null when the rule cannot place it
   * @param source the reference of its batch ({@code control}, {@code pooled}), null when not
   *     normalised
   * @param key the key of its batch's spline, null when not normalised
   * @param reason the quarantine reason code when not normalised, else null
   * @param message why not, naming the sample, batch and panel; null when normalised
   */
  public record Outcome(
      NormalisationPlan.SampleInfo sample,
      String batch,
      String source,
      String key,
      String reason,
      String message) {

    /** {@link #NORMALISED}, or the quarantine reason. */
    public String status() {
      return reason == null ? NORMALISED : reason;
    }
  }

  /** Why a sample is not normalised: its batch (null if unplaced), reason code and message. */
  private record Held(String batch, String reason, String message) {}

  public SampleOutcomes {
    outcomes = List.copyOf(outcomes);
    write = Collections.unmodifiableMap(new TreeMap<>(write));
    remove = Collections.unmodifiableSet(new TreeSet<>(remove));
    quarantined = Collections.unmodifiableMap(new TreeMap<>(quarantined));
    warnings = List.copyOf(warnings);
  }

  /** The key of every normalised sample. */
  public Map<String, String> keys() {
    Map<String, String> out = new TreeMap<>();
    outcomes.stream()
        .filter(o -> o.key() != null)
        .forEach(o -> out.put(o.sample().sampleId(), o.key()));
    return out;
  }

  /**
   * Decides each sample's outcome.
   *
   * @param samples the panel's samples (controls too)
   * @param plan the run's plan
   * @param model the version in use, with this run's batches
   * @param previous sample → the key its normalised rows were last written with
   */
  public static SampleOutcomes of(
      List<NormalisationPlan.SampleInfo> samples,
      NormalisationPlan plan,
      NormalisationModel model,
      Map<String, String> previous) {
    String panel = plan.panel();
    List<String> warnings = new ArrayList<>();
    Map<String, Held> notNormalised = new LinkedHashMap<>();
    plan.unplaced().forEach((id, why) -> notNormalised.put(id, new Held(null, "NO_BATCH", why)));
    plan.quarantined()
        .forEach(
            (batch, q) -> {
              warnings.add("normalise " + panel + ": " + q.message());
              q.samples()
                  .forEach(id -> notNormalised.put(id, new Held(batch, q.reason(), q.message())));
            });
    List<Outcome> outcomes = new ArrayList<>();
    Map<String, String> write = new TreeMap<>();
    Set<String> remove = new TreeSet<>();
    Map<String, Integer> quarantined = new TreeMap<>();
    Set<String> ids = new TreeSet<>();
    int unchanged = 0;
    for (NormalisationPlan.SampleInfo s : samples) {
      String id = s.sampleId();
      ids.add(id);
      String batch = plan.batchOf().get(id);
      Held q = notNormalised.get(id);
      if (q == null && (batch == null || !model.batches().containsKey(batch))) {
        // a batch of controls only whose controls are too small: nothing to normalise
        q =
            new Held(
                batch,
                "NO_BATCH_CONTROL",
                "control '"
                    + id
                    + "' of batch '"
                    + batch
                    + "' of panel "
                    + panel
                    + " holds too few events to serve as the batch's reference");
      }
      if (q != null) {
        outcomes.add(
            new Outcome(
                s, q.batch() == null ? batch : q.batch(), null, null, q.reason(), q.message()));
        quarantined.merge(q.reason(), 1, Integer::sum);
        if (previous.containsKey(id)) {
          remove.add(id);
        }
        continue;
      }
      String key = model.key(batch);
      if (key.equals(previous.get(id))) {
        unchanged++;
      } else {
        write.put(id, batch);
      }
      outcomes.add(
          new Outcome(s, batch, model.batches().get(batch).source().text(), key, null, null));
    }
    for (String id : previous.keySet()) {
      if (!ids.contains(id)) {
        remove.add(id); // gone from samples
      }
    }
    for (BatchQuantiles b : model.batches().values()) {
      List<String> flat = model.unnormalised(b.batch());
      if (!flat.isEmpty()) {
        warnings.add(
            "normalise "
                + panel
                + ": batch '"
                + b.batch()
                + "': column(s) "
                + flat
                + " have no signal in its "
                + b.source().text()
                + " reference "
                + b.samples()
                + (model.clustering() == null
                    ? ""
                    : " (or fewer than "
                        + model.clustering().params().minEvents()
                        + " of its events in the cluster)")
                + " and are left as they are");
      }
    }
    if (model.batches().isEmpty() && !samples.isEmpty()) {
      warnings.add(
          "normalise "
              + panel
              + ": no batch could be normalised (no batch has"
              + " a control aliquot: manifest column control)");
    }
    return new SampleOutcomes(outcomes, write, remove, unchanged, quarantined, warnings);
  }
}
