package org.cytolake.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cytolake.config.GatingConfig;
import org.cytolake.lake.Fingerprints;

/**
 * The nightly run's analysis steps ({@link NightlySteps}): normalise, gate, cluster and aggregate,
 * each skipped when its fingerprint and output are what they were.
 */
final class NightlyAnalysisSteps {
  private NightlyAnalysisSteps() {}

  /**
   * {@code normalise}: batch normalisation of the panels {@code conf/normalisation.yaml} names,
   * when the samples or that file changed; the job itself rewrites only the samples whose batch's
   * spline changed. Afterwards the samples' identities include their spline's key, so gate and
   * cluster redo exactly the samples whose normalised values changed. Quarantined batches and
   * columns left unnormalised become the run's warnings.
   */
  static final class Normalise extends NightlySteps.Declared {
    Normalise() {
      super("normalise", false, true, null);
    }

    @Override
    public String fingerprint(NightlyRun night) throws IOException {
      return Fingerprints.files(
              night.ctx().conf(), List.of("panels.yaml", "cytolake.yaml", "normalisation.yaml"))
          + ";samples="
          + Fingerprints.sha256(new TreeMap<>(night.contents()).toString());
    }

    @Override
    public Optional<String> skip(NightlyRun night, Map<String, Object> last, boolean changed) {
      return NightlySteps.unless(changed, "samples and conf/normalisation.yaml unchanged");
    }

    @Override
    public Ran run(NightlyRun night, Map<String, Object> last, boolean changed) throws IOException {
      NormaliseJob.Result r = NormaliseJob.run(night.ctx(), false);
      Map<String, Object> panels = new TreeMap<>();
      for (NormaliseJob.PanelResult p : r.panels()) {
        night.warnings().addAll(p.warnings());
        panels.put(
            p.panel(),
            Map.of(
                "version",
                p.version(),
                "new_version",
                p.newVersion(),
                "batches",
                p.batches(),
                "written",
                p.written(),
                "unchanged",
                p.unchanged(),
                "quarantined",
                p.quarantined()));
      }
      night.readSamples();
      return new Ran(Map.of("panels", panels));
    }
  }

  /**
   * {@code gate}: only the new or changed samples (all of them when the gating strategies
   * changed); the other samples' rows are kept.
   */
  static final class Gate extends NightlySteps.Declared {
    Gate() {
      super("gate", false, true, "populations");
    }

    @Override
    public String fingerprint(NightlyRun night) throws IOException {
      return Fingerprints.files(night.ctx().conf(), List.of("panels.yaml", "cytolake.yaml"))
          + ";gating="
          + Fingerprints.directory(night.ctx().conf().resolve(GatingConfig.DIR));
    }

    /** Samples whose content differs from what the step last gated. */
    private static Set<String> toGate(NightlyRun night, Map<?, ?> gated) {
      Set<String> out = new TreeSet<>();
      night
          .samples()
          .forEach(
              (id, sha) -> {
                if (!sha.equals(gated.get(id))) {
                  out.add(id);
                }
              });
      return out;
    }

    private static Map<?, ?> gated(Map<String, Object> last, boolean changed) {
      return changed || !(last.get("gated") instanceof Map<?, ?> m) ? Map.of() : m;
    }

    @Override
    public Optional<String> skip(NightlyRun night, Map<String, Object> last, boolean changed) {
      Map<?, ?> gated = gated(last, changed);
      long gone = gated.keySet().stream().filter(id -> !night.samples().containsKey(id)).count();
      return NightlySteps.unless(
          changed || !toGate(night, gated).isEmpty() || gone > 0,
          "no new or changed samples; strategies unchanged");
    }

    @Override
    public Ran run(NightlyRun night, Map<String, Object> last, boolean changed) throws IOException {
      Set<String> toGate = toGate(night, gated(last, changed));
      GateJob.Result g = GateJob.run(night.ctx(), changed ? null : Set.copyOf(toGate));
      g.qcFlags().forEach((flag, n) -> night.warnings().add("gating_qc: " + n + " " + flag));
      return new Ran(
          Map.of(
              "samples",
              changed ? night.samples().size() : toGate.size(),
              "all",
              changed,
              "qc_flags",
              g.qcFlags()),
          Map.of("gated", night.samples()));
    }
  }

  /**
   * {@code cluster}: runs when the samples or the clustering configuration changed. The job keeps each panel's
   * model ({@code cluster_models}): new samples are mapped onto it, and samples whose content changed since the
   * step last ran are mapped again; earlier samples keep their rows. A retraining (the fingerprint of lineage
   * markers or clustering parameters changed) and misfit samples ({@code cluster_qc}) become the run's warnings.
   */
  static final class Cluster extends NightlySteps.Declared {
    Cluster() {
      super("cluster", false, true, "clusters");
    }

    @Override
    public String fingerprint(NightlyRun night) throws IOException {
      return Fingerprints.files(night.ctx().conf(), List.of("panels.yaml", "clustering.yaml"))
          + ";samples="
          + Fingerprints.sha256(night.samples().toString());
    }

    @Override
    public Optional<String> skip(NightlyRun night, Map<String, Object> last, boolean changed) {
      return NightlySteps.unless(changed, "samples and conf/clustering.yaml unchanged");
    }

    @Override
    public Ran run(NightlyRun night, Map<String, Object> last, boolean changed) throws IOException {
      Map<?, ?> clustered = last.get("clustered") instanceof Map<?, ?> m ? m : Map.of();
      Set<String> remap = new TreeSet<>();
      night
          .samples()
          .forEach(
              (id, sha) -> {
                if (clustered.containsKey(id) && !sha.equals(clustered.get(id))) {
                  remap.add(id);
                }
              });
      ClusterJob.Result c =
          ClusterJob.run(
              night.ctx(),
              new ClusterJob.Options(
                  night.ctx().lake().root(),
                  night.ctx().conf(),
                  night.ctx().lake().schemasDir(),
                  "flowsom",
                  null,
                  null,
                  null,
                  night.ctx().runId(),
                  null,
                  false,
                  null,
                  remap,
                  null));
      Map<String, Object> models = new TreeMap<>();
      long misfits = 0;
      for (ClusterJob.PanelResult p : c.panels()) {
        night.warnings().addAll(p.warnings());
        misfits += p.misfits().size();
        models.put(
            p.panel(),
            Map.of(
                "action",
                p.action(),
                "version",
                p.modelVersion(),
                "mapped",
                p.mappedSamples(),
                "kept",
                p.keptSamples(),
                "misfits",
                p.misfits().size()));
      }
      return new Ran(
          Map.of("panels", c.panels().size(), "models", models, "misfits", misfits),
          Map.of("clustered", night.samples()));
    }
  }

  /**
   * {@code aggregate}: small tables, rebuilt whole when clinical tables, populations, clusters or
   * its conf changed.
   */
  static final class Aggregate extends NightlySteps.Declared {
    Aggregate() {
      super("aggregate", false, true, "cohort_summary");
    }

    @Override
    public String fingerprint(NightlyRun night) throws IOException {
      var state = night.ctx().lake().state(night.ctx().hadoopConf());
      return Fingerprints.files(
              night.ctx().conf(),
              List.of("cohorts.yaml", "features.yaml", "visits.yaml", "differential.yaml"))
          + ";clinical="
          + state.read("ingest-clinical").get("run_id")
          + ";gate="
          + state.read("gate").get("run_id")
          + ";cluster="
          + state.read("cluster").get("run_id");
    }

    @Override
    public Optional<String> skip(NightlyRun night, Map<String, Object> last, boolean changed) {
      return NightlySteps.unless(
          changed, "clinical tables, populations, clusters and conf unchanged");
    }

    /**
     * The run's warnings from an aggregation: diseases without a cohort, and the primary
     * endpoint's problems (no data for its panel, feature, visit or cohort, or not tested and
     * why), which the run must not bury in a log.
     */
    static List<String> warnings(AggregateJob.Result a) {
      List<String> out = new ArrayList<>();
      if (!a.unknownDiseases().isEmpty()) {
        out.add(
            "aggregate: diseases without a cohort in conf/cohorts.yaml: " + a.unknownDiseases());
      }
      out.addAll(a.differentialWarnings());
      return out;
    }

    @Override
    public Ran run(NightlyRun night, Map<String, Object> last, boolean changed) throws IOException {
      AggregateJob.Result a = AggregateJob.run(night.ctx());
      night.warnings().addAll(warnings(a));
      return new Ran(
          Map.of(
              "patients",
              a.patients(),
              "features",
              a.features(),
              "cohort_summary_rows",
              a.cohortSummaryRows()));
    }
  }
}
