package org.cytolake.fcs;

import static org.cytolake.fcs.FcsTestSupport.assertValues;
import static org.cytolake.fcs.FcsTestSupport.readDoubles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link FcsReader#open(FcsInput)} reads HEADER and TEXT segments only: never a DATA byte, except
 * the 3-byte probe for an {@code FCS} identifier at a {@code $NEXTDATA} target (which may touch a
 * DATA byte when {@code $NEXTDATA} is one byte short). A Spark task can therefore read metadata
 * of a huge file cheaply, and events are read only from the DATA segment.
 */
class FcsMetadataReadsTest {

  /** An input that records every range asked of it. */
  private static final class RecordingInput implements FcsInput {
    private final FcsInput in;
    final List<long[]> reads = new ArrayList<>();

    RecordingInput(FcsInput in) {
      this.in = in;
    }

    @Override
    public String name() {
      return in.name();
    }

    @Override
    public long length() throws IOException {
      return in.length();
    }

    @Override
    public void readFully(long position, byte[] dst, int off, int len) throws IOException {
      reads.add(new long[] {position, position + len});
      in.readFully(position, dst, off, len);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private static RawFcs first() {
    return RawFcs.listMode("I", "4,3,2,1", 3, 16, 16, 16)
        .keyword("$P1R", "1024")
        .keyword("$P2R", "1024")
        .keyword("$P3R", "1024")
        .supplementalText(Map.of("$SPILLOVER", "2,P1,P2,1,0.25,0,1", "$CYT", "test"))
        .data(
            RawFcs.Data.big()
                .u16(1)
                .u16(2)
                .u16(3)
                .u16(4)
                .u16(5)
                .u16(6)
                .u16(7)
                .u16(8)
                .u16(9)
                .bytes());
  }

  private static RawFcs second() {
    return RawFcs.listMode("F", "1,2,3,4", 2, 32, 32)
        .data(RawFcs.Data.little().f32(1.5f).f32(2.5f).f32(3.5f).f32(4.5f).bytes());
  }

  @ParameterizedTest(name = "$NEXTDATA off by {0}")
  @ValueSource(ints = {0, -1, 1})
  void openingReadsOnlyHeaderAndTextSegments(int nextDelta) throws IOException {
    byte[] bytes = first().next(second(), nextDelta).build();
    RecordingInput in = new RecordingInput(FcsInput.of("meta.fcs", bytes));
    try (FcsFile f = FcsReader.open(in)) {
      List<long[]> opening = List.copyOf(in.reads);
      assertEquals(2, f.datasets().size());
      List<long[]> allowed = new ArrayList<>();
      List<long[]> data = new ArrayList<>();
      for (FcsDataset ds : f.datasets()) {
        long base = ds.offset();
        allowed.add(new long[] {base, base + FcsHeader.LENGTH});
        allowed.add(new long[] {base + ds.header().textStart(), base + ds.header().textEnd() + 1});
        String ss = ds.keywords().getOrNull("$BEGINSTEXT");
        if (ss != null && !ss.equals("0")) {
          allowed.add(
              new long[] {
                base + Long.parseLong(ss),
                base + Long.parseLong(ds.keywords().getOrNull("$ENDSTEXT")) + 1
              });
        }
        DataSegment d = ds.data();
        assertTrue(d.length() > 0);
        data.add(new long[] {d.start(), d.start() + d.length()});
      }
      long nextTarget =
          f.first().offset() + Long.parseLong(f.first().keywords().getOrNull("$NEXTDATA"));
      for (long[] r : opening) {
        String range = r[0] + ".." + r[1];
        boolean probe = r[1] - r[0] <= 3 && Math.abs(r[0] - nextTarget) <= 1;
        boolean inside = allowed.stream().anyMatch(a -> a[0] <= r[0] && r[1] <= a[1]);
        assertTrue(probe || inside, "read " + range + " is not a HEADER, TEXT or probe range");
        if (!probe) {
          for (long[] d : data) {
            assertFalse(r[0] < d[1] && d[0] < r[1], "read " + range + " overlaps DATA");
          }
        }
      }
      if (nextDelta == 0) {
        for (long[] r : opening) {
          for (long[] d : data) {
            assertFalse(
                r[0] < d[1] && d[0] < r[1],
                "read " + r[0] + ".." + r[1] + " overlaps DATA " + d[0] + ".." + d[1]);
          }
        }
      }

      // Reading events then touches only the DATA segment of that data set.
      in.reads.clear();
      assertValues(new double[] {1.5, 2.5, 3.5, 4.5}, readDoubles(f, f.datasets().get(1)));
      long[] d2 = data.get(1);
      for (long[] r : in.reads) {
        assertTrue(
            d2[0] <= r[0] && r[1] <= d2[1],
            "event read " + r[0] + ".." + r[1] + " outside DATA " + d2[0] + ".." + d2[1]);
      }
      assertFalse(in.reads.isEmpty());
    }
  }
}
