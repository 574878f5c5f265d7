package org.cytolake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cytolake.cli.CytolakeCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --only cluster-fcs} on a tiny generated file, without the FlowSOM_Python peer. */
class ClusterFcsBenchmarkTest {

  private static final ClusterFcsBenchmark.CommandRunner CLI =
      (args, out, err) -> {
        var cl = CytolakeCli.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args.toArray(new String[0]));
      };

  @Test
  void withoutThePeerOurFiguresAreReportedAndThePeerIsSkippedWithItsReason(@TempDir Path tmp)
      throws Exception {
    Path notFlowSom = Files.createDirectories(tmp.resolve("not-flowsom"));
    ClusterFcsBenchmark.Result r =
        ClusterFcsBenchmark.run(
            tmp, null, 3000, 1, false, notFlowSom, null, tmp, CLI, BenchLog.quiet());
    assertEquals(3000, r.events());
    assertEquals(1, r.wholeRuns().size());
    for (String part : new String[] {"read", "som", "metacluster", "map", "summarise", "write"}) {
      assertTrue(r.partSeconds(part) >= 0, part + " in " + r.partRuns());
    }
    assertTrue(r.parquetSecondsPerMillionRows() > 0);
    assertFalse(r.peer().ran());
    assertTrue(
        r.peer().skipReason().contains("is no FlowSOM_Python source tree"), r.peer().skipReason());
    assertTrue(Double.isNaN(r.ratioToPeer()));
    assertTrue(r.processRuns().isEmpty());
  }

  @Test
  void aSourceTreeWithoutThePeerScriptIsSkippedAndNoneGivenNamesTheOption(@TempDir Path tmp)
      throws Exception {
    Path src = Files.createDirectories(tmp.resolve("fs/src/flowsom/models"));
    Files.writeString(src.resolve("_som.py"), "");
    ClusterFcsBenchmark.Peer p = ClusterFcsBenchmark.check(tmp.resolve("fs"), tmp);
    assertTrue(p.skipReason().contains("peer script"), p.skipReason());
    Path home = Files.createDirectories(tmp.resolve("home/scripts/bench"));
    Files.writeString(home.resolve("flowsom_python_peer.py"), "");
    assertNull(ClusterFcsBenchmark.check(tmp.resolve("fs"), tmp.resolve("home")));
    assumeTrue(System.getenv(ClusterFcsBenchmark.FLOWSOM_PYTHON_ENV) == null);
    p = ClusterFcsBenchmark.check(null, tmp.resolve("home"));
    assertTrue(p.skipReason().contains("--flowsom-python"), p.skipReason());
  }
}
