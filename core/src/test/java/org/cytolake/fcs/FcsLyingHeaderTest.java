package org.cytolake.fcs;

import static org.cytolake.fcs.FcsTestSupport.assertMentions;
import static org.cytolake.fcs.FcsTestSupport.assertValues;
import static org.cytolake.fcs.FcsTestSupport.assertWarning;
import static org.cytolake.fcs.FcsTestSupport.readDoubles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keywords that claim more than the file holds cannot make the reader allocate or loop on their
 * say-so: each such file fails cleanly with an {@link FcsFormatException}, or reads what is there
 * with a warning, within two seconds and without {@link OutOfMemoryError}. Every case is read both
 * from memory and through a {@link java.nio.channels.FileChannel}, whose positioned reads reject
 * negative positions with an unchecked exception.
 */
class FcsLyingHeaderTest {
  private static final Duration QUICKLY = Duration.ofSeconds(2);
  private static final String NEAR_MAX = Long.toString(Long.MAX_VALUE - 5);

  @TempDir Path dir;

  private static RawFcs small() {
    return RawFcs.listMode("I", "1,2,3,4", 2, 16, 16)
        .keyword("$P1R", "1024")
        .keyword("$P2R", "1024")
        .data(RawFcs.Data.little().u16(1).u16(2).u16(3).u16(4).bytes());
  }

  /** What reading all events of every data set gives: the values of the last, or the failure. */
  private interface Outcome {
    void check(FcsFile f) throws IOException;
  }

  /** Opens the bytes from memory and from disk, reads everything, and hands the file to a check. */
  private void readBothWays(String name, byte[] bytes, Outcome outcome) throws IOException {
    Path path = dir.resolve(name);
    Files.write(path, bytes);
    assertTimeoutPreemptively(
        QUICKLY,
        () -> {
          try (FcsFile f = FcsTestSupport.open(name, bytes)) {
            outcome.check(f);
          }
          try (FcsFile f = FcsReader.open(path)) {
            outcome.check(f);
          }
        });
  }

  /** Expects every way of reading to fail with {@code code}. */
  private void rejectedBothWays(String name, byte[] bytes, FcsErrorCode code, String... mentions)
      throws IOException {
    Path path = dir.resolve(name);
    Files.write(path, bytes);
    assertTimeoutPreemptively(
        QUICKLY,
        () -> {
          for (int way = 0; way < 2; way++) {
            boolean disk = way == 1;
            FcsFormatException e =
                assertThrows(
                    FcsFormatException.class,
                    () -> {
                      try (FcsFile f =
                          disk ? FcsReader.open(path) : FcsTestSupport.open(name, bytes)) {
                        for (FcsDataset ds : f.datasets()) {
                          readDoubles(f, ds);
                        }
                      }
                    });
            assertEquals(code, e.code(), e.getMessage());
            assertMentions(e.getMessage(), mentions);
          }
        });
  }

  @Test
  void aTotOfAQuadrillionReadsTheEventsThatAreThere() throws IOException {
    byte[] bytes = small().keyword("$TOT", "1000000000000000").build();
    readBothWays(
        "tot.fcs",
        bytes,
        f -> {
          FcsDataset ds = f.first();
          assertEquals(1_000_000_000_000_000L, ds.declaredEvents());
          assertEquals(2, ds.eventCount());
          assertMentions(assertWarning(ds, "TOT_MISMATCH"), "$TOT says 1000000000000000");
          assertValues(new double[] {1, 2, 3, 4}, readDoubles(f, ds));
        });
  }

  @Test
  void aTotOfAQuadrillionWithoutDataOffsetsFailsCleanly() throws IOException {
    byte[] bytes =
        small().keyword("$TOT", "1000000000000000").dataOffsetsIn(RawFcs.Offsets.NONE).build();
    rejectedBothWays("tot-nodata.fcs", bytes, FcsErrorCode.BAD_OFFSETS, "neither");
  }

  @ParameterizedTest(name = "$TOT {0}")
  @ValueSource(strings = {"9223372036854775807", "99999999999999999999", "4611686018427387903"})
  void aTotBeyondLongRangeIsRejectedOrReadAsWhatIsThere(String tot) throws IOException {
    byte[] bytes = small().keyword("$TOT", tot).build();
    if (tot.equals("4611686018427387903")) { // Long.MAX_VALUE / 2: the largest accepted
      readBothWays(
          "tot-max.fcs",
          bytes,
          f -> {
            assertEquals(2, f.first().eventCount());
            assertWarning(f.first(), "TOT_MISMATCH");
          });
    } else {
      rejectedBothWays("tot-huge.fcs", bytes, FcsErrorCode.BAD_KEYWORD_VALUE, "$TOT", tot);
    }
  }

  @Test
  void aParOfNineHundredThousandWithASmallTextFailsCleanly() throws IOException {
    byte[] bytes = small().keyword("$PAR", "900000").build();
    rejectedBothWays("par.fcs", bytes, FcsErrorCode.MISSING_KEYWORD, "$P3B", "of 900000");
  }

  @Test
  void aTextEndAtTheLargestHeaderValueFailsCleanly() throws IOException {
    byte[] bytes = small().headerTextFields(null, "99999999").build();
    rejectedBothWays("text-end.fcs", bytes, FcsErrorCode.BAD_OFFSETS, "99999999");
  }

  @Test
  void aSupplementalTextEndNearLongRangeIsIgnored() throws IOException {
    byte[] bytes = small().keyword("$BEGINSTEXT", "58").keyword("$ENDSTEXT", NEAR_MAX).build();
    readBothWays(
        "stext.fcs",
        bytes,
        f -> {
          assertWarning(f.first(), "STEXT_OFFSETS");
          assertValues(new double[] {1, 2, 3, 4}, readDoubles(f, f.first()));
        });
  }

  @Test
  void dataOffsetsNearLongRangeFailCleanly() throws IOException {
    byte[] bytes =
        small()
            .dataOffsetsIn(RawFcs.Offsets.NONE)
            .keyword("$BEGINDATA", Long.toString(Long.MAX_VALUE - 7))
            .keyword("$ENDDATA", NEAR_MAX)
            .build();
    rejectedBothWays("data-far.fcs", bytes, FcsErrorCode.TRUNCATED_DATA, "starts at byte");
  }

  @Test
  void aNextDataNearLongRangeIsIgnored() throws IOException {
    byte[] bytes = small().keyword("$NEXTDATA", NEAR_MAX).build();
    readBothWays(
        "next-far.fcs",
        bytes,
        f -> {
          assertEquals(1, f.datasets().size());
          assertWarning(f.first(), "NEXTDATA_INVALID");
        });
  }

  /**
   * In a second data set every offset is added to that data set's position, so an offset near
   * {@code Long.MAX_VALUE} would wrap around to a negative position if added unchecked.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"stext", "stext-2GiB", "data", "data-fits", "nextdata"})
  void offsetsNearLongRangeInASecondDataSetCannotWrapAround(String lie) throws IOException {
    long max = Long.MAX_VALUE;
    RawFcs second = small();
    switch (lie) {
      case "stext" ->
          second
              .keyword("$BEGINSTEXT", Long.toString(max - 20))
              .keyword("$ENDSTEXT", Long.toString(max - 10));
      // (int) (end - start + 1) would be 2^31 - 16: a 2 GiB buffer for a 300-byte file.
      case "stext-2GiB" ->
          second
              .keyword("$BEGINSTEXT", Long.toString(max - 0x7FFFFFEFL))
              .keyword("$ENDSTEXT", Long.toString(max));
      case "data" ->
          second
              .dataOffsetsIn(RawFcs.Offsets.NONE)
              .keyword("$BEGINDATA", Long.toString(max - 20))
              .keyword("$ENDDATA", Long.toString(max));
      // Exactly $TOT × 4 bytes, so the pair looks like it fits unless the sum is checked.
      case "data-fits" ->
          second
              .dataOffsetsIn(RawFcs.Offsets.NONE)
              .keyword("$BEGINDATA", Long.toString(max - 20))
              .keyword("$ENDDATA", Long.toString(max - 13));
      default -> second.keyword("$NEXTDATA", Long.toString(max - 100));
    }
    byte[] bytes = small().trailer(RawFcs.ascii("00000000")).next(second, 0).build();
    readBothWays(
        "second-" + lie + ".fcs",
        bytes,
        f -> {
          FcsDataset one = f.first();
          assertValues(new double[] {1, 2, 3, 4}, readDoubles(f, one));
          assertTrue(f.datasets().size() <= 2);
          if (f.datasets().size() == 2) {
            FcsDataset two = f.datasets().get(1);
            if (two.hasReadableData()) {
              assertValues(new double[] {1, 2, 3, 4}, readDoubles(f, two));
            } else {
              assertEquals(FcsErrorCode.TRUNCATED_DATA, two.dataError().orElseThrow().code());
              assertThrows(FcsFormatException.class, () -> f.events(two));
            }
          }
        });
  }

  @Test
  void aHugeBlockSizeAllocatesOnlyWhatTheRangeNeeds() throws IOException {
    byte[] bytes = small().keyword("$TOT", "1000000000000000").build();
    readBothWays(
        "block.fcs",
        bytes,
        f -> {
          EventReader r = f.events(f.first(), 0, 2, Integer.MAX_VALUE);
          double[] dst = new double[4];
          assertEquals(2, r.read(dst));
          assertValues(new double[] {1, 2, 3, 4}, dst);
        });
  }

  @Test
  void theSupplementalTextOfASmallFileIsReadInFull() throws IOException {
    // A control for the lies above: a legitimate supplemental TEXT is read and merged.
    byte[] bytes = small().supplementalText(Map.of("$COM", "ok")).build();
    readBothWays(
        "stext-ok.fcs", bytes, f -> assertEquals("ok", f.first().keywords().getOrNull("$COM")));
  }
}
