package org.cytolake.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.config.SpilloverSource;
import org.cytolake.ingest.FileCheck;
import org.cytolake.ingest.PlannedSample;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/** The options ingest reads a panel with parse back, as the data source reads them. */
class FcsSourceOptionsTest {
  static final PanelConfig P1 =
      CytolakeConfig.load(SharedData.projectDir().resolve("conf")).panel("P1");

  static PlannedSample sample(String path, String id, String visit) {
    FileCheck c =
        new FileCheck(
            path,
            1000,
            "sha-" + id,
            "FCS3.1",
            "F",
            10,
            10,
            P1.detectors(),
            Collections.nCopies(P1.detectors().size(), null),
            List.of(),
            List.of(),
            null,
            null,
            List.of(),
            List.of(),
            null,
            null,
            -1,
            Map.of());
    return new PlannedSample(c, id, "P-" + id, visit, "P1", null, null, List.of(), null);
  }

  @Test
  void ingestReadsAPanelsFilesInVisitThenSampleOrderTaggedWithSampleAndVisit() {
    List<PlannedSample> samples =
        List.of(
            sample("hdfs:///in/c.fcs", "S-2", "D8"),
            sample("hdfs:///in/b.fcs", "S-3", "D1"),
            sample("hdfs:///in/a.fcs", "S-1", "D8"));
    FcsSourceOptions o = FcsSourceOptions.parse(FcsSourceOptions.forIngest(P1, samples, 4096));
    assertEquals(List.of("hdfs:///in/b.fcs", "hdfs:///in/a.fcs", "hdfs:///in/c.fcs"), o.paths());
    assertEquals(P1.detectors(), o.channels());
    assertEquals(P1.columns(), o.names());
    assertEquals(P1.channels().stream().map(c -> c.transform().spec()).toList(), o.transforms());
    assertTrue(o.linearize());
    assertTrue(o.compensate());
    assertEquals(4096, o.splitBytes());
    assertEquals(List.of("sample_id", "visit"), o.tagNames());
    assertEquals(
        Map.of(
            "hdfs:///in/b.fcs",
            List.of("S-3", "D1"),
            "hdfs:///in/a.fcs",
            List.of("S-1", "D8"),
            "hdfs:///in/c.fcs",
            List.of("S-2", "D8")),
        o.tags());
    assertEquals(List.of(), o.spilloverChannels());
  }

  @Test
  void aPanelWithoutSpilloverIsNotCompensatedAndOneWithItsOwnMatrixPassesIt() {
    List<PlannedSample> one = List.of(sample("/a.fcs", "S-1", "D1"));
    PanelConfig none = withSpillover(SpilloverSource.NONE);
    assertEquals(
        false, FcsSourceOptions.parse(FcsSourceOptions.forIngest(none, one, 1)).compensate());
    double[][] m = {{1, 0.1}, {0.05, 1}};
    PanelConfig conf = withSpillover(new SpilloverSource("conf", List.of("FITC-A", "PE-A"), m));
    FcsSourceOptions o = FcsSourceOptions.parse(FcsSourceOptions.forIngest(conf, one, 1));
    assertTrue(o.compensate());
    assertEquals(List.of("FITC-A", "PE-A"), o.spilloverChannels());
    assertArrayEquals(m[0], o.spilloverMatrix()[0]);
    assertArrayEquals(m[1], o.spilloverMatrix()[1]);
  }

  static PanelConfig withSpillover(SpilloverSource s) {
    List<ChannelConfig> channels = new ArrayList<>(P1.channels());
    return new PanelConfig(P1.code(), P1.name(), P1.description(), channels, s);
  }
}
