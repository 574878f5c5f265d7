package org.cytolake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cytolake.cytometry.Compensation;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.GateEvaluator;
import org.cytolake.gating.GatingResult;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.PopulationStats;
import org.cytolake.generate.SeparableSamples;
import org.cytolake.testing.SharedData;
import org.cytolake.workspace.Workspace;
import org.cytolake.workspace.WorkspaceGating;
import org.cytolake.workspace.WorkspaceReader;
import org.cytolake.workspace.WorkspaceSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lab's workspace as a panel's strategy ({@link GatingConfig} with {@link WorkspaceStrategy}):
 * problems at load, and gating the lake's columns (compensated, transformed, stored as float) the
 * way the tasks do ({@link GatingConfig#parse} of {@code texts()}) gives the counts that {@link
 * WorkspaceGating} gives on the raw FCS file.
 */
class WorkspaceStrategyTest {
  private static final String DIAMOND = "real/flowjo/flowkit/simple_diamond_example/";
  private static final String DIAMOND_FCS = "test_data_diamond_01.fcs";

  /** A conf directory with one panel D of the given channels lines, and its gating directory. */
  private static Path conf(Path dir, String... channels) throws Exception {
    StringBuilder p = new StringBuilder("panels:\n  D:\n    name: D\n    channels:\n");
    for (String c : channels) {
      p.append("      - ").append(c).append('\n');
    }
    Files.writeString(dir.resolve("panels.yaml"), p.toString());
    Files.writeString(dir.resolve("visits.yaml"), "baseline: V1\nvisits:\n  - {code: V1}\n");
    Files.createDirectories(dir.resolve("gating"));
    return dir;
  }

  private static Path diamondConf(Path dir) throws Exception {
    return conf(
        dir,
        "{detector: channel_A, marker: A, column: a, transform: \"asinh:cofactor=150\"}",
        "{detector: channel_B, marker: B, column: b, transform: \"logicle:T=262144,W=0.5,M=4.5,A=0\"}");
  }

  private static String problems(Path conf) throws Exception {
    return assertThrows(
            IllegalArgumentException.class,
            () -> GatingConfig.load(conf.resolve("gating"), CytolakeConfig.load(conf)))
        .getMessage();
  }

  /**
   * The panel's columns of an FCS file as ingest makes them: linearized, compensated with the
   * file's own spillover, each detector put through its column's transform, stored as float.
   */
  static EventTable lakeColumns(Path fcs, PanelConfig panel) throws Exception {
    EventTable raw = EventTable.read(fcs);
    Compensation file =
        raw.spillover() == null
            ? null
            : Compensation.of(raw.spillover().channels(), raw.spillover().matrix());
    return lakeColumns(raw, panel, file, raw.channels());
  }

  /**
   * The same with a given compensation (as panels.yaml's {@code spillover: {source: conf}} gives
   * it), bound to the file's channels under the names {@code bindAs}.
   */
  static EventTable lakeColumns(
      EventTable raw, PanelConfig panel, Compensation comp, List<String> bindAs) {
    int p = raw.channels().size();
    double[] v = raw.values().clone();
    if (comp != null) {
      comp.bind(bindAs).compensate(v, raw.events(), p);
    }
    List<ChannelConfig> ch = panel.channels();
    double[] out = new double[raw.events() * ch.size()];
    for (int c = 0; c < ch.size(); c++) {
      int i = raw.indexOf(ch.get(c).detector());
      for (int e = 0; e < raw.events(); e++) {
        out[e * ch.size() + c] = (float) ch.get(c).transform().apply(v[e * p + i]);
      }
    }
    return new EventTable(raw.source(), panel.columns(), raw.events(), out, null);
  }

  /** Counts per population of the panel's strategy, gated as a task gates the lake. */
  private static Map<String, Integer> lakeCounts(GatingConfig g, String panel, EventTable columns)
      throws Exception {
    GatingStrategy s = GatingConfig.parse(g.texts().get(panel), panel);
    GatingResult r = GateEvaluator.evaluate(s, columns);
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String pop : s.populations()) {
      out.put(pop, r.count(pop));
    }
    return out;
  }

  @Test
  void flowKitWorkspacesGateTheLakesColumnsAsTheirFcsFile(@TempDir Path dir) throws Exception {
    Path d = SharedData.sharedOrSkip(DIAMOND);
    Path conf = diamondConf(dir);
    CytolakeConfig config = CytolakeConfig.load(conf);
    PanelConfig panel = config.panel("D");
    EventTable columns = lakeColumns(d.resolve(DIAMOND_FCS), panel);
    EventTable raw = EventTable.read(d.resolve(DIAMOND_FCS));
    for (String w :
        List.of(
            "simple_diamond_example_quad_gate.wsp",
            "test_data_diamond_biex_rect.wsp",
            "test_data_diamond_asinh_rect.wsp",
            "test_data_diamond_asinh_rect2.wsp")) {
      Files.copy(d.resolve(w), conf.resolve("gating/D.wsp"));
      GatingConfig g = GatingConfig.load(conf.resolve("gating"), config);
      WorkspaceSample sample = WorkspaceReader.read(d.resolve(w)).samples().get(0);
      Map<String, Integer> expected = WorkspaceGating.counts(sample, raw);
      Map<String, Integer> lake = lakeCounts(g, "D", columns);
      System.out.println(w + ": workspace on the FCS file " + expected + ", on the lake " + lake);
      assertEquals(expected, lake, w);
      assertEquals(List.copyOf(expected.keySet()), g.strategies().get("D").populations(), w);
      Files.delete(conf.resolve("gating/D.wsp"));
    }
  }

  @Test
  void workspacePopulationsAreLakePathsWithTheirNames(@TempDir Path dir) throws Exception {
    Path d = SharedData.sharedOrSkip(DIAMOND);
    Path conf = diamondConf(dir);
    Files.copy(d.resolve("simple_diamond_example_quad_gate.wsp"), conf.resolve("gating/D.wsp"));
    CytolakeConfig config = CytolakeConfig.load(conf);
    GatingConfig g = GatingConfig.load(conf.resolve("gating"), config);
    GatingStrategy s = GatingConfig.parse(g.texts().get("D"), "D");
    EventTable columns = lakeColumns(d.resolve(DIAMOND_FCS), config.panel("D"));
    List<PopulationStats> stats = PopulationStats.of(s, columns);
    List<String> paths = stats.stream().map(PopulationStats::population).toList();
    System.out.println("populations: " + paths);
    assertTrue(paths.contains("Q1: channel_A- , channel_B+"), paths.toString());
    for (PopulationStats p : stats) {
      assertTrue(p.population().endsWith(p.name()), p.toString());
      assertTrue(p.count() > 0, p.toString());
    }
  }

  @Test
  void aNestedWorkspacePathIsTheLakesPathOnceAndItsNameTheLastPart() throws Exception {
    Path d = SharedData.sharedOrSkip("real/flowjo/fj92-a2004");
    Workspace ws = WorkspaceReader.read(d.resolve("A2004Analysis.xml"));
    GatingStrategy s = ws.sample("2").orElseThrow().strategy();
    assertEquals("Live/APC/B Cell", s.path("Live/APC/B Cell"));
    assertEquals("B Cell", s.name("Live/APC/B Cell"));
    assertEquals("Live/APC", s.path("Live/APC"));
    assertEquals("APC", s.name("Live/APC"));
  }

  /** A panel line per channel of an FCS file: fluorescence asinh:cofactor=150, the rest linear. */
  private static String[] panelOf(List<String> detectors) {
    List<String> lines = new ArrayList<>();
    for (String det : detectors) {
      boolean linear =
          det.startsWith("FSC") || det.startsWith("SSC") || det.equalsIgnoreCase("Time");
      String column = det.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
      lines.add(
          "{detector: \""
              + det
              + "\", column: "
              + column
              + ", transform: \""
              + (linear ? "none" : "asinh:cofactor=150")
              + "\"}");
    }
    return lines.toArray(String[]::new);
  }

  @Test
  void flowJo9SampleOnItsDisplayAxesGatesTheLakeAsItsFcsFile(@TempDir Path dir) throws Exception {
    Path d = SharedData.sharedOrSkip("real/flowjo/fj92-a2004");
    WorkspaceSample sample =
        WorkspaceReader.read(d.resolve("A2004Analysis.xml")).sample("2").orElseThrow();
    EventTable raw = EventTable.read(d.resolve("a2004_O1T2pb05i_A2_A02.fcs"));
    Path conf = conf(dir, panelOf(raw.channels()));
    Files.copy(d.resolve("A2004Analysis.xml"), conf.resolve("gating/D.xml"));
    Files.writeString(conf.resolve("gating/D.workspace.yaml"), "sample: \"2\"\n");
    CytolakeConfig config = CytolakeConfig.load(conf);
    GatingConfig g = GatingConfig.load(conf.resolve("gating"), config);
    // ingested with the workspace's own matrix (panels.yaml spillover: {source: conf}), the lake's
    // columns gate as FlowJo 9's display axes do on the file
    var m = sample.compensation();
    List<String> bindAs =
        raw.channels().stream()
            .map(c -> m.detectors().contains(c) ? c : c.replace('/', '_'))
            .toList();
    EventTable columns =
        lakeColumns(
            raw, config.panel("D"), Compensation.of(m.detectors(), m.coefficients()), bindAs);
    Map<String, Integer> expected = WorkspaceGating.counts(sample, raw);
    Map<String, Integer> lake = lakeCounts(g, "D", columns);
    System.out.println("FlowJo 9.2 sample 2: on the FCS file " + expected);
    System.out.println("FlowJo 9.2 sample 2: on the lake     " + lake);
    assertEquals(expected, lake);
    List<String> problems = new ArrayList<>();
    WorkspaceStrategy.Loaded loaded =
        WorkspaceStrategy.load(
            conf.resolve("gating/D.xml"),
            conf.resolve("gating/D.workspace.yaml"),
            config.panel("D"),
            problems);
    assertEquals(List.of(), problems);
    assertTrue(
        loaded.warnings().stream()
            .anyMatch(w -> w.startsWith("panel D: ") && w.contains("carries its own compensation")),
        loaded.warnings().toString());
  }

  @Test
  void facsDivaTubeGatesTheLakesColumnsAsItsFcsFile(@TempDir Path dir) throws Exception {
    Path d = SharedData.sharedOrSkip("real/flowjo/diva-pe2");
    Workspace ws = WorkspaceReader.read(d.resolve("PE_2.xml"));
    WorkspaceSample tube =
        ws.samples().stream()
            .filter(s -> s.fcsName().equals("124500.fcs"))
            .findFirst()
            .orElseThrow();
    EventTable raw = EventTable.read(d.resolve("124500.fcs"));
    Path conf = conf(dir, panelOf(raw.channels()));
    Files.copy(d.resolve("PE_2.xml"), conf.resolve("gating/D.xml"));
    Files.writeString(conf.resolve("gating/D.workspace.yaml"), "sample: \"" + tube.name() + "\"\n");
    CytolakeConfig config = CytolakeConfig.load(conf);
    GatingConfig g = GatingConfig.load(conf.resolve("gating"), config);
    Map<String, Integer> expected = WorkspaceGating.counts(tube, raw);
    Map<String, Integer> lake =
        lakeCounts(g, "D", lakeColumns(d.resolve("124500.fcs"), config.panel("D")));
    System.out.println("FACSDiva tube " + tube.name() + ": on the FCS file " + expected);
    System.out.println("FACSDiva tube " + tube.name() + ": on the lake     " + lake);
    assertEquals(expected, lake);
  }

  @Test
  void aGatingMlDocumentOnTheDetectorsGatesTheLakeAsTheCompactStrategy(@TempDir Path dir)
      throws Exception {
    Path home = SharedData.projectDir();
    CytolakeConfig shipped = CytolakeConfig.load(home.resolve("conf"));
    PanelConfig p1 = shipped.panel("P1");
    Path fcs = SeparableSamples.dir().resolve("fcs/2015-05-29/TRANSREG-BEH-01_M6_P1.fcs");
    GatingStrategy compact = GatingConfig.load(shipped).strategies().get("P1");
    java.util.Set<String> spill =
        new java.util.TreeSet<>(EventTable.read(fcs).spillover().channels());
    Files.createDirectories(dir.resolve("gating"));
    for (String f : List.of("panels.yaml", "visits.yaml", "gating/P2.yaml", "gating/P3.yaml")) {
      Files.copy(home.resolve("conf").resolve(f), dir.resolve(f));
    }
    Files.writeString(
        dir.resolve("gating/P1.xml"),
        org.cytolake.gating.GatingMlWriter.toXml(
            PanelGatingExport.toDetectors(compact, p1, spill)));
    GatingConfig g = GatingConfig.load(dir.resolve("gating"), CytolakeConfig.load(dir));
    EventTable columns = lakeColumns(fcs, p1);
    GatingResult expected = GateEvaluator.evaluate(compact, columns);
    GatingStrategy xml = GatingConfig.parse(g.texts().get("P1"), "P1");
    GatingResult got = GateEvaluator.evaluate(xml, columns);
    assertEquals(compact.populations(), xml.populations());
    for (String pop : compact.populations()) {
      assertEquals(expected.events(pop), got.events(pop), pop);
    }
    assertTrue(expected.count("Treg") > 0);
  }

  @Test
  void theSidecarMapsChannelsToOtherDetectorsOrColumns(@TempDir Path dir) throws Exception {
    Path d = SharedData.sharedOrSkip(DIAMOND);
    Path conf =
        conf(
            dir,
            "{detector: FL1-A, marker: A, column: a, transform: \"asinh:cofactor=150\"}",
            "{detector: FL2-A, marker: B, column: b, transform: none}");
    Files.copy(d.resolve("test_data_diamond_biex_rect.wsp"), conf.resolve("gating/D.wsp"));
    Files.writeString(
        conf.resolve("gating/D.workspace.yaml"),
        "sample: test_data_diamond_01.fcs\nchannels: {channel_A: FL1-A, channel_B: b}\n");
    CytolakeConfig config = CytolakeConfig.load(conf);
    GatingConfig g = GatingConfig.load(conf.resolve("gating"), config);
    EventTable raw = EventTable.read(d.resolve(DIAMOND_FCS));
    EventTable columns =
        new EventTable("lake", List.of("a", "b"), raw.events(), raw.values().clone(), null);
    var a = config.panel("D").channels().get(0).transform();
    for (int e = 0; e < raw.events(); e++) {
      columns.values()[2 * e] = a.apply(raw.values()[2 * e]);
    }
    WorkspaceSample sample =
        WorkspaceReader.read(d.resolve("test_data_diamond_biex_rect.wsp")).samples().get(0);
    assertEquals(WorkspaceGating.counts(sample, raw), lakeCounts(g, "D", columns));
  }

  @Test
  void aGateOnAChannelThePanelLacksNamesWorkspaceSampleGateAndChannel(@TempDir Path dir)
      throws Exception {
    Path d = SharedData.sharedOrSkip(DIAMOND);
    Path conf = conf(dir, "{detector: channel_A, column: a, transform: none}");
    Files.copy(d.resolve("test_data_diamond_biex_rect.wsp"), conf.resolve("gating/D.wsp"));
    String m = problems(conf);
    assertTrue(m.startsWith("Cannot gate: 1 problem(s)"), m);
    assertTrue(
        m.contains(
            "D.wsp: sample 'test_data_diamond_01.fcs', gate 'upper_right': channel"
                + " 'channel_B' is not a detector of panel D (detectors: channel_A)"),
        m);
  }

  @Test
  void aSampleMissingFromTheWorkspaceListsItsSamples(@TempDir Path dir) throws Exception {
    Path d = SharedData.sharedOrSkip(DIAMOND);
    Path conf = diamondConf(dir);
    Files.copy(d.resolve("test_data_diamond_biex_rect.wsp"), conf.resolve("gating/D.wsp"));
    Files.writeString(conf.resolve("gating/D.workspace.yaml"), "sample: nope.fcs\n");
    String m = problems(conf);
    assertTrue(
        m.contains(
            "D.wsp: sample 'nope.fcs' (the sidecar's sample) is not in the workspace"
                + " (samples: 'test_data_diamond_01.fcs'"),
        m);
  }

  @Test
  void twoStrategyFilesForOnePanelAreAProblemNamingBoth(@TempDir Path dir) throws Exception {
    Path d = SharedData.sharedOrSkip(DIAMOND);
    Path conf = diamondConf(dir);
    Files.copy(d.resolve("test_data_diamond_biex_rect.wsp"), conf.resolve("gating/D.wsp"));
    Files.writeString(
        conf.resolve("gating/D.yaml"), "gates:\n  - {id: x, rectangle: [{dim: a, min: 1}]}\n");
    String m = problems(conf);
    assertTrue(
        m.contains("panel D has 2 strategy files, ")
            && m.contains("D.yaml and ")
            && m.contains("D.wsp; keep one"),
        m);
  }

  @Test
  void everyWorkspaceProblemIsReportedAtOnce(@TempDir Path dir) throws Exception {
    Path conf = diamondConf(dir);
    Files.writeString(conf.resolve("gating/D.wsp"), "<Workspace version=\"20.0\"><Samples>\n");
    Files.writeString(conf.resolve("gating/Q.workspace.yaml"), "sample: x\n");
    Files.writeString(conf.resolve("gating/Q.xml"), "<x/>\n");
    String m = problems(conf);
    assertTrue(m.startsWith("Cannot gate: 3 problem(s)"), m);
    assertTrue(m.contains("D.wsp: Cannot read workspace 'D.wsp': malformed XML at line"), m);
    assertTrue(m.contains("Q.workspace.yaml: panel 'Q' is not in panels.yaml"), m);
    assertTrue(m.contains("Q.xml: panel 'Q' is not in panels.yaml"), m);
  }

  @Test
  void theReportReadsAWorkspacesPopulations(@TempDir Path dir) throws Exception {
    Path d = SharedData.sharedOrSkip(DIAMOND);
    Path conf = diamondConf(dir);
    Files.copy(d.resolve("simple_diamond_example_quad_gate.wsp"), conf.resolve("gating/D.wsp"));
    assertEquals(
        WorkspaceReader.read(d.resolve("simple_diamond_example_quad_gate.wsp"))
            .samples()
            .get(0)
            .strategy()
            .populations(),
        GatingConfig.read(conf, "D").orElseThrow().populations());
  }

  /**
   * {@code export-gating} of a panel whose strategy is a workspace: the Gating-ML on the detectors
   * (the panel's compensation, the gates' own transformations) read back and applied to the raw
   * FCS file gives the workspace's counts on it; a null result when the export is refused.
   */
  private static Map<String, Integer> exportedCounts(
      Path conf, String panel, EventTable raw, java.util.Set<String> spill) throws Exception {
    CytolakeConfig config = CytolakeConfig.load(conf);
    GatingStrategy s = GatingConfig.load(conf.resolve("gating"), config).strategies().get(panel);
    String xml =
        org.cytolake.gating.GatingMlWriter.toXml(
            PanelGatingExport.toDetectors(s, config.panel(panel), spill));
    GatingStrategy back =
        org.cytolake.gating.GatingMlReader.read(
            new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            "exported");
    GatingResult r = GateEvaluator.evaluate(back, raw);
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String p : back.reportedPopulations()) {
      out.put(p, r.count(p));
    }
    return out;
  }

  @Test
  void aWorkspaceStrategyExportsAsGatingMlWithItsCountsOnTheFcsFile(@TempDir Path dir)
      throws Exception {
    Path d = SharedData.sharedOrSkip(DIAMOND);
    Path conf = diamondConf(dir);
    EventTable raw = EventTable.read(d.resolve(DIAMOND_FCS));
    for (String w :
        List.of(
            "simple_diamond_example_quad_gate.wsp",
            "test_data_diamond_asinh_rect.wsp",
            "test_data_diamond_asinh_rect2.wsp")) {
      Files.copy(d.resolve(w), conf.resolve("gating/D.wsp"));
      WorkspaceSample sample = WorkspaceReader.read(d.resolve(w)).samples().get(0);
      Map<String, Integer> expected = WorkspaceGating.counts(sample, raw);
      Map<String, Integer> exported = exportedCounts(conf, "D", raw, java.util.Set.of());
      System.out.println(w + ": on the FCS file " + expected + ", exported " + exported);
      assertEquals(expected, exported, w);
      Files.delete(conf.resolve("gating/D.wsp"));
    }
    // FlowJo's biex has no Gating-ML form: refused, naming the gate and the axis
    Files.copy(d.resolve("test_data_diamond_biex_rect.wsp"), conf.resolve("gating/D.wsp"));
    String m =
        assertThrows(
                IllegalArgumentException.class,
                () -> exportedCounts(conf, "D", raw, java.util.Set.of()))
            .getMessage();
    assertTrue(
        m.startsWith("Cannot export the strategy of panel D as Gating-ML on its detectors: ")
            && m.contains("gate 'upper_right', axis 'channel_A' has transformation flowjo-biex")
            && m.contains("which Gating-ML 2.0 cannot express"),
        m);
  }

  @Test
  void aFacsDivaStrategyExportsAsGatingMlWithItsCountsOnTheFcsFile(@TempDir Path dir)
      throws Exception {
    Path d = SharedData.sharedOrSkip("real/flowjo/diva-pe2");
    WorkspaceSample tube =
        WorkspaceReader.read(d.resolve("PE_2.xml")).samples().stream()
            .filter(s -> s.fcsName().equals("124500.fcs"))
            .findFirst()
            .orElseThrow();
    EventTable raw = EventTable.read(d.resolve("124500.fcs"));
    Path conf = conf(dir, panelOf(raw.channels()));
    Files.copy(d.resolve("PE_2.xml"), conf.resolve("gating/D.xml"));
    Files.writeString(conf.resolve("gating/D.workspace.yaml"), "sample: \"" + tube.name() + "\"\n");
    Map<String, Integer> expected = WorkspaceGating.counts(tube, raw);
    Map<String, Integer> exported =
        exportedCounts(conf, "D", raw, new java.util.TreeSet<>(raw.spillover().channels()));
    System.out.println("FACSDiva tube " + tube.name() + ": exported " + exported);
    assertEquals(expected, exported);
    assertEquals(17_870, exported.get("P1"));
  }

  @Test
  void aFlowJo9StrategyIsRefusedNamingGateAndDisplayAxis(@TempDir Path dir) throws Exception {
    Path d = SharedData.sharedOrSkip("real/flowjo/fj92-a2004");
    EventTable raw = EventTable.read(d.resolve("a2004_O1T2pb05i_A2_A02.fcs"));
    Path conf = conf(dir, panelOf(raw.channels()));
    Files.copy(d.resolve("A2004Analysis.xml"), conf.resolve("gating/D.xml"));
    Files.writeString(conf.resolve("gating/D.workspace.yaml"), "sample: \"2\"\n");
    String m =
        assertThrows(
                IllegalArgumentException.class,
                () -> exportedCounts(conf, "D", raw, java.util.Set.of()))
            .getMessage();
    assertTrue(
        m.contains("gate 'Live/APC/B Cell', axis '<APC-A>' is on FlowJo 9's display axis")
            && m.contains("no Gating-ML 2.0 form"),
        m);
  }
}
