package org.cytolake.clinical;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.cytolake.tables.QuarantineRecord;

/**
 * What one validation of a clinical input produced: the accepted records of each domain (in file
 * order, pseudonymised), the quarantine, and each domain's counts. Constructing one checks that
 * the counts reconcile (records in = accepted + rejected, accepted = records listed, quarantine
 * rows = rows listed) and fails otherwise: nothing is dropped silently.
 */
public record ClinicalBatch(
    List<PatientRecord> patients,
    List<VisitRecord> visits,
    List<DoseRecord> doses,
    List<ScoreRecord> scores,
    List<LabRecord> labs,
    List<AdverseEventRecord> adverseEvents,
    List<QuarantineRecord> quarantine,
    List<DomainCount> counts) {

  public ClinicalBatch {
    patients = List.copyOf(patients);
    visits = List.copyOf(visits);
    doses = List.copyOf(doses);
    scores = List.copyOf(scores);
    labs = List.copyOf(labs);
    adverseEvents = List.copyOf(adverseEvents);
    quarantine = List.copyOf(quarantine);
    counts = List.copyOf(counts);
    reconcile(
        counts,
        quarantine,
        Map.of(
            ClinicalDomain.DM,
            patients.size(),
            ClinicalDomain.SV,
            visits.size(),
            ClinicalDomain.EX,
            doses.size(),
            ClinicalDomain.QS,
            scores.size(),
            ClinicalDomain.LB,
            labs.size(),
            ClinicalDomain.AE,
            adverseEvents.size()));
  }

  /** The counts of one domain. */
  public DomainCount count(ClinicalDomain domain) {
    return counts.stream()
        .filter(c -> c.domain() == domain)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No counts for " + domain));
  }

  /** Quarantine rows by reason code. */
  public Map<String, Long> rejectedByReason() {
    return quarantine.stream()
        .collect(
            Collectors.groupingBy(
                QuarantineRecord::reasonCode, java.util.TreeMap::new, Collectors.counting()));
  }

  private static void reconcile(
      List<DomainCount> counts,
      List<QuarantineRecord> quarantine,
      Map<ClinicalDomain, Integer> listed) {
    for (ClinicalDomain d : ClinicalDomain.values()) {
      DomainCount c =
          counts.stream()
              .filter(x -> x.domain() == d)
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("Cannot reconcile: no counts for " + d));
      long rows = quarantine.stream().filter(q -> q.source().equals(c.source())).count();
      if (!c.reconciles() || c.accepted() != listed.get(d) || c.quarantineRows() != rows) {
        throw new IllegalStateException(
            "Cannot reconcile "
                + c.source()
                + ": "
                + c.recordsIn()
                + " records in, "
                + c.accepted()
                + " accepted ("
                + listed.get(d)
                + " listed) + "
                + c.rejected()
                + " rejected, "
                + c.quarantineRows()
                + " quarantine rows ("
                + rows
                + " listed)");
      }
    }
  }
}
