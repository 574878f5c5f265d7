package org.cytolake.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scalar settings of {@code conf/cytolake.yaml}: every key is declared here once with its
 * default and one line of meaning; unknown keys and bad values are configuration errors.
 */
public final class Settings {
  /** A declared key. */
  public record Key(String name, String defaultValue, String meaning) {}

  public static final Key PSEUDONYM_SALT_ENV = new Key("pseudonymisation.salt-env",
      "CYTOLAKE_PSEUDONYM_SALT", "environment variable holding the pseudonymisation key (salt)");
  public static final Key INGEST_SPLIT_BYTES = new Key("ingest.split-bytes", "134217728",
      "an FCS DATA segment larger than this many bytes is read by several tasks");
  public static final Key INGEST_MAX_RECORDS_PER_FILE = new Key("ingest.max-records-per-file",
      "5000000", "rows per Parquet file of the events tables");

  public static final Key INGEST_FILENAME_PATTERN = new Key("ingest.filename-pattern", "",
      "regex with named groups patient, visit, panel that links FCS files the manifest does not "
          + "name, from their path relative to the input (empty: manifest only)");

  public static final Key INGEST_KEYWORD_LINK = new Key("ingest.keyword-link", "",
      "FCS keywords that link FCS files the manifest does not name, as "
          + "patient=KEYWORD,visit=KEYWORD,panel=KEYWORD (empty: not used)");

  public static final Key GATING_MIN_EVENTS = new Key("gating.min-events", "50",
      "gate: a population with fewer events than this in a sample is flagged LOW_COUNT in "
          + "gating_qc");

  public static final Key REPORT_PRIMARY_PANEL = new Key("report.primary-panel", "P1",
      "report: the panel of the primary population, plotted per cohort and visit and first in "
          + "the cohort summary");
  public static final Key REPORT_PRIMARY_POPULATION = new Key("report.primary-population",
      "CD4/Treg", "report: the primary population, a path of conf/gating/<panel>.yaml (or its "
          + "last segments), plotted as % of its parent; titles name both");
  /** Deprecated name of {@link #REPORT_PRIMARY_PANEL}, read when that is not set. */
  public static final Key REPORT_TREG_PANEL = new Key("report.treg-panel", "P1",
      "deprecated: the old name of report.primary-panel, used when that is not set");
  /** Deprecated name of {@link #REPORT_PRIMARY_POPULATION}, read when that is not set. */
  public static final Key REPORT_TREG_POPULATION = new Key("report.treg-population", "CD4/Treg",
      "deprecated: the old name of report.primary-population, used when that is not set");

  /** All keys, in documentation order. */
  public static final List<Key> KEYS = List.of(PSEUDONYM_SALT_ENV, INGEST_SPLIT_BYTES,
      INGEST_MAX_RECORDS_PER_FILE, INGEST_FILENAME_PATTERN, INGEST_KEYWORD_LINK, GATING_MIN_EVENTS,
      REPORT_PRIMARY_PANEL, REPORT_PRIMARY_POPULATION, REPORT_TREG_PANEL, REPORT_TREG_POPULATION);

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
        problems.add(file + ": " + e.getKey() + ": unknown key (known: "
            + KEYS.stream().map(Key::name).toList() + ")");
        continue;
      }
      if (!k.defaultValue().isEmpty() && k.defaultValue().chars().allMatch(Character::isDigit)) {
        try {
          if (Long.parseLong(e.getValue().trim()) <= 0) {
            problems.add(file + ": " + k.name() + ": must be positive, not " + e.getValue());
            continue;
          }
        } catch (NumberFormatException x) {
          problems.add(file + ": " + k.name() + ": must be a whole number, not '" + e.getValue()
              + "'");
          continue;
        }
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
          problems.add(file + ": " + k.name() + ": not a regular expression: "
              + x.getDescription() + " near index " + x.getIndex());
          continue;
        }
      }
      if (k == INGEST_KEYWORD_LINK && !e.getValue().isBlank()) {
        try {
          org.cytolake.ingest.KeywordLink.parse(e.getValue());
        } catch (IllegalArgumentException x) {
          problems.add(file + ": " + k.name() + ": " + x.getMessage());
          continue;
        }
      }
      ok.put(k.name(), e.getValue().trim());
    }
    return new Settings(ok);
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
        ? values.get(oldName.name()) : get(key);
  }

  public long getLong(Key key) {
    return Long.parseLong(get(key));
  }
}
