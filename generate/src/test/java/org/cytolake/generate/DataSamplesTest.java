package org.cytolake.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two small trials the tests read are exactly what their commands write: the committed
 * data-samples (the realistic model) is rewritten byte for byte by the command recorded in its
 * generation.json, and the separable fixture ({@link SeparableSamples}) by its command, checked
 * against the committed checksums of the trial the exact engine tests were written for (the
 * separable data-samples of sessions 1 to 9).
 */
class DataSamplesTest {

  @Test
  void theRecordedCommandRewritesDataSamplesByteForByte(@TempDir Path tmp) throws Exception {
    Path samples = SharedData.projectDir().resolve("data-samples");
    JsonNode json = new ObjectMapper().readTree(samples.resolve("generation.json").toFile());
    JsonNode a = json.get("arguments");
    assertFalse(a.path("separable").asBoolean(false), "data-samples is the realistic model");
    List<String> visits = new ArrayList<>();
    a.get("visits").forEach(v -> visits.add(v.asText()));
    List<String> panels = new ArrayList<>();
    a.get("panels").forEach(p -> panels.add(p.asText()));
    GenerateOptions o =
        GenerateOptions.defaults(tmp.resolve("again"))
            .withPatients(a.get("patients").asInt())
            .withEventsPerSample(a.get("events_per_sample").asInt())
            .withVisits(visits)
            .withPanels(panels)
            .withSeed(a.get("seed").asLong())
            .withBadFraction(a.get("bad_fraction").asDouble())
            .withAnomalyFraction(a.get("anomaly_fraction").asDouble())
            .withThreads(2);
    assertEquals(json.get("command").asText(), TrialGenerator.command(o));
    TrialGenerator.run(o);
    Map<String, String> expected = Trials.sha256Tree(samples);
    Map<String, String> actual = Trials.sha256Tree(tmp.resolve("again"));
    expected.remove("README.md");
    // generation.json names the tool's version, which a test run from classes does not know
    expected.remove("generation.json");
    actual.remove("generation.json");
    assertEquals(expected, actual);
    ObjectNode again =
        (ObjectNode) new ObjectMapper().readTree(tmp.resolve("again/generation.json").toFile());
    ObjectNode committed = ((ObjectNode) json).deepCopy();
    again.remove("version");
    committed.remove("version");
    assertEquals(committed, again);
  }

  @Test
  void theSeparableFixtureIsTheTrialTheExactTestsWereWrittenFor() throws Exception {
    Map<String, String> actual = Trials.sha256Tree(SeparableSamples.dir());
    actual.remove("generation.json");
    assertEquals(committedChecksums(), actual);
  }

  private static Map<String, String> committedChecksums() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (InputStream in = DataSamplesTest.class.getResourceAsStream("/separable-samples.sha256")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          out.put(line.substring(66), line.substring(0, 64));
        }
      }
    }
    return out;
  }
}
