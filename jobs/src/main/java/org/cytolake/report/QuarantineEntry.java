package org.cytolake.report;

import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.cytolake.tables.Pseudonymizer;

/**
 * One quarantined input as analysts may see it. The {@code quarantine} table is restricted: its
 * {@code source} is a file path that may hold a raw patient id (the generator names files
 * {@code <patient>_<visit>_<panel>.fcs}), and its message, value and record may quote names or
 * birth dates. So the report shows only the job, the reason code, the kind of source, a keyed
 * hash of the source (the same file gets the same reference in every row and every report, and
 * whoever may read the restricted table can find it by hashing its sources), a locator that is
 * only a position ({@code file}, {@code byte N}, {@code line N}, {@code manifest line N}), the
 * offending field name and the events count.
 *
 * @param job the job that rejected it
 * @param reasonCode the stable reason code
 * @param sourceKind {@code FCS file}, {@code manifest}, {@code clinical dm.csv} (an SDTM domain
 *     file, named) or {@code clinical file}
 * @param reference keyed hash of the source ({@code H-...})
 * @param locator position in the source, or null when the stored one is not just a position
 * @param field offending field or keyword name, or null
 * @param events events in a rejected FCS file, or null
 */
public record QuarantineEntry(
    String job,
    String reasonCode,
    String sourceKind,
    String reference,
    String locator,
    String field,
    Long events) {

  private static final Pattern POSITION =
      Pattern.compile("(file|byte \\d+|line \\d+|manifest line \\d+)");

  /** Field and keyword names: letters, digits, $ and a few separators, nothing like a value. */
  private static final Pattern FIELD_NAME = Pattern.compile("[$A-Za-z][A-Za-z0-9_$.\\-]{0,40}");

  private static final Pattern CLINICAL_DOMAIN = Pattern.compile("[a-z]{2}\\.(csv|jsonl)");

  /**
   * The report's order: by job, reason, kind of source and reference, then by position in the
   * source in numeric order ("line 9" before "line 10"); no locator first.
   */
  public static final Comparator<QuarantineEntry> ORDER =
      Comparator.comparing(QuarantineEntry::job)
          .thenComparing(QuarantineEntry::reasonCode)
          .thenComparing(QuarantineEntry::sourceKind)
          .thenComparing(QuarantineEntry::reference)
          .thenComparing(
              q ->
                  q.locator() == null
                      ? ""
                      : String.format("%40s", q.locator().replaceAll("[^0-9]", "")));

  public QuarantineEntry {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(reasonCode, "reasonCode");
    Objects.requireNonNull(sourceKind, "sourceKind");
    Objects.requireNonNull(reference, "reference");
  }

  /**
   * Sanitises one restricted {@code quarantine} row.
   *
   * @param source the stored source path (never shown)
   * @param locator the stored locator (shown only when it is a position)
   * @param field the stored field (shown only when it looks like a field or keyword name)
   * @param keys the pseudonymizer of the lake (its secret salt keys the reference)
   */
  public static QuarantineEntry sanitise(
      String job,
      String reasonCode,
      String source,
      String locator,
      String field,
      Long events,
      Pseudonymizer keys) {
    String src = source == null ? "" : source;
    String locatorShown =
        locator != null && POSITION.matcher(locator.trim()).matches() ? locator.trim() : null;
    String fieldShown =
        field != null && FIELD_NAME.matcher(field.trim()).matches() ? field.trim() : null;
    return new QuarantineEntry(
        job,
        reasonCode,
        sourceKind(src),
        keys.text("source\u0000" + src),
        locatorShown,
        fieldShown,
        events);
  }

  /** The kind of a source path, from its file name alone. */
  static String sourceKind(String source) {
    String name = source.substring(source.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    if (name.endsWith(".fcs") || name.endsWith(".lmd")) {
      return "FCS file";
    }
    if (name.startsWith("manifest")) {
      return "manifest";
    }
    if (CLINICAL_DOMAIN.matcher(name).matches()) {
      // An SDTM domain file (dm.csv, lb.jsonl): two letters cannot hold an identifier.
      return "clinical " + name;
    }
    return name.isEmpty() ? "unknown" : "clinical file";
  }
}
