package org.cytolake.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cytolake.clinical.DomainCount;

/**
 * What a run of {@link IngestClinicalJob} did: per domain, records in, accepted (= rows written)
 * and rejected; the quarantine by reason; where the run summary is.
 *
 * @param runId the run
 * @param domains counts per domain, DM first
 * @param rejectedByReason quarantine rows by reason code
 * @param quarantineRows quarantine rows written for this job
 * @param developmentSalt whether pseudonyms used the built-in development salt
 * @param summaryPath the JSON run summary
 */
public record IngestClinicalResult(
    String runId,
    List<DomainCount> domains,
    Map<String, Long> rejectedByReason,
    long quarantineRows,
    boolean developmentSalt,
    String summaryPath) {
  public IngestClinicalResult {
    domains = List.copyOf(domains);
    rejectedByReason = Map.copyOf(rejectedByReason);
  }

  public long recordsIn() {
    return domains.stream().mapToLong(DomainCount::recordsIn).sum();
  }

  public long accepted() {
    return domains.stream().mapToLong(DomainCount::accepted).sum();
  }

  public long rejected() {
    return domains.stream().mapToLong(DomainCount::rejected).sum();
  }

  /** The reconciliation, one line per domain after a total line. */
  public List<String> summaryLines() {
    List<String> out = new ArrayList<>();
    out.add(
        "ingest-clinical run "
            + runId
            + ": "
            + recordsIn()
            + " records in = "
            + accepted()
            + " accepted + "
            + rejected()
            + " rejected ("
            + quarantineRows
            + " quarantine rows)");
    for (DomainCount d : domains) {
      out.add("  " + d.summary());
    }
    if (!rejectedByReason.isEmpty()) {
      out.add("  quarantined by reason: " + new java.util.TreeMap<>(rejectedByReason));
    }
    if (developmentSalt) {
      out.add("  WARNING: pseudonyms use the development salt; not for real patient data");
    }
    out.add("  run summary: " + summaryPath);
    return out;
  }
}
