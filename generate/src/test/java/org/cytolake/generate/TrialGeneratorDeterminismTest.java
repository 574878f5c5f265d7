package org.cytolake.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrialGeneratorDeterminismTest {

  @Test
  void sameSeedGivesByteIdenticalTreesWhateverTheThreads(@TempDir Path tmp) throws Exception {
    Path one = tmp.resolve("one");
    Path four = tmp.resolve("four");
    TrialGenerator.run(Trials.smallOptions(one).withThreads(1));
    TrialGenerator.run(Trials.smallOptions(four).withThreads(4));
    Map<String, String> a = Trials.sha256Tree(one);
    Map<String, String> b = Trials.sha256Tree(four);
    assertTrue(a.size() > 30, "files written: " + a.keySet());
    assertEquals(a, b);
    assertEquals(a, Trials.sha256Tree(Trials.small()), "the shared small trial (2 threads)");
  }

  @Test
  void anotherSeedGivesAnotherTrial(@TempDir Path tmp) throws Exception {
    Path other = tmp.resolve("other");
    TrialGenerator.run(Trials.smallOptions(other).withSeed(8));
    Map<String, String> a = Trials.sha256Tree(Trials.small());
    Map<String, String> b = Trials.sha256Tree(other);
    assertNotEquals(a.get("truth/event_labels.csv.gz"), b.get("truth/event_labels.csv.gz"));
    assertNotEquals(a.get("clinical/qs.csv"), b.get("clinical/qs.csv"));
  }

  @Test
  void refusesANonEmptyDirectoryUnlessOverwriting(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("keep.txt"), "mine");
    GenerateOptions o =
        Trials.smallOptions(tmp).withPatients(1).withEventsPerSample(100).withVisits(List.of("D1"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TrialGenerator.run(o));
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    TrialGenerator.run(o.withOverwrite(true));
    TrialGenerator.run(o.withOverwrite(true));
    assertEquals("mine", Files.readString(tmp.resolve("keep.txt")));
    assertTrue(Files.exists(tmp.resolve("manifest.csv")));
  }

  @Test
  void reportsEveryOptionProblemAtOnce() {
    GenerateOptions o =
        GenerateOptions.defaults(Path.of("x"))
            .withPatients(0)
            .withEventsPerSample(1)
            .withVisits(List.of("D1", "D99", "D1"))
            .withPanels(List.of("P4"))
            .withBadFraction(0.9)
            .withThreads(0);
    List<String> p = o.problems();
    assertEquals(7, p.size(), p.toString());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TrialGenerator.run(o));
    assertTrue(e.getMessage().startsWith("Cannot generate a trial: --patients"), e.getMessage());
  }
}
