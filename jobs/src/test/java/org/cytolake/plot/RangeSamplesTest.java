package org.cytolake.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RangeSamplesTest {
  private static Map<String, Long> samples(int n, long each) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      m.put(String.format("S-%04d", i), each);
    }
    return m;
  }

  @Test
  void fewEventsTakeEverySampleWhole() {
    RangeSamples r = RangeSamples.choose(samples(40, 1_000), 200_000, 30, 19);
    assertTrue(r.all());
    assertEquals(1.0, r.fraction());
    assertEquals(40, r.samples().size());
  }

  @Test
  void manySmallSamplesChooseEnoughForAboutTheEvents() {
    // 465 samples of 11,000 events, as a panel of the 10^7-event trial: 19 samples hold 200,000
    RangeSamples r = RangeSamples.choose(samples(465, 11_000), 200_000, 30, 19);
    assertFalse(r.all());
    assertEquals(30, r.samples().size(), "at least the minimum");
    assertEquals(200_000.0 / (30 * 11_000), r.fraction(), 1e-12);
    RangeSamples big = RangeSamples.choose(samples(465, 1_000), 200_000, 30, 19);
    assertEquals(200, big.samples().size(), "about / mean when that is more");
    assertEquals(1.0, big.fraction());
  }

  @Test
  void theChoiceIsSeededAndIgnoresMapOrder() {
    Map<String, Long> a = samples(300, 5_000);
    Map<String, Long> reversed = new TreeMap<>(java.util.Comparator.reverseOrder());
    reversed.putAll(a);
    RangeSamples x = RangeSamples.choose(a, 100_000, 30, 19);
    assertEquals(x, RangeSamples.choose(reversed, 100_000, 30, 19));
    assertNotEquals(x.samples(), RangeSamples.choose(a, 100_000, 30, 20).samples());
    assertEquals(x.samples().stream().sorted().toList(), x.samples(), "sorted");
    // not simply the first ids
    assertNotEquals(List.copyOf(a.keySet()).subList(0, 30), x.samples());
  }

  @Test
  void wrongInputIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RangeSamples.choose(Map.of("S-1", -4L), 10, 30, 1));
    assertTrue(e.getMessage().contains("'S-1'") && e.getMessage().contains("-4"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RangeSamples.choose(Map.of(), 0, 30, 1));
    RangeSamples none = RangeSamples.choose(Map.of(), 10, 30, 1);
    assertTrue(none.all() && none.samples().isEmpty());
  }
}
