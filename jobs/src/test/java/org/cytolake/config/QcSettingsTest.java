package org.cytolake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.cytolake.qc.QcParams;
import org.cytolake.qc.QcReason;
import org.junit.jupiter.api.Test;

/** The {@code qc.*} keys of conf/cytolake.yaml build {@link QcParams}; bad values fail at load. */
class QcSettingsTest {
  @Test
  void defaultsAreTheQcCoresDefaults() {
    assertEquals(QcParams.defaults(), Settings.defaults().qcParams());
    assertTrue(Settings.defaults().getBoolean(Settings.QC_ENABLED));
    assertFalse(Settings.defaults().getBoolean(Settings.QC_USE_FLAGGED_EVENTS));
  }

  @Test
  void keysSetTheParameters() {
    List<String> problems = new ArrayList<>();
    Settings s =
        Settings.of(
            "cytolake.yaml",
            Map.of(
                "qc.events-per-bin", "500",
                "qc.mad-multiplier", "4.5",
                "qc.consecutive-bins", "0",
                "qc.quantiles", "0.5, 0.95",
                "qc.checks", "flow-rate,margin"),
            problems);
    assertEquals(List.of(), problems);
    QcParams p = s.qcParams();
    assertEquals(500, p.eventsPerBin());
    assertEquals(4.5, p.madMultiplier());
    assertEquals(0, p.consecutiveBins());
    assertEquals(List.of(0.5, 0.95), p.quantiles());
    assertEquals(EnumSet.of(QcReason.FLOW_RATE, QcReason.MARGIN), p.checks());
  }

  @Test
  void everyBadValueIsReportedAtLoadNamingFileAndKey() {
    List<String> problems = new ArrayList<>();
    Settings.of(
        "cytolake.yaml",
        Map.of(
            "qc.mad-multiplier", "-1",
            "qc.consecutive-bins", "-2",
            "qc.enabled", "yes",
            "qc.quantiles", "0.5,x",
            "qc.checks", "flow-rate,clogs",
            "qc.min-events-per-bin", "2000"),
        problems);
    String all = String.join("\n", problems);
    assertTrue(all.contains("cytolake.yaml: qc.mad-multiplier: must be a number > 0, not -1"), all);
    assertTrue(all.contains("cytolake.yaml: qc.consecutive-bins: must be 0 or more, not -2"), all);
    assertTrue(all.contains("cytolake.yaml: qc.enabled: must be true or false, not 'yes'"), all);
    assertTrue(all.contains("qc.quantiles: not a number: 'x'"), all);
    assertTrue(all.contains("qc.checks: unknown check 'clogs'"), all);
    assertTrue(all.contains("eventsPerBin must be at least minEventsPerBin (2000)"), all);
    assertEquals(4, problems.size(), all); // the three qc.* parameter problems in one line
  }
}
