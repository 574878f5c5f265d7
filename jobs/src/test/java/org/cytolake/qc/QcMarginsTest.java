package org.cytolake.qc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** MARGIN: values at or beyond the detector range, found exactly. */
class QcMarginsTest {
  private static final int N = 5000;
  private static final double RANGE = 262144;

  /** Channels with known margin events; expected flags computed independently. */
  private static final class Fixture {
    final float[] fsc = new float[N];
    final float[] ssc = new float[N];
    final float[] pe = new float[N];
    final float[] width = new float[N];
    final float[] noRange = new float[N];
    final boolean[] expected = new boolean[N];
    int fscLow;
    int fscHigh;
    int peHigh;

    Fixture() {
      SplittableRandom rnd = new SplittableRandom(7);
      for (int i = 0; i < N; i++) {
        fsc[i] = (float) Math.rint(100 + rnd.nextDouble() * 200_000); // integer data
        ssc[i] = (float) (500 + rnd.nextDouble() * 100_000); // continuous: no pile-up
        pe[i] = (float) (rnd.nextGaussian() * 300);
        width[i] = (float) (60_000 + rnd.nextDouble() * 1000);
        noRange[i] = (float) (rnd.nextDouble() * 1e6);
      }
      for (int i = 0; i < N; i += 131) {
        fsc[i] = 0; // a pile-up of clipped scatter at the floor 0
      }
      for (int i = 7; i < N; i += 701) {
        fsc[i] = i % 2 == 0 ? 262143f : 262144f; // at the top, $PnR - 1, and beyond
      }
      fsc[4] = 262142.5f; // just below the top: not a margin event
      for (int i = 3; i < N; i += 97) {
        pe[i] = 262143f;
      }
      for (int i = 0; i < N; i += 50) {
        pe[i + 1] = -111f; // a floor of a fluorescence channel: only scatter floors are margins
        width[i + 2] = 262143f; // a saturated width: widths are not checked
        noRange[i + 3] = 1e7f; // no $PnR: no top
      }
      for (int i = 0; i < N; i++) {
        boolean low = fsc[i] == 0;
        boolean fscTop = fsc[i] >= RANGE - 1;
        boolean peTop = pe[i] >= RANGE - 1;
        fscLow += low ? 1 : 0;
        fscHigh += fscTop ? 1 : 0;
        peHigh += peTop ? 1 : 0;
        expected[i] = low || fscTop || peTop;
      }
      if (fscLow < 30 || fscHigh < 5 || peHigh < 40) {
        throw new AssertionError("fixture lost its margin events");
      }
    }

    QcSample sample(boolean withTime) {
      QcSample.Builder b =
          QcSample.builder("margins.fcs", N)
              .channel("FSC-A", RANGE, fsc)
              .channel("SSC-A", RANGE, ssc)
              .channel("PE-A", RANGE, pe)
              .channel("FSC-W", RANGE, width)
              .channel("X", Double.NaN, noRange);
      if (withTime) {
        float[] time = new float[N];
        for (int i = 0; i < N; i++) {
          time[i] = Math.min(i / 10f, 262143f);
        }
        time[N - 1] = 262143f; // Time at its top is never a margin event
        b.channel("Time", RANGE, time);
      }
      return b.build();
    }
  }

  @Test
  void marginEventsAreFoundExactly() {
    Fixture f = new Fixture();
    for (boolean withTime : new boolean[] {false, true}) {
      QcResult r = new AcquisitionQc(QcParams.defaults()).run(f.sample(withTime));
      boolean[] got = new boolean[N];
      for (int i = 0; i < N; i++) {
        got[i] = r.flags().has(i, QcReason.MARGIN);
      }
      assertArrayEquals(f.expected, got, "withTime=" + withTime);
      List<QcSummary.Margin> m = r.summary().margins();
      assertEquals(
          List.of(
              new QcSummary.Margin("FSC-A", f.fscLow, f.fscHigh, 0, RANGE - 1),
              new QcSummary.Margin("PE-A", 0, f.peHigh, Double.NaN, RANGE - 1)),
          m);
      assertEquals(f.fscLow + f.fscHigh + f.peHigh, r.summary().flagged().get(QcReason.MARGIN));
    }
  }

  @Test
  void withoutTimeOnlyMarginsAreChecked() {
    QcResult r = new AcquisitionQc(QcParams.defaults()).run(new Fixture().sample(false));
    QcSummary s = r.summary();
    assertEquals(QcSummary.Status.NO_TIME, s.status());
    assertEquals(java.util.Set.of(QcReason.MARGIN), s.performed());
    assertTrue(s.notes().contains("no Time channel: margins only"), s.notes().toString());
    assertEquals(0, s.flagged().get(QcReason.FLOW_RATE) + s.flagged().get(QcReason.SIGNAL));
  }

  @Test
  void theDefaultChannelsLeaveOutTimeWidthsCountersAndConstants() {
    Fixture f = new Fixture();
    float[] counter = new float[N];
    float[] constant = new float[N];
    for (int i = 0; i < N; i++) {
      counter[i] = i + 1;
    }
    QcSample s =
        QcSample.builder("roles.fcs", N)
            .channel("FSC-A", RANGE, f.fsc)
            .channel("FSC-W", RANGE, f.width)
            .channel("Event", RANGE, counter)
            .channel("Unused6", 1024, constant)
            .channel("TIME2", RANGE, counter)
            .channel("PE-A", RANGE, f.pe)
            .build();
    QcSummary sum = new AcquisitionQc(QcParams.defaults()).run(s).summary();
    assertEquals(List.of("FSC-A", "PE-A"), sum.channels());
    assertTrue(
        sum.notes()
            .contains(
                "not checked: width: FSC-W; counter: Event; constant: Unused6; " + "time: TIME2"),
        sum.notes().toString());
  }

  @Test
  void namedChannelsAreTheOnlyOnesChecked() {
    QcResult r =
        new AcquisitionQc(QcParams.defaults().withChannels(List.of("PE-A")))
            .run(new Fixture().sample(false));
    assertEquals(List.of("PE-A"), r.summary().channels());
    assertEquals(new Fixture().peHigh, r.summary().flagged().get(QcReason.MARGIN));
  }

  @Test
  void aPileUpNeedsMoreThanTheLowestValue() {
    assertTrue(Double.isNaN(AcquisitionQc.pileUp(new float[] {5, 1, 3, 2, 4, 6, 7})));
    assertTrue(Double.isNaN(AcquisitionQc.pileUp(new float[] {1, 1, 2, 2, 3, 3, 4, 4})));
    assertEquals(0, AcquisitionQc.pileUp(new float[] {0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5}));
    assertTrue(Double.isNaN(AcquisitionQc.pileUp(new float[] {3, 3, 3})), "a constant");
  }
}
