package org.cytolake.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cytolake.scoring.LabelLinks.LedgerEntry;
import org.cytolake.scoring.LabelLinks.Link;
import org.junit.jupiter.api.Test;

/** {@link LabelLinks}: label files to samples through the ledger (moved out of EvaluateJob). */
class LabelLinksTest {
  static final List<LedgerEntry> LEDGER =
      List.of(
          new LedgerEntry("file:/data/in/fcs/P1/a.fcs", "s1", "P1"),
          new LedgerEntry("C:\\data\\in\\fcs\\P2\\a.fcs", "s2", "P2"),
          new LedgerEntry("file:/data/in/fcs/P3/xa.fcs", "s3", "P3"));

  @Test
  void aFileLinksToTheLedgerPathEndingWithItSegmentAligned() {
    LabelLinks.Result r =
        LabelLinks.link(
            "labels.csv",
            List.of("fcs/P1/a.fcs", "fcs\\P2\\a.fcs", "P3/a.fcs", "gone.fcs"),
            LEDGER);
    assertEquals(
        List.of(new Link("fcs/P1/a.fcs", "s1", "P1"), new Link("fcs\\P2\\a.fcs", "s2", "P2")),
        r.links());
    assertEquals(
        2,
        r.skipped(),
        "P3/a.fcs is not a segment-aligned suffix of .../P3/xa.fcs; gone.fcs is unknown");
  }

  @Test
  void aFileMatchingSeveralSamplesIsAnErrorNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LabelLinks.link("labels.csv", List.of("a.fcs", "xa.fcs", "P1/a.fcs"), LEDGER));
    assertTrue(
        e.getMessage()
            .startsWith(
                "Cannot link labels 'labels.csv' to the lake: label file 'a.fcs' matches "
                    + "ledger paths of several samples"),
        e.getMessage());
  }

  @Test
  void entriesOfOneSampleAreOneLink() {
    List<LedgerEntry> twice =
        List.of(
            new LedgerEntry("/x/run1/a.fcs", "s1", "P1"),
            new LedgerEntry("/y/run1/a.fcs", "s1", "P1"));
    assertEquals(
        List.of(new Link("run1/a.fcs", "s1", "P1")),
        LabelLinks.link("l", List.of("run1/a.fcs"), twice).links());
  }
}
