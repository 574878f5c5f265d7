package org.cytolake.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LocalParquetWriter}: rows written one at a time read back in DuckDB with their types; misuse is named. */
class LocalParquetWriterTest {

  static final MessageType SCHEMA =
      LocalParquetWriter.schema(
          "t",
          List.of(
              new String[] {"s", "string"},
              new String[] {"i", "int"},
              new String[] {"l", "long"},
              new String[] {"d", "double"}));

  @Test
  void rowsReadBackInDuckDb(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("t.parquet");
    try (LocalParquetWriter w = LocalParquetWriter.open(file, SCHEMA)) {
      for (int r = 0; r < 1000; r++) {
        w.set(0, r < 500 ? "a,\"b\"" : "ü")
            .set(1, -r)
            .set(2, 3_000_000_000L + r)
            .set(3, r / 4.0)
            .endRow();
      }
      assertEquals(1000, w.rows());
    }
    Class.forName("org.duckdb.DuckDBDriver");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT typeof(s), typeof(i), typeof(l), typeof(d), count(*) OVER (),"
                    + " count(*) FILTER (WHERE s = 'ü') OVER (), sum(i) OVER (), max(l) OVER (), sum(d) OVER ()"
                    + " FROM read_parquet('"
                    + file
                    + "') LIMIT 1")) {
      rs.next();
      List<String> row = new ArrayList<>();
      for (int i = 1; i <= 9; i++) {
        row.add(rs.getString(i));
      }
      assertEquals(
          List.of(
              "VARCHAR",
              "INTEGER",
              "BIGINT",
              "DOUBLE",
              "1000",
              "500",
              "-499500",
              "3000000999",
              "124875.0"),
          row);
    }
  }

  @Test
  void misuseIsNamed(@TempDir Path tmp) throws Exception {
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LocalParquetWriter.schema(
                    "t",
                    List.of(
                        new String[] {"a", "int"},
                        new String[] {"a", "long"},
                        new String[] {"b", "float"})));
    assertEquals(
        "Cannot build Parquet schema 't': column 'a' appears twice; column 'b' has unknown type 'float'"
            + " (string, int, long, double)",
        bad.getMessage());
    try (LocalParquetWriter w = LocalParquetWriter.open(tmp.resolve("t.parquet"), SCHEMA)) {
      assertTrue(
          assertThrows(IllegalArgumentException.class, () -> w.set(1, 1L << 40))
              .getMessage()
              .contains("column 'i'"));
      assertTrue(
          assertThrows(IllegalArgumentException.class, () -> w.set(0, 1.5))
              .getMessage()
              .contains("not a double"));
      w.set(0, "x").set(1, 1).set(3, 0.0);
      IllegalStateException unset = assertThrows(IllegalStateException.class, w::endRow);
      assertTrue(
          unset.getMessage().contains("row 0")
              && unset.getMessage().contains("column 'l' is not set"),
          unset.getMessage());
    }
  }
}
