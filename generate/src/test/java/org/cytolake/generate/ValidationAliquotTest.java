package org.cytolake.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --validation-aliquot}: off, the output of {@code --control-aliquot} alone; on, it only
 * adds a second file of the donor per run day and panel, with its own events but the same biology.
 */
class ValidationAliquotTest {

  @TempDir static Path tmp;

  /** The shared small trial with --control-aliquot alone. */
  private static Path control;

  /** The same with --validation-aliquot too. */
  private static Path validation;

  private static GenerateOptions validationOptions;

  @BeforeAll
  static void generate() throws Exception {
    control = tmp.resolve("control");
    validation = tmp.resolve("validation");
    TrialGenerator.run(Trials.smallOptions(control).withControlAliquot(true));
    validationOptions =
        Trials.smallOptions(validation).withControlAliquot(true).withValidationAliquot(true);
    TrialGenerator.run(validationOptions);
  }

  /** Off (said explicitly), every file is byte-identical to --control-aliquot's. */
  @Test
  void offIsControlAliquotAlone() throws Exception {
    Path off = tmp.resolve("off");
    TrialGenerator.run(
        Trials.smallOptions(off).withControlAliquot(true).withValidationAliquot(false));
    assertEquals(Trials.sha256Tree(control), Trials.sha256Tree(off));
  }

  /** On, every file of --control-aliquot is kept (truth rows appended), and only these added. */
  @Test
  void onlyAddsValidationFilesAndRows() throws Exception {
    Set<String> added = Trials.assertKeptOrAppended(control, validation, false);
    for (String f : added) {
      assertTrue(f.matches("fcs/(\\d{4}-\\d\\d-\\d\\d)/CONTROL_\\1_P[123]_validation\\.fcs"), f);
    }

    List<List<String>> others = new ArrayList<>();
    for (List<String> r : Trials.rows(validation.resolve("manifest.csv"))) {
      if (!r.get(7).equals(ControlAliquot.VALIDATION)) {
        others.add(r);
      }
    }
    assertEquals(Trials.rows(control.resolve("manifest.csv")), others);
    assertEquals(
        Trials.header(control.resolve("manifest.csv")),
        Trials.header(validation.resolve("manifest.csv")));

    ObjectMapper json = new ObjectMapper();
    JsonNode was = json.readTree(control.resolve("generation.json").toFile());
    JsonNode is = json.readTree(validation.resolve("generation.json").toFile());
    assertEquals(
        was.path("control_aliquot").path("files"), is.path("control_aliquot").path("files"));
    assertEquals(added.size(), is.path("control_aliquot").path("validation").path("files").asInt());
    assertFalse(was.path("arguments").has("validation_aliquot"));
    assertTrue(is.path("arguments").path("validation_aliquot").asBoolean());
    assertEquals(
        was.path("command").asText() + " --validation-aliquot", is.path("command").asText());
  }

  /**
   * Exactly one validation file per training control (run day × panel acquired that day): the
   * donor, visit CTRL, control=validation, the same day, batch and encoding, its own $FIL, acquired
   * after the training file.
   */
  @Test
  void oneValidationFilePerRunDayAndPanel() throws Exception {
    Map<String, List<String>> training = new HashMap<>();
    List<List<String>> held = new ArrayList<>();
    for (List<String> r : Trials.rows(validation.resolve("manifest.csv"))) {
      if (r.get(7).equals("true")) {
        training.put(r.get(4) + "|" + r.get(3), r);
      } else if (r.get(7).equals(ControlAliquot.VALIDATION)) {
        held.add(r);
      }
    }
    assertFalse(training.isEmpty());
    assertEquals(training.size(), held.size());
    Set<String> keys = new TreeSet<>();
    for (List<String> r : held) {
      String date = r.get(4);
      String key = date + "|" + r.get(3);
      assertTrue(keys.add(key), "one per run day and panel: " + key);
      List<String> t = training.get(key);
      assertTrue(t != null, "a training control for " + r);
      assertEquals(
          "fcs/" + date + "/CONTROL_" + date + "_" + r.get(3) + "_validation.fcs", r.get(0));
      assertEquals(List.of(ControlAliquot.DONOR_ID, "CTRL"), r.subList(1, 3));
      assertEquals(t.subList(1, 7), r.subList(1, 7));
      try (FcsFile v = FcsReader.open(validation.resolve(r.get(0)));
          FcsFile c = FcsReader.open(validation.resolve(t.get(0)))) {
        var kv = v.first().keywords();
        var kc = c.first().keywords();
        assertEquals(ControlAliquot.DONOR_ID, kv.getOrNull("$SRC"));
        assertEquals(ControlAliquot.DONOR_ID, kv.getOrNull("PATIENT_NAME"));
        assertEquals(kc.getOrNull("$TOT"), kv.getOrNull("$TOT"));
        assertEquals(kc.getOrNull("$DATE"), kv.getOrNull("$DATE"));
        assertEquals(kc.getOrNull("$FIL").replace(".fcs", "_validation.fcs"), kv.getOrNull("$FIL"));
        LocalTime tv = LocalTime.parse(kv.getOrNull("$BTIM"));
        LocalTime tc = LocalTime.parse(kc.getOrNull("$BTIM"));
        assertTrue(tv.isAfter(tc), r.get(0) + " at " + tv + ", training at " + tc);
      }
    }
  }

  /**
   * Each validation file draws its own events (not a copy of the training file's), yet its live
   * populations agree with the training file's of the same day and panel within 5 binomial SDs.
   */
  @Test
  void ownEventsSameBiology() throws Exception {
    Map<String, Map<String, Long>> byFile = Trials.populationCounts(validation);
    int compared = 0;
    int files = 0;
    for (List<String> r : Trials.rows(validation.resolve("manifest.csv"))) {
      if (!r.get(7).equals(ControlAliquot.VALIDATION)) {
        continue;
      }
      String held = r.get(0);
      String train = held.replace("_validation.fcs", ".fcs");
      SampleWriter.Drawn dh = TrialGenerator.redraw(validationOptions, held);
      SampleWriter.Drawn dt = TrialGenerator.redraw(validationOptions, train);
      assertEquals(dt.values().length, dh.values().length);
      assertFalse(Arrays.equals(dt.values(), dh.values()), held + " copies " + train);
      assertFalse(Arrays.equals(dt.labels(), dh.labels()), held + " copies labels of " + train);
      files++;

      Map<String, Long> x = byFile.get(train);
      Map<String, Long> y = byFile.get(held);
      assertEquals(x.keySet(), y.keySet(), held);
      compared += Trials.assertSameLiveProportions(x, y, train, held);
    }
    assertTrue(files >= 6, "validation files: " + files);
    assertTrue(compared >= 30, "populations compared: " + compared);
  }

  @Test
  void refusedWithoutControlAliquot() {
    GenerateOptions o = Trials.smallOptions(tmp.resolve("refused")).withValidationAliquot(true);
    assertEquals(
        List.of(
            "--validation-aliquot requires --control-aliquot, which is off (the validation file"
                + " is a second aliquot of the control donor)"),
        o.problems());
    assertTrue(o.withControlAliquot(true).problems().isEmpty());
  }
}
