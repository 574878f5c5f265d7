package org.cytolake.clinical;

import java.util.List;

/**
 * The reconciliation of one domain: records in = accepted + rejected.
 *
 * @param domain the domain
 * @param source the file read (e.g. {@code clinical/qs.csv}), or the CSV name when absent
 * @param present whether a file was found
 * @param recordsIn records in the file (the header and blank lines are not records)
 * @param accepted records that reach the lake table
 * @param rejected records in quarantine; a file rejected as a whole rejects all its records
 * @param quarantineRows quarantine rows written (one for a file rejected as a whole)
 * @param extraColumns columns of the file that ingest-clinical does not use
 */
public record DomainCount(
    ClinicalDomain domain,
    String source,
    boolean present,
    long recordsIn,
    long accepted,
    long rejected,
    long quarantineRows,
    List<String> extraColumns) {
  public DomainCount {
    extraColumns = List.copyOf(extraColumns);
  }

  /** Whether records in = accepted + rejected. */
  public boolean reconciles() {
    return recordsIn == accepted + rejected;
  }

  /** One line: {@code clinical/qs.csv -> disease_scores: 120 in = 117 accepted + 3 rejected}. */
  public String summary() {
    if (!present) {
      return source
          + " -> "
          + domain.table()
          + ": absent (no "
          + domain.stem()
          + ".csv or "
          + domain.stem()
          + ".jsonl), 0 records";
    }
    return source
        + " -> "
        + domain.table()
        + ": "
        + recordsIn
        + " in = "
        + accepted
        + " accepted + "
        + rejected
        + " rejected";
  }
}
