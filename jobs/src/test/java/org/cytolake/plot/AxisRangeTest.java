package org.cytolake.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.cytometry.transform.TransformSpec;
import org.junit.jupiter.api.Test;

/** Command-line ranges and panel columns as plot axes. */
class AxisRangeTest {

  @Test
  void aRangeParsesFromLoColonHi() {
    assertEquals(new AxisRange(-1, 8), AxisRange.parse("-1:8"));
    assertEquals(new AxisRange(0, 262144), AxisRange.parse(" 0 : 2.62144e5 "));
    assertEquals(new BinAxis(-1, 8, 16), AxisRange.parse("-1:8").axis(16));
    for (String bad : List.of("1", "1:1", "2:1", "a:b", "1:2:3", "-inf:1")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> AxisRange.parse(bad), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void aChannelIsFoundByColumnOrMarkerAndLabelledWithItsTransform() {
    PanelConfig p1 =
        new PanelConfig(
            "P1",
            "TREG",
            "",
            List.of(
                new ChannelConfig("FSC-A", null, "fsc_a", TransformSpec.parse("none"), false),
                new ChannelConfig(
                    "PerCP-Cy5.5-A",
                    "CD4",
                    "cd4",
                    TransformSpec.parse("asinh:cofactor=150"),
                    true)),
            null);
    assertEquals("cd4", PanelChannels.find(p1, "CD4").column());
    assertEquals("cd4", PanelChannels.find(p1, "cd4").column());
    assertEquals("fsc_a", PanelChannels.find(p1, "FSC_A").column());
    assertEquals(
        "CD4 (cd4), asinh:cofactor=150", PanelChannels.label(PanelChannels.find(p1, "cd4")));
    assertEquals(
        "fsc_a, linear (no transform)", PanelChannels.label(PanelChannels.find(p1, "fsc_a")));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PanelChannels.find(p1, "CD8"));
    assertEquals(
        "Cannot plot column 'CD8': panel P1 has no such column or marker; its columns are fsc_a, cd4 (CD4)",
        e.getMessage());
  }
}
