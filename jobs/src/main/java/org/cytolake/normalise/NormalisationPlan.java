package org.cytolake.normalise;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one run of the lake's normalisation does for a panel, decided before any event is read:
 * each sample's batch; whether a new model version is made (none stored, the parameters changed,
 * or a refit was asked for) or the stored one is extended; which batches need their quantiles
 * (from their controls, or pooled from their patient samples), which keep the stored ones, and
 * which are quarantined and why.
 *
 * <p>Guard rails: a sample the rule cannot place (no acquisition date, no manifest batch); a batch
 * without a control with enough events, which is quarantined or pooled ({@link MissingControl});
 * a pooled batch whose patient samples all share one level of a confounder that has several
 * levels in the panel (its pool's shift would be biology, not instrument), which is quarantined.
 *
 * @param panel the panel
 * @param batchOf each placed sample's batch
 * @param unplaced samples the rule cannot place, with why
 * @param version the model version the run writes
 * @param newVersion whether that version is made now (its goal is fitted now)
 * @param fitControls batches whose control quantiles are computed now: batch → its controls
 * @param fitPooled batches without a control pooled now: batch → its patient samples
 * @param poolForGoal for a new version with pooled fallback, every batch's patient samples, whose
 *     pooled quantiles make the pooled goal; empty otherwise
 * @param kept stored batches kept as they are
 * @param quarantined batches not normalised: batch → why
 */
public record NormalisationPlan(
    String panel,
    Map<String, String> batchOf,
    Map<String, String> unplaced,
    int version,
    boolean newVersion,
    Map<String, List<String>> fitControls,
    Map<String, List<String>> fitPooled,
    Map<String, List<String>> poolForGoal,
    Set<String> kept,
    Map<String, Quarantined> quarantined) {

  /**
   * A sample as the plan sees it.
   *
   * @param control null for a patient sample, else the control aliquot's role: {@code training}
   *     (its batch's reference) or {@code validation} (held out, normalised like a sample)
   */
  public record SampleInfo(
      String sampleId,
      String control,
      LocalDate acquisitionDate,
      String manifestBatch,
      long events,
      Map<String, String> attributes) {
    public SampleInfo {
      attributes = Map.copyOf(attributes);
    }

    /** The role of a control aliquot normalisation learns from. */
    public static final String TRAINING = "training";

    /** Whether it is a training control, its batch's reference. */
    public boolean training() {
      return TRAINING.equals(control);
    }

    /** Whether it is a trial patient's sample. */
    public boolean patient() {
      return control == null;
    }
  }

  /**
   * A batch that is not normalised.
   *
   * @param reason {@code NO_BATCH_CONTROL} or {@code BATCH_CONFOUNDED}
   * @param message what and why, naming the batch, the panel and the values
   * @param samples its samples
   */
  public record Quarantined(String reason, String message, List<String> samples) {
    public Quarantined {
      samples = List.copyOf(samples);
    }
  }

  public NormalisationPlan {
    batchOf = Collections.unmodifiableMap(new TreeMap<>(batchOf));
    unplaced = Collections.unmodifiableMap(new TreeMap<>(unplaced));
    fitControls = Collections.unmodifiableMap(new TreeMap<>(fitControls));
    fitPooled = Collections.unmodifiableMap(new TreeMap<>(fitPooled));
    poolForGoal = Collections.unmodifiableMap(new TreeMap<>(poolForGoal));
    kept = Collections.unmodifiableSet(new TreeSet<>(kept));
    quarantined = Collections.unmodifiableMap(new TreeMap<>(quarantined));
  }

  /**
   * Plans a run.
   *
   * @param stored the panel's latest stored version, or null
   * @param refit make a new version even when the parameters are unchanged
   */
  public static NormalisationPlan of(
      String panel,
      LakeNormParams params,
      List<SampleInfo> samples,
      NormalisationModel stored,
      boolean refit) {
    Map<String, String> batchOf = new LinkedHashMap<>();
    Map<String, String> unplaced = new LinkedHashMap<>();
    Map<String, List<SampleInfo>> byBatch = new TreeMap<>();
    for (SampleInfo s : samples) {
      try {
        String b = params.batches().batchOf(s.sampleId(), s.acquisitionDate(), s.manifestBatch());
        batchOf.put(s.sampleId(), b);
        byBatch.computeIfAbsent(b, k -> new ArrayList<>()).add(s);
      } catch (IllegalArgumentException e) {
        unplaced.put(s.sampleId(), e.getMessage());
      }
    }
    boolean newVersion = stored == null || refit || !stored.parameters().equals(params.describe());
    int version = stored == null ? 1 : newVersion ? stored.version() + 1 : stored.version();

    Map<String, List<String>> fitControls = new TreeMap<>();
    Map<String, List<String>> fitPooled = new TreeMap<>();
    Map<String, List<String>> poolForGoal = new TreeMap<>();
    Set<String> kept = new TreeSet<>();
    Map<String, Quarantined> quarantined = new TreeMap<>();
    Map<String, Set<String>> levels = levels(params.confounders(), samples);
    for (Map.Entry<String, List<SampleInfo>> e : byBatch.entrySet()) {
      String batch = e.getKey();
      List<String> controls = new ArrayList<>();
      List<String> patients = new ArrayList<>();
      List<String> others = new ArrayList<>(); // every sample but the training controls
      long controlEvents = 0;
      for (SampleInfo s : e.getValue()) {
        if (s.training()) {
          controls.add(s.sampleId());
          controlEvents += s.events();
        } else {
          others.add(s.sampleId());
          if (s.patient()) {
            patients.add(s.sampleId());
          }
        }
      }
      Collections.sort(others);
      Collections.sort(controls);
      Collections.sort(patients);
      if (newVersion && params.missingControl() == MissingControl.POOLED && !patients.isEmpty()) {
        poolForGoal.put(batch, patients);
      }
      BatchQuantiles was = stored == null ? null : stored.batches().get(batch);
      if (!controls.isEmpty() && controlEvents >= params.minControlEvents()) {
        boolean same =
            !newVersion
                && was != null
                && was.source() == BatchQuantiles.Source.CONTROL
                && was.samples().equals(controls);
        if (same) {
          kept.add(batch);
        } else {
          fitControls.put(batch, controls);
        }
        continue;
      }
      String why =
          controls.isEmpty()
              ? "batch '" + batch + "' of panel " + panel + " has no control aliquot"
              : "the control(s) "
                  + controls
                  + " of batch '"
                  + batch
                  + "' of panel "
                  + panel
                  + " hold "
                  + controlEvents
                  + " events, fewer than min-control-events "
                  + params.minControlEvents();
      if (others.isEmpty()) {
        continue; // only training controls too small to use: nothing to normalise
      }
      if (params.missingControl() == MissingControl.QUARANTINE) {
        quarantined.put(
            batch,
            new Quarantined(
                "NO_BATCH_CONTROL",
                why
                    + ", so its "
                    + others.size()
                    + " sample(s) are not normalised"
                    + " (conf/normalisation.yaml missing-control: quarantine; pooled normalises"
                    + " such a batch from its own samples)",
                others));
        continue;
      }
      String confounded =
          patients.isEmpty()
              ? "it holds no patient sample to pool"
              : confounded(e.getValue(), levels);
      if (confounded != null) {
        quarantined.put(
            batch,
            new Quarantined(
                "BATCH_CONFOUNDED",
                why
                    + " and cannot be pooled: "
                    + confounded
                    + (patients.isEmpty() ? "" : ", so pooling would normalise that effect away")
                    + "; its "
                    + others.size()
                    + " sample(s) are not normalised",
                others));
        continue;
      }
      boolean same =
          !newVersion
              && was != null
              && was.source() == BatchQuantiles.Source.POOLED
              && was.samples().equals(patients);
      if (same) {
        kept.add(batch);
      } else {
        fitPooled.put(batch, patients);
      }
    }
    return new NormalisationPlan(
        panel,
        batchOf,
        unplaced,
        version,
        newVersion,
        fitControls,
        fitPooled,
        poolForGoal,
        kept,
        quarantined);
  }

  /** Per confounder the levels the panel's patient samples take. */
  /**
   * Plans a run as {@link #of} does, with one rule more: a clustered version made when no batch had
   * a control has no SOM, so the first controls make the next version (with its SOM).
   */
  public static NormalisationPlan forRun(
      String panel,
      LakeNormParams params,
      List<SampleInfo> samples,
      NormalisationModel stored,
      boolean refit) {
    NormalisationPlan plan = of(panel, params, samples, stored, refit);
    if (!plan.newVersion()
        && params.clustering() != null
        && stored.clustering() == null
        && !plan.fitControls().isEmpty()) {
      return of(panel, params, samples, stored, true);
    }
    return plan;
  }

  /**
   * The model this plan leads to: for a new version, fitted on the control quantiles (and, under
   * {@code missing-control: pooled}, the pooled goal batches); else the stored version without the
   * batches no longer normalised and with the refreshed control batches; then the pooled batches.
   *
   * @param clustering the version's SOM, or null
   */
  public NormalisationModel model(
      LakeNormParams params,
      NormalisationModel stored,
      Map<String, BatchQuantiles> controls,
      Map<String, BatchQuantiles> pooled,
      Map<String, BatchQuantiles> poolGoal,
      LakeClusters clustering) {
    NormalisationModel model;
    if (newVersion) {
      model = NormalisationModel.fit(panel, version, params, controls, poolGoal, clustering);
    } else {
      model = stored;
      for (String b : stored.batches().keySet()) {
        if (!normalisedBatches().contains(b)) {
          model = model.withoutBatch(b);
        }
      }
      for (BatchQuantiles b : controls.values()) {
        model = model.withBatch(b);
      }
    }
    for (BatchQuantiles b : pooled.values()) {
      model = model.withBatch(b);
    }
    return model;
  }

  private static Map<String, Set<String>> levels(
      List<String> confounders, List<SampleInfo> samples) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (String c : confounders) {
      Set<String> v = new TreeSet<>();
      for (SampleInfo s : samples) {
        if (s.patient() && s.attributes().get(c) != null) {
          v.add(s.attributes().get(c));
        }
      }
      out.put(c, v);
    }
    return out;
  }

  /**
   * Why a batch's patient samples are confounded (all one level of a confounder with several
   * levels in the panel), or null.
   */
  private static String confounded(List<SampleInfo> batch, Map<String, Set<String>> levels) {
    for (Map.Entry<String, Set<String>> c : levels.entrySet()) {
      if (c.getValue().size() < 2) {
        continue;
      }
      Set<String> here = new TreeSet<>();
      int n = 0;
      for (SampleInfo s : batch) {
        if (s.patient()) {
          n++;
          here.add(String.valueOf(s.attributes().get(c.getKey())));
        }
      }
      if (here.size() == 1) {
        return "all its "
            + n
            + " patient sample(s) have "
            + c.getKey()
            + " '"
            + here.iterator().next()
            + "' (the panel has "
            + c.getValue().size()
            + " levels: "
            + c.getValue()
            + ")";
      }
    }
    return null;
  }

  /** The batches the model holds after the run: kept and fitted ones. */
  public Set<String> normalisedBatches() {
    Set<String> out = new TreeSet<>(kept);
    out.addAll(fitControls.keySet());
    out.addAll(fitPooled.keySet());
    return out;
  }
}
