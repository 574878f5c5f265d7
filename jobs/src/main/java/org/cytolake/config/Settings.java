package org.cytolake.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.cytolake.qc.QcParams;
import org.cytolake.qc.QcReason;

/**
 * The scalar settings of {@code conf/cytolake.yaml}: every key is declared here once with its
 * default and one line of meaning; unknown keys and bad values are configuration errors.
 */
public final class Settings {
  /** What values a key takes; each type has one validator ({@link #of}). */
  public enum Type {
    /** Any text. */
    TEXT,
    /** A whole number greater than 0. */
    POSITIVE_LONG,
    /** A decimal number from 0 to 1. */
    FRACTION,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** A whole number of 0 or more. */
    NON_NEGATIVE_LONG,
    /** A finite decimal number greater than 0. */
    POSITIVE_NUMBER
  }

  /** A declared key. */
  public record Key(String name, String defaultValue, Type type, String meaning) {
    /** A text key. */
    public Key(String name, String defaultValue, String meaning) {
      this(name, defaultValue, Type.TEXT, meaning);
    }
  }

  public static final Key PSEUDONYM_SALT_ENV =
      new Key(
          "pseudonymisation.salt-env",
          "CYTOLAKE_PSEUDONYM_SALT",
          "environment variable holding the pseudonymisation key (salt)");
  public static final Key INGEST_SPLIT_BYTES =
      new Key(
          "ingest.split-bytes",
          "134217728",
          Type.POSITIVE_LONG,
          "an FCS DATA segment larger than this many bytes is read by several tasks");
  public static final Key INGEST_MAX_RECORDS_PER_FILE =
      new Key(
          "ingest.max-records-per-file",
          "5000000",
          Type.POSITIVE_LONG,
          "rows per Parquet file of the events tables");

  public static final Key INGEST_FILENAME_PATTERN =
      new Key(
          "ingest.filename-pattern",
          "",
          "regex with named groups patient, visit, panel that links FCS files the manifest does not "
              + "name, from their path relative to the input (empty: manifest only)");

  public static final Key INGEST_KEYWORD_LINK =
      new Key(
          "ingest.keyword-link",
          "",
          "FCS keywords that link FCS files the manifest does not name, as "
              + "patient=KEYWORD,visit=KEYWORD,panel=KEYWORD (empty: not used)");

  public static final Key GATING_MIN_EVENTS =
      new Key(
          "gating.min-events",
          "50",
          Type.POSITIVE_LONG,
          "gate: a population with fewer events than this in a sample is flagged LOW_COUNT in "
              + "gating_qc");

  public static final Key INGEST_MAX_QUARANTINED_FRACTION =
      new Key(
          "ingest.max-quarantined-fraction",
          "0.5",
          Type.FRACTION,
          "nightly: a run whose quarantined share of input files, FCS events or clinical records "
              + "exceeds this ends 'degraded' (exit status 5) instead of 'succeeded'");

  public static final Key LAKE_ACCEPT_NON_ATOMIC_RENAME =
      new Key(
          "lake.accept-non-atomic-rename",
          "false",
          Type.BOOLEAN,
          "publish to a lake on a file system whose renames are not atomic (s3a, gs, wasb, ...): "
              + "readers may then see half-published tables; false refuses such a lake");

  public static final Key REPORT_PRIMARY_PANEL =
      new Key(
          "report.primary-panel",
          "P1",
          "report: the panel of the primary population, plotted per cohort and visit and first in "
              + "the cohort summary");
  public static final Key REPORT_PRIMARY_POPULATION =
      new Key(
          "report.primary-population",
          "CD4/Treg",
          "report: the primary population, a path of conf/gating/<panel>.yaml (or its "
              + "last segments), plotted as % of its parent; titles name both");

  public static final Key REPORT_EMBEDDING_PER_SAMPLE =
      new Key(
          "report.embedding-per-sample",
          "100",
          Type.POSITIVE_LONG,
          "report: events per sample of each clustered panel's UMAP in the cluster pictures, "
              + "redrawn with every report (UMAP costs about 1 ms of CPU per event; "
              + "plot-clusters --kind embedding takes --per-sample, default 1000)");

  public static final Key REPORT_EMBEDDING_MAX_EVENTS =
      new Key(
          "report.embedding-max-events",
          "10000",
          Type.POSITIVE_LONG,
          "report: at most this many events in each panel's UMAP: with many samples each gives "
              + "fewer than report.embedding-per-sample (at least 1), so the report's cost does "
              + "not grow with the number of samples (46,700 events took 25 s)");

  public static final Key REPORT_EMBEDDING_EPOCHS =
      new Key(
          "report.embedding-epochs",
          "200",
          Type.NON_NEGATIVE_LONG,
          "report: UMAP's optimisation epochs for the cluster pictures; 0 follows umap-learn "
              + "(500 up to 10,000 events, 200 above). 200 instead of 500 draws a picture 2.4x "
              + "faster with about the same neighbourhoods (BENCHMARKS.md)");

  public static final Key QC_ENABLED =
      new Key(
          "qc.enabled",
          "true",
          Type.BOOLEAN,
          "ingest-fcs: run acquisition QC (org.cytolake.qc) on every new or changed file and set "
              + "events.qc_flag and sample_qc; false writes qc_flag 0 and sample_qc status DISABLED");
  public static final Key QC_EVENTS_PER_BIN =
      new Key(
          "qc.events-per-bin",
          String.valueOf(QcParams.EVENTS_PER_BIN_DEFAULT),
          Type.POSITIVE_LONG,
          "acquisition QC: target events per bin (consecutive events in acquisition order)");
  public static final Key QC_MIN_EVENTS_PER_BIN =
      new Key(
          "qc.min-events-per-bin",
          String.valueOf(QcParams.MIN_EVENTS_PER_BIN_DEFAULT),
          Type.POSITIVE_LONG,
          "acquisition QC: smallest bin a small file may use to reach qc.min-bins (PeacoQC's "
              + "min_cells)");
  public static final Key QC_MIN_BINS =
      new Key(
          "qc.min-bins",
          String.valueOf(QcParams.MIN_BINS_DEFAULT),
          Type.POSITIVE_LONG,
          "acquisition QC: fewest bins for the time checks; a smaller file is TOO_SMALL (margins "
              + "only)");
  public static final Key QC_MAD_MULTIPLIER =
      new Key(
          "qc.mad-multiplier",
          "6",
          Type.POSITIVE_NUMBER,
          "acquisition QC: a bin is anomalous outside median ± k·MAD over bins (PeacoQC's MAD)");
  public static final Key QC_CONSECUTIVE_BINS =
      new Key(
          "qc.consecutive-bins",
          String.valueOf(QcParams.CONSECUTIVE_BINS_DEFAULT),
          Type.NON_NEGATIVE_LONG,
          "acquisition QC: fewer good bins than this between two anomalous bins are flagged too "
              + "(0: off; PeacoQC's consecutive_bins)");
  public static final Key QC_QUANTILES =
      new Key(
          "qc.quantiles",
          "0.5",
          "acquisition QC: the per-bin signal statistics, quantiles in (0, 1) separated by commas");
  public static final Key QC_CHECKS =
      new Key(
          "qc.checks",
          "flow-rate,signal,margin",
          "acquisition QC: the checks that run, of flow-rate, signal, margin, separated by commas");
  public static final Key QC_USE_FLAGGED_EVENTS =
      new Key(
          "qc.use-flagged-events",
          "false",
          Type.BOOLEAN,
          "gate, cluster (and so aggregate) and evaluate: false reads only events with qc_flag 0; "
              + "true reads every event, flagged or not");
  public static final Key QC_WARN_SHARE =
      new Key(
          "qc.warn-share",
          "0.05",
          Type.FRACTION,
          "nightly: a sample with a larger share of its events flagged by acquisition QC is a "
              + "warning of the run (runs.warnings)");

  /** Deprecated name of {@link #REPORT_PRIMARY_PANEL}, read when that is not set. */
  public static final Key REPORT_TREG_PANEL =
      new Key(
          "report.treg-panel",
          "P1",
          "deprecated: the old name of report.primary-panel, used when that is not set");

  /** Deprecated name of {@link #REPORT_PRIMARY_POPULATION}, read when that is not set. */
  public static final Key REPORT_TREG_POPULATION =
      new Key(
          "report.treg-population",
          "CD4/Treg",
          "deprecated: the old name of report.primary-population, used when that is not set");

  /** All keys, in documentation order. */
  public static final List<Key> KEYS =
      List.of(
          PSEUDONYM_SALT_ENV,
          INGEST_SPLIT_BYTES,
          INGEST_MAX_RECORDS_PER_FILE,
          INGEST_FILENAME_PATTERN,
          INGEST_KEYWORD_LINK,
          INGEST_MAX_QUARANTINED_FRACTION,
          LAKE_ACCEPT_NON_ATOMIC_RENAME,
          GATING_MIN_EVENTS,
          QC_ENABLED,
          QC_EVENTS_PER_BIN,
          QC_MIN_EVENTS_PER_BIN,
          QC_MIN_BINS,
          QC_MAD_MULTIPLIER,
          QC_CONSECUTIVE_BINS,
          QC_QUANTILES,
          QC_CHECKS,
          QC_USE_FLAGGED_EVENTS,
          QC_WARN_SHARE,
          REPORT_PRIMARY_PANEL,
          REPORT_PRIMARY_POPULATION,
          REPORT_EMBEDDING_PER_SAMPLE,
          REPORT_EMBEDDING_MAX_EVENTS,
          REPORT_EMBEDDING_EPOCHS,
          REPORT_TREG_PANEL,
          REPORT_TREG_POPULATION);

  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** Defaults only. */
  public static Settings defaults() {
    return new Settings(Map.of());
  }

  /** Validates raw values (from one file), adding problems as "FILE: key: reason". */
  static Settings of(String file, Map<String, String> raw, List<String> problems) {
    Map<String, String> ok = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(raw).entrySet()) {
      Key k = KEYS.stream().filter(x -> x.name().equals(e.getKey())).findFirst().orElse(null);
      if (k == null) {
        problems.add(
            file
                + ": "
                + e.getKey()
                + ": unknown key (known: "
                + KEYS.stream().map(Key::name).toList()
                + ")");
        continue;
      }
      String problem = problem(k, e.getValue().trim());
      if (problem != null) {
        problems.add(file + ": " + k.name() + ": " + problem);
        continue;
      }
      if (k == INGEST_FILENAME_PATTERN && !e.getValue().isBlank()) {
        try {
          java.util.regex.Pattern p = java.util.regex.Pattern.compile(e.getValue());
          for (String g : List.of("patient", "visit", "panel")) {
            if (!p.pattern().contains("(?<" + g + ">")) {
              problems.add(file + ": " + k.name() + ": needs a named group (?<" + g + ">...)");
            }
          }
        } catch (java.util.regex.PatternSyntaxException x) {
          problems.add(
              file
                  + ": "
                  + k.name()
                  + ": not a regular expression: "
                  + x.getDescription()
                  + " near index "
                  + x.getIndex());
          continue;
        }
      }
      if (k == INGEST_KEYWORD_LINK && !e.getValue().isBlank()) {
        try {
          KeywordLink.parse(e.getValue());
        } catch (IllegalArgumentException x) {
          problems.add(file + ": " + k.name() + ": " + x.getMessage());
          continue;
        }
      }
      ok.put(k.name(), e.getValue().trim());
    }
    Settings settings = new Settings(ok);
    try {
      settings.qcParams();
    } catch (IllegalArgumentException x) {
      problems.add(file + ": qc.*: " + x.getMessage());
    }
    return settings;
  }

  /** What is wrong with {@code value} for a key of its type, or null. */
  private static String problem(Key k, String value) {
    switch (k.type()) {
      case POSITIVE_LONG -> {
        try {
          return Long.parseLong(value) <= 0 ? "must be positive, not " + value : null;
        } catch (NumberFormatException x) {
          return "must be a whole number, not '" + value + "'";
        }
      }
      case FRACTION -> {
        try {
          double d = Double.parseDouble(value);
          return d >= 0 && d <= 1 ? null : "must be a fraction from 0 to 1, not " + value;
        } catch (NumberFormatException x) {
          return "must be a fraction from 0 to 1, not '" + value + "'";
        }
      }
      case NON_NEGATIVE_LONG -> {
        try {
          return Long.parseLong(value) < 0 ? "must be 0 or more, not " + value : null;
        } catch (NumberFormatException x) {
          return "must be a whole number, not '" + value + "'";
        }
      }
      case POSITIVE_NUMBER -> {
        try {
          double d = Double.parseDouble(value);
          return Double.isFinite(d) && d > 0 ? null : "must be a number > 0, not " + value;
        } catch (NumberFormatException x) {
          return "must be a number > 0, not '" + value + "'";
        }
      }
      case BOOLEAN -> {
        return value.equals("true") || value.equals("false")
            ? null
            : "must be true or false, not '" + value + "'";
      }
      default -> {
        return null;
      }
    }
  }

  public String get(Key key) {
    return values.getOrDefault(key.name(), key.defaultValue());
  }

  /**
   * The value of {@code key}; when it is not set but its deprecated old name {@code oldName} is,
   * the old name's value.
   */
  public String get(Key key, Key oldName) {
    return !values.containsKey(key.name()) && values.containsKey(oldName.name())
        ? values.get(oldName.name())
        : get(key);
  }

  public long getLong(Key key) {
    return Long.parseLong(get(key));
  }

  public double getDouble(Key key) {
    return Double.parseDouble(get(key));
  }

  public boolean getBoolean(Key key) {
    return Boolean.parseBoolean(get(key));
  }

  /**
   * The acquisition QC parameters of the {@code qc.*} keys (channels and Time detected per file).
   *
   * @throws IllegalArgumentException naming every bad value at once (checked at load)
   */
  public QcParams qcParams() {
    List<String> problems = new ArrayList<>();
    List<Double> quantiles = new ArrayList<>();
    for (String q : get(QC_QUANTILES).split(",")) {
      try {
        quantiles.add(Double.parseDouble(q.trim()));
      } catch (NumberFormatException x) {
        problems.add(QC_QUANTILES.name() + ": not a number: '" + q.trim() + "'");
      }
    }
    Set<QcReason> checks = EnumSet.noneOf(QcReason.class);
    for (String c : get(QC_CHECKS).split(",")) {
      String name = c.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      try {
        checks.add(QcReason.valueOf(name));
      } catch (IllegalArgumentException x) {
        problems.add(
            QC_CHECKS.name()
                + ": unknown check '"
                + c.trim()
                + "' (known: flow-rate, signal, margin)");
      }
    }
    QcParams params = null;
    try {
      params =
          new QcParams(
              (int) Math.min(Integer.MAX_VALUE, getLong(QC_EVENTS_PER_BIN)),
              (int) Math.min(Integer.MAX_VALUE, getLong(QC_MIN_EVENTS_PER_BIN)),
              (int) Math.min(Integer.MAX_VALUE, getLong(QC_MIN_BINS)),
              getDouble(QC_MAD_MULTIPLIER),
              (int) Math.min(Integer.MAX_VALUE, getLong(QC_CONSECUTIVE_BINS)),
              quantiles.isEmpty() ? QcParams.QUANTILES_DEFAULT : quantiles,
              List.of(),
              null,
              checks.isEmpty() ? EnumSet.allOf(QcReason.class) : checks);
    } catch (IllegalArgumentException x) {
      problems.add(x.getMessage().replaceFirst("^Cannot create acquisition QC parameters: ", ""));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot create acquisition QC parameters: " + String.join("; ", problems));
    }
    return params;
  }

  /** {@link #INGEST_KEYWORD_LINK}, parsed (checked at load); null when the setting is blank. */
  public KeywordLink keywordLink() {
    String spec = get(INGEST_KEYWORD_LINK);
    return spec.isBlank() ? null : KeywordLink.parse(spec);
  }
}
