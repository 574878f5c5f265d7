package org.cytolake.clinical;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The SDTM domains ingest-clinical reads, each from {@code <stem>.csv} or {@code <stem>.jsonl}
 * into one lake table. Required columns must be in a CSV header and non-empty in every record;
 * optional columns may be absent. Any other column is ignored (and reported once). The key, where
 * there is one, is unique among accepted records.
 */
public enum ClinicalDomain {
  DM(
      "dm",
      "patients",
      List.of("USUBJID", "DISEASE"),
      List.of(
          "STUDYID", "DOMAIN", "SUBJID", "SITEID", "RFSTDTC", "BRTHDTC", "AGE", "AGEU", "SEX",
          "RACE", "ARM", "NAME"),
      List.of("USUBJID")),
  SV(
      "sv",
      "visits",
      List.of("USUBJID", "VISIT"),
      List.of("VISITNUM", "SVSTDTC", "VISITDY"),
      List.of("USUBJID", "VISIT")),
  EX(
      "ex",
      "dosing",
      List.of("USUBJID", "EXTRT"),
      List.of("EXDOSE", "EXDOSU", "EXROUTE", "EXSTDTC", "EXSTDY", "VISIT"),
      List.of("USUBJID", "EXTRT", "EXSTDTC")),
  QS(
      "qs",
      "disease_scores",
      List.of("USUBJID", "QSTESTCD", "VISIT"),
      List.of("QSTEST", "QSSTRESN", "QSSTRESU", "VISITNUM", "QSDTC", "QSDY"),
      List.of("USUBJID", "QSTESTCD", "VISIT")),
  LB(
      "lb",
      "labs",
      List.of("USUBJID", "LBTESTCD", "VISIT"),
      List.of(
          "LBTEST", "LBSTRESN", "LBSTRESU", "LBSTNRLO", "LBSTNRHI", "VISITNUM", "LBDTC", "LBDY"),
      List.of("USUBJID", "LBTESTCD", "VISIT")),
  AE(
      "ae",
      "adverse_events",
      List.of("USUBJID", "AESEQ", "AETERM"),
      List.of("AEDECOD", "AETOXGR", "AESER", "AEREL", "AESTDTC", "AESTDY", "AEENDTC"),
      List.of("USUBJID", "AESEQ"));

  private final String stem;
  private final String table;
  private final List<String> required;
  private final List<String> optional;
  private final List<String> key;

  ClinicalDomain(
      String stem, String table, List<String> required, List<String> optional, List<String> key) {
    this.stem = stem;
    this.table = table;
    this.required = required;
    this.optional = optional;
    this.key = key;
  }

  /** File name without extension, e.g. {@code dm}. */
  public String stem() {
    return stem;
  }

  /** The lake table it becomes. */
  public String table() {
    return table;
  }

  /** Columns that must be present and non-empty. */
  public List<String> required() {
    return required;
  }

  /** Columns read when present. */
  public List<String> optional() {
    return optional;
  }

  /** Columns whose values identify a record (DUPLICATE_RECORD); a null key part skips the check. */
  public List<String> key() {
    return key;
  }

  /** Required and optional columns, in declaration order. */
  public Set<String> known() {
    Set<String> s = new LinkedHashSet<>(required);
    s.addAll(optional);
    return s;
  }

  public boolean isRequired(String column) {
    return required.contains(column);
  }
}
