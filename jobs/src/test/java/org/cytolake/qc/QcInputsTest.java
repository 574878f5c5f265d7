package org.cytolake.qc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.cytolake.qc.SyntheticAcquisition.Events;
import org.junit.jupiter.api.Test;

/** Parameters, inputs, small files and unusable Time channels. */
class QcInputsTest {

  @Test
  void defaultsAreValidAndDocumented() {
    QcParams p = QcParams.defaults();
    assertEquals(1000, p.eventsPerBin());
    assertEquals(150, p.minEventsPerBin());
    assertEquals(20, p.minBins());
    assertEquals(6, p.madMultiplier());
    assertEquals(5, p.consecutiveBins());
    assertEquals(List.of(0.5), p.quantiles());
    assertEquals(EnumSet.allOf(QcReason.class), p.checks());
    assertEquals(3000, p.minEvents());
  }

  @Test
  void everyBadParameterIsReportedAtOnce() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new QcParams(
                    8,
                    5,
                    2,
                    Double.NaN,
                    -1,
                    List.of(0.0, 1.5),
                    List.of("PE-A", "PE-A"),
                    " ",
                    Set.of()));
    String m = e.getMessage();
    assertTrue(m.startsWith("Cannot create acquisition QC parameters: "), m);
    for (String part :
        List.of(
            "minEventsPerBin must be at least 10 but is 5",
            "eventsPerBin must be at least minEventsPerBin (5) but is 8",
            "minBins must be at least 5 but is 2",
            "madMultiplier must be a finite number > 0 but is NaN",
            "consecutiveBins must be at least 0 but is -1",
            "quantiles must lie in (0, 1) but one is 0.0",
            "quantiles must lie in (0, 1) but one is 1.5",
            "channels must not repeat but 'PE-A' appears twice",
            "timeChannel must be null (detect) or a name but is ' '",
            "checks must name at least one of [FLOW_RATE, SIGNAL, MARGIN] but is []")) {
      assertTrue(m.contains(part), "missing '" + part + "' in: " + m);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> QcParams.defaults().withEventsPerBin(100),
        "below minEventsPerBin");
    assertThrows(
        IllegalArgumentException.class, () -> QcParams.defaults().withQuantiles(List.of(0.5, 0.5)));
  }

  @Test
  void aSampleNamesTheFileAndEveryBadChannel() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                QcSample.builder("a.fcs", 3)
                    .timeStep(-1)
                    .channel("FSC-A", 1024, new float[2])
                    .channel(QcChannel.of("PE-A", 1024, false), (float[]) null)
                    .build());
    assertEquals(
        "Cannot build QC sample 'a.fcs': the time step must be a finite number > 0 or "
            + "NaN but is -1.0; channel 'FSC-A' has 2 values but the sample has 3 events; channel "
            + "'PE-A' has no values",
        e.getMessage());
    IllegalArgumentException r =
        assertThrows(IllegalArgumentException.class, () -> QcChannel.of("PE-A", -5, false));
    assertEquals(
        "Cannot describe QC channel 'PE-A': range must be > 0 or NaN but is -5.0", r.getMessage());
  }

  @Test
  void unknownChannelsAreNamed() {
    QcSample s =
        QcSample.builder("b.fcs", 2)
            .channel("FSC-A", 1024, new float[2])
            .channel("Time", 1024, new float[2])
            .build();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new AcquisitionQc(QcParams.defaults().withChannels(List.of("CD3", "Time"))).run(s));
    assertEquals(
        "Cannot run acquisition QC on 'b.fcs': channels to check 'CD3', 'Time' (the "
            + "Time channel) are not checkable channels of it [FSC-A, Time]",
        e.getMessage());
    IllegalArgumentException t =
        assertThrows(
            IllegalArgumentException.class,
            () -> new AcquisitionQc(QcParams.defaults().withTimeChannel("HDR-T")).run(s));
    assertEquals(
        "Cannot run acquisition QC on 'b.fcs': time channel 'HDR-T' is not among its "
            + "channels [FSC-A, Time]",
        t.getMessage());
  }

  @Test
  void aFileTooSmallToBinIsReportedNotFlagged() {
    Events ev = new SyntheticAcquisition(5, 1000, 2.5).simulate(); // ~2500 events < 3000
    assertTrue(ev.n < 3000 && ev.n > 2000, "events: " + ev.n);
    QcResult r = new AcquisitionQc(QcParams.defaults()).run(ev.sample("small.fcs"));
    QcSummary s = r.summary();
    assertEquals(QcSummary.Status.TOO_SMALL, s.status());
    assertEquals(0, s.bins());
    assertEquals(Set.of(QcReason.MARGIN), s.performed());
    assertEquals(0, s.flaggedAny());
    assertEquals(
        ev.n
            + " events are too few to bin: at least 3000 (20 bins of 150) are needed; "
            + "margins only",
        s.notes().get(s.notes().size() - 1));
    for (int n : new int[] {0, 1}) {
      QcSample tiny =
          QcSample.builder("tiny.fcs", n)
              .channel("PE-A", 1024, new float[n])
              .channel("Time", 1024, new float[n])
              .build();
      QcSummary ts = new AcquisitionQc(QcParams.defaults()).run(tiny).summary();
      assertEquals(QcSummary.Status.TOO_SMALL, ts.status());
      assertEquals(0, ts.shareAny());
    }
  }

  @Test
  void aSmallFileUsesSmallerBins() {
    Events ev = new SyntheticAcquisition(6, 1000, 10).simulate(); // ~10^4 events: 20 bins of 500
    QcSummary s = new AcquisitionQc(QcParams.defaults()).run(ev.sample("10k.fcs")).summary();
    assertEquals(QcSummary.Status.CHECKED, s.status());
    assertEquals(20, s.bins());
    assertEquals(ev.n / 20, s.eventsPerBin());
    assertTrue(s.shareAny() <= 0.01, s.toString());
  }

  @Test
  void aCoarseTimeSkipsTheFlowRateButNotTheSignal() {
    Events ev = new SyntheticAcquisition(8, 1000, 100).simulate();
    float[] time = ev.columns[8];
    for (int i = 0; i < ev.n; i++) {
      time[i] = (float) Math.floor(time[i] / 100); // whole seconds: one step per bin
    }
    QcSummary s = new AcquisitionQc(QcParams.defaults()).run(ev.sample("coarse.fcs")).summary();
    assertEquals(Set.of(QcReason.SIGNAL, QcReason.MARGIN), s.performed());
    assertTrue(
        s.notes().stream()
            .anyMatch(
                n -> n.startsWith("flow rate not checked: the Time resolution is too coarse")),
        s.notes().toString());
  }

  @Test
  void aTimeStuckAtTheTopOfItsRangeIsCheckedUpToThere() {
    Events ev = new SyntheticAcquisition(9, 1000, 100).simulate();
    float[] time = ev.columns[8];
    for (int i = 0; i < ev.n; i++) {
      time[i] = Math.min(time[i], 5999); // $PnR 6000: stuck after 60 s
    }
    QcSample.Builder b = QcSample.builder("stuck.fcs", ev.n).timeStep(0.01);
    String[] names = Events.names();
    for (int c = 0; c < names.length; c++) {
      b.channel(names[c], c == 8 ? 6000 : SyntheticAcquisition.RANGE, ev.columns[c]);
    }
    QcSummary s = new AcquisitionQc(QcParams.defaults()).run(b.build()).summary();
    assertTrue(s.performed().contains(QcReason.FLOW_RATE), s.notes().toString());
    assertTrue(
        s.notes().stream().anyMatch(n -> n.contains("stays at the top of its range")),
        s.notes().toString());
    assertTrue(s.shareAny() <= 0.01, s.toString());
  }

  @Test
  void aRestartedTimeContinues() {
    Events ev = new SyntheticAcquisition(10, 1000, 100).simulate();
    float[] time = ev.columns[8];
    for (int i = ev.n / 2; i < ev.n; i++) {
      time[i] -= 5000; // a second acquisition appended, its Time from 0 again
    }
    QcSummary s = new AcquisitionQc(QcParams.defaults()).run(ev.sample("joined.fcs")).summary();
    assertTrue(
        s.notes().stream().anyMatch(n -> n.contains("restarts 1 time(s)")), s.notes().toString());
    assertTrue(s.shareAny() <= 0.01, s.toString());
  }
}
