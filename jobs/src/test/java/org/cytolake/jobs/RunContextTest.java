package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.cytolake.config.ConfigException;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run context is built once, from a configuration checked whole at start-up. */
class RunContextTest {
  @TempDir Path tmp;

  private Path copyOfConf() throws IOException {
    Path src = SharedData.projectDir().resolve("conf");
    Path dst = tmp.resolve("conf");
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.toList()) {
        Path t = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return dst;
  }

  @Test
  void theProjectConfigurationPassesTheStartUpCheck() throws IOException {
    Path conf = copyOfConf();
    RunContext ctx =
        RunContext.openChecked(
            null, "/tmp/lake/", conf, SharedData.projectDir().resolve("schemas"), "R1");
    assertEquals("/tmp/lake", ctx.lake().root());
    assertEquals("R1", ctx.runId());
    assertEquals("/tmp/lake/_runs/R1/gate.json", ctx.lake().runSummary("R1", "gate"));
    assertEquals("/tmp/lake/_reports/R1/index.html", ctx.lake().reportPage("R1"));
  }

  @Test
  void everyBrokenFileOfEveryStepIsReportedAtOnceBeforeAnythingRuns() throws IOException {
    Path conf = copyOfConf();
    Files.writeString(
        conf.resolve("clustering.yaml"),
        Files.readString(conf.resolve("clustering.yaml")).replace("xdim: 10", "xdim: -3"));
    Files.writeString(conf.resolve("cohorts.yaml"), "cohorts: [unclosed\n");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                RunContext.openChecked(
                    null, "/tmp/lake", conf, SharedData.projectDir().resolve("schemas"), null));
    assertTrue(e.problems().size() >= 2, e.problems().toString());
    assertTrue(
        e.problems().stream().anyMatch(p -> p.contains("clustering.yaml") && p.contains("xdim")),
        e.problems().toString());
    assertTrue(
        e.problems().stream().anyMatch(p -> p.contains("cohorts.yaml")), e.problems().toString());
    // A plain open checks only what every job needs: the settings, panels and visits.
    RunContext.open(null, "/tmp/lake", conf, SharedData.projectDir().resolve("schemas"), null);
  }

  @Test
  void eachStepsConfigurationIsLoadedOnceAndHandedToEveryJobOfTheRun() throws IOException {
    Path conf = copyOfConf();
    RunContext ctx =
        RunContext.openChecked(
            null, "/tmp/lake", conf, SharedData.projectDir().resolve("schemas"), null);
    var clustering = ctx.steps().clustering();
    var gating = ctx.steps().gating();
    var differential = ctx.steps().differential();
    // Breaking the files after start-up changes nothing: the run uses what it checked.
    Files.writeString(conf.resolve("clustering.yaml"), "xdim: -3\n");
    Files.writeString(conf.resolve("cohorts.yaml"), "cohorts: [unclosed\n");
    assertSame(clustering, ctx.steps().clustering());
    assertSame(gating, ctx.steps().gating());
    assertSame(differential, ctx.steps().differential());
  }
}
