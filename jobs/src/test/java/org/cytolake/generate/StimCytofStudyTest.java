package org.cytolake.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cytolake.fcs.DataType;
import org.cytolake.fcs.FcsDataset;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsParameter;
import org.cytolake.fcs.FcsReader;
import org.cytolake.gating.EventTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stim-cytof example study: what it writes, that it is reproducible and what it holds. */
class StimCytofStudyTest {
  static final int EVENTS = 3000;

  static StimCytofStudy.Result generate(Path out, int donors, long seed) throws IOException {
    return StimCytofStudy.run(
        new StimCytofStudy.Options(out, donors, EVENTS, seed, false), line -> {});
  }

  static Map<String, byte[]> files(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    return out;
  }

  @Test
  void writesFcsFilesAManifestAndDmOnlyByteIdenticallyForASeed(@TempDir Path tmp)
      throws IOException {
    StimCytofStudy.Result r = generate(tmp.resolve("a"), 2, 5);
    assertEquals(4, r.fcsFiles());
    assertEquals(4L * EVENTS, r.events());
    Map<String, byte[]> a = files(tmp.resolve("a"));
    assertEquals(
        List.of(
            "clinical/dm.csv",
            "fcs/SC-01_stim.fcs",
            "fcs/SC-01_unstim.fcs",
            "fcs/SC-02_stim.fcs",
            "fcs/SC-02_unstim.fcs",
            "manifest.csv"),
        List.copyOf(a.keySet()));
    assertEquals(
        String.join(
            "\n",
            "file,patient_id,visit,panel",
            "fcs/SC-01_unstim.fcs,SC-01,unstim,PBMC",
            "fcs/SC-01_stim.fcs,SC-01,stim,PBMC",
            "fcs/SC-02_unstim.fcs,SC-02,unstim,PBMC",
            "fcs/SC-02_stim.fcs,SC-02,stim,PBMC",
            ""),
        new String(a.get("manifest.csv")));
    List<String> dm = new String(a.get("clinical/dm.csv")).lines().toList();
    assertEquals("STUDYID,USUBJID,AGE,SEX,DISEASE", dm.get(0));
    assertEquals(3, dm.size());
    assertTrue(dm.get(1).matches("STIM-CYTOF,SC-01,\\d\\d,[FM],Healthy donor"), dm.get(1));

    generate(tmp.resolve("b"), 2, 5);
    Map<String, byte[]> b = files(tmp.resolve("b"));
    for (String f : a.keySet()) {
      assertArrayEquals(a.get(f), b.get(f), f);
    }
    generate(tmp.resolve("c"), 2, 6);
    assertFalse(
        Arrays.equals(
            a.get("fcs/SC-01_stim.fcs"), files(tmp.resolve("c")).get("fcs/SC-01_stim.fcs")),
        "another seed, other events");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> generate(tmp.resolve("a"), 2, 5));
    assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
    StimCytofStudy.run(new StimCytofStudy.Options(tmp.resolve("a"), 1, 10, 5, true), l -> {});
    assertEquals(
        List.of("clinical/dm.csv", "fcs/SC-01_stim.fcs", "fcs/SC-01_unstim.fcs", "manifest.csv"),
        List.copyOf(files(tmp.resolve("a")).keySet()),
        "overwrite replaces");
    assertEquals(
        List.of(
            "--patients (donors) must be 1-99, not 0",
            "--events-per-sample must be 1-10000000, not 0"),
        new StimCytofStudy.Options(tmp, 0, 0, 1, false).problems());
  }

  @Test
  void filesHoldCytofLikeCountsWithoutScatterOrSpillover(@TempDir Path tmp) throws IOException {
    generate(tmp, 1, 11);
    Path file = tmp.resolve(StimCytofStudy.file(1, StimCytofStudy.UNSTIM));
    try (FcsFile f = FcsReader.open(file)) {
      FcsDataset ds = f.first();
      assertEquals("FCS3.0", ds.version());
      assertEquals(DataType.F, ds.dataType());
      assertEquals(EVENTS, ds.eventCount());
      assertTrue(ds.spillover().isEmpty());
      assertEquals(List.of(), ds.warnings());
      List<String> names = ds.parameters().stream().map(FcsParameter::name).toList();
      List<String> labels = ds.parameters().stream().map(FcsParameter::label).toList();
      assertEquals(
          StimCytofModel.CHANNELS.stream().map(StimCytofModel.Channel::detector).toList(), names);
      assertEquals(
          StimCytofModel.CHANNELS.stream().map(StimCytofModel.Channel::marker).toList(), labels);
      assertTrue(names.stream().noneMatch(n -> n.startsWith("FSC") || n.startsWith("SSC")));
      assertTrue(
          names.contains("Yb176Di")
              && names.contains("Ir191Di")
              && names.contains("Ir193Di")
              && names.contains("Event_length"),
          names.toString());
      assertNull(labels.get(0));
    }
    EventTable t = EventTable.read(file);
    StimCytofModel.Events model = StimCytofStudy.events(11, 1, StimCytofStudy.UNSTIM, EVENTS);
    int c = StimCytofModel.CHANNELS.size();
    for (int i = 0; i < model.values().length; i++) {
      assertEquals(model.values()[i], t.values()[i], 0.0, "value " + i + " as simulated");
    }
    int time = StimCytofModel.channel("Time");
    int length = StimCytofModel.channel("Event_length");
    int cd19 = StimCytofModel.channel("CD19");
    long zerosOfTcells = 0;
    long tCells = 0;
    for (int e = 0; e < EVENTS; e++) {
      for (int k = 0; k < c; k++) {
        double v = t.values()[e * c + k];
        if (k == length) {
          assertEquals(Math.rint(v), v, "Event_length is a whole number of pushes");
        } else if (k != time) {
          // a count, randomised below it: 0 or in (n - 1, n]
          assertTrue(v == 0 || (v > 0 && Math.ceil(v) - v < 1), "count " + v);
        }
      }
      if (e > 0) {
        assertTrue(t.values()[e * c + time] >= t.values()[(e - 1) * c + time], "Time rises");
      }
      if (model.labels().get(e).startsWith("CD4 ") || model.labels().get(e).startsWith("CD8 ")) {
        tCells++;
        zerosOfTcells += t.values()[e * c + cd19] == 0 ? 1 : 0;
      }
    }
    // Poisson zeros: a negative marker (mean 0.3 counts) is 0 in about exp(-0.3) = 74% of cells
    double zeros = (double) zerosOfTcells / tCells;
    assertTrue(tCells > 1000 && zeros > 0.65 && zeros < 0.85, zeros + " of " + tCells);
  }

  @Test
  void stimulationRaisesPs6InBCellsOfEveryDonorAndLeavesTCellsAlone() {
    int ps6 = StimCytofModel.channel("pS6");
    for (int d = 1; d <= StimCytofStudy.DONORS_DEFAULT; d++) {
      double bUnstim = median(StimCytofStudy.events(1, d, "unstim", EVENTS), "B", ps6);
      double bStim = median(StimCytofStudy.events(1, d, "stim", EVENTS), "B", ps6);
      double tUnstim = median(StimCytofStudy.events(1, d, "unstim", EVENTS), "CD4 naive", ps6);
      double tStim = median(StimCytofStudy.events(1, d, "stim", EVENTS), "CD4 naive", ps6);
      assertTrue(bStim > bUnstim + 1.5, "donor " + d + ": B pS6 " + bUnstim + " -> " + bStim);
      assertEquals(tUnstim, tStim, 0.3, "donor " + d + ": CD4 naive pS6");
    }
  }

  /** Median of arcsinh(x / 5) of one channel over the events of one label. */
  static double median(StimCytofModel.Events ev, String label, int channel) {
    int c = StimCytofModel.CHANNELS.size();
    List<Double> v = new ArrayList<>();
    for (int e = 0; e < ev.events(); e++) {
      if (ev.labels().get(e).equals(label)) {
        v.add(
            Math.log(
                ev.values()[e * c + channel] / 5.0
                    + Math.sqrt(Math.pow(ev.values()[e * c + channel] / 5.0, 2) + 1)));
      }
    }
    v.sort(null);
    int n = v.size();
    assertTrue(n > 20, label + ": " + n + " events");
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }
}
