package org.cytolake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.Dimension;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.GateEvaluator;
import org.cytolake.gating.GatingMlReader;
import org.cytolake.gating.GatingMlWriter;
import org.cytolake.gating.GatingResult;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.generate.SeparableSamples;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * A panel's strategy written as Gating-ML on the detectors gates the raw FCS file as the compact
 * strategy gates the events-table columns ingest makes of it (compensated, then transformed).
 */
class PanelGatingExportTest {
  private static final Path HOME = SharedData.projectDir();

  private static GatingStrategy reread(GatingStrategy s) throws Exception {
    byte[] xml = GatingMlWriter.toXml(s).getBytes(StandardCharsets.UTF_8);
    return GatingMlReader.read(new ByteArrayInputStream(xml), "exported");
  }

  /**
   * The events-table columns of a raw file computed here, independently of the export: the
   * file's spillover inverted with Commons Math, then each channel's transform.
   */
  private static EventTable columns(EventTable raw, PanelConfig panel) {
    List<String> spill = raw.spillover().channels();
    RealMatrix inverse =
        new LUDecomposition(new Array2DRowRealMatrix(raw.spillover().matrix()))
            .getSolver()
            .getInverse();
    int n = raw.events();
    List<String> cols = panel.columns();
    double[] out = new double[n * cols.size()];
    for (int e = 0; e < n; e++) {
      double[] observed = new double[spill.size()];
      for (int i = 0; i < spill.size(); i++) {
        observed[i] = raw.values()[e * raw.channels().size() + raw.indexOf(spill.get(i))];
      }
      double[] comp = inverse.preMultiply(observed);
      for (int c = 0; c < cols.size(); c++) {
        ChannelConfig ch = panel.channels().get(c);
        int k = spill.indexOf(ch.detector());
        double v =
            k >= 0 ? comp[k] : raw.values()[e * raw.channels().size() + raw.indexOf(ch.detector())];
        out[e * cols.size() + c] = ch.transform().apply(v);
      }
    }
    return new EventTable("columns", cols, n, out, null);
  }

  @Test
  void everyPanelsExportGatesTheRawFileAsTheCompactStrategyGatesItsColumns() throws Exception {
    CytolakeConfig config = CytolakeConfig.load(HOME.resolve("conf"));
    GatingConfig gating = GatingConfig.load(config);
    for (String code : List.of("P1", "P2", "P3")) {
      PanelConfig panel = config.panels().get(code);
      Path fcs =
          SeparableSamples.dir().resolve("fcs/2015-05-29/TRANSREG-BEH-01_M6_" + code + ".fcs");
      EventTable raw = EventTable.read(fcs);
      Set<String> spill = new TreeSet<>(raw.spillover().channels());
      GatingStrategy compact = gating.strategies().get(code);
      GatingResult expected = GateEvaluator.evaluate(compact, columns(raw, panel));
      GatingStrategy exported = reread(PanelGatingExport.toDetectors(compact, panel, spill));
      GatingResult got = GateEvaluator.evaluate(exported, raw);
      List<String> differ = new ArrayList<>();
      for (String pop : compact.populations()) {
        if (!expected.events(pop).equals(got.events(pop))) {
          differ.add(pop + " " + expected.count(pop) + " vs " + got.count(pop));
        }
      }
      assertTrue(differ.isEmpty(), code + ": " + differ);
      assertTrue(expected.count(compact.populations().get(compact.populations().size() - 1)) > 0);
    }
  }

  @Test
  void fluorescenceIsCompensatedWithTheFilesMatrixAndScatterIsNot() throws Exception {
    CytolakeConfig config = CytolakeConfig.load(HOME.resolve("conf"));
    PanelConfig p1 = config.panels().get("P1");
    GatingStrategy s =
        CompactGatingReader.read(
            "gates:\n" + "  - {id: a, rectangle: [{dim: fsc_a, min: 1}, {dim: cd4, min: 2.5}]}\n",
            "t.yaml",
            false);
    GatingStrategy out = PanelGatingExport.toDetectors(s, p1, null);
    List<Dimension> dims = out.gates().get("a").dimensions();
    assertEquals(Dimension.fcs("FSC-A", null, Dimension.UNCOMPENSATED), dims.get(0));
    assertEquals(Dimension.fcs("PerCP-Cy5.5-A", "t_cd4", Dimension.FCS), dims.get(1));
    assertEquals(1, out.transformations().size());
  }

  @Test
  void aDimensionThatIsNotAColumnIsNamedWithTheColumns() throws Exception {
    CytolakeConfig config = CytolakeConfig.load(HOME.resolve("conf"));
    GatingStrategy s =
        CompactGatingReader.read(
            "gates:\n  - {id: a, rectangle: [{dim: cd99, min: 1}]}\n", "t.yaml", false);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PanelGatingExport.toDetectors(s, config.panels().get("P1"), null));
    assertTrue(e.getMessage().contains("'cd99'") && e.getMessage().contains("events_p1"));
    assertTrue(e.getMessage().contains("cd45ra"), e.getMessage());
  }
}
