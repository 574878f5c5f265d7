package org.cytolake.gating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * README's "Gating reference" against {@link CompactGatingReader}: every {@code yaml} block of the
 * section reads and gates events; together the blocks use every shape, Boolean operator,
 * complement, transform kind and a spectrum matrix; and every keyword the reader's source asks a
 * document for appears in the section. So the reference cannot drift from the reader.
 */
class CompactGatingReaderReadmeTest {
  static final Path README = SharedData.projectDir().resolve("README.md");
  static final Path READER =
      SharedData.projectDir()
          .resolve("jobs/src/main/java/org/cytolake/gating/CompactGatingReader.java");

  /** The text of the section from "## Gating reference" to the next "## " heading. */
  static String section() throws Exception {
    String readme = Files.readString(README);
    int start = readme.indexOf("\n## Gating reference\n");
    assertTrue(start >= 0, "README has a '## Gating reference' section");
    int end = readme.indexOf("\n## ", start + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  static List<String> yamlBlocks(String text) {
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("(?s)\n```yaml\n(.*?)\n```").matcher(text);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  /** The channels a strategy reads: dimension names, ratio channels, matrix detectors. */
  static List<String> channels(GatingStrategy s) {
    Set<String> out = new LinkedHashSet<>();
    List<Dimension> dims = new ArrayList<>();
    s.gates().values().forEach(g -> dims.addAll(g.dimensions()));
    for (Dimension d : dims) {
      SpectrumMatrix m = s.spectrumMatrices().get(d.compensationRef());
      if (d.isDerived()) {
        Ratio r = s.transformations().get(d.ratioRef()).ratio();
        out.add(r.numerator());
        out.add(r.denominator());
      } else if (m != null) {
        out.addAll(m.detectors());
      } else {
        out.add(d.name());
      }
    }
    return List.copyOf(out);
  }

  @Test
  void everyExampleBlockReadsAndGatesEvents() throws Exception {
    List<String> blocks = yamlBlocks(section());
    assertTrue(blocks.size() >= 2, "yaml blocks in the section: " + blocks.size());
    Set<Class<?>> shapes = new LinkedHashSet<>();
    Set<BooleanGate.Operator> operators = EnumSet.noneOf(BooleanGate.Operator.class);
    Set<String> transformKinds = new TreeSet<>();
    boolean complement = false;
    boolean matrix = false;
    boolean helper = false;
    for (int b = 0; b < blocks.size(); b++) {
      GatingStrategy s = CompactGatingReader.read(blocks.get(b), "README block " + (b + 1), false);
      for (Gate g : s.gates().values()) {
        shapes.add(g.getClass());
        helper |= g.id().startsWith("_");
        if (g instanceof BooleanGate bg) {
          operators.add(bg.operator());
          complement |= bg.references().stream().anyMatch(BooleanGate.Reference::complement);
        }
      }
      for (Transformation t : s.transformations().values()) {
        transformKinds.add(
            t.ratio() != null
                ? "ratio"
                : Double.isInfinite(t.boundMin()) && Double.isInfinite(t.boundMax())
                    ? "spec"
                    : "bounded");
      }
      matrix |= !s.spectrumMatrices().isEmpty();

      // Gate random events on the channels the strategy names: every population is computed,
      // and no population holds an event its parent does not.
      List<String> channels = channels(s);
      int n = 2000;
      double[] values = new double[n * channels.size()];
      Random random = new Random(7 + b);
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextDouble() * 120_000 - 5_000;
      }
      GatingResult r =
          GateEvaluator.evaluate(
              s, new EventTable("README block " + (b + 1), channels, n, values, null));
      assertEquals(s.populations(), r.populations());
      for (String p : s.populations()) {
        String parent = s.parentOf(p).orElse(null);
        if (parent != null) {
          java.util.BitSet outside = (java.util.BitSet) r.events(p).clone();
          outside.andNot(r.events(parent));
          assertTrue(outside.isEmpty(), p + " holds events outside its parent " + parent);
        }
      }
      assertTrue(r.count(s.populations().get(0)) > 0, "the first gate catches events");
    }
    assertEquals(
        Set.of(
            RectangleGate.class,
            PolygonGate.class,
            EllipsoidGate.class,
            QuadrantGate.class,
            BooleanGate.class),
        shapes,
        "every gate shape in an example");
    assertEquals(EnumSet.allOf(BooleanGate.Operator.class), operators, "and, or, not");
    assertEquals(Set.of("spec", "bounded", "ratio"), transformKinds, "every transform form");
    assertTrue(complement, "a '!' complement reference");
    assertTrue(matrix, "a spectrum matrix");
    assertTrue(helper, "a helper gate");
  }

  @Test
  void everyKeywordTheReaderAcceptsIsDocumented() throws Exception {
    String source = Files.readString(READER);
    Set<String> keywords = new TreeSet<>();
    // node.has("x"), node.hasNonNull("x"), node.get("x"), node.path("x")
    Matcher m = Pattern.compile("\\.(?:has|hasNonNull|get|path)\\(\"(\\w+)\"\\)").matcher(source);
    while (m.find()) {
      keywords.add(m.group(1));
    }
    // num(node, "x"), numbers(node, "x"), ...: required values read by key
    m = Pattern.compile("\\bnum\\(\\w+, \"(\\w+)\"\\)").matcher(source);
    while (m.find()) {
      keywords.add(m.group(1));
    }
    // the lists of keys and shapes: List.of("a", "b", ...)
    m = Pattern.compile("List\\.of\\(((?:\"\\w+\",\\s*)+\"\\w+\")\\)").matcher(source);
    while (m.find()) {
      for (String k : m.group(1).split(",")) {
        keywords.add(k.trim().replace("\"", ""));
      }
    }
    assertTrue(
        keywords.containsAll(
            List.of(
                "gates",
                "parent",
                "rectangle",
                "quadrant",
                "not",
                "distanceSquare",
                "boundMax",
                "invertedAlready",
                "A")),
        "keywords found: " + keywords);
    String section = section();
    List<String> missing =
        keywords.stream()
            .filter(
                k ->
                    !section.contains("`" + k + "`")
                        && !section.contains(" " + k + ":")
                        && !section.contains("{" + k + ":"))
            .toList();
    assertEquals(
        List.of(),
        missing,
        "keywords of CompactGatingReader missing from README's " + "Gating reference");
  }
}
