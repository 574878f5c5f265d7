package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.cytolake.aggregate.AggregateConfig;
import org.cytolake.clinical.ClinicalFixtures;
import org.cytolake.clinical.ClinicalInput;
import org.cytolake.clinical.ClinicalInputException;
import org.cytolake.clinical.ClinicalValidator;
import org.cytolake.config.ClusteringConfig;
import org.cytolake.config.ConfigException;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.GatingConfig;
import org.cytolake.ingest.IngestPlan;
import org.cytolake.ingest.Manifest;
import org.cytolake.tables.Pseudonymizer;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cases of {@code src/test/resources/bad-inputs/CATALOGUE.md} that stop a job before it reads
 * any data, without Spark: configuration (conf/*.yaml, conf/gating/), a manifest without its
 * header, and clinical inputs without DM. Each starts from a copy of the shipped conf/, breaks one
 * thing, and expects the loader's exception to name the file, the key and the offending value.
 */
class BadInputCatalogueTest {
  static final String PANEL =
      String.join(
          "\n",
          "panels:",
          "  P1:",
          "    channels:",
          "      - {detector: FSC-A, column: fsc_a, transform: none}",
          "      - {detector: PE-A, marker: CD25, column: cd25, transform: 'asinh:cofactor=150'}",
          "");

  /** Breaks something in a copy of conf/ at {@code dir}. */
  interface Setup {
    void apply(Path dir) throws IOException;
  }

  /** Loads what the job loads first from {@code dir}; must throw. */
  interface Loader {
    void load(Path dir) throws Exception;
  }

  record Case(
      String id,
      String what,
      Setup setup,
      Loader loader,
      Class<? extends Exception> thrown,
      List<String> mentions) {
    @Override
    public String toString() {
      return id + " " + what;
    }
  }

  static Arguments c(
      String id,
      String what,
      Setup setup,
      Loader loader,
      Class<? extends Exception> thrown,
      String... mentions) {
    return Arguments.of(
        Named.of(id + " " + what, new Case(id, what, setup, loader, thrown, List.of(mentions))));
  }

  static Setup write(String file, String... lines) {
    return dir -> {
      Files.createDirectories(dir.resolve(file).getParent());
      Files.writeString(dir.resolve(file), String.join("\n", lines) + "\n");
    };
  }

  static Setup writePanels(String... extraLines) {
    return dir ->
        Files.writeString(dir.resolve("panels.yaml"), PANEL + String.join("\n", extraLines) + "\n");
  }

  /** Replaces the shipped gating/P1.yaml by {@code file} holding {@code text}. */
  static Setup replaceStrategy(String file, String text) {
    return dir -> {
      Files.delete(dir.resolve("gating/P1.yaml"));
      Files.writeString(dir.resolve(file), text + "\n");
    };
  }

  /** A Gating-ML 2.0 document of one range gate 'cells' on {@code detector}. */
  static String gatingMl(String transforms, String detector, String dimensionAttributes) {
    return String.join(
        "\n",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        "<gating:Gating-ML xmlns:gating=\"http://www.isac-net.org/std/Gating-ML/v2.0/gating\"",
        "    xmlns:transforms=\"http://www.isac-net.org/std/Gating-ML/v2.0/transformations\"",
        "    xmlns:data-type=\"http://www.isac-net.org/std/Gating-ML/v2.0/datatypes\">",
        transforms,
        "  <gating:RectangleGate gating:id=\"cells\">",
        "    <gating:dimension gating:min=\"15000\" gating:compensation-ref=\"uncompensated\""
            + dimensionAttributes
            + ">",
        "      <data-type:fcs-dimension data-type:name=\"" + detector + "\"/>",
        "    </gating:dimension>",
        "  </gating:RectangleGate>",
        "</gating:Gating-ML>");
  }

  /** Replaces {@code from} by {@code to} in the shipped {@code file}. */
  static Setup edit(String file, String from, String to) {
    return dir -> {
      String text = Files.readString(dir.resolve(file));
      assertTrue(text.contains(from), from + " not in " + file);
      Files.writeString(dir.resolve(file), text.replace(from, to));
    };
  }

  static final Loader CONF = CytolakeConfig::load;
  static final Loader GATING =
      dir -> GatingConfig.load(dir.resolve("gating"), CytolakeConfig.load(dir));
  static final Loader AGGREGATE = AggregateConfig::load;
  static final Loader CLUSTERING = dir -> ClusteringConfig.load(CytolakeConfig.load(dir));
  static final Loader MANIFEST =
      dir ->
          Manifest.parse(
              "manifest.csv",
              new ByteArrayInputStream(Files.readAllBytes(dir.resolve("manifest.csv"))),
              IngestPlan.JOB);
  static final Loader CLINICAL =
      dir ->
          new ClinicalValidator(CytolakeConfig.load(dir).visits(), Pseudonymizer.withSalt(null))
              .validate(ClinicalInput.directory(dir.resolve("clinical")));

  static Stream<Arguments> cases() {
    Class<ConfigException> conf = ConfigException.class;
    Class<IllegalArgumentException> arg = IllegalArgumentException.class;
    return Stream.of(
        c(
            "CONF-01",
            "panels.yaml is not YAML",
            write("panels.yaml", "panels:", "  P1: [oops"),
            CONF,
            conf,
            "panels.yaml",
            "not valid YAML"),
        c(
            "CONF-02",
            "visits.yaml is missing",
            dir -> Files.delete(dir.resolve("visits.yaml")),
            CONF,
            conf,
            "visits.yaml: missing"),
        c(
            "CONF-03",
            "panel code '../../outside'",
            writePanels(
                "  ../../outside:",
                "    channels:",
                "      - {detector: PE-A, column: cd25, transform: none}"),
            CONF,
            conf,
            "panels.yaml",
            "panel code '../../outside' must be"),
        c(
            "CONF-04",
            "panels.yaml without the required 'panels' key",
            write("panels.yaml", "panel:", "  P1: {}"),
            CONF,
            conf,
            "panels.yaml",
            "panels: must map panel codes to panels"),
        c(
            "CONF-05",
            "a channel without its required detector",
            writePanels("      - {column: cd3, transform: none}"),
            CONF,
            conf,
            "panels.yaml",
            "panels.P1.channels[2].detector: missing"),
        c(
            "CONF-06",
            "transform asinh with a negative cofactor",
            writePanels("      - {detector: APC-A, column: cd3, transform: 'asinh:cofactor=-1'}"),
            CONF,
            conf,
            "panels.yaml",
            "panels.P1.channels[2].transform",
            "cofactor"),
        c(
            "CONF-07",
            "a spillover matrix entry 'x'",
            writePanels(
                "    spillover: {source: conf, channels: [FSC-A, PE-A], matrix: [[1, 0.1], [0, x]]}"),
            CONF,
            conf,
            "panels.yaml",
            "panels.P1.spillover.matrix[1][1]",
            "'x'"),
        c(
            "CONF-08",
            "spillover source 'lab'",
            writePanels("    spillover: {source: lab}"),
            CONF,
            conf,
            "panels.yaml",
            "panels.P1.spillover.source: 'lab'"),
        c(
            "CONF-09",
            "a column named twice",
            writePanels("      - {detector: APC-A, column: cd25, transform: none}"),
            CONF,
            conf,
            "panels.yaml",
            "panels.P1.channels[2].column: 'cd25' appears twice"),
        c(
            "CONF-10",
            "baseline that is not a visit",
            edit("visits.yaml", "baseline: D1", "baseline: D0"),
            CONF,
            conf,
            "visits.yaml",
            "baseline: 'D0'"),
        c(
            "CONF-11",
            "study days out of order",
            edit("visits.yaml", "{code: D8, study-day: 8}", "{code: D8, study-day: 3}"),
            CONF,
            conf,
            "visits.yaml",
            "visits[2].study-day",
            "3"),
        c(
            "CONF-12",
            "ingest.split-bytes 'lots'",
            write("cytolake.yaml", "ingest.split-bytes: lots"),
            CONF,
            conf,
            "cytolake.yaml",
            "ingest.split-bytes",
            "'lots'"),
        c(
            "CONF-13",
            "an unknown key",
            write("cytolake.yaml", "ingest.split-byte: 1000"),
            CONF,
            conf,
            "cytolake.yaml",
            "ingest.split-byte: unknown key"),
        c(
            "CONF-14",
            "a filename pattern without (?<panel>)",
            write(
                "cytolake.yaml", "ingest.filename-pattern: '(?<patient>[A-Z]+)_(?<visit>D[0-9]+)'"),
            CONF,
            conf,
            "cytolake.yaml",
            "ingest.filename-pattern",
            "(?<panel>"),
        c(
            "CONF-15",
            "a keyword link without role=",
            write("cytolake.yaml", "ingest.keyword-link: patient"),
            CONF,
            conf,
            "cytolake.yaml",
            "ingest.keyword-link",
            "'patient'"),
        c(
            "CONF-16",
            "a gate on a column the panel lacks",
            write("gating/P1.yaml", "gates:", "  - {id: x, rectangle: [{dim: cd14, min: 1}]}"),
            GATING,
            arg,
            "P1.yaml",
            "cd14"),
        c(
            "CONF-17",
            "a strategy for panel P9 that panels.yaml lacks",
            write("gating/P9.yaml", "gates:", "  - {id: x, rectangle: [{dim: cd3, min: 1}]}"),
            GATING,
            arg,
            "P9.yaml",
            "panel 'P9' is not in panels.yaml"),
        c(
            "CONF-18",
            "a strategy that is not YAML",
            write("gating/P2.yaml", "gates: [oops"),
            GATING,
            arg,
            "P2.yaml",
            "YAML"),
        c(
            "CONF-19",
            "clustering.yaml is not YAML",
            write("clustering.yaml", "clustering: [oops"),
            CLUSTERING,
            conf,
            "clustering.yaml",
            "not valid YAML"),
        c(
            "CONF-20",
            "threshold positive: 'high'",
            edit("clustering.yaml", "positive: 2.0", "positive: high"),
            CLUSTERING,
            conf,
            "clustering.yaml",
            "clustering.positive: 'high' is not a number"),
        c(
            "CONF-21",
            "SOM grid xdim 2.5",
            edit("clustering.yaml", "xdim: 10", "xdim: 2.5"),
            CLUSTERING,
            conf,
            "clustering.yaml",
            "clustering.xdim: '2.5' is not a whole number"),
        c(
            "CONF-22",
            "rule token 'cd3*' without a level",
            edit(
                "clustering.yaml",
                "{label: T, phenotype: \"cd3+\"}",
                "{label: T, phenotype: \"cd3*\"}"),
            CLUSTERING,
            conf,
            "clustering.yaml",
            "clustering.rules.P1[3].phenotype",
            "'cd3*'"),
        c(
            "CONF-23",
            "rule token naming no column",
            edit(
                "clustering.yaml",
                "{label: T, phenotype: \"cd3+\"}",
                "{label: T, phenotype: \"cd99+\"}"),
            CLUSTERING,
            conf,
            "clustering.yaml",
            "clustering.rules.P1[3].phenotype",
            "'cd99'"),
        c(
            "CONF-24",
            "rules for panel P9 that panels.yaml lacks",
            edit(
                "clustering.yaml",
                "    P2:\n",
                "    P9:\n      - {label: T, phenotype: \"cd3+\"}\n    P2:\n"),
            CLUSTERING,
            conf,
            "clustering.yaml",
            "clustering.rules.P9",
            "'P9'"),
        c(
            "CONF-25",
            "a negative training sample per file",
            edit("clustering.yaml", "sample-per-file: 0", "sample-per-file: -5"),
            CLUSTERING,
            conf,
            "clustering.yaml",
            "clustering.sample-per-file: -5 is negative"),
        c(
            "CONF-26",
            "a visit code with a space",
            edit("visits.yaml", "{code: D15,", "{code: D 15,"),
            CONF,
            conf,
            "visits.yaml",
            "visits[3].code: 'D 15' must be"),
        c(
            "CONF-27",
            "a misspelt visit key",
            edit("visits.yaml", "{code: D8, study-day: 8}", "{code: D8, study_day: 8}"),
            CONF,
            conf,
            "visits.yaml",
            "visits[2].study_day: unknown key"),
        c(
            "CONF-28",
            "a responder rule without a score",
            write(
                "cohorts.yaml",
                "cohorts:",
                "  HD:",
                "    diseases: [Healthy donor]",
                "    responder: {decrease-min: 1}"),
            AGGREGATE,
            conf,
            "cohorts.yaml",
            "cohorts.HD.score: missing",
            "responder rule"),
        c(
            "CONF-29",
            "a misspelt cohort key",
            edit("cohorts.yaml", "    score: BASDAI", "    scores: BASDAI"),
            AGGREGATE,
            conf,
            "cohorts.yaml",
            "cohorts.AS.scores: unknown key"),
        c(
            "CONF-30",
            "a workspace in place of P1.yaml that is not well-formed XML",
            replaceStrategy("gating/P1.wsp", "<Workspace version=\"20.0\"><SampleList>"),
            GATING,
            arg,
            "P1.wsp",
            "malformed XML at line 2"),
        c(
            "CONF-31",
            "a Gating-ML strategy with a gate on a detector that P1 lacks",
            replaceStrategy("gating/P1.xml", gatingMl("", "BV999-A", "")),
            GATING,
            arg,
            "P1.xml",
            "gate 'cells'",
            "channel 'BV999-A' is not a detector of panel P1",
            "FSC-A, FSC-H"),
        c(
            "CONF-32",
            "a Gating-ML strategy with an unknown transform",
            replaceStrategy(
                "gating/P1.xml",
                gatingMl(
                    "<transforms:transformation transforms:id=\"t\"><transforms:fwobble/>"
                        + "</transforms:transformation>",
                    "FSC-A",
                    " gating:transformation-ref=\"t\"")),
            GATING,
            arg,
            "P1.xml",
            "transformation 't'",
            "<transforms:fwobble>"),
        c(
            "CONF-33",
            "a workspace sidecar beside a compact strategy",
            write("gating/P1.workspace.yaml", "sample: x.fcs"),
            GATING,
            arg,
            "P1.workspace.yaml",
            "describes a workspace"),
        c(
            "MAN-12",
            "a manifest header without 'panel'",
            write("manifest.csv", "file,patient_id,visit", "fcs/a.fcs,TR-01-001,D1"),
            MANIFEST,
            IOException.class,
            "manifest.csv",
            "lacks required column(s) [panel]"),
        c(
            "MAN-13",
            "an empty manifest (0 bytes)",
            dir -> Files.write(dir.resolve("manifest.csv"), new byte[0]),
            MANIFEST,
            IOException.class,
            "manifest.csv",
            "it is empty"),
        c(
            "CLIN-26",
            "no DM file",
            write("clinical/sv.csv", ClinicalFixtures.SV.get(0)),
            CLINICAL,
            ClinicalInputException.class,
            "clinical",
            "dm.csv (or dm.jsonl) is missing"),
        c(
            "CLIN-27",
            "DM both as dm.csv and dm.jsonl",
            dir -> {
              write("clinical/dm.csv", ClinicalFixtures.DM.get(0)).apply(dir);
              write("clinical/dm.jsonl", "{\"USUBJID\":\"TR-01-001\"}").apply(dir);
            },
            CLINICAL,
            ClinicalInputException.class,
            "both dm.csv and dm.jsonl exist"));
  }

  /** A copy of the shipped conf/ (YAML files and gating/). */
  static Path shippedConf(Path dir) throws IOException {
    Path home = SharedData.projectDir().resolve("conf");
    try (Stream<Path> files = Files.walk(home)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path to = dir.resolve(home.relativize(f).toString());
        Files.createDirectories(to.getParent());
        Files.copy(f, to);
      }
    }
    return dir;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRejectedWithAMessageNamingFileKeyAndValue(Case k, @TempDir Path tmp) throws Exception {
    Path dir = shippedConf(tmp.resolve("conf"));
    k.setup().apply(dir);
    Exception e = assertThrows(k.thrown(), () -> k.loader().load(dir), k.toString());
    String message = e.getMessage();
    for (String m : k.mentions()) {
      assertTrue(message.contains(m), k.id() + ": '" + m + "' not in: " + message);
    }
  }

  @Test
  void theShippedConfigurationPassesEveryLoaderOfTheCatalogue(@TempDir Path tmp) throws Exception {
    Path dir = shippedConf(tmp.resolve("conf"));
    for (Loader l : List.of(CONF, GATING, CLUSTERING, AGGREGATE)) {
      assertDoesNotThrow(() -> l.load(dir));
    }
    Files.writeString(
        dir.resolve("manifest.csv"), "file,patient_id,visit,panel\n", StandardCharsets.UTF_8);
    assertDoesNotThrow(() -> MANIFEST.load(dir));
  }
}
