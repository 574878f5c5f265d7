package org.cytolake.clinical;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One well-formed record of a clinical file, before validation.
 *
 * @param line 1-based line where the record starts (a CSV header is line 1)
 * @param values column (upper case) to raw value; a column absent from the record is absent here
 * @param text the original record text, for the dead letter
 */
public record SourceRow(int line, Map<String, String> values, String text) {
  public SourceRow {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** The raw value of {@code column}, or null when the record has no such column. */
  public String get(String column) {
    return values.get(column);
  }
}
