package org.cytolake.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cytolake.gating.EventTable;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * Parity with the counts FlowJo and FACSDiva stored in real workspaces ({@code shared/real/flowjo}); skipped when the
 * shared data are absent. Prints a table of population, reference, ours, difference.
 */
class WorkspaceParityTest {

  private static Path flowjo(String rel) {
    return SharedData.sharedOrSkip("real/flowjo/" + rel);
  }

  /**
   * Parity of one sample, as the field measures it: R's {@code all.equal(target, current)} "mean relative
   * difference" (its default {@code countEQ = FALSE}: entries that are equal are left out, so it is
   * sum |ours - reference| / sum |reference| over the entries that differ; 0 when none differ), on counts (what
   * CytoML's FACSDiva test compares) and on frequencies of the parent (what its FlowJo tests compare).
   *
   * @param counts on population counts
   * @param frequencies on count / parent count, the root's parent being the sample's events
   */
  private record Parity(double counts, double frequencies) {}

  /** Applies one sample, prints a table of population, reference, ours, difference, and returns its parity. */
  private static Parity compare(Path wsp, Path fcs, String sample, String label) throws Exception {
    Workspace ws = WorkspaceReader.read(wsp);
    WorkspaceSample s = ws.sample(sample).orElseThrow();
    EventTable events = EventTable.read(fcs);
    Map<String, Integer> ours = WorkspaceGating.counts(s, events);
    List<double[]> counts = new ArrayList<>();
    List<double[]> frequencies = new ArrayList<>();
    for (var e : ours.entrySet()) {
      String pop = e.getKey();
      Long ref = s.storedCounts().get(pop);
      String diff = ref == null ? "n/a" : Long.toString(e.getValue() - ref);
      System.out.printf(
          "| %s | %s | %s | %d | %s |%n", label, pop, ref == null ? "-" : ref, e.getValue(), diff);
      if (ref == null) {
        continue;
      }
      counts.add(new double[] {ref, e.getValue()});
      String parent = s.strategy().gates().get(pop).parentId();
      Long refParent =
          parent == null ? Long.valueOf(s.storedEvents()) : s.storedCounts().get(parent);
      Integer ourParent = parent == null ? Integer.valueOf(events.events()) : ours.get(parent);
      if (refParent != null && refParent > 0 && ourParent != null && ourParent > 0) {
        frequencies.add(new double[] {ref / (double) refParent, e.getValue() / (double) ourParent});
      }
    }
    Parity p = new Parity(meanRelativeDifference(counts), meanRelativeDifference(frequencies));
    System.out.printf(
        "%s: mean relative difference (R all.equal) %.5f on counts, %.5f on frequencies%n",
        label, p.counts(), p.frequencies());
    return p;
  }

  /** R's all.equal mean relative difference of (target, current) pairs, equal pairs left out. */
  static double meanRelativeDifference(List<double[]> pairs) {
    double diff = 0;
    double target = 0;
    for (double[] tc : pairs) {
      if (tc[0] != tc[1]) {
        diff += Math.abs(tc[1] - tc[0]);
        target += Math.abs(tc[0]);
      }
    }
    return diff == 0 ? 0 : diff / target;
  }

  @Test
  void meanRelativeDifferenceIsRsAllEqual() {
    // By R's definition all.equal(c(100, 50, 10), c(100, 49, 12)) is a mean relative difference of
    // (1 + 2) / (50 + 10) = 0.05: the equal first entries do not count.
    assertEquals(
        0.05,
        meanRelativeDifference(
            List.of(new double[] {100, 100}, new double[] {50, 49}, new double[] {10, 12})),
        1e-15);
    assertEquals(0.0, meanRelativeDifference(List.of(new double[] {3, 3})));
  }

  @Test
  void flowKitSyntheticWorkspacesExactly() throws Exception {
    Path d = flowjo("flowkit/simple_diamond_example");
    Path fcs = d.resolve("test_data_diamond_01.fcs");
    for (String w :
        List.of(
            "simple_diamond_example_quad_gate.wsp",
            "test_data_diamond_biex_rect.wsp",
            "test_data_diamond_asinh_rect.wsp",
            "test_data_diamond_asinh_rect2.wsp")) {
      assertEquals(0.0, compare(d.resolve(w), fcs, "test_data_diamond_01.fcs", w).counts(), w);
    }
    Path l = flowjo("flowkit/simple_line_example");
    assertEquals(
        0.0,
        compare(
                l.resolve("single_ellipse_51_events.wsp"),
                l.resolve("data_set_simple_line_100.fcs"),
                "data_set_simple_line_100.fcs",
                "single_ellipse_51_events.wsp")
            .counts());
  }

  /**
   * FlowJo 9.2 sample 2 does NOT reach CytoML's FlowJo tolerance (all.equal on frequencies, 3e-3):
   * it is 0.0114 on frequencies and 0.0024 on counts, from Live -38 (the left edge of a polygon on
   * linear FSC-A/SSC-A), Monocytes -34 with its cytokine children -3/-6/-4, and one borderline pDC
   * event. Three investigations (README, "Parity on shared/real/flowjo") found no cause; the
   * workspace's stored counts for sample 2 may predate its last edit (it has no count for the
   * CD14-MHC2- ellipse that sample 1 has), and CytoML's own test of this workspace is commented
   * out. This test holds today's measured differences so that a regression fails; reaching 3e-3
   * would tighten it.
   */
  @Test
  void flowJo92SampleTwoHoldsItsMeasuredDifferences() throws Exception {
    Path d = flowjo("fj92-a2004");
    Parity p =
        compare(
            d.resolve("A2004Analysis.xml"),
            d.resolve("a2004_O1T2pb05i_A2_A02.fcs"),
            "2",
            "FlowJo 9.2");
    assertTrue(p.counts() <= 0.0025, "mean relative difference on counts " + p);
    assertTrue(p.frequencies() <= 0.012, "mean relative difference on frequencies " + p);
  }

  @Test
  void divaTube124500() throws Exception {
    Path d = flowjo("diva-pe2");
    Workspace ws = WorkspaceReader.read(d.resolve("PE_2.xml"));
    String tube =
        ws.samples().stream()
            .filter(s -> s.fcsName().equals("124500.fcs"))
            .findFirst()
            .orElseThrow()
            .name();
    Parity p = compare(d.resolve("PE_2.xml"), d.resolve("124500.fcs"), tube, "FACSDiva");
    // CytoML's test of this export (test-diva2gs.R, PE_2): all.equal on counts, tolerance 0.0018.
    assertTrue(p.counts() <= 0.0018, "mean relative difference on counts " + p);
  }

  @Test
  void eightColourWorkspacesParse() throws Exception {
    Path d = flowjo("flowkit/8_color_data_set");
    try (var files = Files.list(d)) {
      for (Path w : files.filter(p -> p.toString().endsWith(".wsp")).sorted().toList()) {
        Workspace ws = WorkspaceReader.read(w);
        int pops = 0;
        int stored = 0;
        for (WorkspaceSample s : ws.samples()) {
          pops += s.strategy().populations().size();
          stored += s.storedCounts().size();
          // Every count FlowJo stored belongs to a population the strategy holds.
          for (String p : s.storedCounts().keySet()) {
            assertTrue(
                s.strategy().populations().contains(p),
                () -> w.getFileName() + " " + s.name() + ": stored count for " + p);
          }
        }
        System.out.printf(
            "%s: %d samples, %d populations, %d stored counts%n",
            w.getFileName(), ws.samples().size(), pops, stored);
        assertTrue(ws.samples().size() >= 1, w.toString());
      }
    }
  }

  @Test
  void malformedXmlNamesWorkspaceAndLine(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    Path bad = tmp.resolve("bad.wsp");
    Files.writeString(bad, "<Workspace version=\"20.0\"><SampleList>");
    WorkspaceException e = assertThrows(WorkspaceException.class, () -> WorkspaceReader.read(bad));
    assertTrue(
        e.getMessage().contains("bad.wsp") && e.getMessage().contains("line"), e.getMessage());
  }
}
