package org.cytolake.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How records of one type become rows of a table: the columns produced, by name, and a function
 * giving their values in that order. Checked against the table's contract before any row is
 * built: every produced column must be in it, and every non-nullable column produced. The rows
 * come out as plain values in the contract's column order (a column not produced is null), which
 * a job turns into Spark rows one for one.
 *
 * @param producer who produces the rows (named in the error)
 * @param columns the columns produced, in the order {@code values} gives them
 * @param values a record's values, one per column of {@code columns}
 */
public record RowShape<T>(String producer, List<String> columns, Function<T, Object[]> values) {
  public RowShape {
    columns = List.copyOf(columns);
  }

  /** A shape: the function, then the columns it gives values for, in that order. */
  public static <T> RowShape<T> of(
      String producer, Function<T, Object[]> values, String... columns) {
    return new RowShape<>(producer, List.of(columns), values);
  }

  /** The rows of {@code records}, each in the contract's column order. */
  public List<Object[]> rows(TableSchema contract, List<T> records) {
    List<String> declared = contract.columnNames();
    List<String> unknown = columns.stream().filter(c -> !declared.contains(c)).toList();
    List<String> missing =
        contract.requiredColumns().stream().filter(c -> !columns.contains(c)).sorted().toList();
    if (!unknown.isEmpty() || !missing.isEmpty()) {
      throw new IllegalStateException(
          "Cannot write table "
              + contract.table()
              + ": "
              + producer
              + " produces "
              + columns
              + "; not in the contract: "
              + unknown
              + "; required by the contract but not produced: "
              + missing);
    }
    int[] position = declared.stream().mapToInt(columns::indexOf).toArray();
    List<Object[]> rows = new ArrayList<>(records.size());
    for (T r : records) {
      Object[] v = values.apply(r);
      Object[] out = new Object[position.length];
      for (int i = 0; i < position.length; i++) {
        out[i] = position[i] < 0 ? null : v[position[i]];
      }
      rows.add(out);
    }
    return rows;
  }
}
