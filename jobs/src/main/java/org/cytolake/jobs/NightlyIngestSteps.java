package org.cytolake.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.cytolake.ingest.QuarantineLimit;
import org.cytolake.lake.FileWalk;
import org.cytolake.lake.Fingerprints;

/**
 * The nightly run's ingest steps ({@link NightlySteps}): clinical records, then FCS files; both
 * read the run's input, whose quarantined share the run checks after them.
 */
final class NightlyIngestSteps {
  private NightlyIngestSteps() {}

  /**
   * {@code ingest-clinical}: rebuilt whole (clinical tables are small) when the clinical files or
   * the configuration changed. It runs before FCS ingest so that FCS files of unknown patients
   * are caught.
   */
  static final class Clinical extends NightlySteps.Declared {
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
      return NightlySteps.unless(changed, "clinical files and configuration unchanged");
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
      for (FileStatus s : FileWalk.files(fs, p)) {
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
  static final class Fcs extends NightlySteps.Declared {
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
}
