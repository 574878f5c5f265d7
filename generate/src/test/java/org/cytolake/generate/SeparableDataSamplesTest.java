package org.cytolake.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --separable} reproduces the committed data-samples byte for byte: the command recorded in
 * data-samples/generation.json, run again, writes the same files (all but data-samples/README.md,
 * which the generator does not write). This keeps the separable model exactly the generator that
 * made data-samples, which the exact engine tests rely on.
 */
class SeparableDataSamplesTest {

  @Test
  void theRecordedSeparableCommandRewritesDataSamplesByteForByte(@TempDir Path tmp)
      throws Exception {
    Path samples = SharedData.projectDir().resolve("data-samples");
    JsonNode json = new ObjectMapper().readTree(samples.resolve("generation.json").toFile());
    JsonNode a = json.get("arguments");
    assertTrue(a.path("separable").asBoolean(false), "data-samples is the separable model");
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
            .withSeparable(true)
            .withThreads(2);
    assertEquals(json.get("command").asText(), TrialGenerator.command(o));
    TrialGenerator.run(o);
    Map<String, String> expected = Trials.sha256Tree(samples);
    Map<String, String> actual = Trials.sha256Tree(tmp.resolve("again"));
    expected.remove("README.md");
    // generation.json names the tool's version, which a test run from classes does not know
    expected.remove("generation.json");
    assertEquals(
        expected,
        actual.keySet().stream()
            .filter(expected::containsKey)
            .collect(java.util.stream.Collectors.toMap(k -> k, actual::get)));
    assertEquals(expected.size() + 1, actual.size(), "nothing else but generation.json");
    ObjectNode again =
        (ObjectNode) new ObjectMapper().readTree(tmp.resolve("again/generation.json").toFile());
    ObjectNode committed = ((ObjectNode) json).deepCopy();
    again.remove("version");
    committed.remove("version");
    assertEquals(committed, again);
  }
}
