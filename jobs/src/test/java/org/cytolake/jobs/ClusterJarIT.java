package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cytolake.generate.SeparableSamples;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar for spark-submit ({@code jobs/target/*-cluster.jar}, built in {@code package}
 * before failsafe runs): it holds core ({@code org/cytolake/fcs/}, {@code org/cytolake/stats/})
 * and the jobs, and not the generator ({@code cytolake-generate}, a developer tool on
 * {@code bin/cytolake}'s classpath only); run on Spark's libraries alone, its CLI starts and says
 * so when asked to generate.
 */
class ClusterJarIT {
  private static final Path HOME = SharedData.projectDir();

  static Path clusterJar() throws IOException {
    try (Stream<Path> s = Files.list(HOME.resolve("jobs/target"))) {
      return s.filter(p -> p.getFileName().toString().endsWith("-cluster.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no cluster jar in jobs/target: run " + "mvn package first"));
    }
  }

  @Test
  void holdsCoreAndJobsButNotTheGenerator() throws IOException {
    List<String> entries;
    try (JarFile jar = new JarFile(clusterJar().toFile())) {
      entries = jar.stream().map(e -> e.getName()).toList();
    }
    List<String> generator =
        entries.stream().filter(n -> n.startsWith("org/cytolake/generate/")).toList();
    assertTrue(generator.isEmpty(), "the cluster jar holds the generator: " + generator);
    assertFalse(
        entries.contains("META-INF/maven/org.cytolake/cytolake-generate/pom.xml"),
        "the cluster jar holds cytolake-generate's pom");
    for (String expected :
        List.of(
            "org/cytolake/fcs/FcsReader.class",
            "org/cytolake/fcs/VectorSwap.class",
            "org/cytolake/stats/Quantiles.class",
            "org/cytolake/cli/CytolakeCli.class",
            "org/cytolake/cli/GenerateCommand.class")) {
      assertTrue(entries.contains(expected), "the cluster jar lacks " + expected);
    }
  }

  @Test
  void runsWithoutTheGeneratorAndSaysSoWhenAskedToGenerate(@TempDir Path tmp) throws Exception {
    // Spark and the other provided libraries as bin/cytolake has them, without our own jars.
    String ours = HOME.toString() + "/";
    String libraries =
        Arrays.stream(
                Files.readString(HOME.resolve("jobs/target/local-classpath.txt"))
                    .trim()
                    .split(java.io.File.pathSeparator))
            .filter(e -> !e.startsWith(ours))
            .collect(Collectors.joining(java.io.File.pathSeparator));
    String classpath = clusterJar() + java.io.File.pathSeparator + libraries;

    Run help = cli(tmp, classpath, "--help");
    assertEquals(0, help.exit, help.output);
    assertTrue(help.output.contains("generate"), help.output);

    Path fcs;
    try (Stream<Path> s = Files.walk(SeparableSamples.dir().resolve("fcs"))) {
      fcs = s.filter(p -> p.toString().endsWith(".fcs")).sorted().findFirst().orElseThrow();
    }
    Run info = cli(tmp, classpath, "fcs-info", "--json", "--events", "0", fcs.toString());
    assertEquals(0, info.exit, info.output);
    assertTrue(info.output.contains("\"parameters\""), info.output);

    Run generate = cli(tmp, classpath, "generate", "--out", tmp.resolve("trial").toString());
    assertEquals(1, generate.exit, generate.output);
    assertTrue(
        generate.output.contains(
            "Cannot generate: the generator (cytolake-generate) is " + "not on the classpath"),
        generate.output);
    assertFalse(generate.output.contains("NoClassDefFoundError"), generate.output);
  }

  private record Run(int exit, String output) {}

  private static Run cli(Path tmp, String classpath, String... args) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java.toString(),
                "@" + HOME.resolve("conf/jvm/spark-java17.args"),
                "-cp",
                classpath,
                "org.cytolake.cli.CytolakeCli"));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(tmp, "cli", ".log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "cytolake " + String.join(" ", args));
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
