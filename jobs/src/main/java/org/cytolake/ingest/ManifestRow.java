package org.cytolake.ingest;

/**
 * One row of a sample manifest: which file holds which patient, visit and panel.
 *
 * @param line 1-based line in the manifest (the header is line 1)
 * @param file path as written (relative paths resolve against the manifest's directory)
 * @param patientId raw patient id (identifying; pseudonymised before any analyst table)
 * @param visit visit code
 * @param panel panel code
 * @param acquisitionDate ISO date or null
 * @param batch batch label or null
 */
public record ManifestRow(
    int line,
    String file,
    String patientId,
    String visit,
    String panel,
    String acquisitionDate,
    String batch) {}
