package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.GatingConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.cytometry.Compensation;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.GateEvaluator;
import org.cytolake.gating.GatingResult;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.generate.SeparableSamples;
import org.cytolake.testing.GateTruth;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * The generator's populations are separable by design (PanelModel) and conf/gating/ puts its
 * thresholds in the gaps: without Spark, every event of every readable separable samples file, read,
 * compensated with its own spillover and transformed as conf/panels.yaml says (to float, as the
 * events tables store it), falls in a gate exactly when its truth label
 * ({@code truth/event_labels.csv.gz}) says it should, given that it is in the gate's parent.
 */
class GatingSeparatesDataSamplesTest {
  @Test
  void everyEventIsGatedAsItsLabelSays() throws Exception {
    Path home = SharedData.projectDir();
    Path samples = SeparableSamples.dir();
    CytolakeConfig config = CytolakeConfig.load(home.resolve("conf"));
    Map<String, String> strategies = GatingConfig.load(home.resolve("conf/gating"), config).texts();
    Map<String, List<String>> labels = labels(samples);
    List<String> manifest = Files.readAllLines(samples.resolve("manifest.csv"));
    Map<String, Integer> wrong = new TreeMap<>();
    List<String> examples = new ArrayList<>();
    int files = 0;
    long events = 0;
    for (String line : manifest.subList(1, manifest.size())) {
      String[] f = line.split(",");
      List<String> label = labels.get(f[0]);
      PanelConfig panel = config.panel(f[3]);
      double[] values = readable(samples.resolve(f[0]), panel, label);
      if (values == null) {
        continue; // a deliberately bad file (truth/bad_inputs.csv): ingest quarantines it
      }
      files++;
      int n = label.size();
      events += n;
      GatingStrategy s = CompactGatingReader.read(strategies.get(f[3]), f[3], false);
      GatingResult r =
          GateEvaluator.evaluate(s, new EventTable(f[0], panel.columns(), n, values, null));
      for (String id : s.populations()) {
        if (id.startsWith(GatingStrategy.HELPER_PREFIX)) {
          continue;
        }
        Predicate<String> truth = GateTruth.of(id);
        String parent = s.parentOf(id).orElse(null);
        BitSet in = r.events(id);
        for (int e = 0; e < n; e++) {
          if (parent != null && !r.contains(parent, e)) {
            continue; // judged at the parent gate
          }
          if (truth.test(label.get(e)) != in.get(e)) {
            wrong.merge(f[3] + " " + id, 1, Integer::sum);
            if (examples.size() < 20) {
              examples.add(
                  String.format(
                      Locale.ROOT,
                      "%s event %d (%s) %s gate %s",
                      f[0],
                      e,
                      label.get(e),
                      in.get(e) ? "in" : "not in",
                      id));
            }
          }
        }
      }
    }
    assertTrue(files >= 90 && events > 250_000, files + " files, " + events + " events");
    if (!wrong.isEmpty()) {
      fail(
          "events gated against their label, per panel and gate: "
              + wrong
              + "; e.g.\n  "
              + String.join("\n  ", examples));
    }
  }

  /** Truth label of every event, by file. */
  static Map<String, List<String>> labels(Path samples) throws IOException {
    Map<String, List<String>> out = new HashMap<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(
                    Files.newInputStream(samples.resolve("truth/event_labels.csv.gz"))),
                StandardCharsets.UTF_8))) {
      r.readLine();
      for (String line; (line = r.readLine()) != null; ) {
        String[] f = line.split(",", 3);
        out.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[2]);
      }
    }
    return out;
  }

  /**
   * The panel's columns of a file, row-major, as ingest writes them; null when the file is one of
   * the deliberately bad ones (unreadable, no spillover, a renamed channel, labels that do not
   * match its events).
   */
  static double[] readable(Path file, PanelConfig panel, List<String> label) {
    EventTable raw;
    try {
      raw = EventTable.read(file);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    List<ChannelConfig> channels = panel.channels();
    if (raw.spillover() == null
        || label == null
        || raw.events() != label.size()
        || channels.stream().anyMatch(c -> raw.indexOf(c.detector()) < 0)) {
      return null;
    }
    int p = raw.channels().size();
    double[] v = raw.values().clone();
    Compensation.of(raw.spillover().channels(), raw.spillover().matrix())
        .bind(raw.channels())
        .compensate(v, raw.events(), p);
    int q = channels.size();
    double[] out = new double[raw.events() * q];
    for (int c = 0; c < q; c++) {
      int i = raw.indexOf(channels.get(c).detector());
      for (int e = 0; e < raw.events(); e++) {
        out[e * q + c] = (float) channels.get(c).transform().apply((float) v[e * p + i]);
      }
    }
    return out;
  }
}
