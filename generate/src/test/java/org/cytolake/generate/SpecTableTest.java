package org.cytolake.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpecTableTest {
  @Test
  void readsRowsSkippingCommentsAndKeepingIndent() {
    List<SpecTable.Row> rows = SpecTable.read("spec-table-test.txt", "name", "values");
    assertEquals(3, rows.size());
    assertEquals("root", rows.get(0).get(0));
    assertEquals(List.of("1", "2.5"), rows.get(0).words(1));
    assertEquals(0, rows.get(0).depth());
    assertEquals("child", rows.get(1).get(0));
    assertEquals(2, rows.get(1).depth());
    assertEquals(List.of(), rows.get(1).words(1));
    assertEquals(4, rows.get(2).depth());
    assertEquals(List.of("0.1"), rows.get(2).words(1));
    assertEquals(6, rows.get(2).line());
  }

  @Test
  void rejectsWrongHeaderMissingFieldsAndMissingTables() {
    IllegalStateException header =
        assertThrows(
            IllegalStateException.class, () -> SpecTable.read("spec-table-test.txt", "name"));
    assertTrue(header.getMessage().contains("header"), header.getMessage());
    IllegalStateException fields =
        assertThrows(
            IllegalStateException.class,
            () -> SpecTable.read("spec-table-short.txt", "name", "values"));
    assertTrue(fields.getMessage().contains("line 2"), fields.getMessage());
    assertThrows(IllegalStateException.class, () -> SpecTable.read("no-such-table.txt", "a"));
  }
}
