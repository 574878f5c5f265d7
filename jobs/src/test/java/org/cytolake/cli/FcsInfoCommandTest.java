package org.cytolake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.cytolake.fcs.FcsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cytolake fcs-info} on exporter dialects: a Cytobank ("PengQiu FCS writer") export with
 * exclusive TEXT and DATA ends is read and its warning printed; a file one byte short is refused
 * with a message that says what it compared.
 */
class FcsInfoCommandTest {
  private static final List<FcsWriter.Channel> CHANNELS =
      List.of(
          FcsWriter.channel("Time", null, 1048576),
          FcsWriter.channel("Ir191Di", "DNA1", 16384),
          FcsWriter.channel("Yb176Di", "CD56", 16384));

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = CytolakeCli.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** 400 events; event e holds (e, e + 0.5, 3e). */
  private static float[] values() {
    float[] v = new float[400 * 3];
    for (int e = 0; e < 400; e++) {
      v[3 * e] = e;
      v[3 * e + 1] = e + 0.5f;
      v[3 * e + 2] = 3f * e;
    }
    return v;
  }

  private static Path cytobankExport(Path dir) throws Exception {
    Path file = dir.resolve("cytobank export.fcs");
    FcsWriter.Spec spec =
        FcsWriter.spec(CHANNELS)
            .withVersion("FCS3.0")
            .withKeywords(FcsWriter.keywords("CREATOR", "PengQiu FCS writer"))
            .withEndOffsets(FcsWriter.EndOffsets.EXCLUSIVE);
    FcsWriter.write(file, spec, values(), 400);
    return file;
  }

  @Test
  void printsTheEventsAndTheDialectWarningOfACytobankExport(@TempDir Path dir) throws Exception {
    Path file = cytobankExport(dir);
    long size = Files.size(file);
    Run text = run("fcs-info", "--events", "2", file.toString());
    assertEquals(0, text.exit(), text.err());
    assertTrue(
        text.out().contains("FCS3.0, $DATATYPE F, little-endian, 400 events x 3 parameters"),
        text.out());
    assertTrue(
        text.out()
            .contains(
                "warning: OFFSETS_EXCLUSIVE: HEADER gives TEXT/DATA ends as "
                    + "exclusive offsets (TEXT 58.."),
        text.out());
    assertTrue(
        text.out().contains(".." + size + "; the writer is 'PengQiu FCS writer'); read as "),
        text.out());
    assertTrue(
        text.out().contains(".." + (size - 1) + "\n")
            || text.out().contains(".." + (size - 1) + System.lineSeparator()),
        text.out());

    Run json = run("fcs-info", "--json", "--events", "3", file.toString());
    assertEquals(0, json.exit(), json.err());
    JsonNode o = new ObjectMapper().readTree(json.out());
    assertEquals(400, o.get("events").asLong());
    float[] v = values();
    for (int e = 0; e < 3; e++) {
      for (int p = 0; p < 3; p++) {
        assertEquals(
            v[3 * e + p],
            o.get("first_events").get(e).get(p).asDouble(),
            0.0,
            "event " + e + " parameter " + (p + 1));
      }
    }
    assertEquals(1, o.get("warnings").size(), o.get("warnings").toString());
    assertTrue(o.get("warnings").get(0).asText().startsWith("OFFSETS_EXCLUSIVE: "));
  }

  @Test
  void aFileOneByteShortSaysItsLastByte(@TempDir Path dir) throws Exception {
    Path whole = dir.resolve("whole.fcs");
    FcsWriter.write(whole, FcsWriter.spec(CHANNELS), values(), 400);
    byte[] bytes = Files.readAllBytes(whole);
    // drop the 8-byte CRC field and one DATA byte: DATA now ends one past the last byte
    Path cut = Files.write(dir.resolve("cut.fcs"), Arrays.copyOf(bytes, bytes.length - 9));
    long n = bytes.length - 9;
    Run r = run("fcs-info", cut.toString());
    assertEquals(CytolakeCli.EXIT_BAD_INPUT, r.exit());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(
        r.err()
            .contains(
                "DATA segment ends at byte "
                    + n
                    + " (0-based, inclusive) but the "
                    + "file's last byte is "
                    + (n - 1)
                    + " (the file has "
                    + n
                    + " bytes)"),
        r.err());
    assertFalse(r.err().contains("byte " + n + " but the file has " + n), r.err());
    assertEquals("", r.out());
  }
}
