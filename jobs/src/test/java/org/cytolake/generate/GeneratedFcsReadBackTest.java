package org.cytolake.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.cytolake.cytometry.BoundCompensation;
import org.cytolake.cytometry.Compensation;
import org.cytolake.fcs.EventReader;
import org.cytolake.fcs.FcsDataset;
import org.cytolake.fcs.FcsErrorCode;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsFormatException;
import org.cytolake.fcs.FcsParameter;
import org.cytolake.fcs.FcsReader;
import org.cytolake.fcs.Spillover;
import org.junit.jupiter.api.Test;

/** Every generated FCS file read back by our reader: exact values, counts, keywords, faults. */
class GeneratedFcsReadBackTest {

  private static final Path TRIAL = Trials.small();

  private static Map<String, String> faults() throws IOException {
    Map<String, String> m = new HashMap<>();
    for (List<String> r : Trials.rows(TRIAL.resolve("truth/bad_inputs.csv"))) {
      if (r.get(0).equals("fcs")) {
        m.put(r.get(1), r.get(2));
      }
    }
    return m;
  }

  private static Map<String, Long> truthCounts() throws IOException {
    Map<String, Long> m = new HashMap<>();
    for (List<String> r : Trials.rows(TRIAL.resolve("truth/populations.csv"))) {
      if (r.get(3).isEmpty()) {
        m.merge(r.get(0), Long.parseLong(r.get(2)), Long::sum);
      }
    }
    return m;
  }

  private static List<String> fcsFiles() throws IOException {
    try (Stream<Path> s = Files.walk(TRIAL.resolve("fcs"))) {
      return s.filter(p -> p.toString().endsWith(".fcs"))
          .map(p -> TRIAL.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }

  static float[] readAll(FcsFile f) throws IOException {
    FcsDataset ds = f.first();
    int par = ds.parameters().size();
    float[] out = new float[(int) ds.eventCount() * par];
    EventReader r = f.events(ds);
    float[] buf = new float[4096 * par];
    int at = 0;
    for (int n = r.read(buf); n > 0; n = r.read(buf)) {
      System.arraycopy(buf, 0, out, at, n * par);
      at += n * par;
    }
    assertEquals(out.length, at);
    return out;
  }

  @Test
  void everyFileReadsBackWithTheExactValuesWritten() throws Exception {
    Map<String, String> faults = faults();
    Map<String, Long> counts = truthCounts();
    Map<String, Integer> manifest = new HashMap<>();
    for (List<String> r : Trials.rows(TRIAL.resolve("manifest.csv"))) {
      manifest.put(r.get(0), 1);
    }
    List<String> files = fcsFiles();
    assertEquals(counts.keySet(), new HashSet<>(files), "truth covers every FCS file");
    Set<String> versions = new HashSet<>();
    for (String file : files) {
      if ("TRUNCATED_DATA".equals(faults.get(file))) {
        continue;
      }
      try (FcsFile f = FcsReader.open(TRIAL.resolve(file))) {
        FcsDataset ds = f.first();
        versions.add(ds.version() + " " + ds.dataType() + " " + ds.byteOrder());
        assertEquals(counts.get(file), ds.eventCount(), file);
        assertEquals(PanelModel.CHANNELS, ds.parameters().size(), file);
        assertEquals("NO_SPILLOVER".equals(faults.get(file)), ds.spillover().isEmpty(), file);
        assertEquals(
            !"NO_MANIFEST_LINK".equals(faults.get(file)), manifest.containsKey(file), file);
        float[] read = readAll(f);
        float[] drawn = TrialGenerator.redraw(Trials.smallOptions(TRIAL), file).values();
        assertEquals(drawn.length, read.length, file);
        for (int i = 0; i < read.length; i++) {
          if (Float.floatToIntBits(drawn[i]) != Float.floatToIntBits(read[i])) {
            throw new AssertionError(
                file + ": value " + i + " is " + read[i] + ", drawn " + drawn[i]);
          }
        }
      }
    }
    assertEquals(
        Set.of("FCS3.1 F LITTLE_ENDIAN", "FCS3.0 F BIG_ENDIAN", "FCS2.0 I BIG_ENDIAN"), versions);
  }

  @Test
  void channelsKeywordsAndSpilloverFollowTheContract() throws Exception {
    String file =
        Trials.rows(TRIAL.resolve("manifest.csv")).stream()
            .filter(r -> r.get(3).equals("P1") && r.get(6).equals("FCS3.1/float32/LE"))
            .filter(
                r -> {
                  try {
                    return !faults().containsKey(r.get(0));
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                })
            .findFirst()
            .orElseThrow()
            .get(0);
    try (FcsFile f = FcsReader.open(TRIAL.resolve(file))) {
      FcsDataset ds = f.first();
      List<String> names = ds.parameters().stream().map(FcsParameter::name).toList();
      assertEquals(
          List.of(
              "FSC-A",
              "FSC-H",
              "SSC-A",
              "FITC-A",
              "PE-A",
              "PE-CF594-A",
              "PerCP-Cy5.5-A",
              "PE-Cy7-A",
              "APC-A",
              "APC-H7-A",
              "BV421-A",
              "BV510-A",
              "BV605-A",
              "Time"),
          names);
      assertEquals("CD25", ds.parameters().get(4).label());
      assertEquals("Viability", ds.parameters().get(9).label());
      assertEquals(262_144.0, ds.parameters().get(5).range());
      assertTrue(ds.warnings().isEmpty(), ds.warnings().toString());
      Spillover s = ds.spillover().orElseThrow();
      assertEquals("$SPILLOVER", s.keyword());
      assertEquals(PanelModel.DETECTORS, s.channels());
      assertEquals(0.45, s.value(1, 2));
      assertEquals(0.15, s.value(9, 2));
      for (int i = 0; i < 10; i++) {
        for (int j = 0; j < 10; j++) {
          double v = s.value(i, j);
          assertTrue(i == j ? v == 1 : v >= 0 && v <= 0.45, i + "," + j + ": " + v);
        }
      }
      var kw = ds.keywords();
      assertEquals(Instrument.CYTOMETER, kw.getOrNull("$CYT"));
      assertTrue(kw.getOrNull("$DATE").matches("\\d\\d-[A-Z]{3}-20\\d\\d"), kw.getOrNull("$DATE"));
      assertTrue(kw.getOrNull("$BTIM").matches("\\d\\d:\\d\\d:\\d\\d"));
      assertTrue(kw.getOrNull("$ETIM").compareTo(kw.getOrNull("$BTIM")) > 0);
      assertTrue(kw.getOrNull("$FIL").contains("_TREG.fcs"), kw.getOrNull("$FIL"));
      assertTrue(kw.getOrNull("PATIENT_NAME").matches("[A-Z][a-z]+ [A-Z -]+"));
      assertTrue(kw.getOrNull("CYTOLAKE_BATCH").startsWith("RUN-20"));
      assertTrue(kw.contains("$OP") && kw.contains("$SRC"));
      float[] v = readAll(f);
      for (int e = 1; e < ds.eventCount(); e++) {
        assertTrue(v[e * 14 + 13] >= v[(e - 1) * 14 + 13], "Time never decreases");
      }
      for (float x : v) {
        assertTrue(x >= -111f && x <= 262_143f, "in range: " + x);
      }
    }
  }

  /** Tregs are CD25-PE bright: PE spills 45% into PE-CF594 (HLA-DR), which compensation removes. */
  @Test
  void compensationIsNeededAndRecoversTheStain() throws Exception {
    List<String[]> labels = Trials.labels(TRIAL);
    String file =
        Trials.rows(TRIAL.resolve("manifest.csv")).stream()
            .filter(r -> r.get(3).equals("P1") && r.get(6).equals("FCS3.1/float32/LE"))
            .map(r -> r.get(0))
            .filter(
                x -> {
                  try {
                    return !faults().containsKey(x);
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                })
            .findFirst()
            .orElseThrow();
    try (FcsFile f = FcsReader.open(TRIAL.resolve(file))) {
      FcsDataset ds = f.first();
      float[] raw = readAll(f);
      double[] comp = new double[raw.length];
      for (int i = 0; i < raw.length; i++) {
        comp[i] = raw[i];
      }
      Spillover s = ds.spillover().orElseThrow();
      List<String> names = ds.parameters().stream().map(FcsParameter::name).toList();
      BoundCompensation c = Compensation.of(s.channels(), s.matrix()).bind(names);
      c.compensate(comp, (int) ds.eventCount(), names.size());
      double rawSum = 0;
      double compSum = 0;
      int n = 0;
      int e = 0;
      for (String[] l : labels) {
        if (!l[0].equals(file)) {
          continue;
        }
        if (l[2].contains("/Treg")) {
          rawSum += raw[e * 14 + 5];
          compSum += comp[e * 14 + 5];
          n++;
        }
        e++;
      }
      assertTrue(n > 0, "Tregs in " + file);
      assertTrue(rawSum / n > 2000, "raw PE-CF594 on Tregs carries CD25 spill: " + rawSum / n);
      assertTrue(
          compSum / n < rawSum / n / 3, "compensated " + compSum / n + " vs raw " + rawSum / n);
    }
  }

  @Test
  void faultyFilesAreFaultyAsListed() throws Exception {
    Map<String, String> faults = faults();
    assertEquals(
        Set.copyOf(BadInput.FCS_FAULTS.stream().map(Enum::name).toList()),
        new HashSet<>(faults.values()),
        "one of each FCS fault");
    Set<String> dm = new HashSet<>();
    for (List<String> r : Trials.rows(TRIAL.resolve("clinical/dm.csv"))) {
      dm.add(r.get(2));
    }
    Map<String, List<String>> manifest = new HashMap<>();
    for (List<String> r : Trials.rows(TRIAL.resolve("manifest.csv"))) {
      manifest.put(r.get(0), r);
    }
    for (Map.Entry<String, String> fault : faults.entrySet()) {
      Path p = TRIAL.resolve(fault.getKey());
      switch (fault.getValue()) {
        case "TRUNCATED_DATA" -> {
          try (FcsFile f = FcsReader.open(p)) {
            FcsFormatException e = assertThrows(FcsFormatException.class, () -> f.first().data());
            assertEquals(FcsErrorCode.TRUNCATED_DATA, e.code());
          }
        }
        case "TOT_MISMATCH" -> {
          try (FcsFile f = FcsReader.open(p)) {
            FcsDataset ds = f.first();
            assertTrue(ds.warnings().stream().anyMatch(w -> w.code().equals("TOT_MISMATCH")));
            assertNotEquals(ds.declaredEvents(), ds.eventCount());
            assertEquals(readAll(f).length, ds.eventCount() * 14);
          }
        }
        case "NO_SPILLOVER" -> {
          try (FcsFile f = FcsReader.open(p)) {
            assertTrue(f.first().spillover().isEmpty());
          }
        }
        case "RENAMED_CHANNEL" -> {
          try (FcsFile f = FcsReader.open(p)) {
            List<String> names = f.first().parameters().stream().map(FcsParameter::name).toList();
            assertFalse(names.containsAll(PanelModel.DETECTORS), names.toString());
            assertTrue(f.first().warnings().isEmpty(), "renamed in $SPILLOVER too");
          }
        }
        case "DUPLICATE_FILE" -> {
          String original = fault.getKey().replace("_copy.fcs", ".fcs");
          assertEquals(Trials.sha256(TRIAL.resolve(original)), Trials.sha256(p));
          assertTrue(manifest.containsKey(fault.getKey()) && manifest.containsKey(original));
        }
        case "NO_MANIFEST_LINK" -> {
          assertFalse(manifest.containsKey(fault.getKey()));
          try (FcsFile f = FcsReader.open(p)) {
            assertFalse(f.first().keywords().contains("PATIENT_NAME"));
          }
        }
        case "UNKNOWN_PATIENT" -> {
          String patient = manifest.get(fault.getKey()).get(1);
          assertFalse(dm.contains(patient), patient);
        }
        default -> throw new AssertionError("unexpected fault " + fault);
      }
    }
    for (List<String> r : manifest.values()) {
      if (!"UNKNOWN_PATIENT".equals(faults.get(r.get(0)))) {
        assertTrue(dm.contains(r.get(1)), "manifest patient in DM: " + r);
      }
    }
  }
}
