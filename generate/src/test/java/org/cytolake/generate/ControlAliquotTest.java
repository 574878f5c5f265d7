package org.cytolake.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsReader;
import org.cytolake.generate.TrialPlan.Encoding;
import org.cytolake.generate.TrialPlan.Sample;
import org.cytolake.stats.Quantiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --control-aliquot}: off, the trial is unchanged; on, it only adds the control files, their
 * manifest rows and truth, with one donor's biology under each day's instrument.
 */
class ControlAliquotTest {

  @TempDir static Path tmp;
  private static Path off;
  private static Path on;

  /** The shared small trial (3 patients, D1 and D8, 3 panels, bad files) with and without. */
  @BeforeAll
  static void generate() throws Exception {
    off = Trials.small();
    on = tmp.resolve("on");
    TrialGenerator.run(Trials.smallOptions(on).withControlAliquot(true));
  }

  @Test
  void onlyAddsControlFilesAndRows() throws Exception {
    assertOnlyAdds(off, on);
  }

  /** The separable model: off, the same trial; on, only the controls added. */
  @Test
  void separableModelToo() throws Exception {
    GenerateOptions o =
        Trials.smallOptions(tmp.resolve("sep-off"))
            .withPatients(2)
            .withVisits(List.of("D1"))
            .withPanels(List.of("P1", "P2"))
            .withEventsPerSample(300)
            .withSeparable(true);
    TrialGenerator.run(o);
    TrialGenerator.run(o.withOut(tmp.resolve("sep-on")).withControlAliquot(true));
    assertOnlyAdds(tmp.resolve("sep-off"), tmp.resolve("sep-on"));
  }

  /** {@code on} is {@code off} plus control files, rows and a generation.json entry. */
  private static void assertOnlyAdds(Path off, Path on) throws Exception {
    assertEquals(TrialGenerator.MANIFEST_HEADER, Trials.header(off.resolve("manifest.csv")));
    Set<String> added = Trials.assertKeptOrAppended(off, on, true);
    assertFalse(added.isEmpty());
    for (String f : added) {
      assertTrue(f.matches("fcs/(\\d{4}-\\d\\d-\\d\\d)/CONTROL_\\1_P[123]\\.fcs"), f);
    }

    List<List<String>> patientRows = new ArrayList<>();
    for (List<String> r : Trials.rows(on.resolve("manifest.csv"))) {
      if (r.get(7).equals("false")) {
        patientRows.add(r.subList(0, 7));
      } else {
        assertEquals("true", r.get(7), r.toString());
      }
    }
    assertEquals(Trials.rows(off.resolve("manifest.csv")), patientRows);
    assertEquals(
        TrialGenerator.MANIFEST_HEADER + ",control", Trials.header(on.resolve("manifest.csv")));

    ObjectMapper json = new ObjectMapper();
    JsonNode was = json.readTree(off.resolve("generation.json").toFile());
    JsonNode is = json.readTree(on.resolve("generation.json").toFile());
    assertKeysKept("", was, is);
    assertFalse(was.has("control_aliquot"));
    assertEquals(added.size(), is.path("control_aliquot").path("files").asInt());
    assertTrue(is.path("arguments").path("control_aliquot").asBoolean());
    assertTrue(is.path("command").asText().endsWith(" --control-aliquot"));
  }

  @Test
  void oneCleanControlPerRunDayAndPanel() throws Exception {
    Map<String, Set<String>> panelsByDay = new TreeMap<>();
    Map<String, Set<String>> encodingsByDay = new HashMap<>();
    for (List<String> r : Trials.rows(off.resolve("manifest.csv"))) {
      panelsByDay.computeIfAbsent(r.get(4), d -> new TreeSet<>()).add(r.get(3));
      encodingsByDay.computeIfAbsent(r.get(4), d -> new TreeSet<>()).add(r.get(6));
    }
    List<String> expected = new ArrayList<>();
    panelsByDay.forEach(
        (d, panels) -> panels.forEach(p -> expected.add("fcs/" + d + "/CONTROL_" + d + "_" + p)));
    List<String> controls = new ArrayList<>();
    for (List<String> r : Trials.rows(on.resolve("manifest.csv"))) {
      if (r.get(7).equals("true")) {
        String date = r.get(4);
        controls.add(r.get(0).replace(".fcs", ""));
        assertEquals(ControlAliquot.DONOR_ID, r.get(1));
        assertEquals("CTRL", r.get(2));
        assertEquals("fcs/" + date + "/CONTROL_" + date + "_" + r.get(3) + ".fcs", r.get(0));
        assertEquals("RUN-" + date, r.get(5));
        assertTrue(encodingsByDay.get(date).contains(r.get(6)), r + " vs " + encodingsByDay);
        try (FcsFile f = FcsReader.open(on.resolve(r.get(0)))) {
          var kw = f.first().keywords();
          assertEquals(ControlAliquot.DONOR_ID, kw.getOrNull("$SRC"));
          assertEquals(ControlAliquot.DONOR_ID, kw.getOrNull("PATIENT_NAME"));
          assertEquals("RUN-" + date, kw.getOrNull("CYTOLAKE_BATCH"));
          assertEquals(r.get(3).equals("P1") ? "1000" : "500", kw.getOrNull("$TOT"));
        }
      }
    }
    assertEquals(expected, controls);
    for (String f : List.of("truth/bad_inputs.csv", "clinical/dm.csv")) {
      assertFalse(Files.readString(on.resolve(f)).contains("CONTROL_"), f);
      assertFalse(Files.readString(on.resolve(f)).contains(ControlAliquot.DONOR_ID), f);
    }
  }

  /**
   * Live populations of the donor's P1 and P2 files of the first and last run day (either side of
   * the setup change) agree within 5 binomial SDs: the same biology, only sampling differs.
   */
  @Test
  void theDonorHasTheSameBiologyEveryDay() throws Exception {
    Map<String, Map<String, Long>> byFile = Trials.populationCounts(on);
    List<String> days = new ArrayList<>();
    for (List<String> r : Trials.rows(on.resolve("manifest.csv"))) {
      if (r.get(7).equals("true") && !days.contains(r.get(4))) {
        days.add(r.get(4));
      }
    }
    String first = days.get(0);
    String last = days.get(days.size() - 1);
    int compared = 0;
    for (String panel : List.of("P1", "P2")) {
      String x = "fcs/" + first + "/CONTROL_" + first + "_" + panel + ".fcs";
      String y = "fcs/" + last + "/CONTROL_" + last + "_" + panel + ".fcs";
      compared += Trials.assertSameLiveProportions(byFile.get(x), byFile.get(y), x, y);
    }
    assertTrue(compared >= 10, "populations compared: " + compared);
  }

  /**
   * Realistic model, P1, 100,000 events (~3,900 CD4 T cells): the compensated PE-A (CD25) median
   * of the donor's CD4 T cells moves between a day before and a day after the setup change as that
   * detector's gain does (setup change × drift × daily noise; here ×1.59), within 10% (over seeds
   * 1-8 it stayed within 6.5%; at 20,000 events within 11%, too noisy).
   */
  @Test
  void theDonorSeesEachDaysInstrument() {
    GenerateOptions o =
        GenerateOptions.defaults(tmp.resolve("unused"))
            .withPatients(2)
            .withVisits(List.of("D1", "D8"))
            .withPanels(List.of("P1"))
            .withEventsPerSample(100_000)
            .withSeed(5)
            .withControlAliquot(true);
    TrialPlan plan = TrialPlan.build(o);
    Instrument instrument = new Instrument(o.seed(), plan.runDays(), true);
    List<Sample> controls = plan.samples.stream().filter(Sample::control).toList();
    Sample before = controls.get(0);
    Sample after = controls.get(controls.size() - 1);
    assertFalse(instrument.afterSetupChange(before.date()));
    assertTrue(instrument.afterSetupChange(after.date()));
    int pe = PanelModel.DETECTORS.indexOf("PE-A");
    double expected = instrument.gains(after.date())[pe] / instrument.gains(before.date())[pe];
    double shift = instrument.shifts()[Arrays.binarySearch(instrument.shiftedDetectors(), pe)];
    assertTrue(Math.abs(Math.log(shift)) >= Math.log(Instrument.REALISTIC_SHIFT_MIN) - 1e-9);
    double moved = cd4Median(o, after, pe) / cd4Median(o, before, pe);
    assertEquals(Math.log(expected), Math.log(moved), 0.1, "moved " + moved + ", gain " + expected);
  }

  /** Median compensated value of {@code detector} over a control file's CD4 T cells. */
  private static double cd4Median(GenerateOptions o, Sample s, int detector) {
    SampleWriter.Drawn d = TrialGenerator.redraw(o, s.file());
    List<String> labels = PanelModel.treeOf(s.panel()).labels();
    RealMatrix unmix = MatrixUtils.inverse(new Array2DRowRealMatrix(Instrument.SPILLOVER, false));
    double scale = s.encoding() == Encoding.FCS20_I16_BE ? 1 / TrialPlan.INT16_SCALE : 1;
    int w = PanelModel.CHANNELS;
    int first = PanelModel.SCATTER.size();
    List<Double> values = new ArrayList<>();
    for (int e = 0; e < d.labels().length; e++) {
      if (!labels.get(d.labels()[e]).startsWith(PanelModel.CD4 + "/")) {
        continue;
      }
      double v = 0;
      for (int i = 0; i < PanelModel.DETECTORS.size(); i++) {
        v += d.values()[e * w + first + i] * scale * unmix.getEntry(i, detector);
      }
      values.add(v);
    }
    assertTrue(values.size() > 2000, "CD4 T cells: " + values.size() + " in " + s.file());
    return Quantiles.median(values, Quantiles.NaNs.LEFT_OUT);
  }

  /** Every field of {@code was}, recursively, is still in {@code is}. */
  private static void assertKeysKept(String at, JsonNode was, JsonNode is) {
    for (Iterator<String> it = was.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      assertTrue(is.has(k), "generation.json keeps " + at + "/" + k);
      assertKeysKept(at + "/" + k, was.get(k), is.get(k));
    }
  }
}
