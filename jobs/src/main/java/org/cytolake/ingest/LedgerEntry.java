package org.cytolake.ingest;

/**
 * The fate of one input file in one run (a row of the restricted {@code ingest_ledger}).
 *
 * @param path full path
 * @param size bytes
 * @param sha256 content hash
 * @param sampleId sample it became, or null
 * @param panel panel from the manifest, or null
 * @param outcome {@code ingested} or {@code quarantined}
 * @param reasonCode quarantine reason, or null
 * @param events events read from it (or in it), or null when unknown
 */
public record LedgerEntry(
    String path,
    long size,
    String sha256,
    String sampleId,
    String panel,
    String outcome,
    String reasonCode,
    Long events) {}
