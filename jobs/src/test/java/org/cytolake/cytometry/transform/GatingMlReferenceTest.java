package org.cytolake.cytometry.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks every row of the staged {@code shared/gatingml2-compliance/transforms-reference.csv} (columns transform,
 * parameters as JSON, input, expected_output, source). The logicle and hyperlog rows (T=1000, W=1, M=4, A=0) are
 * published to 6-8 decimals and must match to 1e-6; the flin, flog and fasinh rows are closed-form values and must
 * match to 1e-9. Skipped when the shared folder is not next to the project.
 */
class GatingMlReferenceTest {

  private static final Path REFERENCE =
      Path.of(
              System.getProperty("cytolake.project.dir", "/work/main"),
              "..",
              "shared",
              "gatingml2-compliance",
              "transforms-reference.csv")
          .normalize();
  private static final Pattern ROW =
      Pattern.compile("^(\\w+),\"((?:[^\"]|\"\")*)\",([^,]+),([^,]+),.*$");
  private static final Pattern JSON_NUMBER =
      Pattern.compile("\"(\\w+)\"\\s*:\\s*(-?[0-9.]+(?:[eE][+-]?\\d+)?)");

  @TestFactory
  Stream<DynamicTest> everyReferenceRowMatches() throws IOException {
    assumeTrue(Files.isRegularFile(REFERENCE), "reference table not found at " + REFERENCE);
    List<String> lines = Files.readAllLines(REFERENCE);
    assertEquals("transform,parameters,input,expected_output,source", lines.get(0));
    assertTrue(lines.size() > 30, "expected the full table, got " + lines.size() + " lines");
    return lines.stream()
        .skip(1)
        .filter(line -> !line.isBlank())
        .map(
            line -> {
              Matcher row = ROW.matcher(line);
              assertTrue(row.matches(), "unreadable reference row: " + line);
              String type = row.group(1);
              Map<String, Double> p = parameters(row.group(2).replace("\"\"", "\""));
              double input = Double.parseDouble(row.group(3));
              double expected = Double.parseDouble(row.group(4));
              return DynamicTest.dynamicTest(
                  type + " " + p + " at " + input,
                  () -> {
                    Transform transform =
                        switch (type) {
                          case "flin" -> new Linear(p.get("T"), p.get("A"));
                          case "flog" -> new Log(p.get("T"), p.get("M"));
                          case "fasinh" -> new Asinh(p.get("T"), p.get("M"), p.get("A"));
                          case "logicle" ->
                              new Logicle(p.get("T"), p.get("W"), p.get("M"), p.get("A"));
                          case "hyperlog" ->
                              new Hyperlog(p.get("T"), p.get("W"), p.get("M"), p.get("A"));
                          default ->
                              throw new AssertionError(
                                  "unknown transform in reference table: " + type);
                        };
                    double tolerance =
                        type.equals("logicle") || type.equals("hyperlog") ? 1e-6 : 1e-9;
                    assertEquals(
                        expected,
                        transform.apply(input),
                        tolerance,
                        transform.spec() + " at " + input);
                  });
            });
  }

  private static Map<String, Double> parameters(String json) {
    Map<String, Double> parameters = new HashMap<>();
    Matcher m = JSON_NUMBER.matcher(json);
    while (m.find()) {
      parameters.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return parameters;
  }
}
