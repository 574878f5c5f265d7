package org.cytolake.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.cytolake.fcs.EventReader;
import org.cytolake.fcs.FcsDataset;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsParameter;
import org.cytolake.fcs.FcsReader;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * An independent reader agrees with ours on the generated files: the npm package {@code fcs}
 * through {@code scripts/fcs-check.js}. Skips when node or the package is missing
 * ({@code scripts/install-fcs-check.sh} installs it).
 */
class NodeFcsCrossCheckTest {
  private static final int EVENTS = 5;

  @Test
  void npmFcsReadsTheSameChannelsCountsAndEvents() throws Exception {
    Path scripts = SharedData.projectDir().resolve("scripts");
    Path script = scripts.resolve("fcs-check.js");
    assertTrue(Files.exists(script), "committed: " + script);
    Assumptions.assumeTrue(
        Files.exists(scripts.resolve("node_modules/fcs/fcs.js")),
        "npm package fcs not installed: run scripts/install-fcs-check.sh");
    Assumptions.assumeTrue(nodeWorks(), "node is not on the PATH");

    Path trial = Trials.small();
    Set<String> bad = new HashSet<>();
    for (List<String> r : Trials.rows(trial.resolve("truth/bad_inputs.csv"))) {
      if (r.get(2).equals("TRUNCATED_DATA")) {
        bad.add(r.get(1));
      }
    }
    List<String> files = new ArrayList<>();
    for (List<String> r : Trials.rows(trial.resolve("manifest.csv"))) {
      if (!bad.contains(r.get(0))) {
        files.add(r.get(0));
      }
    }
    List<String> cmd =
        new ArrayList<>(List.of("node", script.toString(), Integer.toString(EVENTS)));
    files.forEach(f -> cmd.add(trial.resolve(f).toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), err);

    ObjectMapper json = new ObjectMapper();
    String[] lines = out.strip().split("\n");
    assertEquals(files.size(), lines.length);
    Set<String> versions = new HashSet<>();
    for (int i = 0; i < lines.length; i++) {
      JsonNode node = json.readTree(lines[i]);
      try (FcsFile f = FcsReader.open(trial.resolve(files.get(i)))) {
        FcsDataset ds = f.first();
        String where = files.get(i);
        versions.add(node.get("version").asText());
        assertEquals(ds.version(), node.get("version").asText(), where);
        assertEquals(ds.declaredEvents(), node.get("tot").asLong(), where);
        assertEquals(ds.parameters().size(), node.get("par").asInt(), where);
        for (int c = 0; c < ds.parameters().size(); c++) {
          FcsParameter prm = ds.parameters().get(c);
          assertEquals(prm.name(), node.get("names").get(c).asText(), where);
          JsonNode label = node.get("labels").get(c);
          assertEquals(prm.label(), label.isNull() ? null : label.asText(), where);
        }
        double[] ours = new double[EVENTS * ds.parameters().size()];
        EventReader r = f.events(ds);
        assertEquals(EVENTS, r.read(ours));
        JsonNode events = node.get("events");
        for (int e = 0; e < EVENTS; e++) {
          for (int c = 0; c < ds.parameters().size(); c++) {
            assertEquals(
                ours[e * ds.parameters().size() + c],
                events.get(e).get(c).asDouble(),
                where + " event " + e + " channel " + c);
          }
        }
      }
    }
    assertEquals(Set.of("FCS3.1", "FCS3.0", "FCS2.0"), versions, "every encoding cross-checked");
  }

  private static boolean nodeWorks() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
