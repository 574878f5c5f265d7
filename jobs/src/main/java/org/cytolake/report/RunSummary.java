package org.cytolake.report;

import java.util.List;
import java.util.Objects;

/**
 * A run summary (the JSON a job or the nightly run writes under {@code _runs/}) as the report shows
 * it: its scalar fields, then one table per nested object or list.
 *
 * @param fields top-level scalar fields, in file order
 * @param tables nested objects (as key/value tables) and lists of objects (as tables)
 */
public record RunSummary(List<Field> fields, List<Section> tables) {
  public RunSummary {
    fields = List.copyOf(fields);
    tables = List.copyOf(tables);
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
