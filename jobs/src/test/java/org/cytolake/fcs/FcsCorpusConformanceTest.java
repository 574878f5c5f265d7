package org.cytolake.fcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cytolake.cli.CytolakeCli;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Checks the reader, and {@code cytolake fcs-info --json}, against every entry of
 * {@code ../shared/fcs-corpus/manifest.json}: real files from many instruments with what peers'
 * test suites and independent readers expect of them.
 */
class FcsCorpusConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LATER =
      Pattern.compile("later datasets \\(expected, same conventions\\): (\\[.*?\\}\\])");

  static Stream<Arguments> entries() throws Exception {
    Path corpus = SharedData.projectDir().resolve("../shared/fcs-corpus").normalize();
    if (!Files.exists(corpus.resolve("manifest.json"))) {
      return Stream.of(Arguments.of("(corpus absent)", null));
    }
    JsonNode m = JSON.readTree(corpus.resolve("manifest.json").toFile());
    List<Arguments> out = new ArrayList<>();
    for (JsonNode e : m.get("files")) {
      out.add(Arguments.of(e.get("local_path").asText(), e));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  void readerMatchesManifest(String localPath, JsonNode entry) throws Exception {
    Assumptions.assumeTrue(entry != null, "../shared/fcs-corpus absent");
    Path file = SharedData.sharedOrSkip("fcs-corpus").resolve(localPath);
    JsonNode expect = entry.get("expect");
    boolean shouldFail = expect.path("should_fail").asBoolean(false);
    boolean mayFail = expect.path("may_fail").asBoolean(false);

    if (shouldFail) {
      FcsFormatException e =
          assertThrows(
              FcsFormatException.class,
              () -> {
                try (FcsFile f = FcsReader.open(file)) {
                  f.events(f.first());
                }
              });
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
      assertEquals(CytolakeCli.EXIT_BAD_INPUT, runCli(file, 3).exit, "fcs-info exit status");
      return;
    }

    // Metadata only (sample_header.fcs has no DATA segment): must not touch DATA.
    int n = expect.has("first_events") ? expect.get("first_events").size() : 0;
    Cli cli = runCli(file, n);
    if (mayFail && cli.exit == CytolakeCli.EXIT_BAD_INPUT) {
      return; // a clean rejection is acceptable; wrong data is not
    }
    assertEquals(0, cli.exit, "fcs-info failed: " + cli.err);
    JsonNode got = JSON.readTree(cli.out);
    checkDataset(localPath, expect, got);
    if (expect.has("datasets")) {
      assertEquals(expect.get("datasets").asInt(), got.get("datasets").asInt(), "datasets");
    }

    // Later data sets, where the manifest's notes give them.
    Matcher later = LATER.matcher(entry.path("notes").asText());
    if (later.find()) {
      JsonNode more = JSON.readTree(later.group(1));
      try (FcsFile f = FcsReader.open(file)) {
        for (int i = 0; i < more.size(); i++) {
          FcsDataset ds = f.datasets().get(i + 1);
          JsonNode ex = more.get(i);
          assertEquals(ex.get("version").asText(), ds.version(), "dataset " + (i + 2) + " version");
          assertEquals(ex.get("events").asLong(), ds.eventCount(), "dataset " + (i + 2));
          assertEquals(
              names(ex.get("channel_names")),
              ds.parameters().stream().map(FcsParameter::name).toList());
          JsonNode fe = ex.get("first_events");
          double[] buf = new double[fe.size() * ds.parameters().size()];
          EventReader r = f.events(ds, 0, fe.size(), 1 << 16);
          assertEquals(fe.size(), r.read(buf));
          for (int e = 0; e < fe.size(); e++) {
            for (int p = 0; p < ds.parameters().size(); p++) {
              assertEquals(
                  fe.get(e).get(p).asDouble(),
                  buf[e * ds.parameters().size() + p],
                  0.0,
                  "dataset " + (i + 2) + " event " + e + " parameter " + (p + 1));
            }
          }
        }
      }
    }
  }

  private static void checkDataset(String name, JsonNode expect, JsonNode got) {
    assertEquals(expect.get("version").asText(), got.get("version").asText(), name + " version");
    if (expect.has("datatype")) {
      assertEquals(expect.get("datatype").asText(), got.get("datatype").asText(), "datatype");
    }
    if (expect.has("events")) {
      assertEquals(expect.get("events").asLong(), got.get("events").asLong(), "events");
    }
    if (expect.has("parameters")) {
      assertEquals(expect.get("parameters").asInt(), got.get("parameters").asInt(), "parameters");
    }
    if (expect.has("channel_names")) {
      List<String> gotNames = new ArrayList<>();
      got.get("channels").forEach(c -> gotNames.add(c.get("name").asText()));
      assertEquals(names(expect.get("channel_names")), gotNames, "channel names");
    }
    if (expect.has("first_events")) {
      JsonNode fe = expect.get("first_events");
      JsonNode ge = got.get("first_events");
      assertEquals(fe.size(), ge.size(), "number of first events");
      for (int e = 0; e < fe.size(); e++) {
        assertEquals(fe.get(e).size(), ge.get(e).size(), "values in event " + e);
        for (int p = 0; p < fe.get(e).size(); p++) {
          assertEquals(
              fe.get(e).get(p).asDouble(),
              ge.get(e).get(p).asDouble(),
              0.0,
              name + " event " + e + " parameter " + (p + 1));
        }
      }
    }
  }

  private static List<String> names(JsonNode arr) {
    List<String> l = new ArrayList<>();
    arr.forEach(x -> l.add(x.asText()));
    return l;
  }

  record Cli(int exit, String out, String err) {}

  static Cli runCli(Path file, int events) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = CytolakeCli.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit =
        cl.execute("fcs-info", "--json", "--events", Integer.toString(events), file.toString());
    return new Cli(exit, out.toString(), err.toString());
  }

  @Test
  void malformedFileGivesOneLineAndExitThree() throws Exception {
    Path tmp = Files.createTempFile("broken", ".fcs");
    try {
      Files.writeString(tmp, "FCS3.1    garbage");
      Cli cli = runCli(tmp, 5);
      assertEquals(CytolakeCli.EXIT_BAD_INPUT, cli.exit);
      assertEquals(1, cli.err.strip().lines().count(), cli.err);
      assertTrue(cli.err.contains(tmp.toString()) && cli.err.contains("HEADER"), cli.err);
      if (!cli.out.isEmpty()) {
        fail("nothing on stdout for a bad file: " + cli.out);
      }
    } finally {
      Files.delete(tmp);
    }
  }
}
