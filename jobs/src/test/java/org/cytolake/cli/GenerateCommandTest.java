package org.cytolake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = CytolakeCli.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  /** Runs {@code generate --study stim-cytof} into {@code out}, with {@code extra} options. */
  private static int runStimCytof(Path out, StringWriter err, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("generate", "--study", "stim-cytof", "--out", out.toString()));
    args.addAll(List.of(extra));
    return run(new StringWriter(), err, args.toArray(String[]::new));
  }

  /**
   * Runs {@code generate} for a tiny one-visit, one-panel trial (2 patients, 200 P1 events per
   * file, visit D1, panel P1) into {@code out}, with {@code extra} options after those.
   */
  private static int runTinyTrial(Path out, StringWriter err, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "generate",
                "--out",
                out.toString(),
                "--patients",
                "2",
                "--events-per-sample",
                "200",
                "--visits",
                "D1",
                "--panels",
                "P1"));
    args.addAll(List.of(extra));
    return run(new StringWriter(), err, args.toArray(String[]::new));
  }

  @Test
  void writesATrialAndSummarisesIt(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("trial");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int rc =
        run(
            o,
            e,
            "generate",
            "--out",
            out.toString(),
            "--patients",
            "2",
            "--events-per-sample",
            "200",
            "--visits",
            "D1,D8",
            "--panels",
            "P1",
            "--threads",
            "1");
    assertEquals(0, rc, e.toString());
    assertTrue(o.toString().startsWith("wrote " + out + ": 2 patients, "), o.toString());
    assertTrue(e.toString().contains("generate: done"), e.toString());
    for (String f :
        new String[] {
          "manifest.csv",
          "generation.json",
          "clinical/dm.csv",
          "truth/event_labels.csv.gz",
          "truth/populations.csv",
          "truth/effects.csv",
          "truth/bad_inputs.csv",
          "truth/anomalies.csv",
          "truth/event_anomalies.csv.gz",
          "fcs"
        }) {
      assertTrue(Files.exists(out.resolve(f)), f);
    }
    assertTrue(
        Files.readString(out.resolve("generation.json"))
            .contains(
                "\"command\" : \"cytolake generate --out DIR --patients 2 "
                    + "--events-per-sample 200 --visits D1,D8 --panels P1 --seed 1 --bad-fraction 0.02 "
                    + "--anomaly-fraction 0.1\""));

    StringWriter e2 = new StringWriter();
    assertEquals(2, run(new StringWriter(), e2, "generate", "--out", out.toString()));
    assertTrue(e2.toString().contains("is not empty"), e2.toString());
  }

  @Test
  void separableWritesNoAnomaliesAndSaysSoInTheCommand(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("trial");
    StringWriter e = new StringWriter();
    int rc = runTinyTrial(out, e, "--separable");
    assertEquals(0, rc, e.toString());
    assertTrue(Files.exists(out.resolve("truth/event_labels.csv.gz")));
    assertTrue(!Files.exists(out.resolve("truth/anomalies.csv")), "no anomaly truth");
    assertTrue(
        Files.readString(out.resolve("generation.json"))
            .contains("--seed 1 --bad-fraction 0.02 --separable\""));

    StringWriter e2 = new StringWriter();
    assertEquals(
        2,
        run(
            new StringWriter(),
            e2,
            "generate",
            "--out",
            tmp.resolve("x").toString(),
            "--separable",
            "--anomaly-fraction",
            "0.2"));
    assertTrue(
        e2.toString().contains("--anomaly-fraction does not apply with --separable"),
        e2.toString());
  }

  @Test
  void controlAliquotAddsTheDonorsFilesAndManifestColumn(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("trial");
    StringWriter e = new StringWriter();
    int rc = runTinyTrial(out, e, "--control-aliquot", "--threads", "1");
    assertEquals(0, rc, e.toString());
    List<String> manifest = Files.readAllLines(out.resolve("manifest.csv"));
    assertEquals(
        "file,patient_id,visit,panel,acquisition_date,batch,encoding,control", manifest.get(0));
    List<String> controls = manifest.stream().filter(l -> l.endsWith(",true")).toList();
    assertTrue(!controls.isEmpty(), manifest.toString());
    for (String row : controls) {
      String[] c = row.split(",");
      assertEquals("fcs/" + c[4] + "/CONTROL_" + c[4] + "_P1.fcs", c[0]);
      assertEquals("CTRL-DONOR-01,CTRL,P1", c[1] + "," + c[2] + "," + c[3]);
      assertTrue(Files.exists(out.resolve(c[0])), c[0]);
    }
    assertTrue(Files.readString(out.resolve("generation.json")).contains(" --control-aliquot\""));

    StringWriter e2 = new StringWriter();
    assertEquals(2, runStimCytof(tmp.resolve("x"), e2, "--control-aliquot"));
    assertTrue(
        e2.toString().contains("--control-aliquot does not apply to --study stim-cytof"),
        e2.toString());
  }

  @Test
  void validationAliquotNeedsControlAliquot(@TempDir Path tmp) {
    Path out = tmp.resolve("trial");
    StringWriter e = new StringWriter();
    int rc =
        run(
            new StringWriter(),
            e,
            "generate",
            "--out",
            out.toString(),
            "--patients",
            "2",
            "--visits",
            "D1",
            "--validation-aliquot");
    assertEquals(2, rc, e.toString());
    assertTrue(
        e.toString()
            .contains(
                "Cannot generate: --validation-aliquot requires --control-aliquot, which is off"),
        e.toString());
    assertTrue(!Files.exists(out.resolve("manifest.csv")), "nothing written");
  }

  @Test
  void rejectsBadOptionsListingEachProblem() {
    StringWriter e = new StringWriter();
    int rc =
        run(
            new StringWriter(),
            e,
            "generate",
            "--out",
            "x",
            "--patients",
            "0",
            "--visits",
            "D1,W9",
            "--bad-fraction",
            "2",
            "--anomaly-fraction",
            "-1");
    assertEquals(2, rc);
    String s = e.toString();
    assertTrue(
        s.contains("--patients must be")
            && s.contains("unknown visit 'W9'")
            && s.contains("--bad-fraction must be")
            && s.contains("--anomaly-fraction must be"),
        s);
  }

  @Test
  void writesTheStimCytofStudy(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("stim");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int rc =
        run(
            o,
            e,
            "generate",
            "--study",
            "stim-cytof",
            "--out",
            out.toString(),
            "--patients",
            "3",
            "--events-per-sample",
            "100");
    assertEquals(0, rc, e.toString());
    assertEquals(
        "wrote " + out + ": study stim-cytof, 3 donors, 6 FCS files, 600 events in",
        o.toString().substring(0, o.toString().lastIndexOf(" in ") + 3));
    assertTrue(Files.exists(out.resolve("fcs/SC-03_stim.fcs")));
    assertEquals(7, Files.readAllLines(out.resolve("manifest.csv")).size());
    assertEquals(4, Files.readAllLines(out.resolve("clinical/dm.csv")).size());
    assertTrue(
        !Files.exists(out.resolve("clinical/sv.csv")) && !Files.exists(out.resolve("truth")));

    StringWriter e2 = new StringWriter();
    assertEquals(
        2,
        runStimCytof(tmp.resolve("x"), e2, "--visits", "D1", "--threads", "2", "--patients", "0"));
    String s = e2.toString();
    assertTrue(
        s.contains("--visits does not apply to --study stim-cytof")
            && s.contains("--threads does not apply")
            && s.contains("--patients (donors) must be"),
        s);
    StringWriter e3 = new StringWriter();
    assertEquals(2, run(new StringWriter(), e3, "generate", "--study", "flow", "--out", "x"));
    assertTrue(
        e3.toString().contains("--study 'flow' is not one of transreg, stim-cytof"), e3.toString());
  }
}
