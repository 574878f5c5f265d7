package org.cytolake.qc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.cytolake.fcs.FcsDataset;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsParameter;
import org.cytolake.fcs.FcsReader;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the acquisition QC with its defaults over every real file of {@code
 * ../shared/fcs-corpus} that has a Time channel and readable events, read through {@link
 * FcsReader}: it must complete with sane outputs, and it prints what it flags (one markdown table
 * row per file: docs/acquisition-qc.md shows them). Skipped when ../shared is absent.
 */
class QcCorpusTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Arguments> filesWithTime() throws Exception {
    Path corpus = SharedData.projectDir().resolve("../shared/fcs-corpus").normalize();
    if (!Files.exists(corpus.resolve("manifest.json"))) {
      return Stream.of(Arguments.of("(corpus absent)", null));
    }
    List<Arguments> out = new ArrayList<>();
    for (JsonNode e : JSON.readTree(corpus.resolve("manifest.json").toFile()).get("files")) {
      if (e.get("expect").path("should_fail").asBoolean(false)
          || !hasTime(corpus.resolve(e.get("local_path").asText()))) {
        continue;
      }
      String notes = e.path("notes").asText("");
      String instrument = notes.contains(";") ? notes.substring(0, notes.indexOf(';')) : notes;
      out.add(Arguments.of(e.get("local_path").asText(), instrument));
    }
    return out.stream();
  }

  /** Whether the file's first data set has a Time channel (read from its metadata). */
  private static boolean hasTime(Path file) {
    try (FcsFile f = FcsReader.open(file)) {
      for (FcsParameter p : f.first().parameters()) {
        String s = p.id().trim();
        if (s.equalsIgnoreCase("time") || s.equalsIgnoreCase("HDR-T")) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false; // unreadable metadata: the conformance test covers it
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filesWithTime")
  void completesWithSaneOutputs(String localPath, String instrument) throws Exception {
    Assumptions.assumeTrue(instrument != null, "../shared/fcs-corpus absent");
    Path file = SharedData.sharedOrSkip("fcs-corpus").resolve(localPath);
    QcSample sample;
    try (FcsFile f = FcsReader.open(file)) {
      FcsDataset d = f.first();
      Assumptions.assumeTrue(d.hasReadableData(), "no readable events: " + d.dataError());
      sample = FcsQcInput.read(f, d);
    }
    AcquisitionQc qc = new AcquisitionQc(QcParams.defaults());
    QcResult r = qc.run(sample);
    QcSummary s = r.summary();

    assertEquals(sample.events(), s.events());
    assertEquals(sample.events(), r.flags().size());
    assertEquals(file.toString(), s.source());
    assertNotEquals(QcSummary.Status.NO_TIME, s.status(), "the file has a Time channel");
    assertTrue(s.timeChannel() != null);
    int sum = 0;
    for (QcReason reason : QcReason.values()) {
      double share = s.share(reason);
      assertTrue(share >= 0 && share <= 1, reason + " share " + share);
      assertEquals(r.flags().count(reason), s.flagged().get(reason), reason.toString());
      assertTrue(s.share(reason) <= s.shareAny(), reason + " within any");
      sum += s.flagged().get(reason);
    }
    assertTrue(s.shareAny() >= 0 && s.shareAny() < 1, "share flagged " + s.shareAny());
    assertTrue(s.flaggedAny() <= sum);
    if (s.status() == QcSummary.Status.CHECKED) {
      assertTrue(s.bins() >= QcParams.MIN_BINS_DEFAULT, "bins " + s.bins());
      assertTrue(
          s.eventsPerBin() >= QcParams.MIN_EVENTS_PER_BIN_DEFAULT
              && s.eventsPerBin() <= QcParams.EVENTS_PER_BIN_DEFAULT,
          "per bin " + s.eventsPerBin());
      assertTrue(s.performed().contains(QcReason.SIGNAL), s.notes().toString());
    } else {
      assertEquals(0, s.flagged().get(QcReason.FLOW_RATE) + s.flagged().get(QcReason.SIGNAL));
    }
    for (QcSummary.Segment seg : s.segments()) {
      assertTrue(
          seg.firstEvent() >= 0
              && seg.firstEvent() < seg.endEvent()
              && seg.endEvent() <= s.events(),
          seg.toString());
      assertTrue(seg.startTime() <= seg.endTime(), seg.toString());
      assertTrue(seg.events() <= s.flagged().get(seg.reason()), seg.toString());
      assertTrue(!seg.violations().isEmpty(), "a segment says why: " + seg);
    }
    assertEquals(r, qc.run(sample), "deterministic");

    System.out.println(row(file.getFileName().toString(), instrument, s));
    for (QcSummary.Segment seg : s.segments()) {
      QcSummary.Violation v = seg.violations().get(0);
      System.out.printf(
          Locale.ROOT,
          "    %s events %d..%d (%.1f..%.1f %s): %s %s = %.4g outside "
              + "[%.4g, %.4g] in %d bin(s)%s%n",
          seg.reason(),
          seg.firstEvent(),
          seg.endEvent(),
          seg.startTime(),
          seg.endTime(),
          s.timeUnit(),
          v.channel(),
          v.statistic(),
          v.worst(),
          v.lower(),
          v.upper(),
          v.bins(),
          seg.violations().size() > 1 ? " (+" + (seg.violations().size() - 1) + " more)" : "");
    }
    for (String note : s.notes()) {
      System.out.println("    note: " + note);
    }
  }

  /** A markdown table row: file, instrument, events, status, % flagged per reason and any. */
  static String row(String file, String instrument, QcSummary s) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %d | %s | %s | %s | %.2f | %.2f |",
        file,
        instrument,
        s.events(),
        s.status(),
        pct(s, QcReason.FLOW_RATE),
        pct(s, QcReason.SIGNAL),
        100 * s.share(QcReason.MARGIN),
        100 * s.shareAny());
  }

  private static String pct(QcSummary s, QcReason reason) {
    return s.performed().contains(reason)
        ? String.format(Locale.ROOT, "%.2f", 100 * s.share(reason))
        : "n/c";
  }
}
