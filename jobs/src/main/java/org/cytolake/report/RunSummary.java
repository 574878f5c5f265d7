package org.cytolake.report;

import java.util.List;
import java.util.Objects;

/**
 * A run summary (the JSON a job or the nightly run writes under {@code _runs/}) as the report shows
 * it: its status and warnings, its scalar fields, then one table per nested object or list.
 *
 * @param fields top-level scalar fields, in file order ({@code status} among them)
 * @param tables nested objects (as key/value tables) and lists of objects (as tables)
 * @param status the run's {@code status} (succeeded, failed, degraded, running, ...), or null when
 *     the summary has none
 * @param warnings the run's {@code warnings}, one line each
 */
public record RunSummary(
    List<Field> fields, List<Section> tables, String status, List<String> warnings) {
  /** The status of a run that needs no banner. */
  public static final String SUCCEEDED = "succeeded";

  public RunSummary {
    fields = List.copyOf(fields);
    tables = List.copyOf(tables);
    warnings = List.copyOf(warnings);
  }

  /** Whether the report opens with a banner: the run has a status and it is not succeeded. */
  public boolean needsBanner() {
    return status != null && !status.isBlank() && !status.trim().equalsIgnoreCase(SUCCEEDED);
  }

  /** A scalar field's value, or null when absent. */
  public String field(String name) {
    for (Field f : fields) {
      if (f.name().equals(name)) {
        return f.value();
      }
    }
    return null;
  }

  /** One named scalar value, formatted. */
  public record Field(String name, String value) {
    public Field {
      Objects.requireNonNull(name, "name");
    }
  }

  /** A titled table. */
  public record Section(String title, ReportModel.DataTable table) {
    public Section {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(table, "table");
    }
  }
}
