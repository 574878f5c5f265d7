package org.cytolake.fcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages of the spillover parser and of reads past the end of an input, word for word. */
class FcsMessagesTest {

  @Test
  void aBadSpilloverCellIsNamedByRowAndColumnFromOne() {
    IllegalArgumentException notANumber =
        assertThrows(
            IllegalArgumentException.class, () -> Spillover.parse("$SPILLOVER", "2,A,B,1,0,x1,1"));
    assertEquals(
        "$SPILLOVER value at row 2, column 1 is not a number: 'x1'", notANumber.getMessage());
    IllegalArgumentException infinite =
        assertThrows(
            IllegalArgumentException.class, () -> Spillover.parse("SPILL", "2,A,B,1,1e999,0,1"));
    assertEquals("SPILL value at row 1, column 2 is not finite: 1e999", infinite.getMessage());
  }

  @Test
  void aReadPastTheEndSaysWhatWasAskedAndWhatThereIs(@TempDir Path dir) throws IOException {
    byte[] ten = new byte[10];
    try (FcsInput in = FcsInput.of("mem.fcs", ten)) {
      EOFException e = assertThrows(EOFException.class, () -> in.readFully(8, new byte[4], 0, 4));
      assertEquals("Cannot read 4 bytes at byte 8 of 'mem.fcs': it has 10 bytes", e.getMessage());
    }
    Path file = Files.write(dir.resolve("f.fcs"), ten);
    try (FcsInput in = FcsInput.of(file)) {
      EOFException e = assertThrows(EOFException.class, () -> in.readFully(8, new byte[4], 0, 4));
      assertEquals(
          "Cannot read 4 bytes at byte 8 of '" + in.name() + "': end of file at byte 10",
          e.getMessage());
    }
  }
}
