package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.cytolake.cli.CytolakeCli;
import org.cytolake.report.ReportRenderer;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cytolake nightly} as a scheduler sees it: a failed run exits 1, says why last, is recorded. */
class NightlyCommandIT {
  @TempDir Path tmp;

  @Test
  void aFailedRunExitsOneWithTheReasonOnTheLastLineAndIsRecorded() throws Exception {
    SparkTestSession.get();
    Path home = SharedData.projectDir();
    Path lake = tmp.resolve("lake");
    StringWriter err = new StringWriter();
    StringWriter out = new StringWriter();
    String before = System.getProperty("cytolake.home");
    System.setProperty("cytolake.home", home.toString()); // as bin/cytolake sets it
    int status;
    try {
      status =
          CytolakeCli.commandLine()
              .setErr(new PrintWriter(err))
              .setOut(new PrintWriter(out))
              .execute(
                  "nightly",
                  "--input",
                  tmp.resolve("no-such-input").toString(),
                  "--lake",
                  lake.toString());
    } finally {
      if (before == null) {
        System.clearProperty("cytolake.home");
      } else {
        System.setProperty("cytolake.home", before);
      }
    }
    assertEquals(1, status, out + "\n" + err);
    List<String> lines = err.toString().lines().filter(l -> !l.isBlank()).toList();
    String last = lines.get(lines.size() - 1);
    assertTrue(
        last.startsWith("nightly run ")
            && last.contains(" failed: ingest-clinical failed")
            && last.contains("no-such-input"),
        last);
    Row run = SparkTestSession.get().read().parquet(lake.resolve("runs").toString()).first();
    assertEquals("failed", run.getString(run.fieldIndex("status")));
    assertEquals("ingest-clinical", run.getString(run.fieldIndex("failed_step")));
    // Even a run that failed before its report step gets a page, opening with its outcome.
    Path html = lake.resolve("_reports/" + run.getString(run.fieldIndex("run_id")) + "/index.html");
    assertTrue(Files.exists(html), html.toString());
    String page = Files.readString(html);
    int banner = page.indexOf("<div id=\"" + ReportRenderer.BANNER + "\"");
    assertTrue(banner > 0 && banner < page.indexOf("<header>"), "banner before everything");
    assertTrue(
        page.contains("<h2>Run failed</h2>") && page.contains("Step <b>ingest-clinical</b>"),
        page.substring(banner, Math.min(page.length(), banner + 600)));
  }
}
