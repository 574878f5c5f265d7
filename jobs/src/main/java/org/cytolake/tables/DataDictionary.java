package org.cytolake.tables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cytolake.config.PanelConfig;

/**
 * Renders every table contract in {@code schemas/} as one Markdown data dictionary
 * ({@code schemas/DATA_DICTIONARY.md}); a test keeps the committed file in step with the
 * contracts. {@code main(schemasDir, confDir)} rewrites it.
 */
public final class DataDictionary {
  private DataDictionary() {}

  /** The dictionary text for the contracts in {@code schemasDir} and the panels given. */
  public static String render(Path schemasDir, List<PanelConfig> panels) {
    List<String> names = new ArrayList<>();
    try (Stream<Path> s = Files.list(schemasDir)) {
      s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".schema.json"))
          .map(n -> n.substring(0, n.length() - ".schema.json".length()))
          .sorted()
          .forEach(names::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder md = new StringBuilder();
    md.append("# cytolake data dictionary\n\n")
        .append("Generated from the table contracts in `schemas/` (do not edit by hand: run\n")
        .append("`bin/cytolake data-dictionary`). Restricted tables hold raw paths, identifiers\n")
        .append("or original records and are not for analysts.\n\n")
        .append("| table | grain | partitioned by | restricted |\n| --- | --- | --- | --- |\n");
    List<TableSchema> tables = new ArrayList<>();
    for (String n : names) {
      if (n.equals("events")) {
        for (PanelConfig p : panels) {
          tables.add(TableSchema.events(schemasDir, p));
        }
        for (PanelConfig p : panels) {
          tables.add(TableSchema.normalisedEvents(schemasDir, p));
        }
      } else {
        tables.add(TableSchema.load(schemasDir, n));
      }
    }
    for (TableSchema t : tables) {
      md.append("| [")
          .append(t.table())
          .append("](#")
          .append(t.table())
          .append(") | ")
          .append(t.description().replace("|", "\\|"))
          .append(" | ")
          .append(t.partitionBy().isEmpty() ? "-" : String.join(", ", t.partitionBy()))
          .append(" | ")
          .append(t.restricted() ? "yes" : "no")
          .append(" |\n");
    }
    for (TableSchema t : tables) {
      md.append("\n## ")
          .append(t.table())
          .append("\n\n")
          .append(t.description())
          .append("\n\n")
          .append("Contract version ")
          .append(t.version())
          .append(
              t.partitionBy().isEmpty()
                  ? ""
                  : "; partitioned by " + String.join(", ", t.partitionBy()))
          .append(t.restricted() ? "; **restricted**" : "")
          .append(".\n\n")
          .append("| column | type | nullable | meaning |\n| --- | --- | --- | --- |\n");
      for (ColumnSpec c : t.columns()) {
        md.append("| `")
            .append(c.name())
            .append("` | ")
            .append(c.type())
            .append(" | ")
            .append(c.nullable() ? "yes" : "no")
            .append(" | ")
            .append(c.description().replace("|", "\\|"))
            .append(" |\n");
      }
    }
    return md.toString();
  }
}
