package org.cytolake.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.cytolake.config.GatingConfig;
import org.cytolake.config.Settings;
import org.cytolake.ingest.QuarantineLimit;
import org.cytolake.lake.Fingerprints;

/**
 * The steps of the nightly run, in order, each declaring what it reads (its fingerprint) and
 * what it writes (the table that must exist for it to be skipped). {@link NightlyJob} runs them.
 */
final class NightlySteps {
  private NightlySteps() {}

  /** The steps in order. */
  static List<NightlyStep> all() {
    return List.of(
        new Clinical(),
        new Fcs(),
        new Qc(),
        new Gate(),
        new Cluster(),
        new Aggregate(),
        new Report());
  }

  /**
   * A step's declaration: its name, whether it reads the run's input, whether it needs samples in
   * the lake, and the table that must exist for it to be skipped.
   */
  private abstract static class Declared implements NightlyStep {
    private final String name;
    private final boolean ingests;
    private final boolean needsSamples;
    private final String output;

    Declared(String name, boolean ingests, boolean needsSamples, String output) {
      this.name = name;
      this.ingests = ingests;
      this.needsSamples = needsSamples;
      this.output = output;
    }

    @Override
    public final String name() {
      return name;
    }

    @Override
    public final boolean ingests() {
      return ingests;
    }

    @Override
    public final boolean needsSamples() {
      return needsSamples;
    }

    @Override
    public final String output() {
      return output;
    }
  }

  /** Skipped when the fingerprint and the output are what they were. */
  private static Optional<String> unless(boolean changed, String why) {
    return changed ? Optional.empty() : Optional.of(why);
  }

  /**
   * {@code ingest-clinical}: rebuilt whole (clinical tables are small) when the clinical files or
   * the configuration changed. It runs before FCS ingest so that FCS files of unknown patients
   * are caught.
   */
  static final class Clinical extends Declared {
    Clinical() {
      super("ingest-clinical", true, false, "patients");
    }

    @Override
    public String fingerprint(NightlyRun night) throws IOException {
      return fingerprint(night.input() + "/clinical", night.ctx().hadoopConf())
          + ";conf="
          + Fingerprints.files(night.ctx().conf(), List.of("cytolake.yaml", "visits.yaml"));
    }

    @Override
    public Optional<String> skip(NightlyRun night, Map<String, Object> last, boolean changed) {
      return unless(changed, "clinical files and configuration unchanged");
    }

    @Override
    public void skipped(NightlyRun night, Map<String, Object> last) {
      // The clinical input is what it was: so is its quarantined share.
      if (last.get("records_in") instanceof Number n && last.get("rejected") instanceof Number m) {
        Map<String, Long> byReason = new TreeMap<>();
        if (last.get("reasons") instanceof Map<?, ?> rs) {
          rs.forEach((k, v) -> byReason.put(String.valueOf(k), ((Number) v).longValue()));
        }
        night.quarantined(
            new QuarantineLimit.Share("clinical records", m.longValue(), n.longValue()), byReason);
      }
    }

    @Override
    public Ran run(NightlyRun night, Map<String, Object> last, boolean changed) {
      IngestClinicalResult r = IngestClinicalJob.run(night.ctx(), night.input() + "/clinical");
      night.counts().merge("records_in", r.recordsIn(), Long::sum);
      night.counts().merge("records_written", r.accepted(), Long::sum);
      night.counts().merge("records_quarantined", r.rejected(), Long::sum);
      if (r.developmentSalt()) {
        night.developmentSalt();
      }
      night.quarantined(
          new QuarantineLimit.Share("clinical records", r.rejected(), r.recordsIn()),
          r.rejectedByReason());
      return new Ran(
          Map.of("records_in", r.recordsIn(), "accepted", r.accepted(), "rejected", r.rejected()),
          Map.of(
              "records_in",
              r.recordsIn(),
              "rejected",
              r.rejected(),
              "reasons",
              new TreeMap<>(r.rejectedByReason())));
    }

    /** Hash of the names and contents of every file under a directory. */
    static String fingerprint(String dir, Configuration conf) throws IOException {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        return "absent";
      }
      TreeMap<String, String> files = new TreeMap<>();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
      while (it.hasNext()) {
        LocatedFileStatus s = it.next();
        try (InputStream in = fs.open(s.getPath())) {
          files.put(s.getPath().toString(), Fingerprints.sha256(in.readAllBytes()));
        }
      }
      return Fingerprints.sha256(files.toString());
    }
  }

  /**
   * {@code ingest-fcs}, every night and incremental on its own: files whose path, size and
   * modification time (else SHA-256) match the ledger are not read again; only new or changed
   * samples' events partitions are written; samples the input no longer yields are removed.
   */
  static final class Fcs extends Declared {
    Fcs() {
      super("ingest-fcs", true, false, null);
    }

    @Override
    public List<String> ownState() {
      return List.of(IngestFcsJob.STATE);
    }

    @Override
    public Optional<String> skip(NightlyRun night, Map<String, Object> last, boolean changed) {
      return Optional.empty();
    }

    @Override
    public Ran run(NightlyRun night, Map<String, Object> last, boolean changed) throws IOException {
      IngestFcsJob.Result f = IngestFcsJob.run(night.ctx(), night.input(), night.manifest(), true);
      Map<String, Long> counts = night.counts();
      counts.put("files_in", (long) f.filesFound());
      counts.put("files_unchanged", (long) f.filesUnchanged());
      counts.put("files_quarantined", (long) f.filesQuarantined());
      counts.put("samples_written", (long) f.changedSamples().size());
      counts.put("samples_removed", (long) f.samplesRemoved());
      counts.put("events_in", f.eventsIn());
      counts.put("events_written", f.eventsWritten());
      counts.put("events_unchanged", f.eventsUnchanged());
      counts.put("events_quarantined", f.eventsQuarantined());
      if (f.developmentSalt()) {
        night.developmentSalt();
      }
      night.quarantined(
          new QuarantineLimit.Share("FCS files", f.filesQuarantined(), f.filesFound()),
          f.reasons());
      night.quarantined(
          new QuarantineLimit.Share("FCS events", f.eventsQuarantined(), f.eventsIn()), Map.of());
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("files", f.filesFound());
      detail.put("unchanged", f.filesUnchanged());
      detail.put("samples_written", f.changedSamples().size());
      detail.put("samples_removed", f.samplesRemoved());
      detail.put("quarantined_files", f.filesQuarantined());
      detail.put("quarantine_reasons", f.reasons());
      return new Ran(detail);
    }
  }

  /**
   * {@code gate}: only the new or changed samples (all of them when the gating strategies
   * changed); the other samples' rows are kept.
   */
  static final class Gate extends Declared {
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
      return unless(
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
  static final class Cluster extends Declared {
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
      return unless(changed, "samples and conf/clustering.yaml unchanged");
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
  static final class Aggregate extends Declared {
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
      return unless(changed, "clinical tables, populations, clusters and conf unchanged");
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

  /** {@code report}: the HTML report of this run, every night (it is per run, not a table). */
  static final class Report extends Declared {
    Report() {
      super("report", false, false, null);
    }

    @Override
    public Optional<String> skip(NightlyRun night, Map<String, Object> last, boolean changed) {
      return Optional.empty();
    }

    @Override
    public Ran run(NightlyRun night, Map<String, Object> last, boolean changed) throws IOException {
      // The report shows the outcome the run will have if the report itself succeeds.
      String summary = night.writeSummary(night.outcome(), null, null);
      ReportJob.Page page = ReportJob.build(night.ctx(), summary);
      night.page(page);
      ReportJob.Result rep = ReportJob.write(night.ctx().spark(), page);
      return new Ran(Map.of("page", rep.path()));
    }
  }

  /**
   * {@code qc}: what acquisition QC found in the lake's samples ({@code sample_qc}, written by
   * ingest-fcs for new or changed files): samples by status, events flagged by reason, and one
   * warning of the run per sample whose flagged share exceeds {@code qc.warn-share}. It reads one
   * small table, so it runs every night.
   */
  static final class Qc extends Declared {
    Qc() {
      super("qc", false, true, null);
    }

    @Override
    public Optional<String> skip(NightlyRun night, Map<String, Object> last, boolean changed) {
      return Optional.empty();
    }

    @Override
    public Ran run(NightlyRun night, Map<String, Object> last, boolean changed) {
      RunContext ctx = night.ctx();
      if (!ctx.lake().exists(ctx.spark(), IngestFcsJob.SAMPLE_QC)) {
        return new Ran(Map.of("samples", 0));
      }
      double warnShare = ctx.config().settings().getDouble(Settings.QC_WARN_SHARE);
      Map<String, Long> byStatus = new TreeMap<>();
      long events = 0;
      long flagged = 0;
      long flowRate = 0;
      long signal = 0;
      long margin = 0;
      int over = 0;
      List<Row> rows =
          ctx.lake()
              .read(ctx.spark(), IngestFcsJob.SAMPLE_QC)
              .orderBy("sample_id")
              .select(
                  "sample_id",
                  "status",
                  "events",
                  "flagged",
                  "flagged_share",
                  "flow_rate_events",
                  "signal_events",
                  "margin_events",
                  "segments")
              .collectAsList();
      for (Row r : rows) {
        byStatus.merge(r.getString(1), 1L, Long::sum);
        events += r.getLong(2);
        flagged += r.getLong(3);
        flowRate += r.getLong(5);
        signal += r.getLong(6);
        margin += r.getLong(7);
        if (r.getDouble(4) > warnShare) {
          over++;
          night
              .warnings()
              .add(
                  String.format(
                      java.util.Locale.ROOT,
                      "acquisition QC: sample %s has %.1f%% of its events flagged "
                          + "(flow rate %d, signal %d, margin %d; qc.warn-share %s)%s",
                      r.getString(0),
                      100 * r.getDouble(4),
                      r.getLong(5),
                      r.getLong(6),
                      r.getLong(7),
                      warnShare,
                      r.getString(8).isEmpty() ? "" : ": " + r.getString(8)));
        }
      }
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("samples", rows.size());
      detail.put("status", byStatus);
      detail.put("events", events);
      detail.put("events_flagged", flagged);
      detail.put("flow_rate_events", flowRate);
      detail.put("signal_events", signal);
      detail.put("margin_events", margin);
      detail.put("samples_over_warn_share", over);
      detail.put(
          "downstream",
          QcEvents.cleanOnly(ctx.config().settings()) ? "clean events" : "all events");
      return new Ran(detail);
    }
  }
}
