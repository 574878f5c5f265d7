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
 * @param control whether the row is a control aliquot (manifest column {@code control}: a sample of
 *     one control donor run in every batch for batch normalisation, not a trial patient's sample)
 */
public record ManifestRow(
    int line,
    String file,
    String patientId,
    String visit,
    String panel,
    String acquisitionDate,
    String batch,
    boolean control) {

  /** A patient sample's row (not a control). */
  public ManifestRow(
      int line,
      String file,
      String patientId,
      String visit,
      String panel,
      String acquisitionDate,
      String batch) {
    this(line, file, patientId, visit, panel, acquisitionDate, batch, false);
  }

  /** The values of the manifest column {@code control} that mark a control (case-insensitive). */
  public static final java.util.Set<String> CONTROL_YES = java.util.Set.of("true", "yes", "1");

  /** The values that mark a patient sample; an empty field is one too. */
  public static final java.util.Set<String> CONTROL_NO = java.util.Set.of("false", "no", "0");
}
