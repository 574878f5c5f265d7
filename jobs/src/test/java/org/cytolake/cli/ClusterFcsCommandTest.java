package org.cytolake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cytolake cluster-fcs} on one data-samples P3 file, scored against the generator's truth in both label forms
 * (the truth CSV, and the same labels one per line, some quoted): the same score either way, the JSON shape of
 * issue 7, per-event output for every event, and a label file of the wrong length rejected with exit status 3.
 */
class ClusterFcsCommandTest {
  static final String FILE = "fcs/2014-01-06/TRANSREG-RA-01_D1_P3.fcs";
  static final String[] COLUMNS = {"--columns", "FITC-A,PE-A,PE-CF594-A,PerCP-Cy5.5-A,PE-Cy7-A,APC-A,BV421-A"};
  static Path fcs;
  static Path truth;
  static List<String> labels = new ArrayList<>();

  @BeforeAll
  static void readTruth() throws Exception {
    Path samples = SharedData.projectDir().resolve("data-samples");
    fcs = samples.resolve(FILE);
    truth = samples.resolve("truth/event_labels.csv.gz");
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(truth)),
        StandardCharsets.UTF_8))) {
      r.readLine();
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith(FILE + ",")) {
          labels.add(line.split(",", 3)[2]);
        }
      }
    }
  }

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = new CommandLine(new CytolakeCli());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  private static JsonNode cluster(Path labelFile, Path out) throws Exception {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    List<String> args = new ArrayList<>(List.of("cluster-fcs", "--fcs", fcs.toString()));
    args.addAll(List.of(COLUMNS));
    args.addAll(List.of("--transform", "asinh:150", "--compensate", "--metaclusters", "12", "--rlen", "5",
        "--labels", labelFile.toString(), "--out", out.toString(), "--json"));
    assertEquals(0, run(o, e, args.toArray(new String[0])), e.toString());
    return new ObjectMapper().readTree(o.toString());
  }

  @Test
  void bothLabelFormsGiveTheSameScoreAndTheJsonOfIssue7(@TempDir Path tmp) throws Exception {
    JsonNode fromCsv = cluster(truth, tmp.resolve("a"));
    Path text = tmp.resolve("labels.txt");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      lines.add(i % 2 == 0 ? "\"" + labels.get(i) + "\"" : labels.get(i));
    }
    Files.write(text, lines);
    JsonNode fromText = cluster(text, tmp.resolve("b"));

    assertEquals(fromCsv.get("mean_f1").asDouble(), fromText.get("mean_f1").asDouble(), 0.0);
    assertEquals(fromCsv.get("per_population"), fromText.get("per_population"));
    double f1 = fromCsv.get("mean_f1").asDouble();
    assertTrue(f1 > 0 && f1 <= 1, "mean F1 " + f1);
    Set<String> populations = new TreeSet<>(labels);
    populations.removeIf(l -> l.equalsIgnoreCase("unlabeled"));
    Set<String> scored = new TreeSet<>();
    fromCsv.get("per_population").fieldNames().forEachRemaining(scored::add);
    assertEquals(populations, scored);
    assertTrue(fromCsv.get("seconds").isObject() && fromCsv.get("seconds").has("score"), fromCsv.toString());
    assertEquals(labels.size(), fromCsv.get("events").asInt());
    assertEquals(labels.size() + 1, Files.readAllLines(tmp.resolve("a/events.csv")).size());
  }

  @Test
  void aLabelFileOfTheWrongLengthExitsThree(@TempDir Path tmp) throws Exception {
    Path text = Files.write(tmp.resolve("short.txt"), labels.subList(0, 10));
    StringWriter e = new StringWriter();
    List<String> args = new ArrayList<>(List.of("cluster-fcs", "--fcs", fcs.toString()));
    args.addAll(List.of(COLUMNS));
    args.addAll(List.of("--labels", text.toString(), "--out", tmp.resolve("o").toString()));
    assertEquals(3, run(new StringWriter(), e, args.toArray(new String[0])));
    assertTrue(e.toString().contains("has 10 lines but the FCS files have " + labels.size() + " events"),
        e.toString());
  }
}
