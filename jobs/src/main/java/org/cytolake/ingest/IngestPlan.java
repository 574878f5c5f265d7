package org.cytolake.ingest;

import static org.cytolake.tables.QuarantineReason.Rejected.BAD_SPILLOVER;
import static org.cytolake.tables.QuarantineReason.Rejected.DUPLICATE_FILE;
import static org.cytolake.tables.QuarantineReason.Rejected.DUPLICATE_MANIFEST_ROW;
import static org.cytolake.tables.QuarantineReason.Rejected.DUPLICATE_SAMPLE;
import static org.cytolake.tables.QuarantineReason.Rejected.MISSING_FILE;
import static org.cytolake.tables.QuarantineReason.Rejected.NO_MANIFEST_LINK;
import static org.cytolake.tables.QuarantineReason.Rejected.NO_SPILLOVER;
import static org.cytolake.tables.QuarantineReason.Rejected.RENAMED_CHANNEL;
import static org.cytolake.tables.QuarantineReason.Rejected.TOT_MISMATCH;
import static org.cytolake.tables.QuarantineReason.Rejected.UNKNOWN_PANEL;
import static org.cytolake.tables.QuarantineReason.Rejected.UNKNOWN_PATIENT;
import static org.cytolake.tables.QuarantineReason.Rejected.UNKNOWN_VISIT;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.KeywordLink;
import org.cytolake.config.PanelConfig;
import org.cytolake.fcs.FcsErrorCode;
import org.cytolake.tables.Pseudonymizer;
import org.cytolake.tables.QuarantineReason;
import org.cytolake.tables.QuarantineRecord;

/**
 * Decides, on the driver and without Spark, what becomes of every input file and manifest row:
 * accepted as a sample, or quarantined with a reason. Every file found and every manifest row ends
 * up in exactly one place, so the run's counts reconcile.
 *
 * <p>Reason codes: {@code UNKNOWN_PANEL}, {@code UNKNOWN_VISIT}, {@code MISSING_FILE} (manifest row
 * whose file is not in the input), {@code DUPLICATE_MANIFEST_ROW}, {@code UNKNOWN_PATIENT},
 * {@code NO_MANIFEST_LINK}, the FCS reader's codes ({@code TRUNCATED_DATA}, {@code NOT_FCS}, ...),
 * {@code TOT_MISMATCH}, {@code DUPLICATE_FILE} (same bytes as an earlier file),
 * {@code DUPLICATE_SAMPLE} (another file for the same patient, visit and panel),
 * {@code RENAMED_CHANNEL} (a detector of the panel is missing), {@code NO_SPILLOVER} and
 * {@code BAD_SPILLOVER} (when the panel compensates with each file's own matrix): each a
 * {@link QuarantineReason}.
 */
public record IngestPlan(
    List<PlannedSample> samples, List<QuarantineRecord> quarantine, List<LedgerEntry> ledger) {
  public static final String JOB = "ingest-fcs";

  public IngestPlan {
    samples = List.copyOf(samples);
    quarantine = List.copyOf(quarantine);
    ledger = List.copyOf(ledger);
  }

  /**
   * Plans an ingest.
   *
   * @param checks every file found under the input, in path order
   * @param relative file path → path relative to the input root (for quarantine sources)
   * @param manifest the parsed manifest
   * @param resolved manifest line → full path of its file, as the checks name files
   * @param knownPatients pseudonymous ids of the patients in the lake, or null to skip that check
   * @param filenamePattern links files the manifest does not name, from their path relative to
   *     the input (named groups {@code patient}, {@code visit}, {@code panel}); null for none
   * @param keywordLink links files the manifest and the pattern do not, by FCS keywords; null
   *     for none
   */
  public static IngestPlan plan(
      List<FileCheck> checks,
      Map<String, String> relative,
      Manifest manifest,
      Map<Integer, String> resolved,
      Set<String> knownPatients,
      CytolakeConfig config,
      Pseudonymizer ids,
      java.util.regex.Pattern filenamePattern,
      KeywordLink keywordLink) {
    List<QuarantineRecord> q = new ArrayList<>(manifest.rejected());
    List<LedgerEntry> ledger = new ArrayList<>();
    List<PlannedSample> samples = new ArrayList<>();
    Map<String, FileCheck> byPath = new LinkedHashMap<>();
    checks.forEach(c -> byPath.put(c.path(), c));

    // 1. manifest rows → the file each links (first row wins); then unlinked files → a link from
    //    their path (filename pattern) or their FCS keywords, where configured
    Map<String, ManifestRow> link = new HashMap<>();
    Map<String, QuarantineReason> rowProblem = new HashMap<>();
    Linker linker =
        (r, path, source, where) ->
            linkRow(
                r, path, source, where, relative, link, rowProblem, knownPatients, config, ids, q);
    for (ManifestRow r : manifest.rows()) {
      String path = resolved.get(r.line());
      if (path != null && !byPath.containsKey(path)) {
        path = null;
      }
      linker.link(r, path, manifest.source(), "manifest line " + r.line());
    }
    for (FileCheck c : checks) {
      if (link.containsKey(c.path()) || rowProblem.containsKey(c.path())) {
        continue;
      }
      String rel = relative.getOrDefault(c.path(), c.path());
      java.util.regex.Matcher m = filenamePattern == null ? null : filenamePattern.matcher(rel);
      Map<String, String> kw = c.linkKeywords();
      ManifestRow r = null;
      String where = null;
      if (m != null && m.find()) {
        r =
            new ManifestRow(
                0, rel, m.group("patient"), m.group("visit"), m.group("panel"), null, null, null);
        where = "file name";
      } else if (keywordLink != null
          && kw.containsKey(keywordLink.patient())
          && kw.containsKey(keywordLink.visit())
          && kw.containsKey(keywordLink.panel())) {
        r =
            new ManifestRow(
                0,
                rel,
                kw.get(keywordLink.patient()),
                kw.get(keywordLink.visit()),
                kw.get(keywordLink.panel()),
                null,
                null,
                null);
        where = "FCS keywords";
      }
      if (r != null) {
        linker.link(r, c.path(), rel, where);
      }
    }

    // 2. every file → one outcome, in manifest order (so the first upload of duplicated bytes
    //    wins), then files linked by name, then the unlinked ones, each in path order
    List<FileCheck> ordered = new ArrayList<>(checks);
    ordered.sort(
        java.util.Comparator.comparingInt(
            (FileCheck c) ->
                !link.containsKey(c.path())
                    ? Integer.MAX_VALUE
                    : link.get(c.path()).line() > 0
                        ? link.get(c.path()).line()
                        : Integer.MAX_VALUE - 1));
    Map<String, String> firstBySha = new HashMap<>();
    Set<String> naturalKeys = new HashSet<>();
    for (FileCheck c : ordered) {
      String rel = relative.getOrDefault(c.path(), c.path());
      ManifestRow r = link.get(c.path());
      Long events =
          c.events() >= 0
              ? Long.valueOf(c.events())
              : c.declaredEvents() >= 0 ? Long.valueOf(c.declaredEvents()) : null;
      QuarantineReason reason;
      String message;
      String field = null;
      String value = null;
      String locator = "file";
      PanelConfig panel = r == null ? null : config.panels().get(r.panel());
      if (r == null) {
        reason = rowProblem.getOrDefault(c.path(), NO_MANIFEST_LINK);
        message =
            reason == NO_MANIFEST_LINK
                ? "file '" + rel + "' has no row in the manifest"
                : "file '"
                    + rel
                    + "' is linked only by a rejected manifest row or file name ("
                    + reason
                    + ")";
      } else if (!c.readable()) {
        reason = QuarantineReason.of(FcsErrorCode.valueOf(c.errorCode()));
        message = c.errorMessage();
        if (c.errorOffset() >= 0) {
          locator = "byte " + c.errorOffset();
        }
      } else if (firstBySha.containsKey(c.sha256())) {
        reason = DUPLICATE_FILE;
        message =
            "file '"
                + rel
                + "' has the same bytes (sha256 "
                + c.sha256().substring(0, Math.min(12, c.sha256().length()))
                + "...) as '"
                + firstBySha.get(c.sha256())
                + "'";
      } else if (c.warnings().contains(TOT_MISMATCH.name())) {
        reason = TOT_MISMATCH;
        message =
            c.warningMessages().stream()
                    .filter(m -> m.startsWith(TOT_MISMATCH.name()))
                    .findFirst()
                    .orElse("$TOT disagrees with the DATA segment")
                + " (file '"
                + rel
                + "')";
        field = "$TOT";
        value = Long.toString(c.declaredEvents());
      } else if (!missingDetectors(c, panel).isEmpty()) {
        reason = RENAMED_CHANNEL;
        List<String> miss = missingDetectors(c, panel);
        message =
            "file '"
                + rel
                + "' lacks detector(s) "
                + miss
                + " of panel "
                + panel.code()
                + " (its channels: "
                + c.detectors()
                + ")";
        field = "$PnN";
        value = String.join(",", miss);
      } else if (panel.spillover().fromFile() && c.spilloverChannels() == null) {
        reason = NO_SPILLOVER;
        message =
            "file '"
                + rel
                + "' has no $SPILLOVER/SPILL/$SPILL keyword, so it cannot be "
                + "compensated";
        field = "$SPILLOVER";
      } else if (panel.spillover().fromFile()
          && !c.detectors().containsAll(c.spilloverChannels())) {
        reason = BAD_SPILLOVER;
        message =
            "file '"
                + rel
                + "': spillover names channels "
                + c.spilloverChannels()
                + " not all in the file "
                + c.detectors();
        field = "$SPILLOVER";
      } else if (!naturalKeys.add(
          r.patientId() + "\u0000" + sampleVisit(r) + "\u0000" + r.panel())) {
        reason = DUPLICATE_SAMPLE;
        message =
            "file '"
                + rel
                + "' is a second file for the same patient, visit "
                + r.visit()
                + " and panel "
                + r.panel()
                + " ("
                + describe(r)
                + ")";
      } else {
        firstBySha.put(c.sha256(), rel);
        String sampleId = ids.sample(r.patientId(), sampleVisit(r), r.panel());
        samples.add(
            new PlannedSample(
                c,
                sampleId,
                ids.patient(r.patientId()),
                r.visit(),
                r.panel(),
                r.acquisitionDate(),
                r.batch(),
                qcWarnings(c, panel),
                r.control()));
        ledger.add(
            new LedgerEntry(
                c.path(), c.size(), c.sha256(), sampleId, r.panel(), "ingested", null, events));
        continue;
      }
      q.add(new QuarantineRecord(JOB, rel, locator, reason, message, field, value, events, null));
      ledger.add(
          new LedgerEntry(
              c.path(),
              c.size(),
              c.sha256(),
              null,
              r == null ? null : r.panel(),
              "quarantined",
              reason.code(),
              events));
    }
    return new IngestPlan(samples, q, ledger);
  }

  /**
   * What names a sample besides its patient and panel: the visit, and for a control aliquot, run
   * in every batch by the same donor, also its acquisition date (or batch) and role, so that each
   * day's training and validation aliquots are samples of their own.
   */
  static String sampleVisit(ManifestRow r) {
    if (!r.isControl()) {
      return r.visit();
    }
    String day = r.acquisitionDate() != null ? r.acquisitionDate() : r.batch();
    return r.visit()
        + "@"
        + day
        + (ManifestRow.VALIDATION.equals(r.control()) ? "#validation" : "");
  }

  /** Quarantine records by reason code, codes in order. */
  public Map<String, Long> quarantineReasons() {
    return quarantine.stream()
        .collect(
            Collectors.groupingBy(
                QuarantineRecord::reasonCode, TreeMap::new, Collectors.counting()));
  }

  /** {@link #linkRow} with the maps and services of one {@link #plan}. */
  private interface Linker {
    void link(ManifestRow r, String path, String source, String where);
  }

  /** Validates one link (a manifest row, or a file name matched by the pattern). */
  private static void linkRow(
      ManifestRow r,
      String path,
      String source,
      String where,
      Map<String, String> relative,
      Map<String, ManifestRow> link,
      Map<String, QuarantineReason> rowProblem,
      Set<String> knownPatients,
      CytolakeConfig config,
      Pseudonymizer ids,
      List<QuarantineRecord> q) {
    String rel = path != null ? relative.getOrDefault(path, r.file()) : r.file();
    if (!config.panels().containsKey(r.panel())) {
      q.add(
          rec(
              source,
              where,
              UNKNOWN_PANEL,
              where
                  + ": panel '"
                  + r.panel()
                  + "' is not in conf/panels.yaml "
                  + config.panels().keySet(),
              "panel",
              r.panel(),
              r));
      mark(rowProblem, path, UNKNOWN_PANEL);
    } else if (!r.isControl() && config.visits().find(r.visit()).isEmpty()) {
      q.add(
          rec(
              source,
              where,
              UNKNOWN_VISIT,
              where
                  + ": visit '"
                  + r.visit()
                  + "' is not in conf/visits.yaml "
                  + config.visits().codes(),
              "visit",
              r.visit(),
              r));
      mark(rowProblem, path, UNKNOWN_VISIT);
    } else if (path == null) {
      q.add(
          rec(
              source,
              where,
              MISSING_FILE,
              where + ": file '" + r.file() + "' is not in the input" + escapeNote(r.file()),
              "file",
              r.file(),
              r));
    } else if (link.containsKey(path)) {
      q.add(
          rec(
              source,
              where,
              DUPLICATE_MANIFEST_ROW,
              where + ": file '" + rel + "' is already linked by " + describe(link.get(path)),
              "file",
              r.file(),
              r));
    } else if (!r.isControl()
        && knownPatients != null
        && !knownPatients.contains(ids.patient(r.patientId()))) {
      q.add(
          rec(
              source,
              where,
              UNKNOWN_PATIENT,
              where + ": patient of file '" + rel + "' is not in the clinical patients table",
              "patient_id",
              null,
              r));
      mark(rowProblem, path, UNKNOWN_PATIENT);
    } else {
      link.put(path, r);
    }
  }

  /**
   * Why a manifest path that names no input file may never do so: it is absolute, or its
   * {@code ..} segments climb out of the manifest's directory. Empty for other paths.
   */
  static String escapeNote(String file) {
    if (file.startsWith("/") || file.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      return " (an absolute path; only files under the input are read)";
    }
    int depth = 0;
    for (String seg : file.split("[/\\\\]+")) {
      depth += seg.equals("..") ? -1 : seg.isEmpty() || seg.equals(".") ? 0 : 1;
      if (depth < 0) {
        return " (its '..' segments lead outside the manifest's directory; only files under the"
            + " input are read)";
      }
    }
    return "";
  }

  private static String describe(ManifestRow r) {
    return r.line() > 0 ? "manifest line " + r.line() : "its file name or keywords";
  }

  private static void mark(
      Map<String, QuarantineReason> problems, String path, QuarantineReason reason) {
    if (path != null) {
      problems.putIfAbsent(path, reason);
    }
  }

  private static QuarantineRecord rec(
      String source,
      String locator,
      QuarantineReason reason,
      String message,
      String field,
      String value,
      ManifestRow r) {
    return new QuarantineRecord(
        JOB,
        source,
        locator,
        reason,
        message,
        field,
        value,
        null,
        String.join(
            ",",
            r.file(),
            r.patientId(),
            r.visit(),
            r.panel(),
            r.acquisitionDate() == null ? "" : r.acquisitionDate(),
            r.batch() == null ? "" : r.batch()));
  }

  private static List<String> missingDetectors(FileCheck c, PanelConfig panel) {
    return panel.detectors().stream().filter(d -> !c.detectors().contains(d)).toList();
  }

  private static List<String> qcWarnings(FileCheck c, PanelConfig panel) {
    List<String> w = new ArrayList<>(new java.util.LinkedHashSet<>(c.warnings()));
    for (ChannelConfig ch : panel.channels()) {
      int i = c.detectors().indexOf(ch.detector());
      String label = c.labels().get(i);
      if (ch.marker() != null && label != null && !norm(label).equals(norm(ch.marker()))) {
        w.add("LABEL_MISMATCH:" + ch.detector() + "=" + label);
      }
    }
    return w;
  }

  private static String norm(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }
}
