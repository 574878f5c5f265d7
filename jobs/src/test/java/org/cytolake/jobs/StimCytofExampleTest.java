package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.cytolake.aggregate.AggregateConfig;
import org.cytolake.aggregate.CohortDefinition;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.ClusteringConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.GatingConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.config.Settings;
import org.cytolake.cytometry.transform.AsinhCofactor;
import org.cytolake.cytometry.transform.Identity;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.GateEvaluator;
import org.cytolake.gating.GatingResult;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.generate.StimCytofModel;
import org.cytolake.generate.StimCytofStudy;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * The committed conf of the stim-cytof example ({@code examples/stim-cytof/conf}) without Spark:
 * every loader of the pipeline accepts it, it describes what the generator writes, and its gating
 * strategy puts every generated event where its label says.
 */
class StimCytofExampleTest {
  static final Path CONF = SharedData.projectDir().resolve("examples/stim-cytof/conf");

  static final Set<String> CD4 = Set.of("CD4 naive", "CD4 memory", "Treg");
  static final Set<String> CD8 = Set.of("CD8 naive", "CD8 memory");
  static final Set<String> T = union(CD4, CD8, Set.of("DN T"));
  static final Set<String> LEUKOCYTES = union(T, Set.of("B", "NK", "monocytes", "DC"));
  static final Set<String> LIVE = union(LEUKOCYTES, Set.of("CD45- cells"));
  static final Set<String> SINGLETS = union(LIVE, Set.of("dead"));

  /** Gate id → the generator labels whose events belong in it. */
  static final Map<String, Set<String>> TRUTH =
      Map.ofEntries(
          Map.entry("cells", union(SINGLETS, Set.of("doublet"))),
          Map.entry("singlets", SINGLETS),
          Map.entry("live", LIVE),
          Map.entry("leukocytes", LEUKOCYTES),
          Map.entry("T", T),
          Map.entry("CD4", CD4),
          Map.entry("Treg", Set.of("Treg")),
          Map.entry("CD8", CD8),
          Map.entry("B", Set.of("B")),
          Map.entry("NK", Set.of("NK")),
          Map.entry("monocytes", Set.of("monocytes")));

  @SafeVarargs
  static Set<String> union(Set<String>... sets) {
    Set<String> out = new java.util.HashSet<>();
    for (Set<String> s : sets) {
      out.addAll(s);
    }
    return Set.copyOf(out);
  }

  @Test
  void everyLoaderAcceptsTheConfAndItDescribesTheGeneratedStudy() throws Exception {
    CytolakeConfig config = CytolakeConfig.load(CONF);
    assertEquals("unstim", config.visits().baseline());
    assertEquals(StimCytofStudy.CONDITIONS, config.visits().codes());
    assertNull(config.visits().studyDay("stim"));
    assertEquals(List.of(StimCytofStudy.PANEL), List.copyOf(config.panels().keySet()));
    assertEquals(StimCytofStudy.PANEL, config.settings().get(Settings.REPORT_PRIMARY_PANEL));
    PanelConfig panel = config.panel(StimCytofStudy.PANEL);
    assertFalse(panel.spillover().fromFile());
    assertEquals(
        StimCytofModel.CHANNELS.stream().map(StimCytofModel.Channel::detector).toList(),
        panel.detectors());
    for (int i = 0; i < panel.channels().size(); i++) {
      ChannelConfig c = panel.channels().get(i);
      assertEquals(StimCytofModel.CHANNELS.get(i).marker(), c.marker(), c.detector());
      boolean counts = c.marker() != null;
      assertEquals(counts ? new AsinhCofactor(5) : new Identity(), c.transform(), c.detector());
      assertEquals(
          counts
              && !StimCytofModel.FUNCTIONAL.contains(c.marker())
              && !List.of("CD45", "DNA1", "DNA2", "Cisplatin").contains(c.marker()),
          c.lineage(),
          c.detector());
    }
    AggregateConfig agg = AggregateConfig.load(CONF);
    CohortDefinition hd = agg.cohortOfDisease(StimCytofStudy.DISEASE);
    assertEquals("HD", hd.code());
    assertNull(hd.scoreTest());
    assertNull(hd.rule());
    assertEquals(
        List.of("B", "monocytes", "CD4", "CD8", "NK", "Treg"),
        List.copyOf(agg.features().medians().get(StimCytofStudy.PANEL).keySet()));
    assertEquals(8, ClusteringConfig.load(config).rules().get(StimCytofStudy.PANEL).size());
    assertEquals(
        Set.of(StimCytofStudy.PANEL),
        GatingConfig.load(CONF.resolve("gating"), config).texts().keySet());
    assertFalse(Files.exists(CONF.resolve("jvm")), "the JVM flags stay in conf/ of the home");
  }

  @Test
  void everyGeneratedEventIsGatedAsItsLabelSays() throws Exception {
    CytolakeConfig config = CytolakeConfig.load(CONF);
    PanelConfig panel = config.panel(StimCytofStudy.PANEL);
    GatingStrategy strategy =
        CompactGatingReader.read(
            GatingConfig.load(CONF.resolve("gating"), config).texts().get(StimCytofStudy.PANEL),
            "PBMC.yaml",
            false);
    assertEquals(TRUTH.keySet(), Set.copyOf(strategy.populations()));
    Map<String, Integer> wrong = new TreeMap<>();
    List<String> examples = new ArrayList<>();
    Map<String, Integer> caught = new TreeMap<>();
    for (int d = 1; d <= 3; d++) {
      for (String condition : StimCytofStudy.CONDITIONS) {
        StimCytofModel.Events ev = StimCytofStudy.events(3, d, condition, 20_000);
        int n = ev.events();
        int q = panel.channels().size();
        double[] values = new double[n * q];
        for (int e = 0; e < n; e++) {
          for (int k = 0; k < q; k++) {
            // as ingest writes events_pbmc: the panel's transform, stored as float
            values[e * q + k] =
                (float) panel.channels().get(k).transform().apply(ev.values()[e * q + k]);
          }
        }
        GatingResult r =
            GateEvaluator.evaluate(
                strategy,
                new EventTable("SC-0" + d + "_" + condition, panel.columns(), n, values, null));
        for (String id : strategy.populations()) {
          String parent = strategy.parentOf(id).orElse(null);
          BitSet in = r.events(id);
          caught.merge(id, in.cardinality(), Integer::sum);
          for (int e = 0; e < n; e++) {
            if (parent != null && !r.contains(parent, e)) {
              continue;
            }
            if (TRUTH.get(id).contains(ev.labels().get(e)) != in.get(e)) {
              wrong.merge(id, 1, Integer::sum);
              if (examples.size() < 10) {
                examples.add(
                    String.format(
                        Locale.ROOT,
                        "donor %d %s event %d (%s) %s gate %s",
                        d,
                        condition,
                        e,
                        ev.labels().get(e),
                        in.get(e) ? "in" : "not in",
                        id));
              }
            }
          }
        }
      }
    }
    if (!wrong.isEmpty()) {
      fail(
          "events gated against their label: "
              + wrong
              + "; e.g.\n  "
              + String.join("\n  ", examples));
    }
    for (String id : TRUTH.keySet()) {
      assertTrue(caught.get(id) >= 100, id + " caught " + caught.get(id) + " events");
    }
  }
}
