package org.cytolake.ingest;

import java.util.Locale;
import org.cytolake.tables.QuarantineRecord;

/**
 * The counts of one ingest-fcs run that must balance: events in = events written + events
 * unchanged + events quarantined, events written = the changed samples' events, and files found
 * = samples + quarantined files.
 *
 * @param runId the run
 * @param eventsIn events of every file found (as the ledger counts them)
 * @param eventsWritten events that landed in the events tables
 * @param eventsExpected events of the changed samples
 * @param eventsUnchanged events of the unchanged samples, not read again
 * @param eventsQuarantined events of the quarantined files
 * @param files files found
 * @param samples samples accepted
 * @param filesQuarantined files quarantined
 */
public record Reconciliation(
    String runId,
    long eventsIn,
    long eventsWritten,
    long eventsExpected,
    long eventsUnchanged,
    long eventsQuarantined,
    int files,
    int samples,
    int filesQuarantined) {

  /** The counts of a run that found {@code files} files and wrote {@code eventsWritten}. */
  public static Reconciliation of(
      String runId, int files, IngestPlan plan, IngestDelta delta, long eventsWritten) {
    long in = 0;
    for (LedgerEntry l : plan.ledger()) {
      in += l.events() == null ? 0 : l.events();
    }
    long quarantined =
        plan.quarantine().stream()
            .filter(q -> q.events() != null)
            .mapToLong(QuarantineRecord::events)
            .sum();
    int filesQuarantined =
        (int) plan.ledger().stream().filter(l -> l.outcome().equals("quarantined")).count();
    return new Reconciliation(
        runId,
        in,
        eventsWritten,
        delta.eventsChanged(),
        delta.eventsUnchanged(),
        quarantined,
        files,
        plan.samples().size(),
        filesQuarantined);
  }

  /** Whether the counts balance. */
  public boolean balances() {
    return eventsWritten == eventsExpected
        && eventsIn == eventsWritten + eventsUnchanged + eventsQuarantined
        && files == samples + filesQuarantined;
  }

  /** The balance in words: "events in … = written … + unchanged … + quarantined …; files …". */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "events in %d = written %d + unchanged %d + quarantined %d; files %d = samples %d + "
            + "quarantined %d",
        eventsIn,
        eventsWritten,
        eventsUnchanged,
        eventsQuarantined,
        files,
        samples,
        filesQuarantined);
  }

  /**
   * This, when the counts balance.
   *
   * @throws IllegalStateException saying every count, when they do not
   */
  public Reconciliation check() {
    if (!balances()) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "ingest-fcs %s does not "
                  + "reconcile: events in %d, written %d (expected %d), unchanged %d, quarantined %d; "
                  + "files %d, samples %d, quarantined files %d",
              runId,
              eventsIn,
              eventsWritten,
              eventsExpected,
              eventsUnchanged,
              eventsQuarantined,
              files,
              samples,
              filesQuarantined));
    }
    return this;
  }
}
