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
 * @param control null for a trial patient's sample, else the role of a control aliquot (manifest
 *     column {@code control}: a sample of one control donor run in every batch for batch
 *     normalisation): {@link #TRAINING} (normalisation learns from it) or {@link #VALIDATION} (held
 *     out: normalised like a sample, to measure what normalisation left)
 */
public record ManifestRow(
    int line,
    String file,
    String patientId,
    String visit,
    String panel,
    String acquisitionDate,
    String batch,
    String control) {

  /** The role of a control aliquot that normalisation learns from. */
  public static final String TRAINING = "training";

  /** The role of a held-out control aliquot, normalised like a sample. */
  public static final String VALIDATION = "validation";

  /** The values of the manifest column {@code control} that mark a training control. */
  public static final java.util.Set<String> CONTROL_YES =
      java.util.Set.of("true", "yes", "1", TRAINING);

  /** The values that mark a patient sample; an empty field is one too. */
  public static final java.util.Set<String> CONTROL_NO = java.util.Set.of("false", "no", "0");

  /** Whether the row is a control aliquot (training or validation), not a patient's sample. */
  public boolean isControl() {
    return control != null;
  }

  /**
   * The role a manifest {@code control} value gives (case-insensitive): {@link #TRAINING}, {@link
   * #VALIDATION}, null for a patient sample, or {@code "?"} for a value that is none of them.
   */
  public static String role(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT);
    if (v.isEmpty() || CONTROL_NO.contains(v)) {
      return null;
    }
    if (CONTROL_YES.contains(v)) {
      return TRAINING;
    }
    return v.equals(VALIDATION) ? VALIDATION : "?";
  }
}
